/** Candidates from explicit evidence: declared foreign keys, joins written in workspace SQL, dbt relationships tests. */
import type { DbtTest, SemanticEntity } from '../catalog/model';
import type { DbtRefCall, JoinPair, QualifiedName } from '../sql/types';
import { isDeclaredByApplication } from '../catalog/joinUsage';
import type { CandidateSet } from './candidates';
import { findTable, resolveTable, type ColumnIndex, type ColumnInfo, type TableInfo } from './columnIndex';

export function addDeclaredForeignKeys(index: ColumnIndex, out: CandidateSet): void {
  for (const from of index.tables) {
    for (const con of from.def.constraints) {
      if (con.kind !== 'foreignKey' || !con.references) continue;
      const to = findTable(index, con.references.schema ?? undefined, con.references.table, from.ref.schema);
      if (!to) continue;
      const fromCols = resolveColumns(from, con.columns);
      const toNames = con.references.columns.length ? con.references.columns : (to.keys[0]?.columns.map((c) => c.name) ?? []);
      const toCols = resolveColumns(to, toNames);
      if (!fromCols || !toCols || fromCols.length !== toCols.length) continue;
      const detail = `FOREIGN KEY (${con.columns.join(', ')}) REFERENCES ${to.def.name} (${toNames.join(', ')})${con.name ? ` [${con.name}]` : ''}`;
      out.add(from, fromCols, to, toCols, { kind: 'declared-fk', detail, file: con.origin.file, line: con.origin.line, weight: 0.99 });
    }
  }
}

function resolveColumns(t: TableInfo, names: string[]): ColumnInfo[] | undefined {
  const cols = names.map((n) => t.byName.get(n.toLowerCase()));
  return cols.length && cols.every((c): c is ColumnInfo => !!c) ? cols : undefined;
}

function isSingleKey(c: ColumnInfo): boolean {
  return c.table.keys.some((k) => k.columns.length === 1 && k.columns[0] === c);
}

function ownsEntity(c: ColumnInfo): boolean {
  return c.entity.length > 0 && c.entity.join('') === c.table.entity.primary.replace(/ /g, '');
}

/** Which side of an undirected equality is the referenced key. Returns [from, to]. */
export function orientPair(a: ColumnInfo, b: ColumnInfo): [ColumnInfo, ColumnInfo] {
  const aKey = isSingleKey(a);
  const bKey = isSingleKey(b);
  if (bKey && !aKey) return [a, b];
  if (aKey && !bKey) return [b, a];
  if (ownsEntity(a) && !ownsEntity(b)) return [b, a];
  if (a.table.role === 'dimension' && b.table.role !== 'dimension') return [b, a];
  return [a, b];
}

interface ResolvedPair {
  pair: JoinPair;
  left: ColumnInfo;
  right: ColumnInfo;
}

export function addQueryJoins(index: ColumnIndex, joins: readonly JoinPair[], out: CandidateSet): void {
  const resolved: ResolvedPair[] = [];
  const declaredByOrm: ResolvedPair[] = [];
  for (const j of joins) {
    if (!j.left.table || !j.right.table) continue;
    const lt = resolveTable(index, j.left.table);
    const rt = resolveTable(index, j.right.table);
    const lc = lt?.byName.get(j.left.column.toLowerCase());
    const rc = rt?.byName.get(j.right.column.toLowerCase());
    if (!lc || !rc || lc === rc) continue;
    (isDeclaredByApplication(j) ? declaredByOrm : resolved).push({ pair: j, left: lc, right: rc });
  }
  addDeclaredByApplication(declaredByOrm, out);
  const inComposites = addCompositeQueryJoins(resolved, out);
  for (const r of resolved) {
    if (inComposites.has(r)) continue;
    const [from, to] = orientPair(r.left, r.right);
    out.add(from.table, [from], to.table, [to], { kind: 'query-join', detail: pairDetail(r.pair), file: r.pair.origin.file, line: r.pair.origin.line, weight: 0.8 });
  }
}

/**
 * Foreign keys an ORM model or a schema migration declares: directed as written (the referencing columns to the
 * referenced ones), declared many-to-one, or one-to-one for a one-to-one field; nearly as strong as a constraint in the
 * warehouse. The columns of one composite key share their `condition` and make one candidate; a composite key some
 * of whose columns the catalog lacks gives none (one column of it alone would say something else).
 */
function addDeclaredByApplication(pairs: ResolvedPair[], out: CandidateSet): void {
  // a single-column key stands for itself; a composite key's pairs are found by their shared condition
  const keys = new Map<string | ResolvedPair, ResolvedPair[]>();
  for (const r of pairs) {
    const c = r.pair.keyColumns ? r.pair.condition : undefined;
    const id = c ? `${r.pair.origin.file ?? ''}|${c.line}:${c.column}|${tableId(r.left.table)}|${tableId(r.right.table)}` : r;
    const key = keys.get(id);
    if (key) key.push(r);
    else keys.set(id, [r]);
  }
  for (const key of keys.values()) {
    const j = key[0]!.pair;
    if (j.keyColumns !== undefined && key.length !== j.keyColumns) continue;
    const declared = j.via === 'migration-foreign-key' ? 'schema migration foreign key' : j.via === 'orm-one-to-one' ? 'ORM model one-to-one field' : 'ORM model foreign key';
    const columns = (side: 'left' | 'right'): string => (key.length === 1 ? j[side].column : `(${key.map((r) => r.pair[side].column).join(', ')})`);
    const detail = `${j.left.table!.name}.${columns('left')} → ${j.right.table!.name}.${columns('right')} (${declared})${whereOf(j)}`;
    const from = key.map((r) => r.left);
    const to = key.map((r) => r.right);
    const cand = out.add(from[0]!.table, from, to[0]!.table, to, { kind: 'orm-relationship', detail, file: j.origin.file, line: j.origin.line, weight: 0.95 });
    cand.declaredCardinality ??= j.via === 'orm-one-to-one' ? 'one-to-one' : 'many-to-one';
  }
}

/** ` in file:line` of a pair, for evidence details. */
function whereOf(j: JoinPair): string {
  return j.origin.file ? ` in ${j.origin.file}${j.origin.line ? `:${j.origin.line}` : ''}` : '';
}

function pairDetail(j: JoinPair): string {
  const where = whereOf(j);
  const placed = j.left.placedByCatalog || j.right.placedByCatalog ? '; unqualified column placed by the catalog' : '';
  const how =
    j.via === 'query-builder'
      ? `query builder, ${j.joinType ?? 'inner'} join`
      : j.clause === 'in'
        ? `${j.joinType ? '' : 'NOT '}IN (SELECT …)`
        : `${j.clause.toUpperCase()}${j.joinType ? `, ${j.joinType} join` : ''}`;
  return `${j.left.table!.name}.${j.left.column} = ${j.right.table!.name}.${j.right.column} (${how}${placed})${where}`;
}

/**
 * The pairs of one condition (one ON, WHERE or USING) that join two relations on every column of a declared
 * composite key of one of them (`n.order_id = l.order_id and n.line_no = l.line_no` against lines' key (order_id,
 * line_no)): one composite candidate, the other relation's columns referencing that key. Taken one column at a time
 * they would say other things (a many-to-many on line_no). Returns the pairs used so.
 */
function addCompositeQueryJoins(resolved: ResolvedPair[], out: CandidateSet): Set<ResolvedPair> {
  const used = new Set<ResolvedPair>();
  const groups = new Map<string, ResolvedPair[]>();
  for (const r of resolved) {
    const c = r.pair.condition;
    if (!c || r.left.table === r.right.table) continue;
    const tables = [tableId(r.left.table), tableId(r.right.table)].sort().join('|');
    const key = `${r.pair.origin.file ?? ''}|${c.line}:${c.column}|${tables}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    for (const target of [first.left.table, first.right.table]) {
      // each column of the target joined in this condition, to the other relation's column
      const partner = new Map<ColumnInfo, ColumnInfo>();
      for (const r of group) {
        if (r.left.table === target) partner.set(r.left, r.right);
        else if (r.right.table === target) partner.set(r.right, r.left);
      }
      const key = target.keys.find((k) => (k.kind === 'declared-pk' || k.kind === 'declared-unique') && k.columns.length >= 2 && k.columns.every((c) => partner.has(c)));
      if (!key) continue;
      const fromCols = key.columns.map((c) => partner.get(c)!);
      const from = fromCols[0]!.table;
      const on = fromCols.map((c, i) => `${from.def.name}.${c.name} = ${target.def.name}.${key.columns[i]!.name}`).join(' and ');
      const j = first.pair;
      const detail = `${on} (${j.clause.toUpperCase()}${j.joinType ? `, ${j.joinType} join` : ''}; the whole ${key.kind === 'declared-pk' ? 'primary' : 'unique'} key of ${target.def.name})${whereOf(j)}`;
      out.add(from, fromCols, target, key.columns, { kind: 'query-join', detail, file: j.origin.file, line: j.origin.line, weight: 0.8 });
      for (const r of group) if (key.columns.includes(r.left.table === target ? r.left : r.right)) used.add(r);
      break;
    }
  }
  return used;
}

function tableId(t: TableInfo): string {
  return `${t.ref.schema}.${t.ref.table}`.toLowerCase();
}

/** The model/source a dbt `relationships` test points at: ref('x'), ref('pkg','x'), source('s','t'). */
export function parseDbtTarget(to: unknown): QualifiedName | undefined {
  if (typeof to !== 'string') return undefined;
  const ref = /ref\(\s*(?:['"]([^'"]+)['"]\s*,\s*)?['"]([^'"]+)['"]\s*(?:,\s*(?:v|version)\s*=\s*['"]?([\w.]+)['"]?\s*)?\)/.exec(to);
  if (ref) {
    const dbtRef: DbtRefCall = { kind: 'ref', args: ref[1] !== undefined ? [ref[1], ref[2]!] : [ref[2]!] };
    if (ref[3] !== undefined) dbtRef.version = ref[3];
    return { name: ref[2]!, dbtRef };
  }
  const src = /source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)/.exec(to);
  if (src) return { schema: src[1]!, name: src[2]!, dbtRef: { kind: 'source', args: [src[1]!, src[2]!] } };
  const plain = /^[A-Za-z_][\w.]*$/.test(to.trim()) ? to.trim().split('.') : undefined;
  if (plain) return plain.length > 1 ? { schema: plain[plain.length - 2], name: plain[plain.length - 1] } : { name: plain[0] };
  return undefined;
}

function testArgs(test: DbtTest): Record<string, unknown> {
  const nested = test.arguments['arguments'];
  return nested && typeof nested === 'object' ? { ...test.arguments, ...(nested as Record<string, unknown>) } : test.arguments;
}

function relationshipType(test: DbtTest): string | undefined {
  const fromMeta = (m: unknown) => (m && typeof m === 'object' ? (m as Record<string, unknown>)['relationship_type'] : undefined);
  const v = fromMeta(test.config?.['meta']) ?? fromMeta(test.arguments['meta']) ?? fromMeta((testArgs(test)['config'] as Record<string, unknown> | undefined)?.['meta']);
  return typeof v === 'string' ? v : undefined;
}

/**
 * What a dbt test says about a foreign key, as (column, target, field): `relationships` (`to`, `field`), dbt_utils'
 * `relationships_where` (the same, under conditions), and dbt_constraints' `foreign_key` (`pk_table_name`,
 * `pk_column_name`, and `fk_column_name` when it is a model's test).
 */
function foreignKeyTest(test: DbtTest): { column?: string; to: unknown; field?: string } | undefined {
  const bare = test.name.split('.').pop();
  const args = testArgs(test);
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && v.length === 1 && typeof v[0] === 'string' ? v[0] : undefined);
  if (bare === 'relationships' || bare === 'relationships_where') {
    return { column: test.column ?? text(args['column_name']), to: args['to'], field: text(args['field']) };
  }
  if (bare === 'foreign_key' && test.name.includes('.')) {
    return { column: test.column ?? text(args['fk_column_name']) ?? text(args['fk_column_names']), to: args['pk_table_name'], field: text(args['pk_column_name']) ?? text(args['pk_column_names']) };
  }
  return undefined;
}

export function addDbtRelationships(index: ColumnIndex, out: CandidateSet): void {
  for (const from of index.tables) {
    for (const test of from.def.tests ?? []) {
      const fk = foreignKeyTest(test);
      if (!fk) continue;
      const column = fk.column;
      const target = parseDbtTarget(fk.to);
      const field = fk.field;
      if (!column || !target || !field) continue;
      const to = resolveTable(index, target, from.ref.schema);
      const fc = from.byName.get(column.toLowerCase());
      const tc = to?.byName.get(field.toLowerCase());
      if (!to || !fc || !tc) continue;
      const detail = `dbt ${test.name} test: ${from.def.name}.${column} → ${String(fk.to)}.${field}`;
      const cand = out.add(from, [fc], to, [tc], { kind: 'dbt-relationships', detail, file: test.origin.file, line: test.origin.line, weight: 0.97 });
      const rt = relationshipType(test);
      if (rt) cand.declaredCardinality = rt;
    }
  }
}

/**
 * Joins that dbt semantic models declare, as MetricFlow makes them: a `foreign` entity to the `primary`, `unique` or
 * `natural` entity of the same name on another model (many-to-one), a `unique` entity to a `primary` one, or two of
 * one type (one-to-one).
 */
export function addSemanticEntities(index: ColumnIndex, out: CandidateSet): void {
  const byEntity = new Map<string, Array<{ table: TableInfo; column: ColumnInfo; entity: SemanticEntity }>>();
  for (const table of index.tables) {
    for (const entity of table.def.semanticEntities ?? []) {
      const column = table.byName.get(entity.column.toLowerCase());
      if (!column) continue;
      const key = entity.name.toLowerCase();
      (byEntity.get(key) ?? byEntity.set(key, []).get(key)!).push({ table, column, entity });
    }
  }
  for (const sides of byEntity.values()) {
    for (const a of sides) {
      for (const b of sides) {
        const cardinality = semanticJoin(a.entity.type, b.entity.type);
        // two of one type make one proposal, not one each way
        if (!cardinality || a.table === b.table || (a.entity.type === b.entity.type && tableId(a.table) > tableId(b.table))) continue;
        const side = (s: typeof a): string => `${s.entity.semanticModel}'s ${s.entity.type} entity ${s.table.def.name}.${s.column.name}`;
        const detail = `dbt semantic models, entity "${a.entity.name}": ${side(a)} → ${side(b)}`;
        const cand = out.add(a.table, [a.column], b.table, [b.column], { kind: 'dbt-semantic', detail, file: a.entity.origin.file, line: a.entity.origin.line, weight: 0.95 });
        cand.declaredCardinality ??= cardinality;
      }
    }
  }
}

/** How MetricFlow joins an entity of type `from` to one of type `to` of the same name, if it does in that direction. */
function semanticJoin(from: SemanticEntity['type'], to: SemanticEntity['type']): 'many-to-one' | 'one-to-one' | undefined {
  if (from === 'foreign') return to === 'foreign' ? undefined : 'many-to-one';
  if ((from === 'unique' && to === 'primary') || (from === to && from !== 'natural')) return 'one-to-one';
  return undefined;
}

