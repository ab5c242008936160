import { strict as assert } from 'node:assert';
import type { CatalogSnapshot, TableDef } from '../../../src/core/catalog/model';
import { Paging, PAGE, showMoreLabel } from '../../../src/vscode/explorer/paging';
import { EXPANDED_SCHEMAS, schemaPageKey, WorkspaceTree } from '../../../src/vscode/explorer/workspaceTree';

const origin = { kind: 'ddl' as const, file: 'ddl.sql', line: 1 };

function catalogOf(schemas: number, perSchema: number): CatalogSnapshot {
  const tables: TableDef[] = [];
  // names out of order, so that sorting shows
  for (let s = 0; s < schemas; s++) {
    for (let i = perSchema - 1; i >= 0; i--) {
      tables.push({
        schema: `customer_${String(s).padStart(4, '0')}`, name: `t_${String(i).padStart(5, '0')}`, kind: 'table',
        columns: [{ name: 'id', origin }, { name: `col_${i % 3}`, origin }], constraints: [], origin,
      } as TableDef);
    }
  }
  return { tables, conflicts: [] };
}

/** What VS Code asks of the explorer on each refresh: the schemas, then the tables of each schema it shows expanded. */
function refreshLikeVsCode(tree: WorkspaceTree): { schemas: number; tableLists: number; rows: number } {
  tree.kept();
  const schemas = tree.schemas();
  let tableLists = 0;
  let rows = schemas.length;
  for (const schema of schemas) {
    if (!tree.schemasStartExpanded()) continue;
    tableLists++;
    rows += tree.tables(schema).items.length;
  }
  return { schemas: schemas.length, tableLists, rows };
}

describe('Schema Explorer tree of the workspace catalog (WorkspaceTree)', () => {
  it('groups and sorts the catalog once per snapshot and filter, however many schemas VS Code asks about', () => {
    let catalog = catalogOf(8, 30);
    const tree = new WorkspaceTree(() => catalog);
    assert.equal(refreshLikeVsCode(tree).tableLists, 8);
    refreshLikeVsCode(tree);
    assert.equal(tree.groupings, 1, 'one grouping for two refreshes of the same snapshot');
    tree.filter = 'col_1';
    const filtered = refreshLikeVsCode(tree);
    assert.equal(tree.kept(), 8 * 10);
    assert.equal(filtered.rows, 8 + 8 * 10);
    assert.equal(tree.groupings, 2, 'one more for the filter');
    catalog = catalogOf(8, 30); // the next index publish
    refreshLikeVsCode(tree);
    assert.equal(tree.groupings, 3, 'one more for the new snapshot');
    assert.deepEqual(tree.tables('customer_0000').items.map((t) => t.name).slice(0, 3), ['t_00001', 't_00004', 't_00007']);
  });

  it(`starts up to ${EXPANDED_SCHEMAS} schemas expanded, more collapsed (2,000 schemas: no table list asked for)`, () => {
    let catalog = catalogOf(EXPANDED_SCHEMAS, 5);
    const tree = new WorkspaceTree(() => catalog);
    assert.equal(tree.schemasStartExpanded(), true);
    catalog = catalogOf(EXPANDED_SCHEMAS + 1, 5);
    assert.equal(tree.schemasStartExpanded(), false);
    catalog = catalogOf(2000, 5);
    assert.deepEqual(refreshLikeVsCode(tree), { schemas: 2000, tableLists: 0, rows: 2000 });
    // a filter that keeps a handful of schemas shows them expanded again
    tree.filter = 'customer_000';
    assert.equal(tree.schemas().length, 10);
    assert.equal(tree.schemasStartExpanded(), true);
  });

  it('shows a schema of 10,000 tables a page at a time', () => {
    const catalog = catalogOf(1, 10_000);
    const tree = new WorkspaceTree(() => catalog);
    const first = tree.tables('customer_0000');
    assert.equal(first.items.length, PAGE);
    assert.equal(first.hidden, 10_000 - PAGE);
    assert.equal(first.items[PAGE - 1].name, `t_${String(PAGE - 1).padStart(5, '0')}`);
    assert.equal(showMoreLabel(first.hidden), 'Show 200 more of 9,800…');
    tree.paging.more(schemaPageKey('customer_0000'));
    assert.equal(tree.tables('customer_0000').items.length, 2 * PAGE);
    assert.equal(showMoreLabel(50), 'Show 50 more of 50…');
    assert.deepEqual(tree.tables('nowhere'), { items: [], hidden: 0 });
  });

  it('reveals a table past the page shown: its schema then shows whole pages up to it', () => {
    const catalog = catalogOf(3, 1000);
    const tree = new WorkspaceTree(() => catalog);
    const found = tree.reveal('CUSTOMER_0001', 'T_00450');
    assert.equal(found?.table.name, 't_00450', 'found whatever the case');
    assert.equal(found.paged, true);
    const page = tree.tables('customer_0001');
    assert.equal(page.items.length, 3 * PAGE);
    assert.ok(page.items.includes(found.table));
    assert.equal(tree.tables('customer_0002').items.length, PAGE, 'other schemas keep their page');
    assert.equal(tree.reveal('customer_0001', 't_00010')?.paged, false, 'a table already shown changes nothing');
    tree.filter = 'col_2';
    assert.equal(tree.reveal('customer_0001', 't_00010'), undefined, 'hidden by the filter');
    assert.equal(tree.reveal('customer_0001', 't_00011')?.table.name, 't_00011');
    assert.equal(tree.reveal('customer_0001', 'nope'), undefined);
  });
});

describe('Paging of the explorer tree', () => {
  it('shows one page at first, one more on request, and whole pages up to an item it must reach', () => {
    const paging = new Paging(10);
    const items = Array.from({ length: 35 }, (_, i) => i);
    assert.deepEqual(paging.page('a', items), { items: items.slice(0, 10), hidden: 25 });
    paging.more('a');
    assert.equal(paging.page('a', items).items.length, 20);
    assert.equal(paging.reach('a', 19), false);
    assert.equal(paging.reach('a', 20), true);
    assert.equal(paging.limit('a'), 30);
    assert.equal(paging.reach('b', 34), true);
    assert.deepEqual(paging.page('b', items), { items, hidden: 0 });
    assert.equal(paging.limit('c'), 10, 'each list has its own');
  });
});
