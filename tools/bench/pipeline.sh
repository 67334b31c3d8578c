#!/usr/bin/env bash
# Regenerates the end-to-end indexing comparison in docs/BENCHMARKS.md: ClipSearch's index pipeline and the
# reference Python pipeline (PIL + CLIP's torchvision transform, DataLoader with 2 workers, batch 32, the same
# model in PyTorch) on the same generated folder of photo-like JPEGs, one after the other, ROUNDS rounds each.
# usage: [MODEL=DIR] [ROUNDS=3] tools/bench/pipeline.sh [COUNT] [FOLDER]   (default 2000 photos in a temporary folder)
# MODEL: a real-size model folder made by tools/bench/make_vit_model.py (default: the bundled tiny CLIP).
# STREAMS: image batches ClipSearch encodes side by side (its --streams; default: one per core).
# MIXED=1: a folder made here names its photos in a random order (make_photos.py --mixed), so that sizes are mixed in
#   the order files are read, as in a real library; by default the largest come first.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-2000}
dir=${2:-}
model=${MODEL:-}
rounds=${ROUNDS:-3}
if [ -z "$dir" ]; then dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; fi
tools/apt-ensure.sh python3-torch python3-torchvision python3-onnx python3-numpy python3-pil libopenblas0-pthread
[ -f "$dir/photo-00000.jpg" ] || /usr/bin/python3 tools/bench/make_photos.py "$dir" --count "$count" ${MIXED:+--mixed}
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dll=src/Indexer/bin/Release/net10.0/clipsearch.dll
model_args=(); if [ -n "$model" ]; then model_args=(--model "$model"); fi
ours=("${model_args[@]}"); if [ -n "${STREAMS:-}" ]; then ours+=(--streams "$STREAMS"); fi
export OMP_WAIT_POLICY=PASSIVE
for _ in $(seq "$rounds"); do
  dotnet "$dll" bench pipeline "$dir" "${ours[@]}" --json 2>/dev/null
  dotnet "$dll" bench pipeline "$dir" "${ours[@]}" --exact-decode --json 2>/dev/null
  /usr/bin/python3 tools/bench/reference_pipeline.py "$dir" "${model_args[@]}" --clipsearch "$dll"
done
