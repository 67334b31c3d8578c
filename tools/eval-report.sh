#!/usr/bin/env bash
# Regenerates docs/eval/: `clipsearch eval` of the bundled model on its held-out set (tests/data/tiny-clip-heldout,
# laid out as one folder per class), comparing templates, with the report (table and confusion-matrix SVG).
# usage: tools/eval-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tail -n +2 tests/data/tiny-clip-heldout/labels.tsv | while IFS=$'\t' read -r file label; do
  mkdir -p "$dir/${label// /_}"
  cp "tests/data/tiny-clip-heldout/$file" "$dir/${label// /_}/"
done
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dotnet src/Indexer/bin/Release/net10.0/clipsearch.dll eval --dataset "$dir" --compare-templates --report docs/eval --json
sed -i "s|$dir/||g" docs/eval/report.md
