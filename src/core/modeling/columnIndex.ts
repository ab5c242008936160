/**
 * One pass over the catalog that parses every column name once (prefix, tokens, entity, key suffix) and decides each
 * table's key. Candidate generation then only does hash look-ups in this index: never all column pairs.
 */
import type { ColumnDef, DbtTest, TableDef, TypeFamily } from '../catalog/model';
import { canonToken, splitGluedSuffix, tableEntityNames, tokenize } from './names';
import type { TableRef } from './types';
import type { QualifiedName } from '../sql/types';
import { answersCall, dbtCallKey, dbtNodeKey } from '../catalog/dbtNodes';

export type SuffixClass = 'ID' | 'CODE';

export interface ColumnInfo {
  table: TableInfo;
  def: ColumnDef;
  name: string;
  /** Name without the table's TPC-style prefix (o_custkey → custkey). */
  stripped: string;
  /** Canonical entity tokens before the key suffix (bill_cust_no → [bill, customer]). */
  entity: string[];
  suffix?: SuffixClass;
  /** Canonical whole-name key, e.g. "customer#ID"; used for exact key-name matches. */
  canon: string;
  family?: TypeFamily;
  width?: number;
  position: number;
}

export type KeyKind = 'declared-pk' | 'declared-unique' | 'inferred-strong' | 'inferred-weak';

export interface TableKey {
  columns: ColumnInfo[];
  kind: KeyKind;
  reason: string;
}

export interface TableInfo {
  ref: TableRef;
  def: TableDef;
  columns: ColumnInfo[];
  byName: Map<string, ColumnInfo>;
  prefix?: string;
  entity: { primary: string; alternates: string[] };
  /** Keys: the primary key (declared or inferred) first, then unique constraints. */
  keys: TableKey[];
  /** Dimension-like (dim_/lookup) or fact-like (fact_/fct_) by name. */
  role?: 'dimension' | 'fact';
}

export interface ColumnIndex {
  tables: TableInfo[];
  tableByKey: Map<string, TableInfo>;
  /** Lower-case bare name → tables of that name in any schema. */
  tablesByName: Map<string, TableInfo[]>;
  /** dbt nodes by what `ref()`/`source()` call them (dbtNodeKey): an alias, a version or a source's schema put them elsewhere. */
  dbtNodes: Map<string, TableInfo[]>;
}

const ID_CLASS = new Set(['id', 'key', 'sk', 'no', 'num', 'nbr', 'number', 'uuid', 'guid', 'fk']);

export function suffixClass(token: string): SuffixClass | undefined {
  if (ID_CLASS.has(token)) return 'ID';
  if (token === 'code' || token === 'cd') return 'CODE';
  return undefined;
}

export function tableKeyOf(schema: string, table: string): string {
  return `${schema.toLowerCase()}.${table.toLowerCase()}`;
}

/** A shared `x_` prefix on most columns (TPC style). Only short prefixes count. */
function detectPrefix(columns: ColumnDef[]): string | undefined {
  if (columns.length < 2) return undefined;
  const counts = new Map<string, number>();
  for (const c of columns) {
    const m = /^([A-Za-z]{1,4})_[A-Za-z0-9]/.exec(c.name);
    if (m) counts.set(m[1].toLowerCase(), (counts.get(m[1].toLowerCase()) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestN = 0;
  for (const [p, n] of counts) if (n > bestN) { best = p; bestN = n; }
  if (!best || bestN < Math.max(2, Math.ceil(columns.length * 0.7))) return undefined;
  if (best === 'id' || best === 'key') return undefined;
  return best;
}

function parseWidth(dataType: string | undefined): number | undefined {
  const m = dataType ? /\(\s*(\d+)/.exec(dataType) : null;
  return m ? Number(m[1]) : undefined;
}

function familyOf(def: ColumnDef): TypeFamily | undefined {
  if (def.typeFamily) return def.typeFamily;
  const t = def.dataType?.toLowerCase();
  if (!t) return undefined;
  if (/^(small|big)?int|integer|serial|int[248]/.test(t)) return 'integer';
  if (/^(numeric|decimal|number)/.test(t)) return 'numeric';
  if (/^(real|float|double)/.test(t)) return 'float';
  if (/char|text|string|bpchar|varchar/.test(t)) return 'text';
  if (/^bool/.test(t)) return 'boolean';
  if (/^timestamp/.test(t)) return 'timestamp';
  if (/^date/.test(t)) return 'date';
  if (/^time/.test(t)) return 'time';
  return 'other';
}

function analyseColumn(table: TableInfo, def: ColumnDef, position: number): ColumnInfo {
  const lower = def.name.toLowerCase();
  const stripped = table.prefix && lower.startsWith(table.prefix + '_') ? def.name.slice(table.prefix.length + 1) : def.name;
  const tokens = tokenize(stripped).flatMap(splitGluedSuffix);
  let suffix: SuffixClass | undefined;
  let entityTokens = tokens;
  if (tokens.length > 0) {
    const cls = suffixClass(tokens[tokens.length - 1]);
    if (cls) {
      suffix = cls;
      entityTokens = tokens.slice(0, -1);
    }
  }
  const entity = entityTokens.map(canonToken);
  return {
    table,
    def,
    name: def.name,
    stripped,
    entity,
    suffix,
    canon: `${entity.join(' ')}#${suffix ?? ''}`,
    family: familyOf(def),
    width: parseWidth(def.dataType),
    position,
  };
}

function inferKey(t: TableInfo): TableKey | undefined {
  const { primary, alternates } = t.entity;
  let best: { col: ColumnInfo; rank: number; reason: string } | undefined;
  for (const c of t.columns) {
    let rank = 0;
    let reason = '';
    const ent = c.entity.join(' ');
    if (c.suffix && ent === '') { rank = 5; reason = `column "${c.name}" is named like a surrogate key`; }
    else if (c.suffix && (ent === primary || alternates.includes(ent))) { rank = 4; reason = `"${c.name}" names the table's own entity`; }
    else if (c.def.identity) { rank = 3; reason = `"${c.name}" is an IDENTITY column`; }
    else if (c.position === 0 && c.suffix && c.def.nullable === false) { rank = 2; reason = `"${c.name}" is the first column, NOT NULL, key-like name`; }
    else if (c.position === 0 && c.suffix === 'ID') { rank = 1; reason = `"${c.name}" is the first column with a key-like name`; }
    if (rank > 0 && (!best || rank > best.rank)) best = { col: c, rank, reason };
  }
  if (!best) return undefined;
  return { columns: [best.col], kind: best.rank >= 4 ? 'inferred-strong' : 'inferred-weak', reason: best.reason };
}

function analyseTable(def: TableDef): TableInfo {
  const ref = { schema: def.schema, table: def.name };
  const t: TableInfo = {
    ref,
    def,
    columns: [],
    byName: new Map(),
    prefix: detectPrefix(def.columns),
    entity: tableEntityNames(def.name),
    keys: [],
  };
  const lowerName = def.name.toLowerCase();
  if (/^(dim|d|lkp|lookup|ref|lu)_/.test(lowerName) || /_(dim|lookup|lkp|ref)$/.test(lowerName)) t.role = 'dimension';
  else if (/^(fact|fct|f)_/.test(lowerName) || /_(fact|fct)$/.test(lowerName)) t.role = 'fact';
  def.columns.forEach((c, i) => {
    const info = analyseColumn(t, c, i);
    t.columns.push(info);
    t.byName.set(c.name.toLowerCase(), info);
  });
  const resolve = (names: string[]) => {
    const cols = names.map((n) => t.byName.get(n.toLowerCase()));
    return cols.every((c): c is ColumnInfo => !!c) ? cols : undefined;
  };
  for (const con of def.constraints) {
    if (con.kind === 'primaryKey') {
      const cols = resolve(con.columns);
      if (cols) t.keys.unshift({ columns: cols, kind: 'declared-pk', reason: 'declared PRIMARY KEY' });
    } else if (con.kind === 'unique') {
      const cols = resolve(con.columns);
      if (cols) t.keys.push({ columns: cols, kind: 'declared-unique', reason: 'declared UNIQUE' });
    }
  }
  // dbt `unique` tests count like a declared UNIQUE, and so do the tests declaring a composite one
  for (const test of def.tests ?? []) {
    // a column's `unique`, or a model's with `column_name:` naming one column (an expression there is no key)
    const uniqueColumn = test.name === 'unique' ? (test.column ?? modelLevelColumn(test)) : undefined;
    if (uniqueColumn) {
      const cols = resolve([uniqueColumn]);
      if (cols) t.keys.push({ columns: cols, kind: 'declared-unique', reason: `dbt unique test` });
      continue;
    }
    const combination = uniqueCombination(test);
    const cols = combination && resolve(combination);
    if (cols?.length) t.keys.push({ columns: cols, kind: 'declared-unique', reason: `dbt ${test.name} test` });
  }
  if (def.kind === 'dbtSnapshot') {
    // a snapshot keeps a row per version of each source row: its unique_key repeats, dbt_scd_id does not
    const scd = resolve(['dbt_scd_id']);
    if (scd) t.keys.push({ columns: scd, kind: 'declared-unique', reason: 'dbt snapshot row id' });
  } else if (!t.keys.some((k) => k.kind === 'declared-pk')) {
    const inferred = inferKey(t);
    if (inferred && !t.keys.some((k) => k.columns.length === 1 && k.columns[0] === inferred.columns[0])) t.keys.unshift(inferred);
  }
  return t;
}

/** A model-level test's `column_name:` argument when it names one column. */
function modelLevelColumn(test: DbtTest): string | undefined {
  const nested = test.arguments['arguments'];
  const v = (nested && typeof nested === 'object' ? (nested as Record<string, unknown>)['column_name'] : undefined) ?? test.arguments['column_name'];
  return typeof v === 'string' && /^\s*[A-Za-z_][A-Za-z0-9_$]*\s*$/.test(v) ? v.trim() : undefined;
}

/**
 * The columns a dbt test declares unique together: dbt_utils' `unique_combination_of_columns`
 * (`combination_of_columns`), dbt_constraints' `primary_key` / `unique_key` (`column_names`); arguments at the top
 * level or under `arguments:`.
 */
function uniqueCombination(test: DbtTest): string[] | undefined {
  const bare = test.name.split('.').pop();
  const nested = test.arguments['arguments'];
  const args = nested && typeof nested === 'object' ? { ...test.arguments, ...(nested as Record<string, unknown>) } : test.arguments;
  const list = bare === 'unique_combination_of_columns' ? args['combination_of_columns'] : (bare === 'primary_key' || bare === 'unique_key') && test.name.includes('.') ? args['column_names'] : undefined;
  return Array.isArray(list) && list.length > 0 && list.every((c): c is string => typeof c === 'string') ? list : undefined;
}

export function buildColumnIndex(tables: TableDef[]): ColumnIndex {
  const index: ColumnIndex = { tables: [], tableByKey: new Map(), tablesByName: new Map(), dbtNodes: new Map() };
  for (const def of tables) {
    const info = analyseTable(def);
    index.tables.push(info);
    index.tableByKey.set(tableKeyOf(def.schema, def.name), info);
    pushTo(index.tablesByName, def.name.toLowerCase(), info);
    const node = dbtNodeKey(def);
    if (node) pushTo(index.dbtNodes, node, info);
  }
  return index;
}

function pushTo<V>(m: Map<string, V[]>, key: string, v: V): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

/**
 * The relation a query or a test names, as dbt resolves it: `ref('m')` is the relation model m builds (its alias, its
 * latest version; `ref('pkg', 'm')` m of that package, `ref('m', v=1)` that version), `source('s', 't')` the table
 * source s declares (its schema and identifier). A ref to no node in the index is taken by its name, but never for a
 * source. Plain names go through findTable.
 */
export function resolveTable(index: ColumnIndex, q: QualifiedName, preferSchema?: string): TableInfo | undefined {
  const ref = q.dbtRef;
  if (!ref) return findTable(index, q.schema, q.name, preferSchema);
  let hits = (index.dbtNodes.get(dbtCallKey(ref)) ?? []).filter((t) => answersCall(t.def, ref));
  const pkg = ref.kind === 'ref' && ref.args.length > 1 ? ref.args[0]!.toLowerCase() : undefined;
  if (pkg && hits.length > 1) hits = hits.filter((t) => t.def.dbt!.uniqueId!.toLowerCase().split('.')[1] === pkg);
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) return undefined; // two projects' nodes of one name: not guessed
  const literal = findTable(index, q.schema, q.name, preferSchema);
  return ref.kind === 'ref' && literal?.def.dbt?.resourceType === 'source' ? undefined : literal;
}

/** The single column of a table's best single-column key, if any. */
export function singleKeys(t: TableInfo): TableKey[] {
  return t.keys.filter((k) => k.columns.length === 1);
}

export function findTable(index: ColumnIndex, schema: string | undefined, name: string, preferSchema?: string): TableInfo | undefined {
  if (schema) return index.tableByKey.get(tableKeyOf(schema, name));
  const lower = name.toLowerCase();
  if (preferSchema) {
    const hit = index.tableByKey.get(tableKeyOf(preferSchema, name));
    if (hit) return hit;
  }
  const pub = index.tableByKey.get(tableKeyOf('public', name));
  if (pub) return pub;
  return index.tablesByName.get(lower)?.[0];
}
