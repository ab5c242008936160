import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QuarryApi } from '../../src/vscode/extension';
import { EXTENSION_ID } from './helpers';



async function activateQuarry(): Promise<QuarryApi> {
  const ext = vscode.extensions.getExtension<QuarryApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

describe('Quarry activation', () => {
  it('activates in the real extension host and returns its API', async () => {
    const api = await activateQuarry();
    assert.ok(api.container, 'activate() returned no container');
    assert.match(vscode.version, /^1\.\d+/);
  });

  it('registers every command declared in package.json', async () => {
    await activateQuarry();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const declared: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('opens the Quarry view container with the Schema Explorer', async () => {
    await activateQuarry();
    await vscode.commands.executeCommand('workbench.view.extension.quarry');
    await vscode.commands.executeCommand('quarry.schemaExplorer.focus');
  });
});
