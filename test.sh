#!/usr/bin/env bash
# Runs the whole test suite: `dotnet test ClipSearch.sln`, after making sure what the tests need is
# there (Debian's chromium for the browser tests), and ends with one line "N passed, N failed, N skipped"
# summed over the test projects.
set -uo pipefail
cd "$(dirname "$0")"

# The browser tests drive Debian's chromium, and Debian's docker-compose validates docker-compose.yml offline:
# install them when missing (those tests skip, saying why, if apt cannot).
tools/apt-ensure.sh chromium docker-compose >/dev/null 2>&1 || echo "test.sh: could not install chromium and docker-compose with apt; the browser tests and the offline compose check will be skipped" >&2

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test ClipSearch.sln --nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

sum() { grep -E '^(Passed|Failed)! ' "$log" | grep -oE "$1: +[0-9]+" | awk '{s += $2} END {print s + 0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any test could fail: count it so it cannot read as green.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
