import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QuarryApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'quarrylabs.quarry';

export async function activateQuarry(): Promise<QuarryApi> {
  const ext = vscode.extensions.getExtension<QuarryApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  await api.container.index.whenReady();
  return api;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace has no folder');
  return folder.uri;
}

export function fileIn(...parts: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...parts);
}

/** Resolves when `predicate` holds, polling; fails with `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function positionOf(doc: vscode.TextDocument, needle: string, offsetInNeedle = 0): vscode.Position {
  const idx = doc.getText().indexOf(needle);
  assert.ok(idx >= 0, `“${needle}” not found in ${doc.uri.path}`);
  return doc.positionAt(idx + offsetInNeedle);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}
