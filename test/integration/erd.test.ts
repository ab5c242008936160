import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CatalogSnapshot, TableDef } from '../../src/core/catalog/model';
import type { JoinProposal } from '../../src/core/modeling/types';
import { buildErdInput } from '../../src/vscode/modeling/erdInput';
import { ErdPanel, type ErdRenderInfo } from '../../src/vscode/webviews/erdPanel';
import { activateQuarry } from './helpers';

function nextRender(panel: ErdPanel, timeoutMs = 60_000): Promise<ErdRenderInfo> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the ERD webview did not render in time')), timeoutMs);
    const d = panel.onDidRender((info) => { clearTimeout(t); d.dispose(); resolve(info); });
  });
}

/** A star-ish schema of n tables where table i references table floor(i/2): n-1 relationships, plus extra links. */
function bigSchema(n: number): { catalog: CatalogSnapshot; proposals: JoinProposal[] } {
  const origin = { kind: 'ddl' as const, file: 'synthetic.sql', line: 1 };
  const tables: TableDef[] = [];
  const proposals: JoinProposal[] = [];
  for (let i = 0; i < n; i++) {
    tables.push({ schema: 'big', name: `t${i}`, kind: 'table', origin, constraints: [{ kind: 'primaryKey', columns: ['id'], origin }],
      columns: [{ name: 'id', dataType: 'integer', origin }, { name: 'parent_id', dataType: 'integer', origin }, { name: 'other_id', dataType: 'integer', origin }] });
  }
  const link = (from: number, to: number, col: string) => proposals.push({
    id: `big.t${from}(${col})->big.t${to}(id)`, from: { schema: 'big', table: `t${from}` }, fromColumns: [col], to: { schema: 'big', table: `t${to}` }, toColumns: ['id'],
    direction: 'from-references-to', cardinality: 'many-to-one', cardinalitySource: 'inferred', score: 0.9, evidence: [], source: 'evidence', joinSql: '', cardinalitySql: '',
  });
  for (let i = 1; i < n; i++) link(i, Math.floor(i / 2), 'parent_id');
  for (let i = 0; i + 7 < n && proposals.length < 2 * n; i += 1) link(i, i + 7, 'other_id');
  return { catalog: { tables, conflicts: [] }, proposals };
}

describe('ERD viewer', () => {
  it('previews the neighbourhood of orderinfo with crow\'s-foot relationships, rendered by the bundled Mermaid', async () => {
    await activateQuarry();
    const panel = await vscode.commands.executeCommand<ErdPanel>('quarry.previewErd', { schema: 'sales', name: 'orderinfo' });
    assert.ok(panel, 'previewErd returned no panel');
    const render = await (panel.lastRender ? Promise.resolve(panel.lastRender) : nextRender(panel));
    assert.equal(render.mode, 'all');
    assert.ok(render.tables >= 4, `only ${render.tables} tables drawn`);
    panel.dispose();
  });

  it('opens a 500-table / ~1,000-relationship schema in the focus view', async () => {
    const api = await activateQuarry();
    const { catalog, proposals } = bigSchema(500);
    const input = buildErdInput('500 tables', catalog, proposals);
    assert.ok(input.relationships.length >= 990, `${input.relationships.length} relationships`);
    const panel = ErdPanel.show(api.container.context, input);
    try {
      const render = panel.lastRender ?? await nextRender(panel);
      assert.equal(render.mode, 'focus');
      assert.ok(render.tables < 80, `focus view drew ${render.tables} tables`);
    } finally {
      panel.dispose();
    }
  });
});
