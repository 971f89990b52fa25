#!/usr/bin/env bash
# What a fresh machine of this kind lacks, installed once: npm packages (when package-lock.json is newer than
# the installed tree) and, with --test-tools, what the tests drive from Debian: poppler-utils and qpdf (the PDF
# oracles) and Chromium (the editor's browser tests, through playwright-core; nothing downloads a browser).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--test-tools" ]; then
  need_apt=()
  command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
  command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need_apt[*]}"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm packages (npm ci)"
  npm ci --no-fund --no-audit
fi
