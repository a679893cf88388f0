#!/usr/bin/env bash
# The whole test suite: type checking, then every test file under test/ with Node's test runner.
# Tests read the staged datasets in place through RERANK_DATASETS (default: ../shared/datasets).
set -euo pipefail
cd "$(dirname "$0")/.."
export RERANK_DATASETS="${RERANK_DATASETS:-$(cd .. && pwd)/shared/datasets}"
export RERANK_CACHE="${RERANK_CACHE:-$PWD/build/test-cache}"
echo "== typecheck (src, test, notebooks)"
npx tsx kernel-config/extract-notebook-cells.ts
npx tsc --noEmit -p tsconfig.json
echo "== tests"
mapfile -t files < <(find test -name '*.test.ts' | sort)
node --import tsx --test --test-reporter=spec "${files[@]}"
