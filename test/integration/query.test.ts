import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QueryRun } from '../../src/vscode/query/queryRunner';
import { activateQuarry, fileIn, positionOf, waitFor } from './helpers';

describe('Running queries on the embedded engine', () => {
  it('runs the statement at the cursor of a sample query and shows local results', async () => {
    const api = await activateQuarry();
    assert.equal(api.container.connections.activeName(), '', 'expected the embedded engine by default');
    const doc = await vscode.workspace.openTextDocument(fileIn('queries', '01_revenue_by_category.sql'));
    const editor = await vscode.window.showTextDocument(doc);
    const pos = positionOf(doc, 'JOIN sales.skuinfo');
    editor.selection = new vscode.Selection(pos, pos);
    const run = await vscode.commands.executeCommand<QueryRun>('quarry.runQuery');
    assert.ok(run, 'runQuery returned nothing');
    assert.equal(run.outcome.status, 'FINISHED', run.outcome.error);
    assert.ok(run.engine.isLocal);
    assert.ok(run.panel, 'no results panel');
    await run.panel.ready;
    const sets = await waitFor('all rows loaded', () => { const s = run.panel!.resultSets(); return s[0]?.complete ? s : undefined; });
    assert.ok(sets[0].rowCount > 0, 'the revenue query returned no rows');
    assert.ok(sets[0].columns.some((c) => /category/i.test(c.name)), sets[0].columns.map((c) => c.name).join(', '));
    run.panel.panel.dispose();
  });

  it('marks the failing line and reports the engine message for bad SQL', async () => {
    const api = await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select 1;\n\nselect order_id,\n       no_such_column\nfrom sales.orderinfo;\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(new vscode.Position(3, 3), new vscode.Position(3, 3));
    const run = await vscode.commands.executeCommand<QueryRun>('quarry.runQuery');
    assert.equal(run?.outcome.status, 'FAILED');
    assert.match(run?.outcome.error ?? '', /no_such_column/);
    const diags = await waitFor('the query diagnostic', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'Quarry query');
      return d.length ? d : undefined;
    });
    assert.equal(diags[0].range.start.line, 3, `marked line ${diags[0].range.start.line}`);
    assert.ok(api.container.history.entries().some((e) => e.status === 'FAILED'));
  });

  it("marks the failing statement of a whole-file run at its own line and column", async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: '-- checks\nselect 1;\n\nselect 2;\nselect nope_column from sales.vendors;\nselect 4;\n' });
    await vscode.window.showTextDocument(doc);
    const run = await vscode.commands.executeCommand<QueryRun>('quarry.runFile');
    assert.equal(run?.outcome.status, 'FAILED');
    const diags = await waitFor('the query diagnostic', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'Quarry query');
      return d.length ? d : undefined;
    });
    assert.deepEqual([diags[0].range.start.line, diags[0].range.start.character], [4, 7], diags[0].message);
  });

  it("shows a document's next run in its results tab, not one more tab", async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select count(*) as n from sales.vendors;\n' });
    await vscode.window.showTextDocument(doc);
    const first = await vscode.commands.executeCommand<QueryRun>('quarry.runFile');
    await first!.panel!.ready;
    await vscode.window.showTextDocument(doc);
    const second = await vscode.commands.executeCommand<QueryRun>('quarry.runFile');
    assert.equal(second!.panel, first!.panel, 'the same results tab');
    const sets = await waitFor('the second run\'s rows', () => { const s = second!.panel!.resultSets(); return s[0]?.complete ? s : undefined; });
    assert.equal(sets.length, 1);
    second!.panel!.panel.dispose();
  });

  it('runs a whole file as a batch with one result tab per statement', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select count(*) as n from sales.skuinfo;\nselect vendor_id, vendor_name from sales.vendors order by 1;\n' });
    await vscode.window.showTextDocument(doc);
    const run = await vscode.commands.executeCommand<QueryRun>('quarry.runFile');
    assert.equal(run?.outcome.status, 'FINISHED', run?.outcome.error);
    await run!.panel!.ready;
    const sets = await waitFor('both result sets', () => { const s = run!.panel!.resultSets(); return s.length === 2 && s.every((x) => x.complete) ? s : undefined; });
    assert.equal(sets[1].rowCount, 20);
    run!.panel!.panel.dispose();
  });

  it('runs SQL holding dbt Jinja, compiled as dbt compile would, and says what it cannot compile', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: "select count(*) as n from {{ ref('stg_orders') }}\n" });
    await vscode.window.showTextDocument(doc);
    const run = await vscode.commands.executeCommand<QueryRun>('quarry.runFile');
    assert.equal(run?.outcome.status, 'FINISHED', run?.outcome.error);
    await run!.panel!.ready;
    const sets = await waitFor('the count', () => { const s = run!.panel!.resultSets(); return s[0]?.complete ? s : undefined; });
    assert.equal(sets[0].rowCount, 1);
    run!.panel!.panel.dispose();
    const api = await activateQuarry();
    await assert.rejects(api.container.queries.run("select {{ cents_to_dollars('amount') }} from {{ ref('stg_orders') }}"), /cannot compile this: unsupported Jinja: cents_to_dollars/);
  });

  it("clears a failed run's mark once the text is edited", async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select nope_column from sales.vendors;\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const run = await vscode.commands.executeCommand<QueryRun>('quarry.runFile');
    assert.equal(run?.outcome.status, 'FAILED');
    await waitFor('the query diagnostic', () => vscode.languages.getDiagnostics(doc.uri).some((x) => x.source === 'Quarry query'));
    await editor.edit((e) => e.replace(new vscode.Range(0, 7, 0, 18), 'vendor_name'));
    await waitFor('the mark to go', () => !vscode.languages.getDiagnostics(doc.uri).some((x) => x.source === 'Quarry query'));
  });
});
