#!/usr/bin/env bash
# Recall against the number of clusters at a fixed size ("Fourth session" in docs/BENCHMARKS.md): for each cluster
# count, N synthetic 512-d vectors into a store (clipsearch bench index --synthetic), then hnswlib on the same vectors
# (tools/bench/peers.py --only hnswlib), both reporting recall@10 and the share of queries that found none of their
# true 10 ("missed").
# usage: tools/bench/clusters.sh N CLUSTERS...        e.g. tools/bench/clusters.sh 200000 1000 4500 20000
#   LATENT=M draws the centres in an M-dimensional subspace (bench index --latent); EFS="64 128 256" the beams.
# Needs about 5 GB of disk per million vectors, and the Debian packages tools/bench/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/../.."
(( $# >= 2 )) || { sed -n 2,7p "$0" >&2; exit 2; }
n=$1; shift
latent=${LATENT:-0}
read -r -a efs <<< "${EFS:-64 128 256}"
ef_args=(); for e in "${efs[@]}"; do ef_args+=(--ef "$e"); done
tools/bench/setup.sh
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
for clusters in "$@"; do
  dir=$(mktemp -d -p "${SCALE_TMP:-${TMPDIR:-/tmp}}")
  echo "== $n vectors, $clusters clusters, latent $latent" >&2
  dotnet run -c Release --no-build --project src/Indexer -- bench index --synthetic "$n" --clusters "$clusters" --latent "$latent" \
    --dimension 512 --query-count 1000 --seed 1 --ef-construction 100 "${ef_args[@]}" --folder "$dir/store" --export "$dir/fvecs" --json
  /usr/bin/python3 tools/bench/peers.py "$dir/fvecs/base.fvecs" "$dir/fvecs/queries.fvecs" --only hnswlib --threads 1 \
    --ef-construction 100 --ef "${efs[@]}"
  rm -rf "$dir"
done
