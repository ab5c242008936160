/**
 * Join proposals as dbt `relationships` tests with dbterd-style `meta.relationship_type`, laid out as dbt reads
 * properties: each test under the section of the resource it belongs to (`models:`, `seeds:`, `snapshots:`, or a
 * source's `tables:`), named as dbt names it, its `to:` a `ref()` or `source()`.
 */
import { dbtNodeName, dbtReference } from '../catalog/dbtNodes';
import type { TableDef } from '../catalog/model';
import type { Cardinality, JoinProposal, TableRef } from './types';

/** Where a test is declared in a properties file: the resource's section and dbt name (a source's table: `source`). */
export interface DbtTestHost {
  section: 'models' | 'seeds' | 'snapshots' | 'sources';
  name: string;
  /** For `sources`: the source's name (`name` is its table's). */
  source?: string;
}

export interface DbtRelationshipTest {
  host: DbtTestHost;
  column: string;
  /** `ref('customers')` or `source('sales', 'orders')` */
  to: string;
  field: string;
  /** dbterd reads this from the test's meta. */
  relationshipType: Cardinality;
  /** Where the proposal stands, for a YAML comment. */
  score: number;
  proposalId: string;
}

export interface DbtRelationshipExport {
  tests: DbtRelationshipTest[];
  /** Proposals dbt could not test: a side that is no dbt resource (a warehouse table no source declares). */
  outsideDbt: number;
  /** Proposals the host already tests (a relationships test on that column to that relation and field). */
  alreadyTested: number;
}

/**
 * Single-column proposals (dbt's relationships test checks one column) as dbt tests. `relation` gives the catalog's
 * relation for a proposal's side; `targetOf` the relation a written `to:` names (catalog resolution), to leave out
 * what the project already tests.
 */
export function toDbtRelationshipTests(
  proposals: readonly JoinProposal[],
  relation: (ref: TableRef) => TableDef | undefined,
  targetOf: (to: string, host: TableDef) => TableDef | undefined = () => undefined,
  minScore = 0,
): DbtRelationshipExport {
  const out: DbtRelationshipExport = { tests: [], outsideDbt: 0, alreadyTested: 0 };
  for (const p of proposals) {
    if (p.fromColumns.length !== 1 || p.score < minScore) continue;
    const from = relation(p.from);
    const to = relation(p.to);
    const host = from && hostOf(from);
    const target = to && referenceTo(to);
    if (!from || !to || !host || !target) {
      out.outsideDbt++;
      continue;
    }
    const column = p.fromColumns[0]!;
    const field = p.toColumns[0]!;
    const tested = (from.tests ?? []).some((t) => t.name.split('.').pop() === 'relationships' && t.column?.toLowerCase() === column.toLowerCase()
      && String(argument(t.arguments, 'field') ?? '').toLowerCase() === field.toLowerCase() && targetOf(String(argument(t.arguments, 'to') ?? ''), from) === to);
    if (tested) {
      out.alreadyTested++;
      continue;
    }
    out.tests.push({ host, column, to: target, field, relationshipType: p.cardinality, score: p.score, proposalId: p.id });
  }
  return out;
}

function argument(args: Record<string, unknown>, key: string): unknown {
  const nested = args['arguments'];
  return (nested && typeof nested === 'object' ? (nested as Record<string, unknown>)[key] : undefined) ?? args[key];
}

function hostOf(t: TableDef): DbtTestHost | undefined {
  const name = dbtNodeName(t);
  if (!name) return undefined;
  switch (t.dbt?.resourceType) {
    case 'model':
      return { section: 'models', name };
    case 'seed':
      return { section: 'seeds', name };
    case 'snapshot':
      return { section: 'snapshots', name };
    case 'source':
      return t.dbt.sourceName ? { section: 'sources', name, source: t.dbt.sourceName } : undefined;
    default:
      return undefined;
  }
}

function referenceTo(t: TableDef): string | undefined {
  return dbtReference(t)?.call;
}

/** The test entry as it appears under a column's `data_tests:` (plain object, YAML-ready). */
export function dbtTestEntry(t: DbtRelationshipTest): Record<string, unknown> {
  return { relationships: { arguments: { to: t.to, field: t.field }, config: { meta: { relationship_type: t.relationshipType } } } };
}

/** A properties document (`version: 2` and its sections) holding the tests, each under its resource and column. */
export function relationshipsProperties(tests: readonly DbtRelationshipTest[]): Record<string, unknown> {
  const columnsOf = (list: DbtRelationshipTest[]) => {
    const byColumn = new Map<string, unknown[]>();
    for (const t of list) byColumn.set(t.column, [...(byColumn.get(t.column) ?? []), dbtTestEntry(t)]);
    return [...byColumn].map(([name, dataTests]) => ({ name, data_tests: dataTests }));
  };
  const group = <K>(list: DbtRelationshipTest[], key: (t: DbtRelationshipTest) => K): Map<K, DbtRelationshipTest[]> => {
    const m = new Map<K, DbtRelationshipTest[]>();
    for (const t of list) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
    return m;
  };
  const doc: Record<string, unknown> = { version: 2 };
  for (const section of ['models', 'seeds', 'snapshots'] as const) {
    const inSection = tests.filter((t) => t.host.section === section);
    if (inSection.length) doc[section] = [...group(inSection, (t) => t.host.name)].map(([name, list]) => ({ name, columns: columnsOf(list) }));
  }
  const sourced = tests.filter((t) => t.host.section === 'sources');
  if (sourced.length) {
    doc['sources'] = [...group(sourced, (t) => t.host.source!)].map(([source, list]) => ({
      name: source,
      tables: [...group(list, (t) => t.host.name)].map(([name, own]) => ({ name, columns: columnsOf(own) })),
    }));
  }
  return doc;
}
