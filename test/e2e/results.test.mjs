import assert from 'node:assert/strict';
import { existsSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startStandIn } from '../launch/standIn.mjs';
import { openWorkbench } from './workbench.mjs';

const MILLION = `-- a million rows of ten columns, from the Data API stand-in
select g as id, g * 2 as doubled, 'row ' || g as label, g % 7 as bucket, (g * 1.5)::numeric(12,2) as amount,
       9007199254740993::bigint + g as big, date '2024-01-01' + (g % 365) as day, g % 2 = 0 as even,
       md5(g::text) as hash, null::text as nothing
from generate_series(1, 1000000) as g;
`;

async function countLines(file) {
  let n = 0;
  for await (const chunk of createReadStream(file)) for (const b of chunk) if (b === 10) n++;
  return n;
}

describe('Results grid on the Redshift Data API stand-in', function () {
  this.timeout(600_000);
  let standIn;
  let wb;

  before(async () => {
    standIn = await startStandIn();
    wb = await openWorkbench({
      env: standIn.env,
      workspaceSettings: { 'quarry.connections': [{ name: 'standin', region: 'us-east-1', workgroupName: 'e2e-wg', database: 'dev' }], 'quarry.activeConnection': 'standin' },
      files: { 'e2e/million.sql': MILLION, 'e2e/sleep.sql': 'select pg_sleep(120);\n' },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  after(async () => {
    await wb?.close();
    await standIn?.stop();
  });

  it('streams 1,000,000 rows into the grid, scrolls to the last row and shows exact BIGINTs', async () => {
    await wb.openFile('million.sql');
    await wb.waitForQuarry('standin');
    await wb.page.locator('.monaco-editor .view-line', { hasText: 'generate_series' }).first().click();
    await wb.runStatementButton();
    const frame = await wb.webview('Results');
    await frame.waitForFunction(() => /1,000,000 rows(?! loaded)/.test(document.querySelector('.footer .rows')?.textContent ?? ''), null, { timeout: 300_000 });
    assert.match(await frame.locator('.footer').innerText(), /standin/);
    await frame.evaluate(() => { const s = document.querySelector('.grid-scroller'); s.scrollTop = s.scrollHeight; });
    // Wait until the last row's own values (not a placeholder) are drawn.
    await frame.waitForFunction(() => Array.from(document.querySelectorAll('.row')).some((r) =>
      /^1,?000,?000$/.test(r.querySelector('.rownum')?.textContent.trim() ?? '') && Array.from(r.querySelectorAll('.cell')).some((c) => c.textContent === '1000000' && !c.classList.contains('rownum'))), null, { timeout: 60_000 });
    const lastRow = await frame.evaluate(() => {
      const rows = Array.from(document.querySelectorAll('.row')).filter((r) => /^1,?000,?000$/.test(r.querySelector('.rownum')?.textContent.trim() ?? ''));
      return rows.length ? Array.from(rows[0].querySelectorAll('.cell')).map((c) => c.textContent) : [];
    });
    assert.ok(lastRow.includes('9007199255740993'), `last row cells: ${lastRow.join(' | ')}`);
    assert.ok(lastRow.includes('NULL'), 'NULL is not shown distinctly');
    await wb.screenshot('results-million');
  });

  it('exports all rows to CSV, streamed to a file', async () => {
    const frame = await wb.webview('Results');
    await frame.locator('button', { hasText: 'Export' }).first().click();
    await frame.locator('.menu-item', { hasText: /CSV/ }).first().click();
    const target = join(wb.workspace, 'e2e', 'million.csv');
    await wb.answerSaveDialog(target);
    const deadline = Date.now() + 240_000;
    let lines = 0;
    while (Date.now() < deadline) {
      if (existsSync(target)) { lines = await countLines(target); if (lines >= 1_000_001) break; }
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(lines, 1_000_001, 'the CSV should hold a header and a million rows');
  });

  it('cancels a long query from the progress notification, and the backend stops it', async () => {
    await wb.openFile('sleep.sql');
    await wb.page.locator('.monaco-editor .view-line', { hasText: 'pg_sleep' }).first().click();
    await wb.runStatementButton();
    const client = new pg.Client({ connectionString: standIn.pgUrl });
    await client.connect();
    try {
      const sleeping = async () => Number((await client.query("select count(*) as n from pg_stat_activity where wait_event = 'PgSleep'")).rows[0].n);
      const deadline = Date.now() + 60_000;
      while ((await sleeping()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.ok((await sleeping()) > 0, 'pg_sleep never started on the backend');
      await wb.screenshot('query-progress');
      // The progress notification shows as a toast, or sits in the notification center when toasts are hidden.
      let item = wb.page.locator('.notification-toast', { hasText: 'running on' }).first();
      if (!(await item.isVisible().catch(() => false))) {
        await wb.page.locator('.statusbar-item', { has: wb.page.locator('.codicon-bell, .codicon-bell-dot, .codicon-bell-slash') }).first().click();
        item = wb.page.locator('.notifications-center .notification-list-item', { hasText: 'running on' }).first();
      }
      await item.locator('.monaco-button', { hasText: 'Cancel' }).first().click({ timeout: 20_000 });
      const stopBy = Date.now() + 15_000;
      while ((await sleeping()) > 0 && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 200));
      assert.equal(await sleeping(), 0, 'the backend query is still running after Cancel');
    } finally {
      await client.end();
    }
  });
});
