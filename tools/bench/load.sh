#!/usr/bin/env bash
# Regenerates "Model load and the first query" in docs/BENCHMARKS.md: how long one `clipsearch search` takes from the
# shell, with the optimised-graph cache off (every run parses and optimises the text tower) and on (the second run
# onwards loads the cached graph), runs alternating so that load on a shared machine hits both alike; then the
# Search API's first query after it says ready against its hundredth, and its first image query and first thumbnail
# against later ones.
# Prints one JSON line per measure: medians of wall time and CPU time (user + system), and the text tower's load
# time from --verbose.
# usage: MODEL=DIR [API_RUNS=5] [API_DLL=...] tools/bench/load.sh [RUNS]   (e.g. a folder made by tools/bench/make_vit_model.py; default 7 runs)
# API_DLL: another build of ClipSearch.SearchApi.dll to measure the API with (e.g. an earlier commit's, for a before/after).
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
# A few photos too (up to 12 MP): the samples are smaller than a thumbnail, which the API serves as they are.
/usr/bin/python3 tools/bench/make_photos.py "$work/photos" --count 24 --mixed >/dev/null
dotnet "$dll" index "$work/photos" >/dev/null 2>&1
api_dll=${API_DLL:-src/SearchApi/bin/Release/net10.0/ClipSearch.SearchApi.dll}

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

# The Search API: first query after ready against the hundredth (the warm-up loads both towers, runs each once and
# searches once in-process and once over HTTP), over API_RUNS fresh starts.
port=${BENCH_PORT:-5098}
: >"$work/api"; : >"$work/image"; : >"$work/thumb"
for _ in $(seq "${API_RUNS:-5}"); do
  rm -rf "$work/store/thumbnails" # thumbnails are made afresh at each start
  dotnet "$api_dll" --urls "http://127.0.0.1:$port" --ClipSearch:Index:Embedded:Path="$work/store" \
    --ClipSearch:Model="$model" --ClipSearch:GraphCacheFolder="$cache" --ClipSearch:TextCacheEntries=0 --ClipSearch:RequestsPerMinute=0 \
    --Logging:LogLevel:Default=Warning >"$work/api.log" 2>&1 &
  api=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
  # Every query a new text (the text cache is off anyway): query 1, then 2-99, then the median of 100-110.
  times=$(for i in $(seq 110); do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/api/search?q=query+number+$i&k=10"; done)
  echo "$(head -1 <<<"$times") $(sed -n 100,110p <<<"$times" | median)" >>"$work/api"
  # Image queries (an upload decoded in a worker process, then the image tower): the first against the median of 10-20.
  times=$(for f in $(ls "$work/photos" | head -20); do curl -s -o /dev/null -w '%{time_total}\n' -F "image=@$work/photos/$f" "http://127.0.0.1:$port/api/search/image?k=10"; done)
  echo "$(head -1 <<<"$times") $(sed -n 10,20p <<<"$times" | median)" >>"$work/image"
  # Thumbnails of the photos (decoded and scaled in a worker process), none made before: the first against the median of 10-20.
  urls=$(curl -s "http://127.0.0.1:$port/api/search?q=a+photo&k=100" | /usr/bin/python3 -c 'import json, sys; print("\n".join(h["thumbnailUrl"] for h in json.load(sys.stdin)["hits"] if h["path"].startswith("photo-")))')
  times=$(for u in $(head -20 <<<"$urls"); do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port$u"; done)
  echo "$(head -1 <<<"$times") $(sed -n 10,20p <<<"$times" | median)" >>"$work/thumb"
  kill $api; wait $api 2>/dev/null || true
  api=""
done
printf '{"measure":"api_query","starts":%d,"first_ms":%.1f,"hundredth_ms":%.1f,"first_ms_each":"%s","note":"medians over the starts; hundredth = median of queries 100-110 of each start"}\n' \
  "$(wc -l <"$work/api")" "$(echo "$(cut -d' ' -f1 "$work/api" | median) * 1000" | bc -l)" "$(echo "$(cut -d' ' -f2 "$work/api" | median) * 1000" | bc -l)" \
  "$(cut -d' ' -f1 "$work/api" | awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1 * 1000}')"
for kind in image thumb; do
  printf '{"measure":"api_%s","starts":%d,"first_ms":%.1f,"later_ms":%.1f,"first_ms_each":"%s","note":"medians over the starts; later = median of the 10th-20th of each start"}\n' \
    "$([ $kind = image ] && echo image_query || echo thumbnail)" "$(wc -l <"$work/$kind")" "$(echo "$(cut -d' ' -f1 "$work/$kind" | median) * 1000" | bc -l)" \
    "$(echo "$(cut -d' ' -f2 "$work/$kind" | median) * 1000" | bc -l)" "$(cut -d' ' -f1 "$work/$kind" | awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1 * 1000}')"
done
