#!/usr/bin/env bash
# Regenerates the end-to-end indexing comparison in docs/BENCHMARKS.md: ClipSearch's index pipeline and the
# reference Python pipeline (PIL + CLIP's torchvision transform, DataLoader with 2 workers, batch 32, the same
# tiny model in PyTorch) on the same generated folder of photo-like JPEGs, one after the other, 3 runs each.
# usage: tools/bench/pipeline.sh [COUNT] [FOLDER]   (default 2000 photos in a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-2000}
dir=${2:-}
if [ -z "$dir" ]; then dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; fi
tools/apt-ensure.sh python3-torch python3-torchvision python3-onnx python3-numpy python3-pil
[ -f "$dir/photo-00000.jpg" ] || /usr/bin/python3 tools/bench/make_photos.py "$dir" --count "$count"
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dll=src/Indexer/bin/Release/net10.0/clipsearch.dll
for run in 1 2 3; do
  dotnet "$dll" bench pipeline "$dir" --json 2>/dev/null
  dotnet "$dll" bench pipeline "$dir" --exact-decode --json 2>/dev/null
  /usr/bin/python3 tools/bench/reference_pipeline.py "$dir" --clipsearch "$dll"
done
