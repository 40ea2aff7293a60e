#!/usr/bin/env bash
# Starts `vae serve` for a model folder on a free loopback port, runs bench/VaeSharp.ServeLoad against it, and stops
# the server with SIGTERM (a script's background job ignores SIGINT), checking that it exits 0 as on Ctrl-C.
# Never part of the tests or CI.
#   bench/serve-load.sh MODEL_DIR [SECONDS=30] [CLIENTS=16] [--json]   (build first: dotnet build -c Release)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:?usage: bench/serve-load.sh MODEL_DIR [SECONDS] [CLIENTS] [--json]}
seconds=${2:-30}
clients=${3:-16}
json=${4:-}
vae=src/VaeSharp.Cli/bin/Release/net10.0/vae.dll
load=bench/VaeSharp.ServeLoad/bin/Release/net10.0/VaeSharp.ServeLoad.dll
[ -f "$vae" ] && [ -f "$load" ] || { echo "serve-load: build first: dotnet build -c Release" >&2; exit 2; }

log=$(mktemp)
dotnet "$vae" serve --model "$model" --port 0 ${VAESHARP_DATA:+--data-dir "$VAESHARP_DATA"} >"$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
  url=$(sed -n 's/^serving .* at \(http[^ ]*\)$/\1/p' "$log")
  [ -n "$url" ] && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "serve-load: the server printed no URL" >&2; cat "$log" >&2; exit 1; }
echo "load averages before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
dotnet "$load" --url "$url" --seconds "$seconds" --clients "$clients" --server-pid $server $json
echo "load averages after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
kill -TERM $server
status=0; wait $server || status=$?
trap 'rm -f "$log"' EXIT
echo "server exited with $status after SIGTERM" >&2
[ "$status" = 0 ]
