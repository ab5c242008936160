// Bundles the extension host code, the CLI, the index worker, each webview and the integration test suites.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, rmSync, existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeTargets = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // ESM dependencies (PGlite) locate their WASM files through import.meta.url, which CommonJS bundles lack.
  define: { 'import.meta.url': '__quarryImportMetaUrl' },
  banner: { js: "const __quarryImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const builds = [
  { ...nodeTargets, entryPoints: { extension: 'src/vscode/extension.ts' }, outdir: 'dist' },
  { ...nodeTargets, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: `#!/usr/bin/env node\n${nodeTargets.banner.js}` }, define: { ...nodeTargets.define, QUARRY_VERSION: JSON.stringify(version) } },
];
if (existsSync('src/core/workspace/worker.ts')) {
  builds.push({ ...nodeTargets, entryPoints: { indexWorker: 'src/core/workspace/worker.ts' }, outdir: 'dist' });
}
if (existsSync('src/adapters/embedded/embeddedWorker.ts')) {
  builds.push({ ...nodeTargets, entryPoints: { embeddedWorker: 'src/adapters/embedded/embeddedWorker.ts' }, outdir: 'dist' });
}

const webviewDir = 'webview-ui';
const webviewEntries = existsSync(webviewDir)
  ? Object.fromEntries(readdirSync(webviewDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(webviewDir, d.name, 'main.ts')))
      .map((d) => [d.name, join(webviewDir, d.name, 'main.ts')]))
  : {};
if (Object.keys(webviewEntries).length > 0) {
  builds.push({ ...common, platform: 'browser', format: 'esm', target: 'es2022', entryPoints: webviewEntries, outdir: 'media/webview', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
}

// Markdown preview script: a classic script (no ES modules in the preview), so one IIFE bundle.
if (existsSync('webview-ui/markdownMermaid.ts')) {
  builds.push({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { markdownMermaid: 'webview-ui/markdownMermaid.ts' }, outdir: 'media/webview' });
}

// Integration suites run inside the extension host: bundle each *.test.ts and the runner, keep vscode external.
if (!production) {
  const itDir = 'test/integration';
  const suites = existsSync(itDir) ? readdirSync(itDir).filter((f) => f.endsWith('.ts')) : [];
  if (suites.length > 0) {
    builds.push({
      ...nodeTargets,
      entryPoints: suites.map((f) => join(itDir, f)),
      outdir: 'out/test/integration',
      external: ['vscode', 'mocha'],
    });
  }
}

// PGlite's CommonJS build loads its WASM and data files from the directory of the running script.
function copyPgliteAssets() {
  const src = 'node_modules/@electric-sql/pglite/dist';
  if (!existsSync(src)) return;
  mkdirSync('dist', { recursive: true });
  for (const f of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) if (existsSync(join(src, f))) copyFileSync(join(src, f), join('dist', f));
}

function copyCodicons() {
  const src = 'node_modules/@vscode/codicons/dist';
  const dest = 'media/webview/codicons';
  if (!existsSync(src)) return;
  mkdirSync(dest, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(src, f), join(dest, f));
}

// Start from empty output folders: stale hashed chunks from earlier builds must not ship.
for (const dir of ['dist', 'media/webview', 'out']) rmSync(dir, { recursive: true, force: true });

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  copyCodicons();
  copyPgliteAssets();
  console.log('watching…');
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyCodicons();
  copyPgliteAssets();
  console.log(`built ${builds.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
