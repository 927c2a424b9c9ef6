#!/usr/bin/env bash
# Writes the demo's golden outputs: the files that a redesign of the pipeline must reproduce byte for byte.
#   static/  the embedded demo's flags with --batching static (one process, all checkpoints)
#   sharded/ the same flags as a 2-shard plan, both shards, then merge
#   probe/   the embedded demo with --probe_answers_from last
# Usage: tests/golden/generate.sh OUT_DIR [CLI_DLL]   (default CLI: the Debug build of samples/OrzDynamic.Cli)
# Kept: results.jsonl, summary.json, trends.csv, comparisons.*, eval_results_*, custom_sentence_*, probe files;
# charts are kept as SHA-256 lines in charts.sha256. Left out: run_manifest.json and plan.json (they hold absolute
# paths) and the dated log.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
cli="${2:-$repo/samples/OrzDynamic.Cli/bin/Debug/net10.0/orz-dynamic.dll}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1 COLUMNS=400
unset SLURM_ARRAY_TASK_ID JOB_COMPLETION_INDEX
demo=(--checkpoint_paths "$repo"/samples/demo-checkpoints/iter0 "$repo"/samples/demo-checkpoints/iter1200 "$repo"/samples/demo-checkpoints/iter2200
      --data "$repo"/samples/demo-data/arith_demo.json
      --custom_sentence "$repo"/samples/demo-custom/arith_pairs.json "$repo"/samples/demo-custom/arith_sentences.json
      --generate_max_len 64 --max_eval_samples 40 --batch_size 8)
(cd "$work" && dotnet "$cli" "${demo[@]}" --batching static --output_dir static >/dev/null)
(cd "$work" && dotnet "$cli" shard plan "${demo[@]}" --output_dir sharded --shards 2 >/dev/null)
for k in 0 1; do (cd "$work" && dotnet "$cli" shard run --plan sharded/plan.json --index $k >/dev/null); done
(cd "$work" && dotnet "$cli" merge sharded >/dev/null)
(cd "$work" && dotnet "$cli" --probe_answers_from last --output_dir probe >/dev/null)
for run in static sharded probe; do
  rm -rf "${out:?}/$run"; mkdir -p "$out/$run"
  (cd "$work/$run" && find . -type f ! -path './shards/*' ! -name 'run_manifest.json' ! -name 'plan.json' ! -name 'eval_*.log' ! -name '*.png' ! -name '.orz-dynamic.lock*' \
     | sort | while read -r f; do mkdir -p "$out/$run/$(dirname "$f")"; cp "$f" "$out/$run/$f"; done
   find . -type f -name '*.png' ! -path './shards/*' | sort | xargs sha256sum > "$out/$run/charts.sha256")
done
echo "golden outputs written to $out"
