import { strict as assert } from 'node:assert';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { describeColumn, describeTableKind } from '../../../src/vscode/explorer/catalogTree';
import { extractDbtYaml } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractDbtModel, extractSql } from '../../../src/core/workspace/sqlExtractor';

describe('Schema Explorer badges', () => {
  it("shows what dbt tests assert (unique, not_null, relationships) and marks a warehouse table dbt declares as a source", () => {
    const catalog = buildCatalog([
      extractSql('ddl/orders.sql', 'create table sales.orders (order_id int primary key, customer_id int);'),
      extractDbtModel('models/dim_customers.sql', 'select 1 as customer_id, 2 as region', { project: 'p' }),
      extractDbtModel('models/fct_orders.sql', 'select 1 as order_id, 1 as customer_id', { project: 'p' }),
      extractDbtYaml('models/s.yml', [
        'sources:',
        '  - name: sales',
        '    tables: [{ name: orders }]',
        'models:',
        '  - name: dim_customers',
        '    columns:',
        '      - name: customer_id',
        '        data_tests: [unique, not_null]',
        '  - name: fct_orders',
        '    columns:',
        '      - name: customer_id',
        "        data_tests: [{ relationships: { to: ref('dim_customers'), field: customer_id } }]",
      ].join('\n'), { project: 'p' }),
    ]);
    const table = (name: string) => catalog.tables.find((t) => t.name === name)!;
    const column = (t: string, c: string) => describeColumn(table(t), table(t).columns.find((x) => x.name === c)!);
    assert.equal(column('dim_customers', 'customer_id'), 'integer · UNIQUE · NOT NULL');
    assert.equal(column('fct_orders', 'customer_id'), 'integer · FK → dim_customers.customer_id (dbt test)');
    assert.equal(describeTableKind(table('orders')), 'table · dbt source sales');
  });
});
