// Starts the VS Code server (from code-server's bundle) on loopback, for integration and e2e tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureVsCodeServer } from './toolchain.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

async function waitForHttp(url, timeoutMs, proc) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`VS Code server exited early with code ${proc.exitCode}`);
    try { const r = await fetch(url); if (r.status < 500) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`VS Code server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * @param {{ port?: number, testMode?: boolean, inheritOutput?: boolean, settings?: object, env?: Record<string,string>, token?: string, extensionsDir?: string, installExtensions?: string[], logFile?: string }} options
 */
export async function startVsCodeServer(options = {}) {
  const { node, serverMain } = ensureVsCodeServer();
  const root = mkdtempSync(join(tmpdir(), 'quarry-vscode-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(root, 'extensions');
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  // Machine-scope settings of the server: a quiet workbench for tests and screenshots.
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'chat.disableAIFeatures': true,
    ...options.settings,
  }, null, 2));
  mkdirSync(extensionsDir, { recursive: true });
  const common = ['--accept-server-license-terms', '--disable-telemetry', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  for (const vsix of options.installExtensions ?? []) {
    await new Promise((resolve, reject) => {
      const p = spawn(node, [serverMain, ...common, '--install-extension', vsix, '--force'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => { out += d; });
      p.stderr.on('data', (d) => { out += d; });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`--install-extension ${vsix} failed (${code}): ${out}`))));
    });
  }

  const port = options.port ?? await freePort();
  const tokenArgs = options.token ? ['--connection-token', options.token] : ['--without-connection-token'];
  const args = [serverMain, '--host', '127.0.0.1', '--port', String(port), ...tokenArgs, ...common,
    ...(options.testMode === false ? [] : ['--enable-smoke-test-driver', '--disable-workspace-trust'])];
  const proc = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  if (options.inheritOutput) { proc.stdout.pipe(process.stdout); proc.stderr.pipe(process.stderr); }
  let log = '';
  const keep = (d) => { log = (log + d).slice(-200_000); };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/${options.token ? `?tkn=${options.token}` : ''}`, 60_000, proc);
  return {
    url, port, root, extensionsDir, userDataDir,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 5000); proc.once('exit', () => { clearTimeout(t); r(); }); });
    },
  };
}
