import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../src/vscode/explorer/schemaExplorer';
import { activateQuarry, fileIn, hoverText, positionOf, waitFor } from './helpers';

async function childLabeled(api: Awaited<ReturnType<typeof activateQuarry>>, parent: ExplorerNode | undefined, label: string): Promise<ExplorerNode> {
  const explorer = api.container.explorer;
  const children = await explorer.getChildren(parent);
  const labels = children.map((n) => String(explorer.getTreeItem(n).label));
  const found = children.find((n) => explorer.getTreeItem(n).label === label);
  assert.ok(found, `no “${label}” under ${parent ? String(explorer.getTreeItem(parent).label) : 'the root'}: ${labels.join(', ')}`);
  return found;
}

describe('Workspace index and Schema Explorer (samples/warehouse)', () => {
  it('indexes the sample workspace into one catalog', async () => {
    const api = await activateQuarry();
    const catalog = api.container.index.catalogIndex;
    assert.ok(catalog, 'no catalog after the first index');
    for (const name of ['orderinfo', 'skuinfo', 'customers', 'vendors', 'shipments']) {
      assert.ok(catalog.get('sales', name), `sales.${name} missing from the catalog`);
    }
    assert.equal(catalog.get('sales', 'v_daily_revenue')?.kind, 'view');
    assert.ok(catalog.tables().some((t) => t.kind === 'dbtModel' && t.name === 'fct_order_lines'), 'dbt model fct_order_lines missing');
    assert.ok(catalog.tables().some((t) => t.kind === 'dbtSeed' && t.name === 'order_status_codes'), 'dbt seed order_status_codes missing');
  });

  it('shows schema → table → columns with PK, FK and NOT NULL badges', async () => {
    const api = await activateQuarry();
    const explorer = api.container.explorer;
    const ws = await childLabeled(api, undefined, 'Workspace');
    const sales = await childLabeled(api, ws, 'sales');
    const shipments = await childLabeled(api, sales, 'shipments');
    const orderId = await childLabeled(api, shipments, 'order_id');
    assert.match(String(explorer.getTreeItem(orderId).description), /FK → sales\.orderinfo\.order_id/);
    const shipmentId = await childLabeled(api, shipments, 'shipment_id');
    assert.match(String(explorer.getTreeItem(shipmentId).description), /\bPK\b/);
    // The skuinfo primary key arrives through ALTER TABLE in another file.
    const skuinfo = await childLabeled(api, sales, 'skuinfo');
    assert.match(String(explorer.getTreeItem(await childLabeled(api, skuinfo, 'sku_id')).description), /\bPK\b/);
    const orderinfo = await childLabeled(api, sales, 'orderinfo');
    assert.match(String(explorer.getTreeItem(await childLabeled(api, orderinfo, 'customer_id')).description), /NOT NULL/);
    assert.equal(explorer.getTreeItem(orderinfo).contextValue, 'quarry.table.table');
  });

  it('filters the explorer by table or column name', async () => {
    const api = await activateQuarry();
    const explorer = api.container.explorer;
    explorer.setFilter('sku');
    try {
      const ws = await childLabeled(api, undefined, 'Workspace');
      const schemas = await explorer.getChildren(ws);
      const tables = (await Promise.all(schemas.map((s) => explorer.getChildren(s)))).flat().map((n) => String(explorer.getTreeItem(n).label));
      assert.ok(tables.includes('skuinfo'), tables.join(', '));
      assert.ok(!tables.includes('customers'), `filter let customers through: ${tables.join(', ')}`);
    } finally {
      explorer.setFilter(undefined);
    }
  });

  it('shows a long schema 200 tables at a time with “Show more…”, and reveals a table past the page shown', async () => {
    const api = await activateQuarry();
    const explorer = api.container.explorer;
    const file = fileIn('ddl', '990_it_paged.sql');
    const revealed = async (name: string) => {
      await vscode.commands.executeCommand('quarry.revealInExplorer', { schema: 'it_paged', name });
      await waitFor(`${name} selected in the explorer`, () => {
        const node = api.container.explorerView.selection[0] as ExplorerNode | undefined;
        return node?.type === 'table' && node.table.schema === 'it_paged' && node.table.name === name;
      }, 5_000);
    };
    const names = Array.from({ length: 450 }, (_, i) => `t_${String(i).padStart(3, '0')}`);
    await vscode.workspace.fs.writeFile(file, Buffer.from(names.map((n) => `CREATE TABLE it_paged.${n} (id INTEGER);\n`).join('')));
    try {
      await waitFor('the paged schema in the catalog', () => api.container.index.catalogIndex?.get('it_paged', 't_449'));
      // revealed, t_005 on the first page: the tree in the view holds it_paged expanded with its first page
      await revealed('t_005');
      const ws = await childLabeled(api, undefined, 'Workspace');
      const schema = await childLabeled(api, ws, 'it_paged');
      const first = await explorer.getChildren(schema);
      assert.equal(first.length, 201);
      assert.deepEqual(first.slice(0, 2).map((n) => explorer.getTreeItem(n).label), ['t_000', 't_001']);
      const more = explorer.getTreeItem(first[200]);
      assert.equal(more.label, 'Show 200 more of 250…');
      assert.ok(more.command, 'the “Show more…” node runs a command');
      // what VS Code itself asks for (the view shows it_paged expanded since t_005 was revealed)
      const asked: number[] = [];
      const getChildren = explorer.getChildren.bind(explorer);
      explorer.getChildren = async (node) => {
        const children = await getChildren(node);
        if (node?.type === 'schema' && node.schema === 'it_paged') asked.push(children.length);
        return children;
      };
      try {
        await vscode.commands.executeCommand(more.command.command, ...(more.command.arguments ?? []));
        await waitFor('the view to show the second page', () => asked.includes(401));
      } finally {
        Reflect.deleteProperty(explorer, 'getChildren');
      }
      const second = await explorer.getChildren(schema);
      assert.equal(second.length, 401);
      assert.equal(explorer.getTreeItem(second[400]).label, 'Show 50 more of 50…');
      // tooltips are built when VS Code shows one
      const table = second[399];
      const item = explorer.getTreeItem(table);
      assert.equal(item.tooltip, undefined);
      const tooltip = (await explorer.resolveTreeItem(item, table)).tooltip;
      const text = tooltip instanceof vscode.MarkdownString ? tooltip.value : String(tooltip);
      assert.match(text, /^\*\*it_paged\.t_399\*\* — table/, text);
      assert.match(text, /defined/, text);
      // t_440 is past the 400 tables shown: revealing it shows the rest, and selects it
      await revealed('t_440');
      assert.equal((await explorer.getChildren(schema)).length, 450, 'all shown, no “Show more…”');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitFor('the paged schema to leave the catalog', () => !api.container.index.catalogIndex?.get('it_paged', 't_000'));
  });

  it('starts schemas collapsed when there are many (schema per customer), expanded when there are a few', async () => {
    const api = await activateQuarry();
    const explorer = api.container.explorer;
    const stateOf = async (schema: string) => explorer.getTreeItem(await childLabeled(api, await childLabeled(api, undefined, 'Workspace'), schema)).collapsibleState;
    assert.equal(await stateOf('sales'), vscode.TreeItemCollapsibleState.Expanded);
    const file = fileIn('ddl', '991_it_tenants.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from(Array.from({ length: 12 }, (_, i) => `CREATE TABLE it_tenant_${i}.orders (id INTEGER);\n`).join('')));
    try {
      await waitFor('the tenant schemas in the catalog', () => api.container.index.catalogIndex?.get('it_tenant_11', 'orders'));
      assert.equal(await stateOf('sales'), vscode.TreeItemCollapsibleState.Collapsed);
      assert.equal(await stateOf('it_tenant_3'), vscode.TreeItemCollapsibleState.Collapsed);
      // a filter that keeps a few schemas shows them expanded
      explorer.setFilter('it_tenant_1');
      try {
        assert.equal(await stateOf('it_tenant_10'), vscode.TreeItemCollapsibleState.Expanded);
      } finally {
        explorer.setFilter(undefined);
      }
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitFor('the tenant schemas to leave the catalog', () => !api.container.index.catalogIndex?.get('it_tenant_0', 'orders'));
    assert.equal(await stateOf('sales'), vscode.TreeItemCollapsibleState.Expanded);
  });

  it('hovers and goes to definition for tables and aliased columns in a .sql file', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument(fileIn('queries', '01_revenue_by_category.sql'));
    await vscode.window.showTextDocument(doc);
    const pos = positionOf(doc, 'o.product_id = s.sku_id', 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hoverText(hovers);
    assert.match(text, /orderinfo\.product_id/);
    assert.match(text, /Joined in the workspace/);
    const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'sales.skuinfo s', 7));
    const uris = defs.map((d) => ('uri' in d ? d.uri : d.targetUri).path);
    assert.ok(uris.some((p) => p.endsWith('/ddl/030_skuinfo.sql')), `definitions: ${uris.join(', ')}`);
  });

  it('shows the join sites of a CREATE TABLE from its CodeLens, as references', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument(fileIn('ddl', '030_skuinfo.sql'));
    const lenses = await waitFor('the CodeLens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return l?.some((x) => /^joined in \d+ place/.test(x.command?.title ?? '')) ? l : undefined;
    });
    const joined = lenses.find((x) => /^joined in/.test(x.command?.title ?? ''))!;
    assert.equal(joined.command!.command, 'editor.action.showReferences');
    const sites = joined.command!.arguments![2] as vscode.Location[];
    assert.equal(sites.length, Number(/joined in (\d+)/.exec(joined.command!.title)![1]));
    assert.ok(sites.every((l) => l.uri.scheme === 'file' && !l.uri.path.endsWith('030_skuinfo.sql')), sites.map((l) => l.uri.path).join(', '));
  });

  it("hovers a table with its declared foreign key, and says how many more joins there are than it lists", async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select * from sales.shipments;\nselect * from sales.orderinfo;\n' });
    await vscode.window.showTextDocument(doc);
    const shipments = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'shipments', 2)));
    assert.match(shipments, /Foreign key: `order_id → sales\.orderinfo/);
    const orders = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'orderinfo', 2)));
    const listed = /Joined in the workspace \((\d+)\)/.exec(orders);
    assert.ok(listed && Number(listed[1]) > 6, orders);
    assert.match(orders, new RegExp(`…and ${Number(listed[1]) - 6} more`));
  });

  it('hovers a computed dbt model column with the type its arithmetic and sum() give it', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select d.lifetime_value from marts.dim_customers d' });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 12));
    const text = hoverText(hovers);
    assert.match(text, /numeric/, text);
    assert.match(text, /sum\(sales\.orderinfo\.quantity \* sales\.orderinfo\.unit_price\)/, text);
  });

  it('hovers a dbt column with its description, the docs block it uses rendered', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select o.order_status_code from staging.stg_orders o' });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 12));
    const text = hoverText(hovers);
    // models/docs.md's block, as Markdown (its table kept), in place of schema.yml's {{ doc("order_status_code") }}
    assert.match(text, /\| 4 {4}\| shipped {3}\| yes/, text);
    assert.doesNotMatch(text, /doc\(/, text);
  });

  it('completes columns after an alias', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select s. from sales.skuinfo s' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 9));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('sku_id'), `completions: ${labels.slice(0, 20).join(', ')}`);
  });

  it('completes a join and its condition from the evidence when a space follows JOIN or ON', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select * from sales.shipments s join ;\nselect * from sales.shipments s join sales.orderinfo o on ' });
    const joinsAt = async (at: vscode.Position): Promise<vscode.CompletionItem[]> => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at, ' ');
      return list.items.filter((i) => i.sortText?.startsWith('00_'));
    };
    const afterJoin = await joinsAt(doc.positionAt(doc.getText().indexOf(';')));
    const first = afterJoin[0];
    // the sample declares shipments.order_id REFERENCES orderinfo and its queries join them so
    const label = first && (typeof first.label === 'string' ? { label: first.label } : first.label);
    assert.deepEqual([label?.label, label?.detail], ['sales.orderinfo o', ' on o.order_id = s.order_id']);
    assert.equal(first.insertText, 'sales.orderinfo o on o.order_id = s.order_id');
    // shipments.order_id references orderinfo: each shipment meets one order, no rows multiply
    assert.match(String(first.detail), /declared foreign key.*· many-to-one$/);
    const afterOn = await joinsAt(doc.lineAt(1).range.end);
    assert.deepEqual(afterOn.map((i) => i.insertText), ['o.order_id = s.order_id']);
  });

  it("completes dbt model names inside ref('…') and source tables inside source('…', '…')", async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: "select * from {{ ref('') }} o join {{ source('sales', '') }} s on true" });
    const labelsAt = async (marker: string): Promise<string[]> => {
      const at = doc.getText().indexOf(marker);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(at + marker.length - 1), "'");
      // ours only: the editor adds words of open documents
      return list.items.filter((i) => i.kind === vscode.CompletionItemKind.Class || i.kind === vscode.CompletionItemKind.Module).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const models = await labelsAt("ref(''");
    for (const name of ['stg_orders', 'dim_customers', 'order_status_codes', 'customers_snapshot']) assert.ok(models.includes(name), `ref() offers ${name}: ${models.join(', ')}`);
    assert.ok(!models.includes('orderinfo'), 'a warehouse table is no ref()');
    const sourceTables = await labelsAt("'sales', ''");
    assert.ok(sourceTables.includes('orderinfo') && !sourceTables.includes('stg_orders'), `source('sales', …) offers: ${sourceTables.join(', ')}`);
  });

  it('shows DDL rebuilt from the catalog as a read-only SQL document, one editor column for every table shown', async () => {
    await activateQuarry();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('quarry.showTableDdl', { schema: 'sales', name: 'skuinfo' });
    const editor = await waitFor('the DDL editor', () => vscode.window.visibleTextEditors.find((e) => /CREATE TABLE\s+sales\.skuinfo/i.test(e.document.getText())));
    assert.equal(editor.document.languageId, 'sql');
    assert.equal(editor.document.isUntitled, false, 'no unsaved buffer that asks to be saved');
    assert.equal(editor.document.uri.path, '/sales.skuinfo.sql');
    assert.match(editor.document.getText(), /PRIMARY KEY \(sku_id\)/i);
    await vscode.commands.executeCommand('quarry.showTableDdl', { schema: 'sales', name: 'vendors' });
    await waitFor('the second DDL', () => vscode.window.visibleTextEditors.find((e) => /CREATE TABLE\s+sales\.vendors/i.test(e.document.getText())));
    await vscode.commands.executeCommand('quarry.showTableDdl', { schema: 'sales', name: 'orderinfo' });
    const third = await waitFor('the third DDL', () => vscode.window.visibleTextEditors.find((e) => /CREATE TABLE\s+sales\.orderinfo/i.test(e.document.getText())));
    assert.equal(third.viewColumn, editor.viewColumn, 'shown in the same column, not one more split each time');
    // the DDL documents ask nobody to save them (another test's untitled query may still be open)
    assert.ok(vscode.window.visibleTextEditors.filter((e) => /CREATE TABLE/i.test(e.document.getText())).every((e) => !e.document.isDirty));
  });

  it('survives a restart from its on-disk cache without re-parsing', async () => {
    const api = await activateQuarry();
    await api.container.index.reindex(false);
    const [first] = api.container.index.snapshots();
    assert.equal(first.snapshot.stats.parsed, 0, `re-parsed ${first.snapshot.stats.parsed} files after a restart`);
    assert.ok(first.snapshot.stats.fromCache > 20, `only ${first.snapshot.stats.fromCache} files came from the cache`);
  });

  it('updates incrementally when a DDL file is created, and reports broken SQL in the Problems panel', async () => {
    const api = await activateQuarry();
    const created = fileIn('ddl', '900_it_created.sql');
    await vscode.workspace.fs.writeFile(created, Buffer.from('CREATE TABLE sales.it_promotions (\n  promo_code VARCHAR(32) NOT NULL,\n  discount_pct NUMERIC(5,2)\n);\n'));
    await waitFor('the new table in the catalog', () => api.container.index.catalogIndex?.get('sales', 'it_promotions'));
    const broken = fileIn('ddl', '901_it_broken.sql');
    await vscode.workspace.fs.writeFile(broken, Buffer.from('CREATE TABLE sales.broken (\n  id INTEGER,\n  name VARCHAR(20\n;\nCREATE TABLE sales.after_broken (id INTEGER);\n'));
    const diags = await waitFor('a Quarry diagnostic', () => {
      const d = vscode.languages.getDiagnostics(broken).filter((x) => x.source === 'Quarry');
      return d.length ? d : undefined;
    });
    assert.ok(diags[0].range.start.line >= 0);
    await waitFor('parsing to resume after the broken statement', () => api.container.index.catalogIndex?.get('sales', 'after_broken'));
    await vscode.workspace.fs.delete(created);
    await waitFor('the deleted table to leave the catalog', () => !api.container.index.catalogIndex?.get('sales', 'it_promotions'));
  });

  it('reports a relation defined differently in two files in the Problems panel, pointing at the definition kept', async () => {
    await activateQuarry();
    const other = fileIn('ddl', '902_it_vendors_again.sql');
    await vscode.workspace.fs.writeFile(other, Buffer.from('-- an old copy\nCREATE TABLE sales.vendors (\n  vendor_id BIGINT,\n  vendor_name TEXT\n);\n'));
    try {
      const conflict = await waitFor('the conflict warning', () =>
        vscode.languages.getDiagnostics(other).find((d) => d.source === 'Quarry' && /defined differently/.test(d.message)),
      );
      assert.equal(conflict.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(conflict.range.start.line, 1, 'at the CREATE TABLE of the copy');
      assert.match(conflict.message, /keeping the first/);
      const kept = conflict.relatedInformation?.[0]?.location;
      assert.ok(kept?.uri.path.endsWith('/ddl/010_vendors.sql'), `related: ${kept?.uri.path}`);
    } finally {
      await vscode.workspace.fs.delete(other);
    }
    await waitFor('the warning to go with the file', () => !vscode.languages.getDiagnostics(other).some((d) => d.source === 'Quarry'));
  });

  it('formats SQL and leaves dbt Jinja byte-identical', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument(fileIn('dbt', 'models', 'staging', 'stg_orders.sql'));
    await vscode.window.showTextDocument(doc);
    const jinja = doc.getText().match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g) ?? [];
    assert.ok(jinja.length > 0);
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits && edits.length > 0, 'the formatter produced no edits');
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const formatted = doc.getText();
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.deepEqual(formatted.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g), jinja);
    assert.match(formatted, /\bSELECT\b/);
  });

  it('leaves a file alone when formatting would change what it means (an operator sql-formatter splits, Jinja glued to a name)', async () => {
    await activateQuarry();
    const text = "select payload->>'status' as status, {{ method }}_amount from events\n";
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: text });
    for (let run = 0; run < 2; run++) {
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
      assert.equal(edits?.length ?? 0, 0, 'no edits for a formatting that changes the query');
    }
    assert.equal(doc.getText(), text);
    const glued = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select {{ method }}_amount from t\n' });
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', glued.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits?.length, 'a query it can format is formatted');
    const edit = new vscode.WorkspaceEdit();
    edit.set(glued.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.match(glued.getText(), /^SELECT\n\s+\{\{ method \}\}_amount\nFROM\n\s+t\n$/);
  });

  it("shows a dbt model dbt builds as a view as its CREATE VIEW, with its query compiled", async () => {
    const api = await activateQuarry();
    const model = api.container.index.catalog!.tables.find((t) => t.name === 'stg_orders' && t.kind === 'dbtModel')!;
    await vscode.commands.executeCommand('quarry.showTableDdl', { schema: model.schema, name: model.name });
    const editor = await waitFor('the view DDL', () => vscode.window.visibleTextEditors.find((e) => /CREATE VIEW\s+\S*stg_orders\s+AS/i.test(e.document.getText())));
    const text = editor.document.getText();
    assert.match(text, /FROM\s+sales\.orderinfo/i, 'source() compiled to the table it names');
    assert.ok(!/\{\{/.test(text), text);
  });

  it('reads a CTE as the query does: hover says it is a CTE, go to definition lands on its name', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument(fileIn('dbt', 'models', 'staging', 'stg_orders.sql'));
    await vscode.window.showTextDocument(doc);
    const at = positionOf(doc, 'from source', 6);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
    assert.match(text, /CTE/i, text);
    const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, at);
    const ranges = defs.map((d) => ('uri' in d ? d.range : d.targetRange));
    assert.deepEqual(ranges.map((r) => r.start.line), [0], 'the CTE named on the first line');
  });

  it('warns in an open file about a ref() naming no model, and stops once it names one', async () => {
    await activateQuarry();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: "select * from {{ ref('stg_ordrs') }}\n" });
    const editor = await vscode.window.showTextDocument(doc);
    const warning = await waitFor('the dangling ref warning', () => vscode.languages.getDiagnostics(doc.uri).find((d) => /ref\('stg_ordrs'\) names no model/.test(d.message)));
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(warning.range.start.character, 14);
    await editor.edit((e) => e.replace(new vscode.Range(0, 22, 0, 31), 'stg_orders'));
    await waitFor('the warning to go', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => /names no model/.test(d.message)));
  });

  it("warns at a column a properties file documents for a dbt model whose SQL does not select it", async () => {
    await activateQuarry();
    const props = fileIn('dbt', 'models', 'staging', 'it_documented.yml');
    await vscode.workspace.fs.writeFile(props, Buffer.from('version: 2\nmodels:\n  - name: stg_vendors\n    columns:\n      - name: vendor_id\n      - name: it_never_selected\n'));
    try {
      const warning = await waitFor('the documented-only warning', () => vscode.languages.getDiagnostics(props).find((d) => /it_never_selected is documented for stg_vendors, but .*stg_vendors\.sql does not select it/.test(d.message)));
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(warning.range.start.line, 5);
      assert.ok(!vscode.languages.getDiagnostics(props).some((d) => /vendor_id is documented/.test(d.message)), 'a column the model selects is no warning');
    } finally {
      await vscode.workspace.fs.delete(props);
    }
  });
});
