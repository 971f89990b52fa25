#!/usr/bin/env bash
# Starts Attest on its embedded default: installs the npm packages a fresh clone lacks, builds the editor
# when its sources are newer than the last build, then serves (SQLite in data/ unless DATABASE_URL says).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if [ ! -f editor/dist/index.html ] || [ -n "$(find editor variables templates/markup -newer editor/dist/index.html -type f -not -path 'editor/dist/*' -print -quit)" ]; then
  echo "building the editor (vite build)"
  npm run --silent build:editor >/dev/null
fi
exec node bin/attest.mjs start "$@"
