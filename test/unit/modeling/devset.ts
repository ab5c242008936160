/** Loads the join-inference dev set with the real DDL parser and catalog builder. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import type { CatalogSnapshot } from '../../../src/core/catalog/model';
import { evaluateProposals, microAverage, type EvalDetail, type EvalFigures, type KnownRelationship } from '../../../src/core/modeling/evaluation';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { parseSql } from '../../../src/core/sql/index';
import { emptyFacts } from '../../../src/core/workspace/facts';

export const DEVSET_DIR = path.resolve(__dirname, '../../fixtures/joins-devset');

export interface DevSchema {
  name: string;
  split: 'dev' | 'heldout';
  description: string;
  catalog: CatalogSnapshot;
  relationships: KnownRelationship[];
}

export function catalogFromDdl(text: string, file: string): CatalogSnapshot {
  const parsed = parseSql(text, file);
  return buildCatalog([{ ...emptyFacts(file, 'sql'), ddl: parsed.ddl, joins: parsed.queries.joins }]);
}

export function loadDevSet(): DevSchema[] {
  return readdirSync(DEVSET_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(DEVSET_DIR, d.name, 'answers.json')))
    .map((d) => {
      const dir = path.join(DEVSET_DIR, d.name);
      const answers = JSON.parse(readFileSync(path.join(dir, 'answers.json'), 'utf8')) as { split: 'dev' | 'heldout'; description: string; relationships: KnownRelationship[] };
      const file = `joins-devset/${d.name}/schema.sql`;
      return { name: d.name, split: answers.split, description: answers.description, catalog: catalogFromDdl(readFileSync(path.join(dir, 'schema.sql'), 'utf8'), file), relationships: answers.relationships };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface DevSetReport {
  perSchema: Array<{ name: string; split: string } & EvalDetail>;
  dev: EvalFigures;
  heldout: EvalFigures;
  all: EvalFigures;
}

/** Schema-only evaluation: DDL alone, no queries, no data, no model. */
export function evaluateDevSet(schemas: DevSchema[] = loadDevSet()): DevSetReport {
  const perSchema = schemas.map((s) => ({ name: s.name, split: s.split, ...evaluateProposals(inferJoins(s.catalog, { sources: { queries: false } }), s.relationships) }));
  return {
    perSchema,
    dev: microAverage(perSchema.filter((p) => p.split === 'dev')),
    heldout: microAverage(perSchema.filter((p) => p.split === 'heldout')),
    all: microAverage(perSchema),
  };
}

/**
 * Naive baseline for comparison: a column whose name equals another table's single-column primary key name,
 * or `<table>_id` / `<singular table>_id` against a key named `id`.
 */
export function naiveBaseline(schemas: DevSchema[]): EvalFigures {
  const parts = schemas.map((s) => {
    const proposals = [] as Parameters<typeof evaluateProposals>[0][number][];
    const pks = s.catalog.tables.flatMap((t) => t.constraints.filter((c) => c.kind === 'primaryKey' && c.columns.length === 1).map((c) => ({ t, col: c.columns[0]!.toLowerCase() })));
    for (const t of s.catalog.tables) for (const c of t.columns) {
      const n = c.name.toLowerCase();
      for (const pk of pks) {
        if (pk.t === t) continue;
        const tn = pk.t.name.toLowerCase();
        const hit = (pk.col === n && n !== 'id') || (pk.col === 'id' && (n === `${tn}_id` || n === `${tn.replace(/s$/, '')}_id`));
        if (hit) proposals.push({ from: { schema: t.schema, table: t.name }, fromColumns: [c.name], to: { schema: pk.t.schema, table: pk.t.name }, toColumns: [pk.col] } as never);
      }
    }
    return evaluateProposals(proposals, s.relationships);
  });
  return microAverage(parts);
}
