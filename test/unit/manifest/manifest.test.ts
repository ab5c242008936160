import * as assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { CommandIds } from '../../../src/vscode/commands/ids';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const contributes = pkg.contributes;

describe('package.json manifest', () => {
  it('declares every command id the code knows, and no other', () => {
    const declared = contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(declared, Object.values(CommandIds).sort());
  });

  it('puts every command under the Quarry category with a title', () => {
    for (const c of contributes.commands) {
      assert.equal(c.category, 'Quarry', `${c.command} has category ${c.category}`);
      assert.ok(c.title && c.title.length > 3, `${c.command} has no title`);
    }
  });

  it('only references declared commands in menus and welcome content', () => {
    const declared = new Set(contributes.commands.map((c: { command: string }) => c.command));
    for (const [menu, entries] of Object.entries<Array<{ command: string }>>(contributes.menus)) {
      for (const e of entries) assert.ok(declared.has(e.command), `${menu} references undeclared ${e.command}`);
    }
    for (const w of contributes.viewsWelcome) {
      for (const m of w.contents.matchAll(/command:(quarry\.[A-Za-z]+)/g)) {
        assert.ok(declared.has(m[1]) || m[1].endsWith('.focus'), `welcome content references undeclared ${m[1]}`);
      }
    }
  });

  it('describes every setting and restricts endpoint and connection settings in untrusted workspaces', () => {
    const props = contributes.configuration.properties;
    for (const [key, value] of Object.entries<{ description?: string; markdownDescription?: string }>(props)) {
      assert.ok(value.description || value.markdownDescription, `${key} has no description`);
    }
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['quarry.connections', 'quarry.redshift.endpoint', 'quarry.aws.profile']) assert.ok(restricted.includes(key), `${key} is not restricted`);
    for (const key of restricted) assert.ok(props[key], `restricted ${key} is not a declared setting`);
  });

  it('points at files that exist: walkthrough media, snippets, icons', () => {
    for (const s of contributes.snippets) assert.ok(existsSync(s.path), s.path);
    for (const w of contributes.walkthroughs) for (const step of w.steps) assert.ok(existsSync(step.media.markdown), step.media.markdown);
    for (const c of contributes.viewsContainers.activitybar) assert.ok(existsSync(c.icon), c.icon);
    assert.ok(existsSync(pkg.icon), pkg.icon);
  });

  it('targets a VS Code no newer than the 1.139 the tests run in', () => {
    const [, minor] = /\^1\.(\d+)/.exec(pkg.engines.vscode) ?? [];
    assert.ok(Number(minor) <= 139, pkg.engines.vscode);
    const types = JSON.parse(readFileSync('node_modules/@types/vscode/package.json', 'utf8')).version;
    assert.ok(Number(types.split('.')[1]) <= Number(minor), `@types/vscode ${types} is newer than engines ${pkg.engines.vscode}`);
  });
});
