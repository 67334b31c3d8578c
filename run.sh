#!/usr/bin/env bash
# The quick start's main job: index the bundled sample images (samples/) into an embedded index in .clipsearch/
# with the bundled model (unchanged files are skipped on later runs), start the Search API and the web UI on it,
# and print the address to open. Needs only the .NET 10 SDK; NuGet packages are restored by the build.
# Ctrl+C stops both. Ports: API_PORT (default 5080), UI_PORT (default 5000).
set -euo pipefail
cd "$(dirname "$0")"
api_port=${API_PORT:-5080}
ui_port=${UI_PORT:-5000}
for project in Indexer SearchApi WebUi; do
  dotnet build -c Release "src/$project" -v q -nologo >/dev/null
done
bin() { echo "src/$1/bin/Release/net10.0/$2"; }
# A store inside this checkout (.clipsearch/, ignored by git), so the quick start touches nothing else.
store=$PWD/.clipsearch/index
dotnet "$(bin Indexer clipsearch.dll)" index samples --store "$store" --collection samples

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
# An HTTP GET with bash alone (no curl needed): true when 127.0.0.1:PORT answers PATH with 200.
http_ok() { # PORT PATH
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  local status
  read -r _ status _ <&3 || status=
  exec 3>&-
  [ "$status" = 200 ]
}
wait_for() { # PORT PATH NAME LOG
  for _ in $(seq 120); do
    http_ok "$1" "$2" && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "run.sh: $3 did not start:" >&2; cat "$4" >&2; exit 1; }
    sleep 0.5
  done
  echo "run.sh: $3 did not answer on port $1 in 60 s (see $4)" >&2; exit 1
}
mkdir -p .clipsearch
(cd "$(dirname "$(bin SearchApi x)")" && exec dotnet ClipSearch.SearchApi.dll --urls "http://127.0.0.1:$api_port" \
  --ClipSearch:Store="$store" --ClipSearch:DefaultCollection=samples) >.clipsearch/searchapi.log 2>&1 &
pids+=($!)
wait_for "$api_port" /health/ready "the Search API" .clipsearch/searchapi.log
(cd "$(dirname "$(bin WebUi x)")" && exec dotnet ClipSearch.WebUi.dll --urls "http://127.0.0.1:$ui_port" \
  --ClipSearch:ApiUrl="http://127.0.0.1:$api_port") >.clipsearch/webui.log 2>&1 &
pids+=($!)
wait_for "$ui_port" / "the web UI" .clipsearch/webui.log
echo
echo "ClipSearch is running: open http://127.0.0.1:$ui_port/?q=a+photo+of+a+red+star."
echo "  (Search API: http://127.0.0.1:$api_port/openapi/v1.json; logs in .clipsearch/; Ctrl+C stops both)"
wait
