import { strict as assert } from 'node:assert';
import type { ErdRelationship, ErdTable } from '../../../src/shared/protocol/erd';
import { adjacency, attributeToken, markdownSnippet, mermaidFor, mermaidToExport, mostConnected, neighbourhood, quoteLabel, searchTables, tableIndexFromNodeId } from '../../../webview-ui/erd/erdText';
import { erdExportBytes, erdExportFileName } from '../../../src/vscode/webviews/erdExport';
import { BOX_H, BOX_W, overviewLayout } from '../../../webview-ui/erd/overview';
import { parseMermaid } from '../modeling/mermaidParse';

const tables: ErdTable[] = [
  { id: 'sales.orders', name: 'orders', columns: [{ name: 'id', type: 'int8', pk: true }, { name: 'customer_id', type: 'int8', fk: true }, { name: 'amount', type: 'numeric(18,2)' }] },
  { id: 'sales.customers', name: 'customers', columns: [{ name: 'id', type: 'int8', pk: true }] },
  { id: 'sales."odd" <name>', name: '"odd" <name>' },
  { id: 'sales.regions', name: 'regions' },
];
const rels: ErdRelationship[] = [
  { from: 'sales.orders', to: 'sales.customers', label: 'customer_id' },
  { from: 'sales.customers', to: 'sales.regions' },
  { from: 'sales."odd" <name>', to: 'sales.orders', cardinality: 'bogus; click' },
];

describe('ERD text helpers', () => {
  it('writes Mermaid with safe ids, quoted labels and legal attribute tokens', () => {
    const text = mermaidFor(tables, rels, new Set(tables.map((t) => t.id)), { columns: true });
    const lines = text.split('\n');
    assert.equal(lines[0], 'erDiagram');
    assert.ok(lines.includes('  t0["sales.orders"] {'));
    assert.ok(lines.includes('    numeric(18_2) amount'));
    assert.ok(lines.includes('    int8 customer_id FK'));
    assert.ok(lines.includes('  t2["sales. odd  ‹name›"]'), text);
    assert.ok(lines.includes('  t0 }o--|| t1 : "customer_id"'));
    assert.ok(lines.includes('  t2 }o--|| t0 : "?"'), 'an unknown cardinality falls back to the default');
    assert.ok(!text.includes('bogus'));
  });

  it('omits tables outside the subset and their relationships', () => {
    const text = mermaidFor(tables, rels, new Set(['sales.orders', 'sales.customers']), { columns: false });
    assert.ok(!text.includes('t3'));
    assert.ok(!text.includes('t2'));
    assert.ok(text.includes('t0 }o--|| t1'));
    assert.ok(!text.includes('{\n'), 'no column blocks');
  });

  it('cleans labels and tokens', () => {
    assert.equal(quoteLabel('a"b%c\\d\ne'), '"a b c d e"');
    assert.equal(attributeToken('character varying(20)'), 'character_varying(20)');
    assert.equal(attributeToken('1st'), '_1st');
  });

  it('finds neighbourhoods by hops in both directions, capped', () => {
    const adj = adjacency(rels);
    assert.deepEqual([...neighbourhood(adj, 'sales.regions', 1)].sort(), ['sales.customers', 'sales.regions']);
    assert.deepEqual([...neighbourhood(adj, 'sales.regions', 2)].sort(), ['sales.customers', 'sales.orders', 'sales.regions']);
    assert.equal(neighbourhood(adj, 'sales.regions', 5).size, 4);
    assert.equal(neighbourhood(adj, 'sales.orders', 5, 2).size, 2);
    assert.equal(mostConnected(tables, adj), 'sales.orders');
  });

  it('maps Mermaid node ids back to tables', () => {
    assert.equal(tableIndexFromNodeId('erd-3-entity-t12-5'), 12);
    assert.equal(tableIndexFromNodeId('erd-3-edge-t12-5'), undefined);
  });

  it('searches names first, then qualified ids', () => {
    assert.deepEqual(searchTables(tables, 'cust').map((t) => t.id), ['sales.customers']);
    assert.deepEqual(searchTables(tables, 'SALES.R').map((t) => t.id), ['sales.regions']);
  });

  it('wraps Mermaid in a fenced Markdown snippet', () => {
    assert.equal(markdownSnippet('Sales', 'erDiagram\n  a\n'), '## Sales\n\n```mermaid\nerDiagram\n  a\n```\n');
  });

  it('decodes PNG exports and names files safely', () => {
    assert.deepEqual([...erdExportBytes('png', 'iVBORw==')], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(new TextDecoder().decode(erdExportBytes('svg', '<svg/>')), '<svg/>');
    assert.equal(erdExportFileName('sales / core ERD', 'markdown'), 'sales-core-ERD.md');
    assert.ok(!erdExportFileName('../../etc/passwd', 'svg').includes('/'));
  });
});

describe('ERD overview layout', () => {
  it('places every table once, on distinct cells, neighbours of the first table next to it', () => {
    const many: ErdTable[] = Array.from({ length: 50 }, (_, i) => ({ id: `s.t${i}`, name: `t${i}` }));
    const links: ErdRelationship[] = Array.from({ length: 49 }, (_, i) => ({ from: `s.t${i + 1}`, to: 's.t0' }));
    const layout = overviewLayout(many, adjacency(links));
    const cells = new Set(layout.positions.map((p) => `${p.x},${p.y}`));
    assert.equal(layout.positions.filter(Boolean).length, 50);
    assert.equal(cells.size, 50);
    for (const p of layout.positions) {
      assert.ok(p.x >= 0 && p.x + BOX_W <= layout.width);
      assert.ok(p.y >= 0 && p.y + BOX_H <= layout.height);
    }
    assert.deepEqual(layout.positions[0], { x: 20, y: 20 }, 'the hub comes first');
  });
});

describe('ERD export text', () => {
  const input = { title: 'Sales', mermaid: 'erDiagram\n  host_text {\n  }\n', tables, relationships: rels };

  it("saves the host's own text of a whole diagram it drew, and the drawn text of a focus view", () => {
    assert.equal(mermaidToExport(input, 'all', 'erDiagram\n  drawn\n'), input.mermaid);
    assert.equal(mermaidToExport(input, 'focus', 'erDiagram\n  drawn\n'), 'erDiagram\n  drawn\n');
  });

  it('writes the text of every table and relationship when exporting the overview of a diagram the host sent no text for', async () => {
    const text = mermaidToExport({ ...input, mermaid: '' }, 'all', '');
    assert.equal(text, mermaidFor(tables, rels, new Set(tables.map((t) => t.id)), { columns: true }));
    assert.ok(text.includes('  t0["sales.orders"] {') && text.includes('  t3["sales.regions"]'));
    assert.ok(text.includes('  t0 }o--|| t1 : "customer_id"'));
    await parseMermaid(text);
  });
});
