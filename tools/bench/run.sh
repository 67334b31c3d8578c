#!/usr/bin/env bash
# Regenerates the vector-index comparison in docs/BENCHMARKS.md: ClipSearch's embedded index (exact and
# HNSW) and the peers (FAISS flat and HNSW, hnswlib) on the same clustered vectors, one after the other.
# usage: tools/bench/run.sh [N] [QUERIES]   (default 200000 vectors, 1000 queries, dimension 512)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200000}; q=${2:-1000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tools/bench/setup.sh
/usr/bin/python3 tools/bench/make_vectors.py "$dir" --n "$n" --queries "$q"
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
run() { dotnet run -c Release --no-build --project src/Indexer -- bench index --base "$dir/base.fvecs" --queries "$dir/queries.fvecs" --json "$@" 2>/dev/null; }
run --mode exact --threads 1
run --mode exact --threads 2
run --mode exact-int8 --threads 1
for ef in 16 24 32 48 64; do run --mode ann --ef "$ef" --threads 1; done
run --mode ann --ef 64 --threads 2
/usr/bin/python3 tools/bench/peers.py "$dir/base.fvecs" "$dir/queries.fvecs" --threads 1
