// A real VS Code workbench in headless Chromium, with the packaged Quarry .vsix installed, used like a person would.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startVsCodeServer } from '../launch/vscodeServer.mjs';
import { chromiumPath, CHROMIUM_ARGS } from '../launch/toolchain.mjs';
import { copySampleWorkspace } from '../launch/workspaceCopy.mjs';

export const SCREENSHOT_DIR = resolve('test-results/screenshots');

export function packagedVsix() {
  const vsix = readdirSync('.').filter((f) => /^quarry-.*\.vsix$/.test(f)).sort().pop();
  if (!vsix) throw new Error('No quarry-*.vsix in the repository root: run `npm run package` first.');
  return resolve(vsix);
}

export async function openWorkbench({ env = {}, viewport = { width: 1440, height: 900 } } = {}) {
  const token = randomBytes(12).toString('hex');
  const server = await startVsCodeServer({ token, installExtensions: [packagedVsix()], env });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  const workspace = copySampleWorkspace();
  await page.goto(`${server.url}/?tkn=${token}&folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return new Workbench(server, browser, page, workspace);
}

export class Workbench {
  constructor(server, browser, page, workspace) {
    Object.assign(this, { server, browser, page, workspace });
  }

  async runCommand(title) {
    const { page } = this;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
  }

  async openQuarryView() {
    const { page } = this;
    const item = page.locator('.activitybar .action-item a[aria-label^="Quarry"], .activitybar .action-item[aria-label^="Quarry"]').first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await page.locator('.pane-header', { hasText: 'Schema Explorer' }).first().waitFor({ timeout: 30_000 });
  }

  async screenshot(name) {
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close() {
    await this.browser.close().catch(() => {});
    await this.server.stop();
  }
}

export function hasWorkbenchPrerequisites() {
  return existsSync('/usr/bin/chromium') || Boolean(process.env.QUARRY_CHROMIUM);
}
