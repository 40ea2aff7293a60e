#!/usr/bin/env python3
"""Writes MNIST's first N training images as a Kaggle "Digit Recognizer" train.csv (label, pixel0..pixel783).

The conv seed notebook trains on Kaggle's train.csv (42,000 labelled MNIST digits), which this workplace cannot
download; this file has the same format and size, made from the MNIST files `vae data fetch` verified.
Usage: kaggle-csv.py [--data-dir DIR] [--count 42000] OUT.csv
"""
import argparse
import os
import struct


def read_idx(path):
    with open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return dims, f.read()


def main():
    parser = argparse.ArgumentParser()
    default_dir = os.environ.get("VAESHARP_DATA") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vaesharp")
    parser.add_argument("--data-dir", default=default_dir)
    parser.add_argument("--count", type=int, default=42000)
    parser.add_argument("out")
    args = parser.parse_args()
    (count, rows, cols), pixels = read_idx(os.path.join(args.data_dir, "train-images-idx3-ubyte"))
    _, labels = read_idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte"))
    size = rows * cols
    with open(args.out, "w") as out:
        out.write("label," + ",".join(f"pixel{i}" for i in range(size)) + "\n")
        for n in range(min(args.count, count)):
            image = pixels[n * size:(n + 1) * size]
            out.write(str(labels[n]) + "," + ",".join(map(str, image)) + "\n")


if __name__ == "__main__":
    main()
