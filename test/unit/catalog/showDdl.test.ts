import assert from 'node:assert/strict';
import type { TableDef } from '../../../src/core/catalog/model';
import { asCreateView, showVerb } from '../../../src/core/catalog/showDdl';

const relation = (kind: TableDef['kind'], materialized?: string): TableDef =>
  ({ schema: 'analytics', name: 'orders', kind, columns: [], constraints: [], origin: { kind: 'ddl', file: 'x.sql', line: 1 }, ...(materialized ? { dbt: { materialized } } : kind === 'dbtModel' ? { dbt: {} } : {}) }) as unknown as TableDef;

describe('DDL shown by Redshift (SHOW TABLE / VIEW / EXTERNAL TABLE)', () => {
  it('asks for a view by SHOW VIEW, a dbt model built as a view too (dbt builds a model as a view unless told otherwise)', () => {
    assert.equal(showVerb(relation('view')), 'VIEW');
    assert.equal(showVerb(relation('materializedView')), 'VIEW');
    assert.equal(showVerb(relation('dbtModel')), 'VIEW');
    assert.equal(showVerb(relation('dbtModel', 'materialized_view')), 'VIEW');
    assert.equal(showVerb(relation('dbtModel', 'table')), 'TABLE');
    assert.equal(showVerb(relation('dbtModel', 'incremental')), 'TABLE');
    assert.equal(showVerb(relation('externalTable')), 'EXTERNAL TABLE');
    assert.equal(showVerb(relation('table')), 'TABLE');
  });

  it("makes a standard view's query, which is all SHOW VIEW gives, the statement that creates it", () => {
    assert.equal(asCreateView(relation('view'), 'SELECT o.id, o.total\nFROM sales.orders o;'), 'CREATE OR REPLACE VIEW analytics.orders AS\nSELECT o.id, o.total\nFROM sales.orders o;');
    const mv = '/* refreshed nightly */\nCREATE MATERIALIZED VIEW analytics.orders AUTO REFRESH YES AS SELECT 1;';
    assert.equal(asCreateView(relation('materializedView'), mv), mv);
    const late = 'create view analytics.orders as select * from spectrum.x with no schema binding;';
    assert.equal(asCreateView(relation('view'), late), late);
  });
});
