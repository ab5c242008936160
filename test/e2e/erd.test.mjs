import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench } from './workbench.mjs';

describe('ERD viewer in the workbench', function () {
  this.timeout(300_000);
  let wb;

  before(async () => {
    wb = await openWorkbench({ files: { 'docs/model.md': '# Orders model\n\n```mermaid\nerDiagram\n  customers ||--o{ orders : places\n  orders {\n    bigint order_id PK\n    int customer_id FK\n  }\n```\n' } });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  after(async () => { await wb?.close(); });

  it('draws orderinfo and its neighbours with crow\'s-foot notation and exports SVG', async () => {
    await wb.openQuarryView();
    await wb.openFile('040_orderinfo.sql');
    await wb.runCommand('Quarry: Preview ERD');
    const frame = await wb.webview('ERD');
    await frame.waitForSelector('svg g', { timeout: 120_000 });
    const text = await frame.evaluate(() => document.querySelector('svg')?.textContent ?? '');
    assert.match(text, /orderinfo/);
    assert.match(text, /skuinfo/);
    // Crow's-foot ends are SVG markers on the relationship lines.
    const markers = await frame.evaluate(() => Array.from(document.querySelectorAll('svg path'))
      .flatMap((p) => [p.getAttribute('marker-start'), p.getAttribute('marker-end')]).filter(Boolean).join(' '));
    assert.match(markers, /zeroOrMore|oneOrMore/i, `no crow's-foot marker: ${markers}`);
    assert.match(markers, /onlyOne|zeroOrOne/i, `no one-side marker: ${markers}`);
    await wb.screenshot('erd-orderinfo');

    await frame.locator('button', { hasText: 'Export' }).first().click();
    await frame.locator('.menu-item', { hasText: 'SVG' }).first().click();
    const target = join(wb.workspace, 'orderinfo-erd.svg');
    await wb.answerSaveDialog(target);
    const deadline = Date.now() + 30_000;
    while (!existsSync(target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.ok(existsSync(target), 'the SVG was not written');
    const svg = readFileSync(target, 'utf8');
    assert.match(svg, /^<svg|<\?xml/);
    assert.match(svg, /skuinfo/);
  });

  it('renders ```mermaid blocks in VS Code\'s Markdown preview', async () => {
    await wb.openFile('model.md');
    await wb.runCommand('Markdown: Open Preview to the Side');
    const frame = await wb.webview('Preview model.md'); // the side preview's tab (the in-place one is "[Preview] model.md")
    await frame.waitForSelector('div.quarry-mermaid svg', { timeout: 60_000 });
    const text = await frame.evaluate(() => document.querySelector('div.quarry-mermaid svg')?.textContent ?? '');
    assert.match(text, /customers/);
    assert.match(text, /orders/);
    await wb.screenshot('markdown-mermaid');
  });
});
