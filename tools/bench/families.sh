#!/usr/bin/env bash
# The per-family rows of docs/BENCHMARKS.md: indexing images/s (`clipsearch bench pipeline`, default decode) and in-process
# text-search latency (`clipsearch bench api` without --url: text encode + exact search over 10,000 stored points) for each
# bundled tiny model: models/tiny-clip (CLIP), models/tiny-siglip (SigLIP), models/tiny-clip-multilingual (a text tower alone:
# search latency only). Medians of 3 runs, one model after the other on the same machine in one script.
# usage: tools/bench/families.sh [COUNT]   (default 500 photo-like JPEGs in a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-500}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tools/apt-ensure.sh python3-numpy python3-pil
/usr/bin/python3 tools/bench/make_photos.py "$dir/photos" --count "$count" >/dev/null
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dll=src/Indexer/bin/Release/net10.0/clipsearch.dll
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for model in tiny-clip tiny-siglip tiny-clip-multilingual; do
  ips=-
  if [ -d "models/$model/onnx" ]; then
    ips=$(for run in 1 2 3; do dotnet "$dll" bench pipeline "$dir/photos" --model "models/$model" --json 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])'; done | median)
  fi
  p50=$(for run in 1 2 3; do dotnet "$dll" bench api --model "models/$model" --store "$dir/store-$model" --images 10000 --clients 1 --seconds 5 --json 2>/dev/null \
    | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["in_process_1_client"]["p50_ms"])'; done | median)
  echo "$model: $ips images/s indexing, text search p50 $p50 ms (in-process, 10,000 points)"
done
