#!/usr/bin/env bash
# Regenerates "Model load and the first query" in docs/BENCHMARKS.md: how long one `clipsearch search` takes from the
# shell, with the optimised-graph cache off (every run parses and optimises the text tower) and on (the second run
# onwards loads the cached graph), runs alternating so that load on a shared machine hits both alike; then the
# Search API's first query after it says ready against its hundredth.
# Prints one JSON line per measure: medians of wall time and CPU time (user + system), and the text tower's load
# time from --verbose.
# usage: MODEL=DIR tools/bench/load.sh [RUNS]   (e.g. a folder made by tools/bench/make_vit_model.py; default 7 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${MODEL:?set MODEL to a model folder, e.g. /tmp/vit-b32 from tools/bench/make_vit_model.py}
runs=${1:-7}
work=$(mktemp -d)
api=""
trap '[ -n "$api" ] && kill $api 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dotnet build -c Release src/SearchApi -v q -nologo >/dev/null
dll=src/Indexer/bin/Release/net10.0/clipsearch.dll
export CLIPSEARCH_STORE="$work/store" CLIPSEARCH_MODEL="$model"
dotnet "$dll" index samples >/dev/null 2>&1 # a small collection: the figures are the model's, not the index's

# One search from the shell: wall seconds, CPU seconds, and the text tower's load time as --verbose logs it.
once() { # $1: cache folder or none
  local out
  out=$({ CLIPSEARCH_GRAPH_CACHE=$1 /usr/bin/time -f "time %e %U %S" dotnet "$dll" search "a red star" -k 3 -v >/dev/null; } 2>&1)
  local t tower
  t=$(grep '^time ' <<<"$out" | awk '{print $2, $3 + $4}')
  tower=$(grep -o 'text tower ([^)]*) in [0-9]* ms' <<<"$out" | grep -o 'in [0-9]* ms' | awk '{print $2}')
  echo "$t ${tower:-0}"
}
cache="$work/graphs"
once "$cache" >/dev/null # the first run with the cache on writes the optimised graph
: >"$work/none"; : >"$work/cached"
for _ in $(seq "$runs"); do
  once none >>"$work/none"
  once "$cache" >>"$work/cached"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for kind in none cached; do
  printf '{"measure":"cli_search","graph_cache":"%s","runs":%d,"wall_s":%s,"cpu_s":%s,"text_tower_load_ms":%s}\n' "$kind" "$runs" \
    "$(cut -d' ' -f1 "$work/$kind" | median)" "$(cut -d' ' -f2 "$work/$kind" | median)" "$(cut -d' ' -f3 "$work/$kind" | median)"
done

# The Search API: first query after ready against the hundredth (the warm-up runs both towers and one search).
port=${BENCH_PORT:-5098}
dotnet src/SearchApi/bin/Release/net10.0/ClipSearch.SearchApi.dll --urls "http://127.0.0.1:$port" --ClipSearch:Index:Embedded:Path="$work/store" \
  --ClipSearch:Model="$model" --ClipSearch:GraphCacheFolder="$cache" --ClipSearch:TextCacheEntries=0 --ClipSearch:RequestsPerMinute=0 \
  --Logging:LogLevel:Default=Warning >"$work/api.log" 2>&1 &
api=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
query() { curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/api/search?q=$1&k=10"; }
first=$(query "a+blue+circle")
for i in $(seq 98); do query "query+number+$i" >/dev/null; done
hundredth=$(for i in $(seq 9); do query "another+query+$i"; done | median)
printf '{"measure":"api_query","first_ms":%.1f,"hundredth_ms":%.1f,"note":"hundredth = median of queries 100-108, each a new text (no text cache)"}\n' \
  "$(echo "$first * 1000" | bc -l)" "$(echo "$hundredth * 1000" | bc -l)"
