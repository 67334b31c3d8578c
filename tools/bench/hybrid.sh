#!/usr/bin/env bash
# Query latency of text search with the keyword index and fusion on (mode=hybrid) against meaning alone (mode=semantic),
# through the Search API over an embedded collection of N points (the one tools/bench/api.sh fills: paths
# "/bench/<i % 100>/img<i>.jpg"), and the time to the first query after start. Each query of the list runs in both modes,
# alternating, after one warm-up round; prints the medians and their ratio.
# usage: tools/bench/hybrid.sh [POINTS] [ROUNDS]   (default 100000 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}; rounds=${2:-20}
store=${BENCH_STORE:-/tmp/clipsearch-bench-api-$n}
port=${BENCH_PORT:-5098}
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
dotnet build -c Release src/SearchApi -v q -nologo >/dev/null
clipsearch() { dotnet src/Indexer/bin/Release/net10.0/clipsearch.dll "$@"; }
clipsearch bench api --store "$store" --images "$n" --seconds 1 --clients 1 >/dev/null
started=$(date +%s.%N)
dotnet src/SearchApi/bin/Release/net10.0/ClipSearch.SearchApi.dll --urls "http://127.0.0.1:$port" \
  --ClipSearch:Index:Embedded:Path="$store" --ClipSearch:DefaultCollection=bench-api --ClipSearch:TextCacheEntries=0 \
  --ClipSearch:RequestsPerMinute=0 --Logging:LogLevel:Default=Warning >/tmp/clipsearch-bench-hybrid.log 2>&1 &
api=$!
trap 'kill $api 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
ready=$(date +%s.%N)
python3 - "$port" "$rounds" "$started" "$ready" <<'PY'
import json, statistics, sys, time, urllib.parse, urllib.request
port, rounds, started, ready = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
def ask(q, mode):
    url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"collection": "bench-api", "q": q, "k": 20, "mode": mode})
    t = time.perf_counter(); body = urllib.request.urlopen(url).read(); return (time.perf_counter() - t) * 1000, json.loads(body)
first, _ = ask("a photo of the first query after start", "hybrid")
queries = ["a dog on a beach", "img4242", "a red car in 42", "sunset over the sea 7", "people at a wedding", "a cat sleeping", "snow in the mountains", "img99 17"]
for q in queries: ask(q, "semantic"); ask(q, "hybrid")   # warm-up round
times = {"semantic": [], "hybrid": []}
for _ in range(rounds):
    for q in queries:
        for mode in ("semantic", "hybrid"):
            times[mode].append(ask(q, mode)[0])
s, h = statistics.median(times["semantic"]), statistics.median(times["hybrid"])
print(f"start to ready: {ready - started:.1f} s; first query after ready: {first:.1f} ms")
print(f"{len(times['semantic'])} queries per mode; p50 semantic {s:.1f} ms, hybrid {h:.1f} ms: ratio {h / s:.2f}")
print(f"p90 semantic {statistics.quantiles(times['semantic'], n=10)[8]:.1f} ms, hybrid {statistics.quantiles(times['hybrid'], n=10)[8]:.1f} ms")
PY
