import assert from 'node:assert/strict';
import { readConfigCall } from '../../../src/core/workspace/dbtConfigCall';
import { readModelConfig } from '../../../src/core/workspace/sqlExtractor';

describe('dbt config() calls', () => {
  it('reads the arguments as the literals Jinja evaluates them to', () => {
    assert.deepEqual(
      readConfigCall(`{{ config(materialized = "table", unique_key=['a', "b"], enabled=False, full_refresh=none, batch=500,
        meta={'owner': 'data', 'tags': ('x',), 'nested': {'schema': 'not_this'}}, on_schema_change='it\\'s') }}`),
      { materialized: 'table', unique_key: ['a', 'b'], enabled: false, full_refresh: null, batch: 500, meta: { owner: 'data', tags: ['x'], nested: { schema: 'not_this' } }, on_schema_change: "it's" },
    );
  });

  it('leaves out a value that depends on the run, and reads the arguments after it', () => {
    assert.deepEqual(readConfigCall("{{- config(schema=var('s', 'x'), alias='a' ~ suffix, tags=[env_var('T')], materialized='view') -}}"), { materialized: 'view' });
  });

  it('gives nothing for a text without a call, and what it could read of a call that never closes', () => {
    assert.equal(readConfigCall('select 1'), undefined);
    assert.deepEqual(readConfigCall("{{ config(schema='s', alias="), { schema: 's' });
    assert.deepEqual(readConfigCall("{{ config({'schema': 's'}) }}"), {});
  });

  it("feeds a model's config: a key inside another config's map is not the model's", () => {
    assert.deepEqual(readModelConfig("{{ config(meta={'schema': 'wrong'}, materialized='table', enabled=false) }} select 1"), { materialized: 'table', enabled: false });
    assert.deepEqual(readModelConfig("{{ config(schema='{{ target.schema }}_x', alias='orders') }}"), { alias: 'orders' });
  });
});
