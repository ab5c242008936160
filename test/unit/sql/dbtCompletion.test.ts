import { strict as assert } from 'node:assert';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { dbtCompletionsAt } from '../../../src/core/sql/dbtCompletion';
import { extractDbtYaml } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractDbtModel } from '../../../src/core/workspace/sqlExtractor';

describe('dbtCompletionsAt', () => {
  const catalog = buildCatalog([
    extractDbtModel('models/stg_orders.sql', "select 1 as id from {{ source('raw', 'orders') }}", { project: 'shop' }),
    extractDbtModel('models/dim_items_v2.sql', 'select 1 as id', { project: 'shop' }),
    extractDbtModel('dbt_packages/utils/models/calendar.sql', 'select 1 as d', { project: 'utils' }),
    extractDbtYaml(
      'models/schema.yml',
      'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n      - name: payments\n        identifier: tbl_payments\n  - name: crm\n    tables: [{ name: people }]\n'
        + 'models:\n  - name: dim_items\n    latest_version: 2\n    versions: [{ v: 1 }, { v: 2 }]\n',
      { project: 'shop' },
    ),
  ]).tables;
  const at = (text: string): string[] | undefined => dbtCompletionsAt(text.replace('|', ''), text.indexOf('|'), catalog)?.map((c) => `${c.name}:${c.resource}`).sort();

  it("offers models, seeds and snapshots inside ref('…'), a versioned model once by its name, and a package's own with two arguments", () => {
    assert.deepEqual(at("select * from {{ ref('|') }}"), ['calendar:model', 'dim_items:model', 'stg_orders:model']);
    assert.deepEqual(at('select * from {{ ref("stg|'), ['calendar:model', 'dim_items:model', 'stg_orders:model'], 'the editor filters by what is typed');
    assert.deepEqual(at("select * from {{ ref('utils', '|') }}"), ['calendar:model']);
  });

  it("offers the sources inside source('…'), and a source's tables by their dbt name after it", () => {
    assert.deepEqual(at("from {{ source('|"), ['crm:source', 'raw:source']);
    assert.deepEqual(at("from {{ source('raw', '|') }}"), ['orders:source table', 'payments:source table']);
    assert.deepEqual(at("from {{ source( \"crm\" , \"|"), ['people:source table']);
  });

  it('offers nothing outside the quotes of a ref() or source() in {{ }}', () => {
    assert.equal(at("select 'ref(|' from t"), undefined);
    assert.equal(at("select * from {{ ref('a') }} where x = '|"), undefined);
    assert.equal(at("select * from {{ ref('a') }}|"), undefined);
    assert.equal(at("{{ config(alias='|') }}"), undefined);
  });
});
