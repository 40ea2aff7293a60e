#!/usr/bin/env bash
# Runs each seed notebook's recipe as the README's "The seed notebooks, one command each" gives it, and prints each
# run's --json line. A tool, not a test: the full set trains for about an hour on 2 cores.
# Usage: bench/seed-recipes.sh OUT_DIR [EPOCH_OVERRIDE]   (EPOCH_OVERRIDE, e.g. 1, shortens every run for a smoke test)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/seed-recipes.sh OUT_DIR [EPOCH_OVERRIDE]}
mkdir -p "$out"
dotnet publish src/VaeSharp.Cli -c Release -o "$out/vae-bin" >/dev/null
vae() { dotnet "$out/vae-bin/vae.dll" "$@"; }
epochs=(); [ -n "${2:-}" ] && epochs=(--epochs "$2")
# The conv seed reads Kaggle's train.csv; a file of the same format and size is made from MNIST's training images.
[ -f "$out/train.csv" ] || /usr/bin/python3 bench/kaggle-csv.py "$out/train.csv"

run() {
  local name=$1; shift
  echo "== $name: vae $*" >&2
  vae "$@" "${epochs[@]}" --seed 1 --out "$out/$name" --json
}
run keras-mse    train --preset keras-mlp --loss mse
run keras-bce    train --preset keras-mlp
run conv-kaggle  train --preset conv --csv "$out/train.csv" --validation 5000 --kl-weight 0.392
run pytorch      train --preset pytorch-mlp
run kingma       train --preset kingma-mlp
run impute-mlp   train --preset impute-mlp --mask pixel --missing 0.5
