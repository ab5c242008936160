import type { JoinPair } from '../sql/types';
import type { TableDef } from './model';

/** Join pairs seen in workspace queries that touch a table (and optionally one of its columns). */
export function joinsTouching(joins: readonly JoinPair[], table: TableDef, column?: string): JoinPair[] {
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

/** `a.x = b.y` as written, with qualified names. */
export function describeJoin(j: JoinPair): string {
  const side = (r: JoinPair['left']) => `${r.table ? `${r.table.schema ? `${r.table.schema}.` : ''}${r.table.name}.` : ''}${r.column}`;
  return `${side(j.left)} = ${side(j.right)}`;
}
