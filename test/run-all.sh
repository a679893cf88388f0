#!/usr/bin/env bash
# The whole test suite: type checking, then every test file under test/ with Node's test runner.
# Tests read the staged datasets in place through RERANK_DATASETS (default: ../shared/datasets).
set -euo pipefail
cd "$(dirname "$0")/.."
export RERANK_DATASETS="${RERANK_DATASETS:-$(cd .. && pwd)/shared/datasets}"
export RERANK_CACHE="${RERANK_CACHE:-$PWD/build/test-cache}"
# tsx's require hook would otherwise compile through an esbuild worker thread in every test process and every CLI
# it starts: one more thread for Node to join at exit (see bin/rerank-scaling.js).
export ESBUILD_WORKER_THREADS=0
# The suite takes about 6½ minutes on 2 cores; past this limit something hangs, and the watchdog below says what.
LIMIT_SECONDS="${RERANK_TEST_LIMIT_SECONDS:-2400}"
echo "== typecheck (src, test, notebooks)"
npx tsx kernel-config/extract-notebook-cells.ts
npx tsc --noEmit -p tsconfig.json
echo "== tests"
mapfile -t files < <(find test -name '*.test.ts' | sort)
# A test that has not finished in 15 minutes fails by name instead of holding up the whole run.
node --import tsx --test --test-reporter=spec --test-timeout=900000 "${files[@]}" &
suite=$!
# Watchdog: after LIMIT_SECONDS, list the processes still running under the suite (the hung test file and what it
# started), then stop them, so a hang ends with a diagnosis instead of the CI's own time limit. It polls, so it ends
# within seconds of the suite and leaves nothing behind.
show_tree() { # pid indent: the process and its descendants, with seconds running
  local child
  echo "$2$(ps -o pid=,etimes=,args= -p "$1" 2>/dev/null | cut -c1-220)"
  for child in $(pgrep -P "$1" 2>/dev/null); do show_tree "$child" "$2  "; done
}
stop_tree() { # pid signal: the process and all its descendants, children first
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do stop_tree "$child" "$2"; done
  kill "-$2" "$1" 2>/dev/null || true
}
(
  waited=0
  while kill -0 "$suite" 2>/dev/null; do
    if [ "$waited" -eq "$LIMIT_SECONDS" ]; then
      echo "== the test suite ran past ${LIMIT_SECONDS} s (RERANK_TEST_LIMIT_SECONDS); still running:" >&2
      show_tree "$suite" "" >&2
    fi
    if [ "$waited" -ge "$LIMIT_SECONDS" ]; then
      # Stop the test files (and what they started), so that the runner reports them as failed and ends.
      for child in $(pgrep -P "$suite" 2>/dev/null); do stop_tree "$child" KILL; done
      [ "$waited" -ge $((LIMIT_SECONDS + 120)) ] && stop_tree "$suite" KILL
    fi
    sleep 5
    waited=$((waited + 5))
  done
) &
watchdog=$!
set +e
wait "$suite"
status=$?
set -e
kill "$watchdog" 2>/dev/null || true
wait "$watchdog" 2>/dev/null || true
exit "$status"
