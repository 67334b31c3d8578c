#!/usr/bin/env bash
# Regenerates the Search API load figures in docs/BENCHMARKS.md: fills (once) an embedded collection of N points
# with the bundled model's id, starts the Search API on it (text cache off, so that every request encodes its
# query as the in-process side does; rate limiting off), and runs `clipsearch bench api`: 1 client, then C
# concurrent clients for S seconds, over HTTP and in-process.
# usage: [MODEL=DIR] tools/bench/api.sh [POINTS] [CLIENTS] [SECONDS]   (default: the bundled model, 100000 16 60)
# MODEL: another model folder, e.g. the real-size ViT-B/32 that tools/bench/make_vit_model.py makes.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}; clients=${2:-16}; seconds=${3:-60}
model=${MODEL:-}
store=${BENCH_STORE:-/tmp/clipsearch-bench-api-$n${model:+-$(basename "$model")}}
model_cli=(); model_api=()
if [ -n "$model" ]; then model_cli=(--model "$model"); model_api=(--ClipSearch:Model="$model"); fi
port=${BENCH_PORT:-5099}
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dotnet build -c Release src/SearchApi -v q -nologo >/dev/null
clipsearch() { dotnet src/Indexer/bin/Release/net10.0/clipsearch.dll "$@"; }
# Fill the collection first (no API running), so the API opens it with its graph built.
clipsearch bench api "${model_cli[@]}" --store "$store" --images "$n" --seconds 1 --clients 1 >/dev/null
dotnet src/SearchApi/bin/Release/net10.0/ClipSearch.SearchApi.dll --urls "http://127.0.0.1:$port" \
  --ClipSearch:Index:Embedded:Path="$store" "${model_api[@]}" --ClipSearch:TextCacheEntries=0 --ClipSearch:RequestsPerMinute=0 \
  --Logging:LogLevel:Default=Warning >/tmp/clipsearch-bench-api.log 2>&1 &
api=$!
trap 'kill $api 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
clipsearch bench api "${model_cli[@]}" --store "$store" --images "$n" --url "http://127.0.0.1:$port" --clients "$clients" --seconds "$seconds" --json
