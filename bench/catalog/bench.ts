/**
 * Catalog build benchmark: 20,000 schema-qualified tables, then one COMMENT ON TABLE per table written with the
 * schema (baseline) or without it (resolved by name, as hand-written migrations do). Unqualified names must resolve
 * in constant time: the two builds should take about as long. Prints one JSON line, writes bench/results/catalog.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildCatalog } from '../../src/core/catalog/catalog';
import type { Origin, TableDef } from '../../src/core/catalog/model';
import type { DdlOperation } from '../../src/core/sql/types';
import { emptyFacts } from '../../src/core/workspace/facts';

const TABLES = 20_000;
const SCHEMAS = ['sales', 'crm', 'ops', 'finance'];

function facts(qualified: boolean): ReturnType<typeof emptyFacts>[] {
  const origin = (line: number): Origin => ({ kind: 'ddl', file: 'schema.sql', line });
  const ddl: DdlOperation[] = [];
  for (let i = 0; i < TABLES; i++) {
    const table: TableDef = { schema: SCHEMAS[i % SCHEMAS.length]!, name: `t_${i}`, kind: 'table', columns: [{ name: 'id', origin: origin(i) }, { name: 'name', origin: origin(i) }], constraints: [], origin: origin(i) };
    ddl.push({ op: 'createTable', table });
  }
  for (let i = 0; i < TABLES; i++) {
    const name = { schema: qualified ? SCHEMAS[i % SCHEMAS.length] : undefined, name: `t_${i}` };
    ddl.push({ op: 'comment', target: { kind: 'table', table: name }, text: `table ${i}`, origin: origin(TABLES + i) });
  }
  const f = emptyFacts('schema.sql', 'sql');
  f.ddl = ddl;
  return [f];
}

function time(qualified: boolean): number {
  const input = facts(qualified);
  const started = performance.now();
  const catalog = buildCatalog(input);
  const ms = performance.now() - started;
  if (catalog.tables.filter((t) => t.comment).length !== TABLES) throw new Error('comments did not resolve');
  return ms;
}

time(true); // warm-up
const qualifiedMs = Math.min(time(true), time(true));
const unqualifiedMs = Math.min(time(false), time(false));
const result = { tables: TABLES, qualifiedMs: Math.round(qualifiedMs), unqualifiedMs: Math.round(unqualifiedMs), unqualifiedOverQualified: +(unqualifiedMs / qualifiedMs).toFixed(2) };
process.stdout.write(JSON.stringify(result) + '\n');
const out = path.resolve(__dirname, '../results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'catalog.json'), JSON.stringify(result, null, 2) + '\n');
