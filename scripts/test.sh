#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds and packages Quarry, runs unit, integration (inside a
# real VS Code extension host) and e2e (the workbench in headless Chromium) tests, and ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
mkdir -p test-results
rm -f test-results/*.json

bash scripts/ensure-system-deps.sh || exit 1
# the dbt the tests compare Quarry's reading of dbt projects against; required here, so those tests cannot skip
QUARRY_DBT_PYTHON=$(bash scripts/ensure-dbt.sh) || exit 1
export QUARRY_DBT_PYTHON QUARRY_REQUIRE_DBT=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] npm ci"
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
node -e "import('./test/launch/toolchain.mjs').then(m => m.ensureVsCodeServer())" || exit 1

echo "[test] type-check and lint"
npx tsc --noEmit -p tsconfig.json || exit 1
npx eslint src test || exit 1
echo "[test] package the .vsix (production build), then the development build with test bundles"
npm run -s package >/dev/null || exit 1
node scripts/build.mjs || exit 1

run_layer() { # name, command...
  local name=$1; shift
  echo; echo "━━━ $name ━━━"
  QUARRY_REPORT="test-results/$name.json" "$@"
  local rc=$?
  if [ ! -s "test-results/$name.json" ]; then
    echo "{\"passes\":0,\"failures\":1,\"pending\":0,\"failed\":[{\"title\":\"$name run\",\"error\":\"exited $rc without a report\"}]}" > "test-results/$name.json"
  fi
}

run_layer unit npx mocha --config .mocharc.unit.json --reporter ./test/launch/countingReporter.cjs
# The integration launcher writes its own report (the runner lives inside the extension host).
echo; echo "━━━ integration ━━━"
node test/launch/runIntegration.mjs
[ -s test-results/integration.json ] || echo '{"passes":0,"failures":1,"pending":0}' > test-results/integration.json
run_layer e2e node test/launch/runE2e.mjs

node -e '
const fs = require("fs");
let p = 0, f = 0, s = 0;
for (const layer of ["unit", "integration", "e2e"]) {
  const r = JSON.parse(fs.readFileSync(`test-results/${layer}.json`, "utf8"));
  console.log(`  ${layer.padEnd(12)} ${r.passes} passed, ${r.failures} failed, ${r.pending} skipped`);
  p += r.passes; f += r.failures; s += r.pending;
}
console.log(`(whole suite in ${Math.round((Date.now() / 1000) - Number(process.argv[1]))} s)`);
console.log(`${p} passed, ${f} failed, ${s} skipped`);
process.exit(f > 0 || p === 0 ? 1 : 0);
' "$started"
