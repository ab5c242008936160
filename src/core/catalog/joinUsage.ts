import type { ColumnCandidate, ColumnRef, JoinPair, QualifiedName } from '../sql/types';
import type { TableDef } from './model';

/**
 * Join pairs whose sides were written unqualified among several relations (`from orders join customers on
 * customer_id = cust_key`), with each such side placed as the warehouse places it: on the one relation in scope that
 * has the column. A side stays unplaced when none or several of them have it (the warehouse would reject the query),
 * or when it would land on the other side's relation (`a = b` within one relation filters; it does not join).
 * In a correlated subquery, a column none of the subquery's relations has is placed on the outer query's relation that
 * has it (`exists (select 1 from lineitem where o_custkey = c_custkey)`: orders and customer).
 * The facts are shared and cached, so changed pairs are copies; `lookup` gives the catalog's relation for a name.
 */
export function resolveUnqualifiedSides(joins: readonly JoinPair[], lookup: (q: QualifiedName) => TableDef | undefined): JoinPair[] {
  const memo = new Map<string, TableDef | undefined>();
  const relationOf = (q: QualifiedName): TableDef | undefined => {
    const key = JSON.stringify([q.schema?.toLowerCase(), q.name.toLowerCase(), q.dbtRef]);
    if (!memo.has(key)) memo.set(key, lookup(q));
    return memo.get(key);
  };
  const hasColumn = (def: TableDef | undefined, column: string): boolean => !!def?.columns.some((c) => c.name.toLowerCase() === column.toLowerCase());
  /** The one candidate the catalog gives the column (named there as the candidate says). */
  const only = (candidates: readonly ColumnCandidate[], column: string): Placed | undefined => {
    let hit: Placed | undefined;
    for (const candidate of candidates) {
      const name = candidate.column ?? column;
      const def = relationOf(candidate);
      if (!hasColumn(def, name)) continue;
      if (hit && hit.def === def && hit.column === name) continue; // the same relation again (another alias, the outer query's copy)
      if (hit) return undefined; // several relations have it: ambiguous
      const { column: _renamed, ...table } = candidate;
      hit = { table, column: name, def: def! };
    }
    return hit;
  };
  const place = (side: ColumnRef): Placed | undefined => {
    if (!side.table) {
      if (!side.candidates?.length) return undefined;
      // the subquery's own relations first, as the warehouse looks; then the outer query's
      if (side.candidates.some((c) => hasColumn(relationOf(c), c.column ?? side.column))) return only(side.candidates, side.column);
      return side.outer?.length ? only(side.outer, side.column) : undefined;
    }
    // a correlated subquery's column its own relation lacks: the outer query's relation that has it
    if (!side.outer?.length) return undefined;
    const own = relationOf(side.table);
    return own && !hasColumn(own, side.column) ? only(side.outer, side.column) : undefined;
  };
  return joins.map((j) => {
    const left = place(j.left);
    const right = place(j.right);
    if (!left && !right) return j;
    const leftDef = left?.def ?? (j.left.table && relationOf(j.left.table));
    const rightDef = right?.def ?? (j.right.table && relationOf(j.right.table));
    if (leftDef && leftDef === rightDef) return j;
    const placed = (side: ColumnRef, at: Placed | undefined): ColumnRef => (at ? { table: at.table, column: at.column, placedByCatalog: true } : side);
    return { ...j, left: placed(j.left, left), right: placed(j.right, right) };
  });
}

interface Placed {
  table: QualifiedName;
  column: string;
  def: TableDef;
}

const byTableName = new WeakMap<readonly JoinPair[], Map<string, JoinPair[]>>();

/**
 * Join pairs seen in workspace queries that touch a table (and optionally one of its columns). The pairs are indexed
 * by table name once per list, so that asking for every table of a 10k-table DDL file does not scan them all each time.
 */
export function joinsTouching(joins: readonly JoinPair[], table: TableDef, column?: string): JoinPair[] {
  let index = byTableName.get(joins);
  if (!index) {
    index = new Map();
    for (const j of joins) {
      const names = new Set([j.left.table?.name.toLowerCase(), j.right.table?.name.toLowerCase()]);
      for (const n of names) if (n !== undefined) (index.get(n) ?? index.set(n, []).get(n)!).push(j);
    }
    byTableName.set(joins, index);
  }
  return touching(index.get(table.name.toLowerCase()) ?? [], table, column);
}

function touching(joins: readonly JoinPair[], table: TableDef, column?: string): JoinPair[] {
  const name = table.name.toLowerCase();
  const schema = table.schema.toLowerCase();
  const col = column?.toLowerCase();
  const matches = (ref: JoinPair['left']) => {
    if (!ref.table || ref.table.name.toLowerCase() !== name) return false;
    if (ref.table.schema && ref.table.schema.toLowerCase() !== schema) return false;
    return col === undefined || ref.column.toLowerCase() === col;
  };
  return joins.filter((j) => matches(j.left) || matches(j.right));
}

const DECLARED_AS: Record<string, string> = { 'orm-foreign-key': 'ORM foreign key', 'orm-one-to-one': 'ORM one-to-one', 'migration-foreign-key': 'migration foreign key' };

/** A key the application declares (an ORM model or a schema migration), directed from the referencing column. */
export function isDeclaredByApplication(j: JoinPair): boolean {
  return j.via === 'orm-foreign-key' || j.via === 'orm-one-to-one' || j.via === 'migration-foreign-key';
}

/** `a.x = b.y` as written, with qualified names. */
export function describeJoin(j: JoinPair): string {
  const side = (r: JoinPair['left']) => `${r.table ? `${r.table.schema ? `${r.table.schema}.` : ''}${r.table.name}.` : ''}${r.column}`;
  // what application code declares is directed, and says how it was written
  if (isDeclaredByApplication(j)) return `${side(j.left)} → ${side(j.right)} (${DECLARED_AS[j.via!]})`;
  return `${side(j.left)} = ${side(j.right)}${j.via === 'query-builder' ? ' (query builder)' : ''}`;
}
