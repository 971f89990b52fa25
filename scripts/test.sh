#!/usr/bin/env bash
# The whole test suite from a fresh machine: install what is missing, check formatting, typecheck, lint
# (with type information), run every test. CI and `npm test` run exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --test-tools

# The three static checks are independent and each uses one core: side by side they take about as long as
# ESLint alone instead of the sum. Each one's output is shown whole, in this order, and any failure fails.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
npx prettier --check --log-level warn . >"$logs/prettier" 2>&1 &
prettier=$!
npx tsc --noEmit -p tsconfig.json >"$logs/tsc" 2>&1 &
tsc=$!
npx eslint . >"$logs/eslint" 2>&1 &
eslint=$!
failed=()
for check in prettier tsc eslint; do
  wait "${!check}" || failed+=("$check")
  cat "$logs/$check"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi

npx vitest run
