import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench } from './workbench.mjs';

describe('Quarry in the workbench (installed from the .vsix)', function () {
  this.timeout(180_000);
  let wb;

  before(async () => { wb = await openWorkbench(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  after(async () => { await wb?.close(); });

  it('shows the Quarry activity-bar container with its two views', async () => {
    await wb.openQuarryView();
    const headers = await wb.page.locator('.pane-header').allInnerTexts();
    assert.ok(headers.some((h) => /Schema Explorer/i.test(h)), `pane headers: ${headers.join(' | ')}`);
    assert.ok(headers.some((h) => /Documents/i.test(h)), `pane headers: ${headers.join(' | ')}`);
    // the catalog fills the explorer once Quarry has indexed: dbt models and seeds sit in the schemas dbt_project.yml
    // gives them, none in public (the first schemas, alphabetically: the tree renders only the rows in view)
    const schemaRow = (schema) => wb.page.locator('.monaco-list-row', { hasText: new RegExp(`^\\s*${schema}\\s*$`) });
    for (const schema of ['marts', 'reference', 'sales']) await schemaRow(schema).first().waitFor({ timeout: 60_000 });
    assert.equal(await schemaRow('public').count(), 0);
    await wb.screenshot('quarry-view');
  });

  it('runs "Quarry: Show Log" from the command palette and shows the Quarry output channel', async () => {
    await wb.runCommand('Quarry: Show Log');
    const output = wb.page.locator('.part.panel');
    await output.waitFor({ timeout: 20_000 });
    await wb.page.waitForFunction(() => /Quarry\s\d+\.\d+\.\d+\sactivating/.test((document.querySelector('.part.panel')?.textContent ?? '').replace(/\u00a0/g, ' ')), null, { timeout: 30_000 });
    await wb.screenshot('quarry-log');
  });

  it('puts the engine in the status bar', async () => {
    const item = wb.page.locator('.statusbar-item', { hasText: 'Embedded' }).first();
    await item.waitFor({ timeout: 20_000 });
  });

  it('ships a working `quarry` CLI in the installed package (--version, --help, index)', () => {
    const dir = readdirSync(wb.server.extensionsDir).find((d) => d.startsWith('quarrylabs.quarry-'));
    assert.ok(dir, `the .vsix was not installed into ${wb.server.extensionsDir}`);
    const installed = join(wb.server.extensionsDir, dir);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    const cli = join(installed, pkg.bin.quarry);
    const run = (...args) => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    assert.equal(run('--version').trim(), pkg.version);
    const help = run('--help');
    for (const cmd of ['index', 'query', 'joins', 'erd']) assert.match(help, new RegExp(`^\\s+${cmd}\\b`, 'm'));
    const summary = JSON.parse(run('index', wb.workspace, '--format', 'json'));
    assert.ok(summary.tables >= 10, `only ${summary.tables} tables`);
    assert.ok(summary.joinPairs > 0 && summary.constantMaps > 0);
  });
});
