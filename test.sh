#!/usr/bin/env bash
# Runs the whole test suite: `dotnet test ClipSearch.sln`, after making sure what the tests need is there (Debian's
# chromium for the browser tests), and ends with the skipped tests counted by reason, then one line
# "N passed, N failed, N skipped" summed over the test projects.
set -uo pipefail
cd "$(dirname "$0")"

# The browser tests drive Debian's chromium, and Debian's docker-compose validates docker-compose.yml offline:
# install them when missing (those tests skip, saying why, if apt cannot).
tools/apt-ensure.sh chromium docker-compose >/dev/null 2>&1 || echo "test.sh: could not install chromium and docker-compose with apt; the browser tests and the offline compose check will be skipped" >&2

log=$(mktemp)
results=$(mktemp -d)
trap 'rm -rf "$log" "$results"' EXIT
# The TRX reports (one per test project) hold each skipped test's reason, which the console does not show.
dotnet test ClipSearch.sln --nologo --logger trx --results-directory "$results" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

sum() { grep -E '^(Passed|Failed)! ' "$log" | grep -oE "$1: +[0-9]+" | awk '{s += $2} END {print s + 0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any test could fail: count it so it cannot read as green.
  failed=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "skipped tests, by reason:"
  # In a TRX report a skipped test is a result with outcome="NotExecuted" whose <Message> is the reason.
  cat "$results"/*.trx 2>/dev/null | awk '
    /outcome="NotExecuted"/ { skipped = 1 }
    skipped && /<Message>/ { line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line); print line; skipped = 0 }' |
    sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | sort | uniq -c | sort -rn |
    awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "  %5d  %s\n", n, $0 }'
fi
if [ "$failed" -gt 0 ]; then
  # Repeated here, just before the summary, so that the end of a long log (all a CI page may keep) names them.
  echo "failed tests:"
  cat "$results"/*.trx 2>/dev/null | awk '
    /<UnitTestResult .*outcome="Failed"/ { name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name); print "  " name; failed = 1; frames = 0 }
    failed && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
    inmsg { line = $0; done = sub(/<\/Message>.*/, "", line); print "      " line; if (done) inmsg = 0 }
    failed && /<StackTrace>/ { instack = 1 }
    instack && frames < 3 { line = $0; sub(/.*<StackTrace>/, "", line); sub(/<\/StackTrace>.*/, "", line); print "      " line; frames++ }
    instack && /<\/StackTrace>/ { instack = 0; failed = 0 }' |
    sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | head -n 200
  # A test host that crashed leaves no result for the test it was running: the console says which host.
  grep -E "Test host process crashed|test run was aborted|Test Run Aborted" "$log" | sort -u | head -n 20
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
