#!/usr/bin/env bash
# Ours vs the PyTorch peer on the same MNIST files, batch and threads, one after the other, R times each;
# prints the medians and their ratio (ours / PyTorch). Never part of the tests or CI: it needs PyTorch and minutes.
# The conv rows train at batch 16 and 128 on the first --conv-limit images (a full epoch takes the peer minutes).
#   bench/compare.sh [--data DIR] [--threads T] [--batch B] [--epochs E] [--limit N] [--conv-limit N] [--runs R] [--only REGEX]
# To hold both sides to AVX2 on an AVX-512 machine, prefix it with DOTNET_EnableAVX512=0 OPENBLAS_CORETYPE=Haswell
# ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2: PyTorch's convolutions run in oneDNN, which ignores ATEN's setting.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
peer="$repo/../shared/peers/torch_vae.py"
python=/usr/bin/python3
data=${VAESHARP_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/vaesharp}
threads=2 batch=128 epochs=1 limit=0 conv_limit=4000 runs=3 only=
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2 ;; --threads) threads=$2 ;; --batch) batch=$2 ;; --epochs) epochs=$2 ;;
    --limit) limit=$2 ;; --conv-limit) conv_limit=$2 ;; --runs) runs=$2 ;; --only) only=$2 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "compare.sh: PyTorch is missing; install it with: apt-get install python3-torch" >&2
  exit 1
fi
[ -f "$peer" ] || { echo "compare.sh: no peer at $peer (the shared folder sits beside the checkout)" >&2; exit 1; }
for f in train-images-idx3-ubyte t10k-images-idx3-ubyte; do
  [ -f "$data/$f" ] || { echo "compare.sh: $data/$f is missing; run: vae data fetch" >&2; exit 1; }
done

dotnet build "$repo/src/VaeSharp.Cli" -c Release -v quiet -nologo >/dev/null
vae=(dotnet "$repo/src/VaeSharp.Cli/bin/Release/net10.0/vae.dll")

# ours PRESET FIELD BATCH LIMIT [env...]: one `vae bench` run, one JSON field (LIMIT 0: all images)
ours() {
  local preset=$1 field=$2 rows=$3 count=$4; shift 4
  local limit_args=(); [ "$count" -gt 0 ] && limit_args=(--limit "$count")
  env "$@" "${vae[@]}" bench --preset "$preset" --batch "$rows" --epochs "$epochs" --threads "$threads" \
    --data-dir "$data" "${limit_args[@]}" --json | "$python" -c "import json,sys; print(json.load(sys.stdin)['$field'])"
}
# peer_train BATCH LIMIT HIDDEN LATENT [peer options...]: the peer's samples/s over all its epochs (training steps only)
peer_train() {
  local rows=$1 count=$2 hidden=$3 latent=$4; shift 4
  "$python" "$peer" --data "$data" --hidden "$hidden" --latent "$latent" --batch "$rows" --epochs "$epochs" \
    --threads "$threads" --limit "$count" "$@" | "$python" -c "
import re, sys
seconds = [float(m.group(1)) for m in re.finditer(r'train_s=([0-9.]+)', sys.stdin.read())]
count = $count if $count > 0 else 60000
print(count * len(seconds) / sum(seconds))"
}
# peer_infer HIDDEN LATENT [--arch conv]
peer_infer() {
  "$python" "$here/torch_infer.py" --data "$data" --hidden "$1" --latent "$2" --threads "$threads" "${@:3}" \
    | sed -n 's/.*samples_per_s=\([0-9.]*\).*/\1/p'
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Rows without VAESHARP_GEMM use the default choice (see `vae info`); the others force one backend.
# The conv inference rows time batch 1000 whatever the training batch; the bench run behind them trains on 1000 images.
rows=(
  "keras-mlp train|ours keras-mlp train_samples_per_s $batch $limit|peer_train $batch $limit 512 2"
  "pytorch-mlp train|ours pytorch-mlp train_samples_per_s $batch $limit|peer_train $batch $limit 400 20"
  "keras-mlp infer b1000|ours keras-mlp infer_samples_per_s $batch $limit|peer_infer 512 2"
  "keras-mlp train, openblas|ours keras-mlp train_samples_per_s $batch $limit VAESHARP_GEMM=openblas|peer_train $batch $limit 512 2"
  "pytorch-mlp train, openblas|ours pytorch-mlp train_samples_per_s $batch $limit VAESHARP_GEMM=openblas|peer_train $batch $limit 400 20"
  "keras-mlp train, managed|ours keras-mlp train_samples_per_s $batch $limit VAESHARP_GEMM=managed|peer_train $batch $limit 512 2"
  "conv train b16|ours conv train_samples_per_s 16 $conv_limit|peer_train 16 $conv_limit 0 2 --arch conv --optimizer rmsprop"
  "conv train b128|ours conv train_samples_per_s 128 $conv_limit|peer_train 128 $conv_limit 0 2 --arch conv --optimizer rmsprop"
  "conv infer b1000|ours conv infer_samples_per_s 16 1000|peer_infer 0 2 --arch conv"
)
echo "threads=$threads batch=$batch epochs=$epochs limit=$limit conv_limit=$conv_limit runs=$runs data=$data"
echo "default gemm: $("${vae[@]}" info --json | "$python" -c "import json,sys; print(json.load(sys.stdin)['gemm_detail'])")"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %14s %14s %8s   %s\n' "row" "ours/s" "pytorch/s" "ratio" "ours runs | pytorch runs"
for row in "${rows[@]}"; do
  IFS='|' read -r name ours_cmd peer_cmd <<<"$row"
  [[ -z "$only" || "$name" =~ $only ]] || continue
  a=() b=()
  for ((r = 0; r < runs; r++)); do  # alternate, so a burst of load hits both sides alike
    a+=("$($ours_cmd)")
    b+=("$($peer_cmd)")
  done
  ma=$(median "${a[@]}") mb=$(median "${b[@]}")
  printf '%-28s %14.0f %14.0f %7.2fx   %s | %s\n' "$name" "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN { print a / b }')" \
    "$(printf '%.0f ' "${a[@]}")" "$(printf '%.0f ' "${b[@]}")"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
