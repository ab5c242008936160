import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { classifyFile, type ExtractContext } from '../../../src/core/workspace/classify';
import { readCsv } from '../../../src/core/workspace/csv';
import { extractDbtArtifact } from '../../../src/core/workspace/dbtArtifactsExtractor';
import { extractDbtProject, extractDbtYaml } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { extractSeed } from '../../../src/core/workspace/seedExtractor';
import { extractDbtModel } from '../../../src/core/workspace/sqlExtractor';

const mini = path.join(__dirname, '../../fixtures/workspace/mini');
const read = (f: string): string => readFileSync(path.join(mini, f), 'utf8');
const ctx: ExtractContext = { dbtProjects: [{ root: 'analytics', name: 'analytics', modelPaths: ['models'], seedPaths: ['seeds'] }] };

describe('classifyFile', () => {
  it('uses the dbt project layout', () => {
    assert.equal(classifyFile('analytics/models/staging/stg_orders.sql', ctx), 'dbt-model');
    assert.equal(classifyFile('analytics/analyses/a.sql', ctx), 'sql');
    assert.equal(classifyFile('ddl/001.sql', ctx), 'sql');
    assert.equal(classifyFile('analytics/models/staging/_sources.yml', ctx), 'dbt-yaml');
    assert.equal(classifyFile('analytics/dbt_project.yml', ctx), 'dbt-project');
    assert.equal(classifyFile('analytics/packages.yml', ctx), 'other');
    assert.equal(classifyFile('analytics/seeds/x.csv', ctx), 'dbt-seed');
    assert.equal(classifyFile('data/x.csv', ctx), 'csv');
    assert.equal(classifyFile('analytics/target/manifest.json', ctx), 'dbt-artifact');
    assert.equal(classifyFile('other/target/manifest.json', ctx), 'other');
    assert.equal(classifyFile('app/a.PHP', ctx), 'php');
    assert.equal(classifyFile('web/x.d.ts', ctx), 'other');
  });
});

describe('dbt YAML', () => {
  it('reads sources with schema/identifier, columns, descriptions and data_tests', () => {
    const f = extractDbtYaml('s.yml', read('analytics/models/staging/_sources.yml'), { project: 'analytics' });
    const tables = f.ddl.map((op) => (op.op === 'createTable' ? op.table : undefined)!);
    assert.deepEqual(tables.map((t) => `${t.schema}.${t.name}`), ['sales.customers', 'sales.orders']);
    assert.equal(tables[0]!.comment, 'Customers from the app database');
    assert.equal(tables[0]!.dbt?.uniqueId, 'source.analytics.raw_sales.customers');
    assert.deepEqual(tables.flatMap((t) => (t.tests ?? []).map((x) => [t.schema, t.name, x.name, x.column, x.origin.line])), [
      ['sales', 'customers', 'unique', 'customer_id', 11],
      ['sales', 'customers', 'not_null', 'customer_id', 12],
    ]);
  });

  it('reads model tests in tests: and data_tests:, arguments inline or under arguments:, and config', () => {
    const f = extractDbtYaml('schema.yml', read('analytics/models/staging/schema.yml'));
    const tables = f.ddl.map((op) => (op.op === 'createTable' ? op.table : undefined)!);
    const tests = tables.flatMap((t) => t.tests ?? []);
    assert.deepEqual(tests.map((t) => `${t.column}:${t.name}`), ['order_id:unique', 'order_id:not_null', 'customer_id:relationships', 'status:accepted_values']);
    assert.deepEqual(tests[2]!.arguments, { to: "source('raw_sales', 'customers')", field: 'customer_id' });
    assert.deepEqual(tests[3]!.arguments, { values: [1, 2, 3] });
    assert.deepEqual(tests[3]!.config, { severity: 'warn' });
    assert.equal(tables[0]!.dbt?.resourceType, 'model');
  });

  it('takes config keys written beside the arguments (severity, where, tags…) and a test\'s name: apart from its arguments', () => {
    const f = extractDbtYaml('m/s.yml', `models:
  - name: users
    columns:
      - name: user_id
        data_tests:
          - unique: { severity: warn, where: "user_id > 0", config: { tags: [nightly] } }
          - not_null: { name: users_user_id_nn }
          - accepted_values: { values: [1, 2], limit: 10 }
          - name: users_status_ok
            test_name: accepted_values
            values: [a]
            severity: error
`);
    const t = f.ddl[0]!.op === 'createTable' ? f.ddl[0]!.table : undefined;
    assert.deepEqual(
      t?.tests?.map((x) => ({ name: x.name, arguments: x.arguments, config: x.config, customName: x.customName })),
      [
        { name: 'unique', arguments: {}, config: { severity: 'warn', where: 'user_id > 0', tags: ['nightly'] }, customName: undefined },
        { name: 'not_null', arguments: {}, config: undefined, customName: 'users_user_id_nn' },
        { name: 'accepted_values', arguments: { values: [1, 2] }, config: { limit: 10 }, customName: undefined },
        { name: 'accepted_values', arguments: { values: ['a'] }, config: { severity: 'error' }, customName: 'users_status_ok' },
      ],
    );
  });

  it("takes a seed's column_types and an enforced contract's data_type over the types read off the values or the SQL", () => {
    const files = [
      extractSeed('seeds/codes.csv', 'code,label\nUS,United States\nMX,Mexico\n', { dbtSeed: { project: 'p' } }),
      extractDbtModel('models/ids.sql', 'select 1 as id, 2 as other', { project: 'p' }),
      extractDbtModel('models/loose.sql', 'select 1 as id', { project: 'p' }),
      extractDbtYaml('seeds/props.yml', 'seeds:\n  - name: codes\n    config: { column_types: { code: varchar(2) } }\n', { project: 'p' }),
      extractDbtYaml(
        'models/props.yml',
        [
          'models:',
          '  - name: ids',
          '    config: { contract: { enforced: true } }',
          '    columns: [{ name: id, data_type: bigint }, { name: other, data_type: smallint }]',
          '  - name: loose',
          '    columns: [{ name: id, data_type: bigint }]',
        ].join('\n'),
        { project: 'p' },
      ),
    ];
    const types = Object.fromEntries(buildCatalog(files).tables.flatMap((t) => t.columns.map((c) => [`${t.name}.${c.name}`, c.dataType])));
    assert.equal(types['codes.code'], 'varchar(2)');
    assert.equal(types['ids.id'], 'bigint');
    assert.equal(types['ids.other'], 'smallint');
    assert.equal(types['loose.id'], 'integer', 'without an enforced contract, data_type documents; the SQL decides');
  });

  it('reads model contract foreign keys: to + to_columns (dbt 1.9+), or an expression naming the columns', () => {
    const f = extractDbtYaml('m/s.yml', `version: 2
models:
  - name: orders
    constraints:
      - type: foreign_key
        columns: [customer_id]
        expression: "analytics.customers (id)"
      - type: foreign_key
        columns: [sku]
        to: ref('skus')
        to_columns: [sku_id]
`);
    const t = f.ddl[0]!.op === 'createTable' ? f.ddl[0]!.table : undefined;
    assert.deepEqual(t?.constraints.map((c) => [c.kind, c.columns, c.references]), [
      ['foreignKey', ['customer_id'], { table: 'customers', schema: 'analytics', columns: ['id'] }],
      ['foreignKey', ['sku'], { table: 'skus', schema: undefined, columns: ['sku_id'] }],
    ]);
  });

  it('turns invalid YAML into a diagnostic with line:col, never a throw', () => {
    const f = extractDbtYaml('bad.yml', 'version: 2\nmodels:\n  - name: a\n    columns: [unclosed\n');
    assert.ok(f.diagnostics.length > 0);
    assert.equal(f.diagnostics[0]!.severity, 'error');
    assert.ok(f.diagnostics[0]!.line >= 4, `line ${f.diagnostics[0]!.line}`);
    assert.ok(f.diagnostics[0]!.column >= 1);
    const tab = extractDbtYaml('bad2.yml', 'a:\n\t- b\n');
    assert.equal(tab.diagnostics[0]?.line, 2);
  });

  it('reads dbt_project.yml', () => {
    const p = extractDbtProject('analytics/dbt_project.yml', read('analytics/dbt_project.yml')).dbtProject!;
    assert.equal(p.name, 'analytics');
    assert.deepEqual(p.modelPaths, ['models']);
    assert.deepEqual(p.requireDbtVersion, ['>=1.5.0', '<2.0.0']);
    assert.equal(p.profile, 'warehouse');
    const legacy = extractDbtProject('dbt_project.yml', 'name: x\nsource-paths: [src]\ndata-paths: [data]\n').dbtProject!;
    assert.deepEqual([legacy.modelPaths, legacy.seedPaths], [['src'], ['data']]);
  });
});

describe('dbt models', () => {
  it('builds a dbtModel relation with final-select columns, cast types, refs and joins', () => {
    const f = extractDbtModel('analytics/models/staging/stg_orders.sql', read('analytics/models/staging/stg_orders.sql'), { project: 'analytics' });
    const op = f.ddl[0]!;
    assert.equal(op.op, 'createTable');
    if (op.op !== 'createTable') return;
    assert.equal(op.table.name, 'stg_orders');
    assert.equal(op.table.dbt?.materialized, 'view');
    assert.deepEqual(op.table.columns.map((c) => c.name), ['order_id', 'customer_id', 'amount', 'status']);
    assert.equal(op.table.columns[2]!.typeFamily, 'numeric');
    assert.ok(f.tableRefs.some((t) => t.dbtRef?.kind === 'source' && t.name === 'customers'));
    assert.equal(f.joins.length, 1);
    assert.equal(f.joins[0]!.origin.line, 12);
  });

  it('reads the select, not a {% set %} or {% call statement() %} body, as the model; those bodies stay evidence', () => {
    // dbt's own pivot pattern: the methods come from run_query at compile time, so their columns cannot be named
    const sql = [
      '{%- set methods_query -%}',
      'select distinct m.payment_method from {{ ref("raw_payments") }} m',
      'join {{ ref("methods") }} k on k.method = m.payment_method',
      '{%- endset -%}',
      "{% call statement('first_order', fetch_result=True) %}",
      '  select min(ordered_at) as first_at from {{ ref("orders") }}',
      '{% endcall %}',
      '{% set methods = run_query(methods_query).columns[0].values() if execute else [] %}',
      'select',
      '  p.order_id,',
      '  {% for m in methods %}sum(case when p.payment_method = \'{{ m }}\' then p.amount end) as {{ m }}_amount,{% endfor %}',
      '  sum(p.amount) as total_amount',
      'from {{ ref("raw_payments") }} p',
      'group by 1',
    ].join('\n');
    const f = extractDbtModel('analytics/models/payments_pivot.sql', sql, { project: 'analytics' });
    const op = f.ddl[0]!;
    assert.equal(op.op, 'createTable');
    if (op.op !== 'createTable') return;
    assert.deepEqual(op.table.columns.map((c) => c.name), ['order_id', 'total_amount']);
    // the call body's ref is no parent: dbt does not render it when it parses the project
    assert.deepEqual(f.tableRefs.map((t) => t.name).sort(), ['methods', 'raw_payments', 'raw_payments']);
    assert.deepEqual(
      f.joins.map((j) => [j.left.column, j.right.column, j.origin.line]),
      [['method', 'payment_method', 3]],
    );
  });
});

describe('seeds and CSV', () => {
  it('reads RFC 4180 quoting: delimiters, doubled quotes and newlines inside quotes, CRLF', () => {
    const r = readCsv('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\r\n');
    assert.deepEqual(r.rows, [['a', 'b'], ['x, y', 'say "hi"'], ['multi\nline', '2']]);
    assert.equal(r.recordCount, 3);
    assert.equal(readCsv('a\n"open').unterminatedQuote, true);
  });

  it('infers types from values and keeps a sample', () => {
    const f = extractSeed('analytics/seeds/status_codes.csv', read('analytics/seeds/status_codes.csv'), { dbtSeed: { project: 'analytics' } });
    assert.deepEqual(f.data!.columns.map((c) => `${c.name}:${c.dataType}:${c.nullable}`), ['code:integer:false', 'label:text:false', 'active:boolean:true']);
    assert.deepEqual(f.data!.sampleRows[1], ['2', 'Shipped "fast"', 'false']);
    assert.equal(f.data!.rowCount, 3);
    const op = f.ddl[0]!;
    assert.ok(op.op === 'createTable' && op.table.kind === 'dbtSeed' && op.table.dbt?.uniqueId === 'seed.analytics.status_codes');
    assert.equal(extractSeed('d.csv', 'a;b\n1;2\n').data!.delimiter, ';');
    assert.equal(extractSeed('plain.csv', 'a,b\n1,2\n').ddl.length, 0);
  });
});

describe('dbt artifacts', () => {
  it('reads models from manifest.json, skipping tests and macros', () => {
    const f = extractDbtArtifact('analytics/target/manifest.json', read('analytics/target/manifest.json'));
    assert.equal(f.ddl.length, 1);
    const op = f.ddl[0]!;
    assert.ok(op.op === 'createTable');
    if (op.op !== 'createTable') return;
    assert.equal(`${op.table.schema}.${op.table.name}`, 'dbt_prod.stg_orders');
    assert.equal(op.table.origin.kind, 'dbt-manifest');
    assert.deepEqual(op.table.columns.map((c) => [c.name, c.dataType]), [['order_id', 'bigint']]);
  });

  it('reads catalog.json column types in index order', () => {
    const text = JSON.stringify({
      nodes: { 'model.p.m': { metadata: { schema: 'a', name: 'm', type: 'VIEW' }, columns: { B: { name: 'b', type: 'text', index: 2 }, A: { name: 'a', type: 'integer', index: 1 } } } },
      sources: { 'source.p.s.t': { metadata: { schema: 'raw', name: 't', type: 'BASE TABLE' }, columns: {} } },
    });
    const f = extractDbtArtifact('target/catalog.json', text);
    const tables = f.ddl.map((op) => (op.op === 'createTable' ? op.table : undefined)!);
    assert.deepEqual(tables.map((t) => `${t.schema}.${t.name}:${t.kind}`), ['a.m:dbtModel', 'raw.t:dbtSource']);
    assert.deepEqual(tables[0]!.columns.map((c) => `${c.name}:${c.typeFamily}`), ['a:integer', 'b:text']);
  });

  it('tolerates truncated artifacts', () => {
    const f = extractDbtArtifact('target/manifest.json', '{"nodes": {"model.p.a": {"resource_type": "model", "schema": "s", "name": "a"}, "model.p.b": {"na');
    assert.equal(f.ddl.length, 1);
    assert.equal(extractDbtArtifact('target/manifest.json', '').diagnostics.length, 1);
  });
});

describe('extractFile on bad input', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  it('handles empty, binary, invalid UTF-8 and unterminated input without throwing', () => {
    assert.equal(extractFile('a.sql', new Uint8Array(0), ctx).diagnostics.length, 0);
    assert.match(extractFile('a.sql', new Uint8Array([65, 0, 66]), ctx).diagnostics[0]!.message, /Binary/);
    const latin = extractFile('a.php', new Uint8Array([0x3c, 0x3f, 0x70, 0x68, 0x70, 0x20, 0x24, 0x61, 0x3d, 0x27, 0xe9, 0x27, 0x3b]), ctx);
    assert.ok(latin.diagnostics.some((d) => /UTF-8/.test(d.message)));
    for (const [file, text] of [['a.sql', "select 'abc"], ['b.py', 'x = """never'], ['c.yml', 'a: [1,'], ['d.csv', 'a,b\n"x'], ['e.ts', 'const a = `${'], ['f.java', 'enum E { A(1, "x']] as const) {
      const f = extractFile(file, enc(text), ctx);
      assert.equal(f.file, file);
    }
  });
});
