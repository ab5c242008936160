import { strict as assert } from 'node:assert';
import type { CatalogSnapshot, TableDef } from '../../../src/core/catalog/model';
import { renderMermaidErd } from '../../../src/core/modeling/erd';
import type { JoinProposal } from '../../../src/core/modeling/types';
import { ERD_FOCUS_THRESHOLD, isErdInput } from '../../../src/shared/protocol/erd';
import { buildErdInput } from '../../../src/vscode/modeling/erdInput';

const origin = { kind: 'ddl' as const, file: 'big.sql', line: 1 };

/** n tables of 20 columns, table i referencing table floor(i/2) by parent_id. */
function schema(n: number): { catalog: CatalogSnapshot; proposals: JoinProposal[]; reads: { tables: number } } {
  const tables: TableDef[] = Array.from({ length: n }, (_, i) => ({
    schema: 'big', name: `t${i}`, kind: 'table', origin,
    constraints: [{ kind: 'primaryKey', columns: ['id'], origin }, { kind: 'unique', columns: ['code'], origin }],
    columns: [
      { name: 'id', dataType: 'integer', origin }, { name: 'parent_id', dataType: 'integer', origin }, { name: 'code', dataType: 'varchar(10)', origin },
      ...Array.from({ length: 17 }, (_, c) => ({ name: `attr_${c}`, dataType: 'varchar(200)', origin })),
    ],
  }));
  const proposals: JoinProposal[] = [];
  for (let i = 1; i < n; i++) {
    const to = Math.floor(i / 2);
    proposals.push({
      id: `big.t${i}(parent_id)->big.t${to}(id)`, from: { schema: 'big', table: `t${i}` }, fromColumns: ['parent_id'], to: { schema: 'big', table: `t${to}` }, toColumns: ['id'],
      direction: 'from-references-to', cardinality: 'many-to-one', cardinalitySource: 'inferred', score: 0.9, evidence: [], source: 'evidence', joinSql: '', cardinalitySql: '',
    });
  }
  const reads = { tables: 0 };
  const catalog = { conflicts: [], get tables() { reads.tables++; return tables; } } as CatalogSnapshot;
  return { catalog, proposals, reads };
}

describe('ERD panel input', () => {
  it('chooses the tables and relationships once, for the tables it sends and the Mermaid text alike', () => {
    const { catalog, proposals, reads } = schema(20);
    const input = buildErdInput('t1 and neighbours', catalog, proposals, { tables: ['big.t1'], depth: 1, columns: 'keys' });
    assert.equal(reads.tables, 1, 'the catalog was read for the selection once');
    assert.deepEqual(input.tables.map((t) => t.id), ['big.t0', 'big.t1', 'big.t2', 'big.t3']);
    assert.equal(input.relationships.length, 3);
    assert.equal(input.mermaid, renderMermaidErd(catalog, proposals, { tables: ['big.t1'], depth: 1, columns: 'keys' }));
  });

  it("sends the key and join columns only with columns: 'keys', every column with 'all'", () => {
    const { catalog, proposals } = schema(4);
    const keys = buildErdInput('keys', catalog, proposals, { columns: 'keys' });
    assert.deepEqual(keys.tables[1]!.columns, [
      { name: 'id', type: 'integer', pk: true, fk: undefined }, { name: 'parent_id', type: 'integer', pk: undefined, fk: true },
      { name: 'code', type: 'varchar(10)', pk: undefined, fk: undefined },
    ]);
    assert.equal(buildErdInput('all', catalog, proposals, { columns: 'all' }).tables[1]!.columns!.length, 20);
  });

  it('leaves the Mermaid text of a diagram the viewer does not draw whole out of the message', () => {
    const small = schema(ERD_FOCUS_THRESHOLD);
    assert.ok(buildErdInput('small', small.catalog, small.proposals, { columns: 'keys' }).mermaid.startsWith('erDiagram\n'));
    const { catalog, proposals } = schema(2_000);
    const input = buildErdInput('Workspace catalog', catalog, proposals, { columns: 'keys' });
    assert.equal(input.mermaid, '');
    assert.ok(isErdInput(input));
    assert.equal(input.tables.length, 2_000);
    assert.equal(input.relationships.length, 1_999);
    const columns = input.tables.reduce((n, t) => n + t.columns!.length, 0);
    // t0 references nothing: its parent_id is no join column
    assert.equal(columns, 3 * 2_000 - 1, 'id, parent_id and code of each table, not its 17 other columns');
  });
});
