// Webview bench: serves the built bundles with a fake host over loopback HTTP and drives headless Chromium.
// Usage: node scripts/build.mjs && node bench/webview/bench.mjs   → one JSON line, and bench/results/webview.json
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const media = join(root, 'media');
if (!existsSync(join(media, 'webview', 'results.js')) || !existsSync(join(media, 'webview', 'erd.js'))) {
  console.error('Build first: node scripts/build.mjs');
  process.exit(1);
}
const GRID_ROWS = Number(process.env.BENCH_GRID_ROWS ?? 1_000_000);

// ---------------------------------------------------------------- synthetic schemas

function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

function schema(tables, relationships, seed = 7) {
  const rand = rng(seed);
  const list = [];
  for (let i = 0; i < tables; i++) {
    const name = i === 1 ? '<img src=x onerror=alert(1)>' : `table_${i}`;
    const cols = [{ name: 'id', type: 'int8', pk: true }];
    for (let c = 0; c < 7; c++) cols.push({ name: `col_${c}`, type: c % 2 ? 'varchar(256)' : 'numeric(18,2)' });
    list.push({ id: `s${i % 5}.${name}`, schema: `s${i % 5}`, name, columns: cols });
  }
  const rels = [];
  const seen = new Set();
  while (rels.length < relationships) {
    const a = Math.floor(rand() * tables);
    // Mostly local links (like real schemas), some long-range ones.
    const b = rand() < 0.8 ? Math.max(0, a - 1 - Math.floor(rand() * 8)) : Math.floor(rand() * tables);
    if (a === b || seen.has(`${a}>${b}`)) continue;
    seen.add(`${a}>${b}`);
    list[a].columns.push({ name: `fk_${b}`, type: 'int8', fk: true });
    rels.push({ from: list[a].id, to: list[b].id, label: `fk_${b}` });
  }
  const mermaid = ['erDiagram', ...list.map((t, i) => `  t${i}["${t.id.replace(/["%\\]/g, ' ')}"]`), ...rels.map((r) => `  t${list.findIndex((t) => t.id === r.from)} }o--|| t${list.findIndex((t) => t.id === r.to)} : "${r.label}"`)].join('\n');
  return { title: `bench-${tables}`, mermaid, tables: list, relationships: rels };
}

// ---------------------------------------------------------------- server

const types = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };
let currentPage = { html: '' };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/page.html') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(currentPage.html);
    return;
  }
  if (url.pathname === '/fakeHost.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(readFileSync(join(root, 'bench/webview/fakeHost.js')));
    return;
  }
  const file = normalize(join(root, decodeURIComponent(url.pathname)));
  if (!file.startsWith(media + '/') || !existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** The same page shape and CSP as src/vscode/webviews/html.ts, with cspSource = this origin. */
function page(name, config, inlineStyles) {
  const nonce = randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin}${inlineStyles ? " 'unsafe-inline'" : ''}; img-src ${origin} data: blob:; font-src ${origin}`;
  return `<!DOCTYPE html><html lang="en"><head>
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta charset="UTF-8"><title>bench</title>
<link rel="stylesheet" href="${origin}/media/webview/codicons/codicon.css">
<link rel="stylesheet" href="${origin}/media/webview/${name}.css">
</head><body class="vscode-dark">
<div id="app"></div>
<script nonce="${nonce}">window.__benchConfig = ${JSON.stringify(config)}; window.__erdInput = ${JSON.stringify(config.erd ?? null).replace(/</g, '\\u003c')};</script>
<script nonce="${nonce}" src="${origin}/fakeHost.js"></script>
<script type="module" nonce="${nonce}" src="${origin}/media/webview/${name}.js"></script>
</body></html>`;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

function pct(values, p) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
}
const frameStats = (d) => ({ frames: d.length, p50: pct(d, 50), p95: pct(d, 95), max: pct(d, 100) });

async function openPage(name, config, inlineStyles = false) {
  currentPage = { html: page(name, config, inlineStyles) };
  const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => { if (m.type() === 'error' && !/favicon|status of 404/.test(m.text())) problems.push(`console: ${m.text()}`); });
  p.on('dialog', (d) => { problems.push(`dialog opened: ${d.message()}`); void d.dismiss(); });
  await p.goto(`${origin}/page.html`);
  return { p, problems };
}

async function heapMB(p) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return Math.round((usedSize / 1024 / 1024) * 10) / 10;
}

// ---------------------------------------------------------------- grid

async function benchGrid() {
  const { p, problems } = await openPage('results', { kind: 'results', rows: GRID_ROWS });
  const firstRowsMs = await (await p.waitForFunction(() => {
    const c = document.querySelector('.row:not([hidden]) .cell.num:not(.pending)');
    return c && c.textContent ? performance.now() : false;
  }, null, { polling: 'raf', timeout: 30_000 })).jsonValue();

  // Scroll in a rAF loop: `frames` frames, moving `step(i)` physical px per frame; collect frame deltas.
  const scrollRun = (mode) => p.evaluate(async (mode) => {
    const s = document.querySelector('.grid-scroller');
    const max = s.scrollHeight - s.clientHeight;
    const frames = mode === 'toEnd' ? 600 : 300;
    const deltas = [];
    const handler = [];
    let t0 = 0;
    const start = () => { t0 = performance.now(); };
    const end = () => { handler.push(performance.now() - t0); };
    window.addEventListener('scroll', start, { capture: true });
    s.addEventListener('scroll', end);
    let last = performance.now();
    for (let i = 1; i <= frames; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      deltas.push(now - last);
      last = now;
      s.scrollTop = mode === 'toEnd' ? Math.round((max * i) / frames) : s.scrollTop + 60;
    }
    window.removeEventListener('scroll', start, { capture: true });
    s.removeEventListener('scroll', end);
    return { deltas, handler, scrollHeight: s.scrollHeight, rowsInDom: document.querySelectorAll('.row').length };
  }, mode);

  const wheel = await scrollRun('wheel');
  const toEnd = await scrollRun('toEnd');
  const lastRow = await (await p.waitForFunction((n) => {
    const rows = [...document.querySelectorAll('.row:not([hidden])')];
    const nums = rows.map((r) => Number(r.querySelector('.rownum').textContent));
    const maxRow = Math.max(...nums);
    const last = rows.find((r) => Number(r.querySelector('.rownum').textContent) === maxRow);
    return maxRow === n && !last.querySelector('.cell.pending') ? maxRow : false;
  }, GRID_ROWS, { polling: 100, timeout: 10_000 })).jsonValue().catch(() => null);

  // Functional checks: markup in data stays text; NULL is distinct from ''.
  const checks = await p.evaluate(() => {
    const s = document.querySelector('.grid-scroller');
    s.scrollTop = 0;
    return new Promise((r) => setTimeout(() => {
      const first = [...document.querySelectorAll('.row:not([hidden])')].find((x) => x.querySelector('.rownum').textContent === '1');
      r({
        imgElements: document.querySelectorAll('img').length,
        markupShownAsText: first?.querySelectorAll('.cell')[2]?.textContent === '<img src=x onerror=alert(1)>',
        nullCells: document.querySelectorAll('.cell.null').length,
        footer: document.querySelector('.footer')?.textContent,
      });
    }, 300));
  });
  // Select rows 1–2 × columns id..customer, Ctrl+C: the host gets TSV.
  const rect = (row, col) => p.evaluate(([row, col]) => {
    const r = [...document.querySelectorAll('.row:not([hidden])')].find((x) => x.querySelector('.rownum').textContent === String(row));
    const b = r.querySelectorAll('.cell')[col].getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }, [row, col]);
  const a = await rect(2, 1);
  const b = await rect(3, 2);
  await p.mouse.click(a.x, a.y);
  await p.keyboard.down('Shift');
  await p.mouse.click(b.x, b.y);
  await p.keyboard.up('Shift');
  await p.keyboard.press('Control+c');
  checks.copiedTsv = await p.waitForFunction(() => window.__sent.filter((m) => m.type === 'copy').pop()?.text ?? false, null, { timeout: 5000 }).then((h) => h.jsonValue()).catch(() => null);
  // Chart of the result: sampled rows drawn as SVG.
  await p.click('button.chart-toggle');
  checks.chart = await (p.waitForFunction(() => {
    const n = document.querySelector('.chart-note')?.textContent ?? '';
    return /rows/.test(n) && document.querySelector('.chart-svg') ? { note: n, marks: document.querySelectorAll('.chart-svg .series *').length } : false;
  }, null, { timeout: 20_000 }).then((h) => h.jsonValue()).catch(() => p.evaluate(() => ({ failed: true, note: document.querySelector('.chart-note')?.textContent, body: document.querySelector('.body')?.className, sent: JSON.stringify(window.__sent.filter((m) => m.type === 'getChartData')), ys: [...document.querySelectorAll('.chart select')].map((x) => x.value + '/' + [...x.selectedOptions].map((o) => o.value).join(',')) }))));
  const heap = await heapMB(p);
  await p.close();
  return {
    rows: GRID_ROWS,
    columns: 10,
    timeToFirstRowsMs: Math.round(firstRowsMs),
    wheelScroll: { ...frameStats(wheel.deltas), renderJsP95: pct(wheel.handler, 95) },
    scrollToEnd: { ...frameStats(toEnd.deltas), renderJsP95: pct(toEnd.handler, 95) },
    scrollHeightPx: toEnd.scrollHeight,
    rowElementsInDom: toEnd.rowsInDom,
    lastRowShown: lastRow,
    jsHeapMB: heap,
    checks,
    problems,
  };
}

// ---------------------------------------------------------------- ERD

async function waitRendered(p, previous) {
  return (await p.waitForFunction((prev) => {
    const m = window.__sent.filter((x) => x.type === 'rendered');
    return m.length > prev ? m[m.length - 1] : false;
  }, previous, { polling: 50, timeout: 600_000 })).jsonValue();
}

async function panFrames(p) {
  const box = await p.locator('.viewport').boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await p.evaluate(() => {
    window.__pan = [];
    let last = performance.now();
    window.__panOn = true;
    const tick = () => { const n = performance.now(); window.__pan.push(n - last); last = n; if (window.__panOn) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  await p.mouse.move(x, y);
  await p.mouse.down();
  for (let i = 0; i < 60; i++) await p.mouse.move(x + Math.sin(i / 6) * 200, y + Math.cos(i / 6) * 120, { steps: 2 });
  await p.mouse.up();
  const d = await p.evaluate(() => { window.__panOn = false; return window.__pan.slice(1); });
  return frameStats(d);
}

async function benchErd(tables, relationships, withShowAll) {
  const input = schema(tables, relationships);
  const started = Date.now();
  const { p, problems } = await openPage('erd', { kind: 'erd', erd: input }, true);
  const first = await waitRendered(p, 0);
  const result = { tables, relationships, initial: { mode: first.mode, tablesDrawn: first.tables, renderMs: first.ms, wallMs: Date.now() - started } };
  result.initial.panFrames = await panFrames(p);
  // Search a table, then check the click on a table posts openTable.
  await p.fill('.search', 'table_3');
  await p.keyboard.press('Enter');
  await p.waitForTimeout(300);
  const clicked = await p.evaluate(() => {
    const g = document.querySelector('g.erd-table.erd-highlight') ?? document.querySelector('g.erd-table');
    g?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    return window.__sent.filter((m) => m.type === 'openTable').map((m) => m.table).pop() ?? null;
  });
  result.searchAndClick = clicked;
  // PNG export (SVG on a canvas) must not taint the canvas.
  await p.click('button[title="Export the diagram"]');
  await p.click('.menu-item:has-text("PNG")');
  const png = await (await p.waitForFunction(() => window.__sent.find((m) => m.type === 'export' && m.format === 'png')?.content.length ?? false, null, { timeout: 60_000 })).jsonValue().catch(() => null);
  result.pngExportBytes = png ? Math.round((png * 3) / 4) : null;
  if (withShowAll) {
    const before = await p.evaluate(() => window.__sent.filter((x) => x.type === 'rendered').length);
    const t0 = Date.now();
    // The layout of a whole large schema blocks the page while Mermaid works: click without waiting on the page.
    await p.evaluate(() => { setTimeout(() => [...document.querySelectorAll('.toolbar button.btn')].find((b) => b.textContent.startsWith('Show all')).click(), 0); });
    const all = await waitRendered(p, before);
    result.showAll = { tablesDrawn: all.tables, renderMs: all.ms, wallMs: Date.now() - t0 };
    result.showAll.panFrames = await panFrames(p);
  }
  result.imgElements = await p.evaluate(() => document.querySelectorAll('img').length);
  result.jsHeapMB = await heapMB(p);
  result.problems = problems;
  await p.close();
  return result;
}

const out = { bench: 'webview', at: new Date().toISOString() };
try {
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'grid') out.grid = await benchGrid();
  if (!only || only === 'erd') {
    out.erdSample = await benchErd(12, 14, false);
    out.erdLarge = await benchErd(500, 1000, process.env.BENCH_SKIP_SHOW_ALL !== '1');
  }
} finally {
  await browser.close();
  server.close();
}
const line = JSON.stringify(out);
console.log(line);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/webview.json'), JSON.stringify(out, null, 2) + '\n');
