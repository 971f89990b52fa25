#!/usr/bin/env bash
# The whole test suite from a fresh machine: install what is missing, check formatting, typecheck, lint
# (with type information), run every test. CI and `npm test` run exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --test-tools
npx prettier --check --log-level warn .
npx tsc --noEmit -p tsconfig.json
npx eslint .
npx vitest run
