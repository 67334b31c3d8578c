#!/usr/bin/env bash
# Measures the cut-off methods of `clipsearch search --cutoff` with `clipsearch eval`'s search-quality report: the bundled
# models' held-out set (tests/data/tiny-clip-heldout) laid out three ways - by class ("red star", 32 classes of 10), by
# colour ("red", 8 of 40) and by shape ("star", 4 of 80) - each class name a query; prints precision@10, mAP and, per
# method, precision / recall / F1 of the shown set. The figures in docs/BENCHMARKS.md come from this script.
# usage: tools/bench/cutoffs.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tail -n +2 tests/data/tiny-clip-heldout/labels.tsv | while IFS=$'\t' read -r file label; do
  for layout in class colour shape; do
    case $layout in class) c=${label// /_} ;; colour) c=${label%% *} ;; shape) c=${label##* } ;; esac
    mkdir -p "$dir/$layout/$c"
    cp "tests/data/tiny-clip-heldout/$file" "$dir/$layout/$c/"
  done
done
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
echo "| layout | model | P@10 | mAP | jump F1 (P / R) | relative F1 (P / R) | calibrated F1 (P / R) |"
echo "|---|---|---|---|---|---|---|"
for layout in class colour shape; do
  for model in models/tiny-clip models/tiny-siglip; do
    dotnet src/Indexer/bin/Release/net10.0/clipsearch.dll eval --dataset "$dir/$layout" --model "$model" --json 2>/dev/null | python3 -c "
import json, sys
r = json.load(sys.stdin)['retrieval']; c = r['cutoffs']
cell = lambda m: f\"{c[m]['f1']:.3f} ({c[m]['precision']:.2f} / {c[m]['recall']:.2f})\"
print(f\"| $layout | $(basename "$model") | {r['precision_at10']:.3f} | {r['mean_average_precision']:.3f} | {cell('jump')} | {cell('relative')} | {cell('calibrated')} |\")"
  done
done
