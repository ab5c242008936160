// `npm run screenshots`: regenerates the README's pictures in docs/screenshots/ from the real workbench, with the
// packaged extension on the sample workspace. Each scene is used like a person would use it.
import { mkdirSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openWorkbench } from './workbench.mjs';

const OUT = resolve('docs/screenshots');

async function save(wb, name) {
  const shot = await wb.screenshot(name);
  mkdirSync(OUT, { recursive: true });
  copyFileSync(shot, join(OUT, `${name}.png`));
}

describe('README screenshots', function () {
  this.timeout(600_000);
  let wb;
  before(async () => { wb = await openWorkbench({ viewport: { width: 1440, height: 860 } }); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-shot-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {});
  });
  after(async () => { await wb?.close(); });

  it('the Quarry view with the catalog, and a hover in a query', async () => {
    await wb.openQuarryView();
    await wb.waitForQuarry();
    await wb.openFile('01_revenue_by_category.sql');
    await wb.runCommand('Quarry: Filter Schema Explorer…');
    await wb.page.locator('.quick-input-widget input').fill('info');
    await wb.page.keyboard.press('Enter');
    const tree = wb.page.locator('.pane', { hasText: 'Schema Explorer' }).first();
    const orderinfo = tree.locator('.monaco-list-row', { hasText: /^orderinfo/ }).first();
    const productId = tree.locator('.monaco-list-row', { hasText: 'product_id' }).first();
    await orderinfo.waitFor({ timeout: 20_000 });
    // the tree may still be re-rendering after the filter (a click then lands on the row that moved under it), and the
    // filter may have expanded the row already (a click would fold it): expand it until its columns show
    for (let attempt = 0; attempt < 5 && !(await productId.isVisible()); attempt++) {
      if ((await orderinfo.getAttribute('aria-expanded')) !== 'true') await orderinfo.locator('.monaco-tl-twistie').click();
      await productId.waitFor({ timeout: 4_000 }).catch(() => undefined);
    }
    await productId.waitFor({ timeout: 20_000 });
    const line = wb.page.locator('.monaco-editor .view-line', { hasText: 'JOIN sales.skuinfo' }).first();
    const token = line.locator('span', { hasText: /^product_id$/ }).first();
    const box = await token.boundingBox();
    await wb.page.mouse.move(box.x + 5, box.y + box.height / 2);
    await wb.page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 4 });
    await wb.page.locator('.monaco-hover', { hasText: 'product_id' }).first().waitFor({ timeout: 20_000 });
    await save(wb, 'quarry-view');
  });

  it('query results from the embedded engine', async () => {
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.monaco-editor .view-line', { hasText: 'JOIN sales.skuinfo' }).first().click();
    await wb.page.keyboard.press('Control+Enter');
    const frame = await wb.webview('Results');
    await frame.waitForFunction(() => /\d+ rows?$/.test(document.querySelector('.footer .rows')?.textContent ?? ''), null, { timeout: 120_000 });
    await save(wb, 'results');
  });

  it('join proposals with their evidence', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Quarry: Clear Schema Explorer Filter');
    await wb.openFile('040_orderinfo.sql');
    await wb.runCommand('Quarry: Propose Joins');
    const view = wb.page.locator('.pane', { hasText: 'Join Proposals' }).first();
    const row = view.locator('.monaco-list-row', { hasText: 'product_id → skuinfo' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await view.locator('.monaco-list-row', { hasText: 'names a' }).first().waitFor({ timeout: 10_000 });
    await save(wb, 'join-proposals');
  });

  it('the ERD viewer', async () => {
    await wb.runCommand('Quarry: Preview ERD');
    const frame = await wb.webview('ERD');
    await frame.waitForSelector('svg g', { timeout: 120_000 });
    await wb.page.waitForTimeout(500);
    await save(wb, 'erd');
  });
});
