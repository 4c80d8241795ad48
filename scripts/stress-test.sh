#!/usr/bin/env bash
# Runs the test suite (or the given test files) N times under CPU load, and reports the failures
# per file: the flake check. Load: `stress --cpu K` when installed, else K Node busy-loop workers.
#   scripts/stress-test.sh                       # npm test, 5 runs, 2 busy CPUs
#   RUNS=2 CPUS=2 scripts/stress-test.sh test/host/backpressure.test.ts test/browser/fresh-streams.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
cpus="${CPUS:-2}"
logs="$(mktemp -d)"

if command -v stress >/dev/null; then
  stress --cpu "$cpus" >/dev/null 2>&1 &
else
  node -e "
    const { Worker } = require('node:worker_threads');
    for (let i = 0; i < $cpus; i++) new Worker('for (;;) {}', { eval: true });
  " &
fi
load=$!
# Ends the load this script started (its own process group leader and children), nothing else.
trap 'pkill -P "$load" 2>/dev/null || true; kill "$load" 2>/dev/null || true; wait "$load" 2>/dev/null || true' EXIT

npm run build >/dev/null
failed_runs=0
for i in $(seq 1 "$runs"); do
  log="$logs/run-$i.log"
  if [ "$#" -gt 0 ]; then
    npx vitest run "$@" >"$log" 2>&1 && status=0 || status=$?
  else
    npx vitest run >"$log" 2>&1 && status=0 || status=$?
  fi
  summary="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests ' | tail -n 1 | sed 's/^ *//')"
  echo "run $i/$runs: exit $status; ${summary:-no summary}"
  [ "$status" = 0 ] || failed_runs=$((failed_runs + 1))
done

echo "failures per file (over $runs runs under $cpus busy CPUs):"
sed 's/\x1b\[[0-9;]*m//g' "$logs"/run-*.log | grep -E '^ FAIL ' | sed -E 's/^ FAIL +([^ >]+).*/\1/' | sort | uniq -c | sort -rn || true
echo "logs: $logs"
[ "$failed_runs" = 0 ]
