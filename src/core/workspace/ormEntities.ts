import type { JoinPair, QualifiedName } from '../sql/types';
import type { OrmEntity } from './facts';

/** What an ORM extractor finds in a file: the entities it declares and the keys their relationships own. */
export interface OrmFacts {
  entities: OrmEntity[];
  joins: JoinPair[];
}

/** An ORM model's foreign key or one-to-one field, or a key a schema migration declares. */
export type OrmVia = 'orm-foreign-key' | 'orm-one-to-one' | 'migration-foreign-key';

/** A table named by its schema (when there is one) and name. */
export function tableOf(schema: string | undefined, name: string): QualifiedName {
  return schema ? { schema, name } : { name };
}

/** A table as code names it in one string: `orders`, or `sales.orders`. */
export function tableNamed(text: string): QualifiedName {
  const dot = text.indexOf('.');
  return dot > 0 ? tableOf(text.slice(0, dot), text.slice(dot + 1)) : tableOf(undefined, text);
}

/**
 * A key an ORM declares, from the referencing column to the referenced one, written in `file` at `line`. A side on the
 * table of an entity declared elsewhere names it (`toEntity`, `fromEntity`): its table is then this default until
 * resolveOrmEntities places it, and an empty `toColumn` stands for that entity's id.
 */
export function ormKey(
  from: QualifiedName,
  column: string,
  to: QualifiedName,
  toColumn: string,
  at: { file: string; line: number },
  options: { via?: OrmVia; toEntity?: string; fromEntity?: string } = {},
): JoinPair {
  const key: JoinPair = { left: { table: from, column }, right: { table: to, column: toColumn }, clause: 'on', via: options.via ?? 'orm-foreign-key', origin: { kind: 'code', file: at.file, line: at.line } };
  if (options.toEntity) key.toEntity = options.toEntity;
  if (options.fromEntity) key.fromEntity = options.fromEntity;
  return key;
}

/**
 * A composite key an ORM or a migration declares, `columns[i]` referencing `toColumns[i]`: one pair per column, which
 * share their `condition` (the declaration's line) and say how many they are, so that they are taken together.
 */
export function compositeOrmKey(
  from: QualifiedName,
  columns: string[],
  to: QualifiedName,
  toColumns: string[],
  at: { file: string; line: number },
  options: { via?: OrmVia; toEntity?: string } = {},
): JoinPair[] {
  if (columns.length !== toColumns.length || columns.length === 0) return [];
  if (columns.length === 1) return [ormKey(from, columns[0]!, to, toColumns[0]!, at, options)];
  return columns.map((column, i) => ({ ...ormKey(from, column, to, toColumns[i]!, at, options), condition: { line: at.line, column: 1 }, keyColumns: columns.length }));
}

/**
 * The two keys of a many-to-many join table `through`: `ownColumn` to the owner's key, `targetColumn` to the target
 * entity's (declared elsewhere, its table by default `targetTable`).
 */
export function joinTableKeys(
  through: QualifiedName,
  ownColumn: string,
  owner: { table: QualifiedName; key: string },
  targetColumn: string,
  target: { entity: string; table: QualifiedName; key?: string },
  at: { file: string; line: number },
): JoinPair[] {
  return [
    ormKey(through, ownColumn, owner.table, owner.key, at),
    ormKey(through, targetColumn, target.table, target.key ?? '', at, { toEntity: target.entity }),
  ];
}

/**
 * Relationships naming an entity class (`toEntity`, `fromEntity`) placed on the table that class maps, and on its id
 * column when they name none (a field the entity maps to a column of another name, on that column); a subclass
 * (`extends`) on its hierarchy's table unless an ancestor maps subclasses to tables of their own. A class declared
 * nowhere keeps the table its extractor gave by the ORM's defaults, and `id`, except in a join code writes between
 * classes, which is then left out. When two files declare classes of one name, the first (in path order) is taken.
 */
export function resolveOrmEntities(joins: readonly JoinPair[], entities: readonly OrmEntity[]): JoinPair[] {
  if (!joins.some((j) => j.toEntity || j.fromEntity)) return joins as JoinPair[];
  const byName = new Map<string, OrmEntity>();
  for (const e of entities) if (!byName.has(e.name)) byName.set(e.name, e);
  // each entity's place, found once however many relationships name it
  const places = new Map<string, Place | undefined>();
  const placeOf = (name: string | undefined): Place | undefined => {
    if (name === undefined) return undefined;
    if (!places.has(name)) places.set(name, placeIn(name));
    return places.get(name);
  };
  const placeIn = (name: string): Place | undefined => {
    const start = byName.get(name);
    if (!start) return undefined;
    const chain = [start];
    for (let e = start; e.extends; ) {
      const parent = byName.get(e.extends);
      if (!parent || chain.includes(parent) || chain.length > 16) break;
      chain.push((e = parent));
    }
    // single-table inheritance unless an ancestor gives its subclasses tables of their own
    const separate = chain.some((e) => e.inheritance);
    const owner = separate ? start : chain[chain.length - 1]!;
    const fieldColumns = chain.find((e) => e.fieldColumns)?.fieldColumns;
    return { table: owner.table, idColumn: chain.find((e) => e.idColumn)?.idColumn, fieldColumns, joined: chain.some((e) => e.inheritance === 'joined') };
  };
  const placed: JoinPair[] = [];
  for (const j of joins) {
    if (!j.toEntity && !j.fromEntity) {
      placed.push(j);
      continue;
    }
    const to = placeOf(j.toEntity);
    const from = placeOf(j.fromEntity);
    // a join that code writes between classes (SQLAlchemy's `A.x == B.y`) says nothing of classes no file maps
    if (j.via === 'query-builder' && ((j.toEntity && !to) || (j.fromEntity && !from))) continue;
    if (j.joinedSubclass && !from?.joined) continue;
    const right = { ...j.right, table: to?.table ?? j.right.table, column: fieldColumn(to, j.right.column) || to?.idColumn || 'id' };
    const left = from ? { ...j.left, table: from.table, column: fieldColumn(from, j.left.column) || from.idColumn || 'id' } : j.left;
    placed.push({ ...j, left, right });
  }
  return placed;
}

/** Where an entity's rows are: its table (or its hierarchy's), id column and fields named otherwise than their columns. */
interface Place {
  table: QualifiedName;
  idColumn?: string;
  fieldColumns?: Record<string, string>;
  /** Its hierarchy is mapped JOINED. */
  joined: boolean;
}

/** The column of an entity's field (`field` itself unless the entity maps it to a column of another name). */
function fieldColumn(place: Place | undefined, field: string): string {
  return field && place?.fieldColumns && Object.hasOwn(place.fieldColumns, field) ? place.fieldColumns[field]! : field;
}
