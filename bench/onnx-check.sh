#!/usr/bin/env bash
# Exports every preset's encoder, decoder and whole-model ONNX graph (seeded random weights) and runs Debian's
# onnx.checker.check_model on each, with full_check (shape inference) on. A tool, not a test: it needs python3-onnx
# (apt-get install python3-onnx) and prints one line per file, then exits 1 if any file failed.
#   bench/onnx-check.sh [--keep DIR]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
python=/usr/bin/python3
out=""
if [ "${1:-}" = "--keep" ]; then out=$2; fi

if ! "$python" -c 'import onnx.checker' 2>/dev/null; then
  echo "onnx-check.sh: the onnx Python package is missing; install it with: apt-get install python3-onnx" >&2
  exit 1
fi
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

dotnet build "$repo/bench/VaeSharp.Bench" -c Release -v quiet -nologo >/dev/null
dotnet "$repo/bench/VaeSharp.Bench/bin/Release/net10.0/VaeSharp.Bench.dll" onnx-export "$out" >/dev/null

"$python" - "$out"/*.onnx <<'PY'
import sys
import onnx
import onnx.checker

failed = 0
print(f"onnx {onnx.__version__}")
for path in sys.argv[1:]:
    name = path.rsplit("/", 1)[-1]
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        inputs = ", ".join(i.name for i in model.graph.input)
        outputs = ", ".join(o.name for o in model.graph.output)
        print(f"ok    {name:28} opset {model.opset_import[0].version}, ir {model.ir_version}, "
              f"{len(model.graph.node)} nodes, ({inputs}) -> ({outputs})")
    except Exception as error:  # the checker raises its own ValidationError, onnx.load a DecodeError
        failed += 1
        print(f"FAIL  {name:28} {str(error).splitlines()[0]}")
sys.exit(1 if failed else 0)
PY
