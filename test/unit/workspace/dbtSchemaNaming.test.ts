import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dbtSchemaOf, profileTarget, schemaNamingOf } from '../../../src/core/workspace/dbtSchemaNaming';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';

const macro = (body: string): string => `{% macro generate_schema_name(custom_schema_name, node) -%}\n${body}\n{%- endmacro %}\n`;

describe('dbt schema naming', () => {
  it("reads the project profile's target and schema, plain or as an env_var's default", () => {
    const profiles = `shop:\n  target: "{{ env_var('DBT_TARGET', 'ci') }}"\n  outputs:\n    ci:\n      schema: "{{ env_var('DBT_SCHEMA', 'analytics') }}"\n    prod:\n      schema: prod\nother:\n  target: dev\n  outputs:\n    dev:\n      schema: "{{ env_var('ONLY_AT_RUN_TIME') }}"\n`;
    assert.deepEqual(profileTarget(profiles, 'shop'), { name: 'ci', schema: 'analytics' });
    // an env_var with no default: dbt knows it only when it runs
    assert.equal(profileTarget(profiles, 'other'), undefined);
    const others = 'duck:\n  target: dev\n  outputs:\n    dev: { type: duckdb, path: x.duckdb }\nbq:\n  target: prod\n  outputs:\n    prod: { type: bigquery, dataset: marts }\npg:\n  target: dev\n  outputs:\n    dev: { type: postgres }\n';
    assert.deepEqual([profileTarget(others, 'duck'), profileTarget(others, 'bq'), profileTarget(others, 'pg')], [{ name: 'dev', schema: 'main' }, { name: 'prod', schema: 'marts' }, undefined]);
    assert.equal(profileTarget(profiles, 'missing'), undefined);
    assert.equal(profileTarget('not: [yaml', 'shop'), undefined);
  });

  it("tells dbt's own generate_schema_name and the common overrides apart, and admits what it cannot tell", () => {
    assert.equal(schemaNamingOf([], 'dev'), 'append', "no override: dbt's default");
    const dbtDefault = macro(`{%- set default_schema = target.schema -%}\n{%- if custom_schema_name is none -%}\n  {{ default_schema }}\n{%- else -%}\n  {{ default_schema }}_{{ custom_schema_name | trim }}\n{%- endif -%}`);
    assert.equal(schemaNamingOf([dbtDefault], 'dev'), 'append');
    const asIs = macro(`{%- set default_schema = target.schema -%}\n{%- if custom_schema_name is none -%}\n  {{ default_schema }}\n{%- else -%}\n  {{ custom_schema_name | trim }}\n{%- endif -%}`);
    assert.equal(schemaNamingOf([asIs], 'dev'), 'as-is');
    const forEnv = macro('  {{ generate_schema_name_for_env(custom_schema_name, node) }}');
    assert.equal(schemaNamingOf([forEnv], 'dev'), 'target');
    assert.equal(schemaNamingOf([forEnv], 'prod'), 'as-is');
    assert.equal(schemaNamingOf([macro("{{ 'x_' ~ node.fqn[1] }}")], 'dev'), undefined);
    assert.equal(schemaNamingOf(['-- mentions generate_schema_name in a comment only'], 'dev'), 'append');
  });

  it('places a relation by the naming, or as before without one', () => {
    assert.equal(dbtSchemaOf(undefined, undefined), 'public');
    assert.equal(dbtSchemaOf(undefined, 'staging'), 'staging');
    assert.equal(dbtSchemaOf({ target: 'analytics', custom: 'append' }, undefined), 'analytics');
    assert.equal(dbtSchemaOf({ target: 'analytics', custom: 'append' }, ' staging '), 'analytics_staging');
    assert.equal(dbtSchemaOf({ target: 'analytics', custom: 'as-is' }, 'staging'), 'staging');
    assert.equal(dbtSchemaOf({ target: 'analytics', custom: 'target' }, 'staging'), 'analytics');
  });

  it("builds on the user's target schema (quarry.dbt.targetSchema) when the project carries no profiles.yml", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'quarry-naming-'));
    try {
      mkdirSync(path.join(root, 'models', 'staging'), { recursive: true });
      writeFileSync(path.join(root, 'dbt_project.yml'), 'name: shop\nprofile: shop\nmodels:\n  shop:\n    staging:\n      +schema: staging\n');
      writeFileSync(path.join(root, 'models', 'staging', 'stg_orders.sql'), 'select 1 as order_id\n');
      writeFileSync(path.join(root, 'models', 'orders.sql'), "select * from {{ ref('stg_orders') }}\n");
      const placed = async (dbtTargetSchema?: string): Promise<string[]> => {
        const indexer = new WorkspaceIndexer({ root, dbtTargetSchema });
        try {
          return (await indexer.indexAll()).catalog.tables.map((t) => `${t.schema}.${t.name}`).sort();
        } finally {
          await indexer.dispose();
        }
      };
      assert.deepEqual(await placed(), ['public.orders', 'staging.stg_orders'], 'no profile, no setting: as before');
      assert.deepEqual(await placed('dbt_alice'), ['dbt_alice.orders', 'dbt_alice_staging.stg_orders']);
      // the project's own profile wins over the setting
      writeFileSync(path.join(root, 'profiles.yml'), 'shop:\n  target: ci\n  outputs:\n    ci:\n      schema: ci_run\n');
      assert.deepEqual(await placed('dbt_alice'), ['ci_run.orders', 'ci_run_staging.stg_orders']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('moves the relations when profiles.yml or the macro changes, and leaves them when another macro does', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'quarry-naming-'));
    const indexer = new WorkspaceIndexer({ root });
    try {
      mkdirSync(path.join(root, 'models', 'staging'), { recursive: true });
      mkdirSync(path.join(root, 'macros'), { recursive: true });
      writeFileSync(path.join(root, 'dbt_project.yml'), 'name: shop\nprofile: shop\nmodels:\n  shop:\n    staging:\n      +schema: staging\n');
      writeFileSync(path.join(root, 'models', 'staging', 'stg_orders.sql'), 'select 1 as order_id\n');
      writeFileSync(path.join(root, 'models', 'orders.sql'), "select * from {{ ref('stg_orders') }}\n");
      const profile = (schema: string): void => writeFileSync(path.join(root, 'profiles.yml'), `shop:\n  target: dev\n  outputs:\n    dev:\n      schema: ${schema}\n`);
      profile('analytics');
      const where = async (): Promise<string[]> => (await indexer.snapshot()).catalog.tables.map((t) => `${t.schema}.${t.name}`).sort();
      await indexer.indexAll();
      assert.deepEqual(await where(), ['analytics.orders', 'analytics_staging.stg_orders']);
      profile('dbt_alice');
      await indexer.update([path.join(root, 'profiles.yml')]);
      assert.deepEqual(await where(), ['dbt_alice.orders', 'dbt_alice_staging.stg_orders']);
      writeFileSync(path.join(root, 'macros', 'cents.sql'), '{% macro cents(x) %}({{ x }} / 100){% endmacro %}\n');
      await indexer.update([path.join(root, 'macros', 'cents.sql')]);
      assert.deepEqual(await where(), ['dbt_alice.orders', 'dbt_alice_staging.stg_orders']);
      writeFileSync(path.join(root, 'macros', 'generate_schema_name.sql'), macro('{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}'));
      await indexer.update([path.join(root, 'macros', 'generate_schema_name.sql')]);
      assert.deepEqual(await where(), ['dbt_alice.orders', 'staging.stg_orders']);
    } finally {
      await indexer.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
