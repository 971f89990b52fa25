#!/usr/bin/env bash
# `npm run bench`: every part of the bench, one after another, each recording its figures in
# bench/results.json as it ends (BENCH_RECORD=1; a part run by hand, with other settings, records nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_RECORD=1
for part in run options credentials batch server; do node --import tsx "bench/$part.ts"; done
BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/ BENCH_RUNS=3 node --import tsx bench/server.ts
for part in regenerate preview; do node --import tsx "bench/$part.ts"; done
echo "bench/results.json written: node --import tsx scripts/write-readme.ts puts its figures in README.md"
