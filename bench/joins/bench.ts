/**
 * Join inference at warehouse scale: 2,000 tables / 50,000 columns, schema only.
 * Baseline in the same run: building the column index alone (one pass that tokenizes every column).
 * Prints one JSON line and writes bench/results/joins.json.
 *   node --import tsx bench/joins/bench.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CatalogSnapshot, ColumnDef, TableDef } from '../../src/core/catalog/model';
import { buildColumnIndex } from '../../src/core/modeling/columnIndex';
import { inferJoins } from '../../src/core/modeling/inferJoins';

const TABLES = 2000;
const COLUMNS = 50000;
const ENTITIES = ['customer', 'order', 'product', 'store', 'employee', 'supplier', 'invoice', 'payment', 'shipment', 'account',
  'region', 'country', 'city', 'address', 'category', 'brand', 'campaign', 'contract', 'device', 'event', 'ticket', 'vendor', 'warehouse'];
const ATTRS = ['name', 'description', 'amount', 'status', 'created_at', 'updated_at', 'quantity', 'price', 'code', 'note', 'flag', 'score', 'email', 'phone'];

/** Deterministic pseudo-random numbers so every run measures the same catalog. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function syntheticCatalog(): CatalogSnapshot {
  const rand = rng(42);
  const origin = { kind: 'ddl' as const, file: 'bench.sql' };
  const tables: TableDef[] = [];
  const names: string[] = [];
  for (let i = 0; i < TABLES; i++) names.push(`${ENTITIES[i % ENTITIES.length]}_${Math.floor(i / ENTITIES.length)}`);
  const perTable = COLUMNS / TABLES;
  for (let i = 0; i < TABLES; i++) {
    const name = names[i]!;
    const columns: ColumnDef[] = [{ name: `${name}_id`, dataType: 'bigint', typeFamily: 'integer', nullable: false, origin }];
    while (columns.length < perTable) {
      const r = rand();
      if (r < 0.25) {
        const target = names[Math.floor(rand() * TABLES)]!;
        const role = rand() < 0.2 ? ['bill_', 'ship_', 'parent_', 'origin_'][Math.floor(rand() * 4)] : '';
        columns.push({ name: `${role}${target}_id`, dataType: 'bigint', typeFamily: 'integer', origin });
      } else {
        columns.push({ name: `${ATTRS[Math.floor(rand() * ATTRS.length)]}_${columns.length}`, dataType: 'varchar(100)', typeFamily: 'text', origin });
      }
    }
    tables.push({ schema: `s${i % 10}`, name, kind: 'table', columns, constraints: [{ kind: 'primaryKey', columns: [`${name}_id`], origin }], origin });
  }
  return { tables, conflicts: [] };
}

function timeIt<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

const catalog = syntheticCatalog();
const columns = catalog.tables.reduce((n, t) => n + t.columns.length, 0);
// warm-up (JIT), then measure: best of 3 for the baseline, median of 3 for inference
timeIt(() => inferJoins(catalog));
const base = [0, 1, 2].map(() => timeIt(() => buildColumnIndex(catalog.tables)).ms).sort((a, b) => a - b);
const runs = [0, 1, 2].map(() => timeIt(() => inferJoins(catalog)));
const infer = runs.map((r) => r.ms).sort((a, b) => a - b);
const proposals = runs[0]!.value.length;
const inferMs = infer[1]!;
const baselineMs = base[0]!;
const result = {
  bench: 'joins',
  tables: catalog.tables.length,
  columns,
  proposals,
  inferMs: Math.round(inferMs),
  baselineIndexMs: Math.round(baselineMs),
  ratioToBaseline: Number((inferMs / baselineMs).toFixed(2)),
  budgetMs: 5000,
  withinBudget: inferMs <= 5000,
  heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
  node: process.version,
};
const out = path.resolve(__dirname, '..', 'results', 'joins.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result));
