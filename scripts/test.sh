#!/usr/bin/env bash
# The whole test suite from a fresh machine: install what is missing, typecheck, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --test-tools
npx tsc --noEmit -p tsconfig.json
npx vitest run
