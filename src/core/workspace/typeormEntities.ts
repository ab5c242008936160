import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { isId, isPunct, matchClose, plainStringArgument } from './codeConstants/matchers';
import { annotatedClasses, annotationsBefore, classLevel, MODIFIERS, snakeCase, type AnnotatedClass, type Annotation } from './annotations';
import type { OrmEntity } from './facts';
import { joinTableKeys, ormKey, tableOf, type OrmFacts } from './ormEntities';

/**
 * TypeORM entities of a TypeScript/JavaScript file: each `@Entity('orders')` / `@Entity({ name, schema })` class's table
 * (else TypeORM's default, the class name in snake_case) and primary column (`@PrimaryGeneratedColumn` /
 * `@PrimaryColumn`, by its `name` or the property's), and the foreign key of each `@ManyToOne` and each owning
 * `@OneToOne` (the one with `@JoinColumn`): `@JoinColumn({ name, referencedColumnName })`, else TypeORM's default
 * `<property>Id`. Targets name their class (`() => Customer`, `'Customer'`), placed on its table by resolveOrmEntities.
 */
export function typeormEntities(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!text.includes('@Entity')) return out;
  for (const c of annotatedClasses(tokens, 'Entity')) {
    const { name } = c;
    const entity = c.notes.get('Entity')!;
    const table = tableOf(option(tokens, entity, 'schema'), firstString(tokens, entity) ?? option(tokens, entity, 'name') ?? snakeCase(name));
    const declared: OrmEntity = { name, table, line: c.line };
    const properties = propertiesOf(tokens, c);
    const primary = properties.find((p) => p.notes.has('PrimaryGeneratedColumn') || p.notes.has('PrimaryColumn'));
    if (primary) declared.idColumn = option(tokens, primary.notes.get('PrimaryGeneratedColumn') ?? primary.notes.get('PrimaryColumn'), 'name') ?? primary.name;
    out.entities.push(declared);
    for (const p of properties) {
      const at = { file, line: p.line };
      const joinTable = p.notes.has('ManyToMany') ? p.notes.get('JoinTable') : undefined;
      const target = joinTable && targetOf(tokens, p.notes.get('ManyToMany')!);
      if (joinTable && target) {
        out.joins.push(...manyToManyKeys(tokens, joinTable, { table, key: declared.idColumn ?? 'id' }, target, at));
        continue;
      }
      const many = p.notes.get('ManyToOne');
      const join = p.notes.get('JoinColumn');
      // a one-to-one's key is on the side with @JoinColumn
      const relation = many ?? (join ? p.notes.get('OneToOne') : undefined);
      const related = relation && targetOf(tokens, relation);
      if (!related) continue;
      const column = option(tokens, join, 'name') ?? `${p.name}Id`;
      const via = many ? 'orm-foreign-key' : 'orm-one-to-one';
      out.joins.push(ormKey(table, column, { name: snakeCase(related) }, option(tokens, join, 'referencedColumnName') ?? '', at, { via, toEntity: related }));
    }
  }
  return out;
}

/**
 * `@JoinTable({ name: 'order_tags', joinColumn: { name: 'order_id' }, inverseJoinColumn: { name: 'tag_id' } })` of the
 * owning `@ManyToMany`: the join table's key to this entity and its key to the target. Only as written: TypeORM's
 * defaults depend on the target's own mapping.
 */
function manyToManyKeys(tokens: Token[], note: Annotation, owner: { table: QualifiedName; key: string }, target: string, at: { file: string; line: number }): JoinPair[] {
  const name = option(tokens, note, 'name');
  const own = nestedOption(tokens, note, 'joinColumn');
  const other = nestedOption(tokens, note, 'inverseJoinColumn');
  if (!name || !own?.name || !other?.name) return [];
  const ownerKey = { table: owner.table, key: own.referencedColumnName ?? owner.key };
  const targetKey = { entity: target, table: { name: snakeCase(target) }, key: other.referencedColumnName };
  return joinTableKeys(tableOf(option(tokens, note, 'schema'), name), own.name, ownerKey, other.name, targetKey, at);
}

/** `key: { name: '…', referencedColumnName: '…' }` in a decorator's options object. */
function nestedOption(tokens: Token[], note: Annotation, key: string): { name?: string; referencedColumnName?: string } | undefined {
  for (const [from, to] of note) {
    if (!isPunct(tokens[from], '{')) continue;
    for (let k = from + 1; k < to - 2; k++) {
      if (!isId(tokens[k], key) || !isPunct(tokens[k + 1], ':') || !isPunct(tokens[k + 2], '{')) continue;
      const inner: Annotation = [[k + 2, matchClose(tokens, k + 2) + 1]];
      return { name: option(tokens, inner, 'name'), referencedColumnName: option(tokens, inner, 'referencedColumnName') };
    }
  }
  return undefined;
}

interface Property {
  name: string;
  notes: Map<string, Annotation>;
  line: number;
}

/** The decorated properties of an entity's body: `name: Type`, `name!: Type`, `name?: Type` at its own level. */
function propertiesOf(tokens: Token[], c: AnnotatedClass): Property[] {
  const properties: Property[] = [];
  for (const k of classLevel(tokens, c)) {
    const t = tokens[k]!;
    if (t.type !== 'id' || MODIFIERS.has(t.value)) continue;
    const colon = isPunct(tokens[k + 1], '!') || isPunct(tokens[k + 1], '?') ? k + 2 : k + 1;
    if (!isPunct(tokens[colon], ':')) continue;
    const notes = annotationsBefore(tokens, k);
    if (notes.size) properties.push({ name: t.value, notes, line: t.line });
  }
  return properties;
}

/** A relation's target class: `() => Customer`, `type => Customer`, `'Customer'`. */
function targetOf(tokens: Token[], relation: Annotation): string | undefined {
  const first = relation[0];
  if (!first) return undefined;
  const named = plainStringArgument(tokens, first)?.value;
  if (named !== undefined) return /^\w+$/.test(named) ? named : undefined;
  const [from, to] = first;
  const arrow = tokens.slice(from, to).findIndex((t) => isPunct(t, '=>'));
  const last = tokens[to - 1];
  return arrow >= 0 && to - (from + arrow) === 2 && last?.type === 'id' ? last.value : undefined;
}

/** A decorator's first argument when it is a string (`@Entity('orders')`). */
function firstString(tokens: Token[], note: Annotation): string | undefined {
  return plainStringArgument(tokens, note[0])?.value;
}

/** `key: 'value'` in an object literal among a decorator's arguments. */
function option(tokens: Token[], note: Annotation | undefined, key: string): string | undefined {
  for (const [from, to] of note ?? []) {
    if (!isPunct(tokens[from], '{')) continue;
    for (let k = from + 1; k < to - 2; k++) {
      if (isId(tokens[k], key) && isPunct(tokens[k + 1], ':') && (isPunct(tokens[k + 3], ',') || isPunct(tokens[k + 3], '}'))) {
        const value = plainStringArgument(tokens, [k + 2, k + 3]);
        if (value) return value.value;
      }
    }
  }
  return undefined;
}
