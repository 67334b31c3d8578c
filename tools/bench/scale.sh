#!/usr/bin/env bash
# The embedded index at scale ("10 million images on one machine" in docs/BENCHMARKS.md): streams N synthetic clustered
# 512-d unit vectors into a store (clipsearch bench index --synthetic), then hnswlib on the same vectors in the same
# script (tools/bench/peers.py --only hnswlib), unless hnswlib would not fit in memory (float32 vectors, its links,
# and the .fvecs copy its loader makes: about 2 x 4 x 512 bytes a vector) or PEER=0.
# usage: tools/bench/scale.sh [N] [EF_CONSTRUCTION] [CLUSTERS]   (default 1000000 vectors, 100, N/1000 clusters)
#   EFS="64 128 256 512" sets the search beams measured (default 32 64 128 256); LATENT=M draws the cluster centres in
#   an M-dimensional subspace (bench index --latent; default 0, independent centres); KEEP=DIR builds the store in DIR and
#   keeps it, so that 'clipsearch bench index --synthetic N --clusters C --folder DIR/store --reuse --ef ...' can query
#   it again without rebuilding.
# Needs about 5 GB of disk per million vectors for the store (SQLite, the row file, the graph), 2 GB more for the peer.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}; efc=${2:-100}; clusters=${3:-$(( n / 1000 > 1 ? n / 1000 : 1 ))}
if [[ -n "${KEEP:-}" ]]; then
  dir=$KEEP; mkdir -p "$dir"; keep=(--keep)
else
  dir=$(mktemp -d -p "${SCALE_TMP:-${TMPDIR:-/tmp}}"); keep=()
  trap 'rm -rf "$dir"' EXIT
fi
read -r -a efs <<< "${EFS:-32 64 128 256}"
ef_args=(); for e in "${efs[@]}"; do ef_args+=(--ef "$e"); done
peer=${PEER:-1}
ram_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
if (( peer == 1 && n * 2 * 4 * 512 / 1024 > ram_kb * 3 / 4 )); then peer=0; echo "hnswlib skipped: $n vectors do not fit in memory beside its loader" >&2; fi
export_args=(); (( peer == 1 )) && export_args=(--export "$dir/fvecs")
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dotnet run -c Release --no-build --project src/Indexer -- bench index --synthetic "$n" --clusters "$clusters" --latent "${LATENT:-0}" --dimension 512 --query-count 1000 \
  --seed 1 --ef-construction "$efc" "${ef_args[@]}" --folder "$dir/store" "${keep[@]}" "${export_args[@]}" --json
if (( peer == 1 )); then
  tools/bench/setup.sh
  /usr/bin/python3 tools/bench/peers.py "$dir/fvecs/base.fvecs" "$dir/fvecs/queries.fvecs" --only hnswlib --threads 1 \
    --ef-construction "$efc" --ef "${efs[@]}"
fi
