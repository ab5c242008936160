#!/usr/bin/env bash
# Runs Quarry on the sample workspace with the embedded defaults (no AWS needed).
# Desktop VS Code when `code` is on PATH; otherwise the VS Code server bundled with code-server, in your browser.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node scripts/build.mjs
if command -v code >/dev/null 2>&1 && [ -z "${QUARRY_USE_SERVER:-}" ]; then
  exec code --extensionDevelopmentPath="$PWD" "$PWD/samples/warehouse"
fi
npm run -s package >/dev/null
exec node scripts/start-server.mjs
