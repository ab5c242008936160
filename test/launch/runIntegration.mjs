// Runs the mocha suites of test/integration inside a real VS Code extension host, offline:
// the VS Code server bundled with code-server + headless Chromium opening the workbench with a test payload.
import { chromium } from 'playwright-core';
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { startVsCodeServer } from './vscodeServer.mjs';
import { chromiumPath, CHROMIUM_ARGS } from './toolchain.mjs';
import { copySampleWorkspace } from './workspaceCopy.mjs';
import { startStandIn } from './standIn.mjs';

const root = resolve('.');
const runner = join(root, 'out/test/integration/index.js');
if (!existsSync(runner)) { console.error('Integration tests are not built: run `npm run build` first.'); process.exit(2); }

const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const reportFile = join(resultsDir, 'integration.json');
writeFileSync(reportFile, '');
const workspace = copySampleWorkspace();
const extraEnv = JSON.parse(process.env.QUARRY_IT_ENV ?? '{}');
const standIn = await startStandIn();

const server = await startVsCodeServer({ env: { QUARRY_TEST_REPORT: reportFile, QUARRY_TEST_WORKSPACE: workspace, ...standIn.env, ...extraEnv } });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
let exitCode = 1;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let finish;
  const done = new Promise((r) => { finish = r; });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...args);
    if (/ENOTFOUND|open-vsx|serviceWorker/.test(text)) return;
    process.stdout.write(`${text}\n`);
  });
  const host = new URL(server.url).host;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${host}${root}`],
    ['extensionTestsPath', `vscode-remote://${host}${runner}`],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  const timeoutMs = Number(process.env.QUARRY_IT_TIMEOUT_MS ?? 900_000);
  exitCode = await Promise.race([done, new Promise((r) => setTimeout(() => { console.error(`integration run timed out after ${timeoutMs} ms`); r(1); }, timeoutMs))]);
  await page.screenshot({ path: join(resultsDir, 'integration-final.png') }).catch(() => {});
} finally {
  await browser.close().catch(() => {});
  await server.stop();
  await standIn.stop();
}

const report = readFileSync(reportFile, 'utf8');
if (!report) {
  console.error('The extension host wrote no test report. Server log tail:\n' + server.log().slice(-4000));
  process.exit(1);
}
const stats = JSON.parse(report);
for (const f of stats.failed ?? []) console.log(`  ✗ ${f.title}\n      ${f.error.split('\n')[0]}`);
console.log(`integration: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped (VS Code ${stats.vscodeVersion})`);
process.exit(exitCode === 0 && stats.failures === 0 && stats.passes > 0 ? 0 : 1);
