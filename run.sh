#!/usr/bin/env bash
# The quick start's main job: build, index the bundled sample images (samples/) into the checkout's embedded index
# (.clipsearch/index, collection "images": what ./clipsearch uses too) with the bundled model (unchanged files are
# skipped on later runs), start the Search API and the web UI on it, and print the address to open. Needs only the
# .NET 10 SDK; NuGet packages are restored by the build. Ctrl+C stops both. Ports: API_PORT (5080), UI_PORT (5000).
set -uo pipefail
cd "$(dirname "$0")"
api_port=${API_PORT:-5080}
ui_port=${UI_PORT:-5000}
step() { echo "run.sh: $*" >&2; }
fail() { echo "run.sh: $*" >&2; exit 1; }

# Whether something already listens on 127.0.0.1:PORT (bash alone: no curl or ss needed on a fresh machine).
port_busy() { { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null && { exec 3>&-; return 0; }; return 1; }
for port in "$api_port" "$ui_port"; do
  port_busy "$port" && fail "port $port is already in use on 127.0.0.1 (another ClipSearch, or something else): stop it, or choose other ports with API_PORT=... UI_PORT=... ./run.sh"
done

for project in Indexer SearchApi WebUi; do
  step "building src/$project (dotnet build -c Release)"
  dotnet build -c Release "src/$project" -nologo -v m -clp:NoSummary || fail "the build of src/$project failed (the errors are above)"
done
bin() { echo "src/$1/bin/Release/net10.0/$2"; }
store=$PWD/.clipsearch/index
mkdir -p .clipsearch
step "indexing samples/ into $store (collection 'images')"
CLIPSEARCH_STORE=$store ./clipsearch index samples || fail "indexing samples/ failed (see above)"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
trap 'echo; step "stopping"; exit 0' INT TERM
# An HTTP GET with bash alone: true when 127.0.0.1:PORT answers PATH with 200.
http_ok() { # PORT PATH
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  local status
  read -r _ status _ <&3 || status=
  exec 3>&-
  [ "$status" = 200 ]
}
wait_for() { # PORT PATH NAME LOG PID
  for _ in $(seq 120); do
    kill -0 "$5" 2>/dev/null || { echo "run.sh: $3 stopped while starting:" >&2; cat "$4" >&2; exit 1; }
    http_ok "$1" "$2" && return 0
    sleep 0.5
  done
  echo "run.sh: $3 did not answer on port $1 in 60 s; its log ($4):" >&2; tail -n 20 "$4" >&2; exit 1
}
step "starting the Search API on http://127.0.0.1:$api_port (log: .clipsearch/searchapi.log)"
(cd "$(dirname "$(bin SearchApi x)")" && exec dotnet ClipSearch.SearchApi.dll --urls "http://127.0.0.1:$api_port" \
  --ClipSearch:Index:Embedded:Path="$store") >.clipsearch/searchapi.log 2>&1 &
pids+=($!)
wait_for "$api_port" /health/ready "the Search API" .clipsearch/searchapi.log "${pids[-1]}"
step "starting the web UI on http://127.0.0.1:$ui_port (log: .clipsearch/webui.log)"
(cd "$(dirname "$(bin WebUi x)")" && exec dotnet ClipSearch.WebUi.dll --urls "http://127.0.0.1:$ui_port" \
  --ClipSearch:ApiUrl="http://127.0.0.1:$api_port") >.clipsearch/webui.log 2>&1 &
pids+=($!)
wait_for "$ui_port" / "the web UI" .clipsearch/webui.log "${pids[-1]}"
echo
echo "ClipSearch is running: open http://127.0.0.1:$ui_port/?q=a+photo+of+a+red+star."
echo "  The same index from the command line: ./clipsearch search \"a photo of a red star.\""
echo "  (Search API: http://127.0.0.1:$api_port/openapi/v1.json; logs in .clipsearch/; Ctrl+C stops both)"
# Stop when either server stops, saying which.
wait -n "${pids[@]}"
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    name=$([ "$i" = 0 ] && echo "the Search API" || echo "the web UI")
    log=$([ "$i" = 0 ] && echo .clipsearch/searchapi.log || echo .clipsearch/webui.log)
    echo "run.sh: $name stopped; the end of its log ($log):" >&2; tail -n 20 "$log" >&2
    exit 1
  fi
done
