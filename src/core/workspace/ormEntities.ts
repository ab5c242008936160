import type { JoinPair } from '../sql/types';
import type { OrmEntity } from './facts';

/**
 * Relationships naming an entity class (`toEntity`) placed on the table that class maps, and on its id column when
 * they name none. A class declared nowhere keeps the table its extractor gave by the ORM's defaults, and `id`. When two
 * files declare classes of one name, the first (in path order) is taken.
 */
export function resolveOrmEntities(joins: readonly JoinPair[], entities: readonly OrmEntity[]): JoinPair[] {
  if (!joins.some((j) => j.toEntity)) return joins as JoinPair[];
  const byName = new Map<string, OrmEntity>();
  for (const e of entities) if (!byName.has(e.name)) byName.set(e.name, e);
  return joins.map((j) => {
    if (!j.toEntity) return j;
    const entity = byName.get(j.toEntity);
    const table = entity?.table ?? j.right.table;
    const column = j.right.column || entity?.idColumn || 'id';
    return { ...j, right: { ...j.right, table, column } };
  });
}
