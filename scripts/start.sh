#!/usr/bin/env bash
# Starts Attest on its embedded default, installing the npm packages a fresh clone lacks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node bin/attest.mjs start "$@"
