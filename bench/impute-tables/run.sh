#!/usr/bin/env bash
# Imputation on real tables: ours against scikit-learn, side by side on the same masked files.
#   bench/impute-tables/run.sh [--seeds N] [--work DIR] [--ours "default vae mean knn iterative forest"] [--sklearn "sk-mean ..."]
#   bench/impute-tables/run.sh --scale 1000000 [--work DIR]   only the scale check: ROWS x 20 synthetic, 20% blank, 2 cores
# VAE_DLL=path/vae.dll runs another build (a copy, so that rebuilding the tree does not change a run under way).
# Writes the masked CSVs, the truth and every completed table under DIR (default: a fresh mktemp folder, never the
# repository), then prints the score tables. Needs Debian's python3-sklearn (/usr/bin/python3) and a Release build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seeds=3
work=""
ours="default vae mean knn iterative forest"
sklearn="sk-mean sk-knn sk-iterative sk-missforest"
scale=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --ours) ours="$2"; shift 2 ;;
    --sklearn) sklearn="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
python=/usr/bin/python3
"$python" -c "import sklearn" 2>/dev/null || { echo "run.sh: needs Debian's python3-sklearn (apt-get install python3-sklearn)" >&2; exit 1; }
[ -n "$work" ] || work="$(mktemp -d -t impute-tables.XXXXXX)"
mkdir -p "$work"
vae="${VAE_DLL:-$root/src/VaeSharp.Cli/bin/Release/net10.0/vae.dll}"
[ -f "$vae" ] || (cd "$root" && dotnet build -c Release 2>&1 | tail -3)
echo "work folder: $work" >&2
if [ -n "$scale" ]; then
  big="$work/big-$scale.csv"
  [ -f "$big" ] || "$python" "$here/tables.py" big "$big" "$scale" 20
  # Two cores, as the target says; /usr/bin/time reports the wall time and the peak resident set.
  taskset -c 0,1 /usr/bin/time -f "scale: %e s wall, peak RSS %M kB" dotnet "$vae" impute-csv --in "$big" --out "$work/big-imputed.csv" \
    --interval-out "$work/big-interval.csv" --json
  exit 0
fi
[ -f "$work/iris/mcar20/1/masked.csv" ] || "$python" "$here/tables.py" mask "$work" "$seeds"

for method in $ours; do
  for masked in "$work"/*/*/*/masked.csv; do
    folder="$(dirname "$masked")"
    seed="$(basename "$folder")"
    [ -f "$folder/completed.$method.csv" ] && continue
    args=(impute-csv --in "$masked" --out "$folder/completed.$method.csv" --seed "$seed")
    [ "$method" = default ] && args+=(--interval-out "$folder/interval.$method.csv")
    [ "$method" = default ] || args+=(--method "$method")
    start=$(date +%s.%N)
    dotnet "$vae" "${args[@]}" > /dev/null 2> "$folder/stderr.$method.txt" || { echo "failed: $method on $folder" >&2; cat "$folder/stderr.$method.txt" >&2; continue; }
    end=$(date +%s.%N)
    printf '{"folder": "%s", "method": "%s", "seconds": %s}\n' "$folder" "$method" "$(awk "BEGIN { printf \"%.3f\", $end - $start }")" >> "$work/times.jsonl"
  done
done
for method in $sklearn; do
  "$python" "$here/tables.py" sklearn "$work" "$method"
done
"$python" "$here/tables.py" score "$work"
