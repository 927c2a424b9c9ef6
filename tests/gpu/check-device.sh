#!/usr/bin/env bash
# Device check for a GPU machine: builds with the CUDA TorchSharp backend, runs the model parity tests (stories260K
# against llama2.c's logits, the Qwen2/Llama variants against the float64 reference) on the device, then the model
# benchmark on it, and prints one summary line. Needs no change when a CUDA machine is available:
#   bash tests/gpu/check-device.sh                 # cuda, backend cuda-linux (cuda-windows under Git Bash on Windows)
#   DEVICE=cuda:1 BACKEND=cuda-linux bash tests/gpu/check-device.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
DEVICE="${DEVICE:-cuda}"
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) default_backend=cuda-windows ;; *) default_backend=cuda-linux ;; esac
BACKEND="${BACKEND:-$default_backend}"
log="$(mktemp -d)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! dotnet build -c Release -p:TorchBackend="$BACKEND" tests/OrzDynamic.Core.Tests tests/OrzDynamic.Benchmarks >"$log/build.txt" 2>&1; then
  echo "device-check: FAIL build with TorchBackend=$BACKEND (see $log/build.txt; the CUDA packages must be restorable)"
  exit 1
fi

ORZ_TEST_DEVICE="$DEVICE" dotnet test -c Release --no-build -p:TorchBackend="$BACKEND" tests/OrzDynamic.Core.Tests \
  --filter "FullyQualifiedName~StoriesReferenceTests|FullyQualifiedName~CausalLMTests" --logger "trx;LogFileName=device.trx" \
  --results-directory "$log" >"$log/tests.txt" 2>&1
tests_rc=$?
counters=$(grep -o '<Counters [^>]*>' "$log/device.trx" 2>/dev/null | head -n 1)
passed=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); failed=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')

dotnet run -c Release --no-build -p:TorchBackend="$BACKEND" --project tests/OrzDynamic.Benchmarks -- model --device "$DEVICE" \
  --out "$log/model-benchmark.md" >"$log/bench.txt" 2>&1
bench_rc=$?

status=PASS; [ "$tests_rc" -ne 0 ] || [ "$bench_rc" -ne 0 ] && status=FAIL
echo "device-check: $status device=$DEVICE backend=$BACKEND parity ${passed:-0} passed, ${failed:-?} failed; benchmark exit $bench_rc ($log)"
[ "$status" = PASS ]
