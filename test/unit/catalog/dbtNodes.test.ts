import { strict as assert } from 'node:assert';
import { dbtReference } from '../../../src/core/catalog/dbtNodes';
import type { TableDef } from '../../../src/core/catalog/model';

const relation = (dbt: TableDef['dbt'], name = 'orders'): TableDef => ({ schema: 'analytics', name, kind: 'dbtModel', columns: [], constraints: [], origin: { kind: 'dbt-model', file: 'models/x.sql' }, dbt });

describe('catalog/dbtReference', () => {
  it('writes ref() and source() as a model reads them, a version that is no number as a string', () => {
    assert.deepEqual(dbtReference(relation({ uniqueId: 'model.shop.orders', resourceType: 'model' })), { call: "ref('orders')", name: 'orders' });
    assert.deepEqual(dbtReference(relation({ uniqueId: 'source.shop.raw.orders_v1', resourceType: 'source', sourceName: 'raw' }, 'orders_v1_tbl')), { call: "source('raw', 'orders_v1')", name: 'raw.orders_v1' });
    const version = (v: string, latest: boolean) => dbtReference(relation({ uniqueId: `model.shop.orders.v${v}`, resourceType: 'model', version: { of: 'orders', v, latest, file: `orders_v${v}` } }))?.call;
    assert.equal(version('2', true), "ref('orders')");
    assert.equal(version('1', false), "ref('orders', v=1)");
    assert.equal(version('beta', false), "ref('orders', v='beta')");
    assert.equal(dbtReference(relation(undefined)), undefined);
    assert.equal(dbtReference(relation({ uniqueId: 'test.shop.t', resourceType: undefined })), undefined);
  });
});
