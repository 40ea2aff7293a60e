#!/usr/bin/python3
"""Inference throughput of the PyTorch peer's MLP or conv VAE, the counterpart of `vae bench`'s infer_samples_per_s:
encode, sample and decode (with the sigmoid) over the 10k MNIST test images in batches of 1000, no autograd.
The model class is the peer's own (../shared/peers/torch_vae.py), imported rather than copied."""
import argparse, os, sys, time, torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', '..', 'shared', 'peers'))
import torch_vae  # noqa: E402

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--hidden', default='512')
    ap.add_argument('--latent', type=int, default=2)
    ap.add_argument('--arch', default='mlp', choices=['mlp', 'conv'])
    ap.add_argument('--batch', type=int, default=1000)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=3, help='timed passes over the test set; the fastest is reported')
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    xte = torch.from_numpy(torch_vae.idx(a.data + '/t10k-images-idx3-ubyte'))
    m = (torch_vae.ConvVae(a.latent) if a.arch == 'conv'
         else torch_vae.Vae([int(h) for h in a.hidden.split(',')], a.latent, torch.nn.functional.relu)).eval()
    best = float('inf')
    with torch.no_grad():
        for rep in range(a.repeats + 1):  # the first pass warms up and is not counted
            t0 = time.perf_counter()
            for i in range(0, len(xte), a.batch):
                logits, mu, lv = m(xte[i:i + a.batch])
                torch.sigmoid(logits)
            if rep > 0: best = min(best, time.perf_counter() - t0)
    print(f'infer_s={best:.3f} samples_per_s={len(xte) / best:.0f}')
