import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { documentedOnlyColumns } from '../../../src/core/catalog/documentedColumns';
import type { ExtractContext } from '../../../src/core/workspace/classify';
import { extractDbtProject } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { describeColumn } from '../../../src/vscode/explorer/catalogTree';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function catalogOf(files: Array<[string, string]>) {
  const info = extractDbtProject('shop/dbt_project.yml', 'name: shop\n').dbtProject!;
  const ctx: ExtractContext = { dbtProjects: [{ root: 'shop', name: info.name, modelPaths: info.modelPaths, seedPaths: info.seedPaths, modelConfigs: info.modelConfigs, seedConfigs: info.seedConfigs }] };
  return buildCatalog(files.map(([p, t]) => extractFile(p, bytes(t), ctx)));
}

describe('columns a dbt model documents but does not select', () => {
  it("finds jaffle_shop's total_order_amount: in schema.yml, not in the model's select list", () => {
    const catalog = catalogOf([
      ['shop/models/customers.sql', "select customer_id, first_name, count(*) as number_of_orders from {{ ref('stg_customers') }} group by 1, 2"],
      ['shop/models/stg_customers.sql', "select id as customer_id, first_name from {{ source('raw', 'customers') }}"],
      ['shop/models/star.sql', "select * from {{ ref('stg_customers') }}"],
      ['shop/models/unknown_star.sql', "select * from {{ source('raw', 'orders') }}"],
      ['shop/models/schema.yml', 'version: 2\nmodels:\n  - name: customers\n    columns:\n      - name: customer_id\n      - name: total_order_amount\n' +
        '  - name: star\n    columns:\n      - name: first_name\n      - name: nickname\n  - name: unknown_star\n    columns:\n      - name: order_id\n'],
    ]);
    const only = (name: string) => documentedOnlyColumns(catalog.tables.find((t) => t.name === name)!).map((c) => `${c.name}@${c.origin.file}:${c.origin.line}`);
    assert.deepEqual(only('customers'), ['total_order_amount@shop/models/schema.yml:6']);
    // a star over a relation the catalog knows brings its columns; one over an unknown source could bring any
    assert.deepEqual(only('star'), ['nickname@shop/models/schema.yml:10']);
    assert.deepEqual(only('unknown_star'), []);
    const customers = catalog.tables.find((t) => t.name === 'customers')!;
    assert.equal(describeColumn(customers, customers.columns.find((c) => c.name === 'total_order_amount')!), 'documented only: the model does not select it');
  });
});
