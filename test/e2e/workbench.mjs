// A real VS Code workbench in headless Chromium, with the packaged Quarry .vsix installed, used like a person would.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/**
 * @param {{ env?: object, viewport?: object, workspaceSettings?: object, files?: Record<string, string> }} options
 *   workspaceSettings are merged into the workspace copy's .vscode/settings.json; files are written into it.
 */
export async function openWorkbench({ env = {}, viewport = { width: 1440, height: 900 }, workspaceSettings, files = {} } = {}) {
  const token = randomBytes(12).toString('hex');
  const server = await startVsCodeServer({ token, installExtensions: [packagedVsix()], env });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  const workspace = copySampleWorkspace();
  if (workspaceSettings) {
    const file = join(workspace, '.vscode', 'settings.json');
    const current = existsSync(file) ? parseJsonc(readFileSync(file, 'utf8')) : {};
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...current, ...workspaceSettings }, null, 2));
  }
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, rel)), { recursive: true });
    writeFileSync(join(workspace, rel), text);
  }
  await page.goto(`${server.url}/?tkn=${token}&folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return new Workbench(server, browser, page, workspace);
}

function parseJsonc(text) {
  try { return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')); } catch { return {}; }
}

export class Workbench {
  constructor(server, browser, page, workspace) {
    Object.assign(this, { server, browser, page, workspace });
  }

  /** Takes keyboard focus away from any webview iframe, so workbench shortcuts reach the workbench. */
  async focusWorkbench() {
    const editor = this.page.locator('.part.editor .monaco-editor .view-lines').first();
    if (await editor.isVisible().catch(() => false)) await editor.click().catch(() => {});
    else await this.page.locator('.part.sidebar').first().click({ position: { x: 100, y: 10 } }).catch(() => {});
  }

  async runCommand(title) {
    const { page } = this;
    await this.focusWorkbench();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    // Pick the row whose label is exactly this command and click it. The focused row is not always it: the palette
    // ranks "similar commands" and recently used ones first, and Enter would run one of those.
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    // accepted: the palette closed, or the command opened a quick input of its own (a table pick, an input box)
    const accepted = await page.waitForFunction((typed) => {
      const widget = document.querySelector('.quick-input-widget');
      const value = widget?.querySelector('input')?.value;
      return !widget || widget.offsetParent === null || getComputedStyle(widget).display === 'none' || value !== typed;
    }, `>${title}`, { timeout: 10_000 }).then(() => true, () => false);
    if (!accepted) {
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`The command palette stayed open after choosing "${title}"; it listed: ${rows.join(' | ')}`);
    }
  }

  async openQuarryView() {
    const { page } = this;
    const item = page.locator('.activitybar .action-item a[aria-label^="Quarry"], .activitybar .action-item[aria-label^="Quarry"]').first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await page.locator('.pane-header', { hasText: 'Schema Explorer' }).first().waitFor({ timeout: 30_000 });
  }

  /** Opens a workspace file through Quick Open, like a person would. */
  async openFile(name) {
    const { page } = this;
    await this.focusWorkbench();
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    // Wait for the filtered row, not a stale "recently opened" one, then open it.
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
  }

  /** The content frame (iframe → iframe#active-frame) of the visible webview panel whose tab title contains `title`. */
  async webview(title) {
    const { page } = this;
    await page.locator('.tab', { hasText: title }).first().click({ timeout: 120_000 });
    const outer = page.locator('iframe.webview.ready:visible').last();
    await outer.waitFor({ timeout: 60_000 });
    const outerFrame = await (await outer.elementHandle()).contentFrame();
    const inner = await outerFrame.waitForSelector('iframe#active-frame', { timeout: 60_000 });
    const frame = await inner.contentFrame();
    await frame.waitForLoadState('domcontentloaded');
    return frame;
  }

  /** Answers VS Code's save dialog (the simple, quick-input one in the browser) with an absolute path. */
  async answerSaveDialog(path) {
    const { page } = this;
    const ext = path.slice(path.lastIndexOf('.'));
    const input = page.locator('.quick-input-widget input');
    // Wait for the save dialog itself (it proposes a file name with the right extension), not a closing Quick Open.
    await page.waitForFunction((e) => {
      const el = document.querySelector('.quick-input-widget input');
      return !!el && el.offsetParent !== null && el.value.endsWith(e);
    }, ext, { timeout: 30_000 });
    await input.fill(path);
    // Let the dialog validate the typed path before accepting it with its OK button.
    await page.waitForTimeout(500);
    await page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first().click();
    await page.waitForFunction(() => {
      const el = document.querySelector('.quick-input-widget');
      return !el || el.offsetParent === null || getComputedStyle(el).display === 'none';
    }, null, { timeout: 30_000 });
  }

  /** Waits until Quarry has activated (its engine item is in the status bar), so its keybindings and commands answer. */
  async waitForQuarry(engineLabel = '') {
    await this.page.locator('.statusbar-item', { hasText: engineLabel || /Embedded|standin|Queries off/ }).first().waitFor({ timeout: 120_000 });
  }

  /** Clicks the editor's ▷ "Run Statement" title button, as a person would. */
  async runStatementButton() {
    const button = this.page.locator('.editor-actions .action-item a[aria-label*="Run Statement"]').first();
    await button.waitFor({ timeout: 60_000 });
    await button.click();
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
