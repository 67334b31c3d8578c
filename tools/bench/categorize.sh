#!/usr/bin/env bash
# Regenerates the categorization comparison in docs/BENCHMARKS.md: `clipsearch bench categorize` (stored
# vectors read from the embedded index, scored against every label, best two kept) and the NumPy matrix product
# of the same shapes, one after the other, 3 times.
# usage: tools/bench/categorize.sh [VECTORS] [DIM] [LABELS]   (default 200000 512 37)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200000}; d=${2:-512}; l=${3:-37}
# OpenBLAS, so that NumPy runs its matrix product on an optimised BLAS (Debian otherwise links the reference BLAS).
tools/apt-ensure.sh python3-numpy libopenblas0-pthread
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
for run in 1 2 3; do
  dotnet src/Indexer/bin/Release/net10.0/clipsearch.dll bench categorize --vectors "$n" --dim "$d" --labels "$l" --json 2>/dev/null
  /usr/bin/python3 tools/bench/categorize_numpy.py --vectors "$n" --dim "$d" --labels "$l"
done
