import type { JoinPair } from '../sql/types';
import type { OrmEntity } from './facts';

/**
 * Relationships naming an entity class (`toEntity`, `fromEntity`) placed on the table that class maps, and on its id
 * column when they name none. A class declared nowhere keeps the table its extractor gave by the ORM's defaults, and `id`. When two
 * files declare classes of one name, the first (in path order) is taken.
 */
export function resolveOrmEntities(joins: readonly JoinPair[], entities: readonly OrmEntity[]): JoinPair[] {
  if (!joins.some((j) => j.toEntity || j.fromEntity)) return joins as JoinPair[];
  const byName = new Map<string, OrmEntity>();
  for (const e of entities) if (!byName.has(e.name)) byName.set(e.name, e);
  return joins.map((j) => {
    if (!j.toEntity && !j.fromEntity) return j;
    const to = j.toEntity ? byName.get(j.toEntity) : undefined;
    const from = j.fromEntity ? byName.get(j.fromEntity) : undefined;
    const right = { ...j.right, table: to?.table ?? j.right.table, column: j.right.column || to?.idColumn || 'id' };
    return { ...j, left: from ? { ...j.left, table: from.table } : j.left, right };
  });
}
