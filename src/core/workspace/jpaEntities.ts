import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, plainStringArgument, type TokenRange } from './codeConstants/matchers';
import type { OrmEntity } from './facts';

/**
 * JPA entities (Jakarta/javax Persistence, Hibernate) of a Java file: each `@Entity` class's table (`@Table(name, schema)`,
 * else Spring Boot's default, the class name in snake_case) and id column, and the foreign keys its `@ManyToOne` /
 * `@OneToOne` fields own (`@JoinColumn(name, referencedColumnName)`, else `<field>_id`). The target is an entity class,
 * often declared in another file: the pair names it in `toEntity`, resolved against every file's entities
 * (resolveOrmEntities) once the whole workspace is read.
 */
export function jpaEntities(tokens: Token[], text: string, file: string): { entities: OrmEntity[]; joins: JoinPair[] } {
  const out: { entities: OrmEntity[]; joins: JoinPair[] } = { entities: [], joins: [] };
  if (!text.includes('Entity')) return out; // `@Entity`, `@jakarta.persistence.Entity`
  for (let i = 0; i < tokens.length - 2; i++) {
    if (!isId(tokens[i], 'class') || tokens[i + 1]!.type !== 'id') continue;
    const notes = annotationsBefore(tokens, i);
    const entity = notes.get('Entity');
    if (!entity) continue;
    const name = tokens[i + 1]!.value;
    let open = i + 2;
    while (open < tokens.length && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
    if (!isPunct(tokens[open], '{')) continue;
    const close = matchClose(tokens, open);
    const tableNote = notes.get('Table');
    // an explicit table name as written; else the entity's name (`@Entity(name = …)`, else the class's) in snake_case
    const tableName = attribute(tokens, tableNote, 'name') ?? snakeCase(attribute(tokens, entity, 'name') ?? name);
    const schema = attribute(tokens, tableNote, 'schema');
    const table: QualifiedName = schema ? { schema, name: tableName } : { name: tableName };
    const fields = fieldsOf(tokens, open, close);
    const id = fields.find((f) => f.notes.has('Id'));
    const declared: OrmEntity = { name, table, line: tokens[i]!.line };
    if (id) declared.idColumn = attribute(tokens, id.notes.get('Column'), 'name') ?? snakeCase(id.name);
    out.entities.push(declared);
    for (const f of fields) {
      const toOne = f.notes.get('ManyToOne') ?? f.notes.get('OneToOne');
      // the side with `mappedBy` holds no key; a composite @JoinColumns is left out
      if (!toOne || attribute(tokens, toOne, 'mappedBy') !== undefined || f.notes.has('JoinColumns') || f.notes.has('JoinTable')) continue;
      const join = f.notes.get('JoinColumn');
      const column = attribute(tokens, join, 'name') ?? `${snakeCase(f.name)}_id`;
      const pair: JoinPair = {
        left: { table, column },
        // the target's table by Spring Boot's default until its own file says otherwise (resolveOrmEntities)
        right: { table: { name: snakeCase(f.type) }, column: attribute(tokens, join, 'referencedColumnName') ?? '' },
        clause: 'on',
        via: f.notes.has('OneToOne') ? 'orm-one-to-one' : 'orm-foreign-key',
        toEntity: f.type,
        origin: { kind: 'code', file, line: f.line },
      };
      out.joins.push(pair);
    }
  }
  return out;
}

/** An annotation's (or a TypeScript decorator's) arguments, as token ranges; empty when it has none. */
export type Annotation = TokenRange[];

/** The annotations (decorators) written before token `at` (over modifiers), by simple name. */
export function annotationsBefore(tokens: Token[], at: number): Map<string, Annotation> {
  const notes = new Map<string, Annotation>();
  let k = at - 1;
  for (;;) {
    while (k >= 0 && tokens[k]!.type === 'id' && MODIFIERS.has(tokens[k]!.value)) k--;
    // `@Name`, `@a.b.Name`, `@Name(…)`
    let args: Annotation = [];
    let end = k;
    if (isPunct(tokens[k], ')')) {
      let depth = 0;
      let open = k;
      for (; open >= 0; open--) {
        if (isPunct(tokens[open], ')')) depth++;
        else if (isPunct(tokens[open], '(') && --depth === 0) break;
      }
      if (open < 0) break;
      args = callArguments(tokens, open);
      end = open - 1;
    }
    if (tokens[end]?.type !== 'id') break;
    let start = end;
    while (isPunct(tokens[start - 1], '.') && tokens[start - 2]?.type === 'id') start -= 2;
    if (!isPunct(tokens[start - 1], '@')) break;
    notes.set(tokens[end]!.value, args);
    k = start - 2;
  }
  return notes;
}

/** Java's and TypeScript's modifiers, which may stand between annotations and what they annotate. */
export const MODIFIERS = new Set(['public', 'protected', 'private', 'abstract', 'final', 'static', 'transient', 'volatile', 'export', 'default', 'readonly', 'declare', 'override']);

/** `name = "value"` among an annotation's arguments; `value` is also its single unnamed argument. */
function attribute(tokens: Token[], note: Annotation | undefined, key: string): string | undefined {
  if (!note) return undefined;
  for (const [from, to] of note) {
    if (isId(tokens[from], key) && isPunct(tokens[from + 1], '=')) return plainStringArgument(tokens, [from + 2, to])?.value;
  }
  return undefined;
}

interface Field {
  name: string;
  /** Its declared type's simple name (`Customer` of `com.shop.Customer`, `List` of `List<Line>`). */
  type: string;
  notes: Map<string, Annotation>;
  line: number;
}

/** The fields of a class body (`{` at `open`): annotations, type and name of each `Type name;` / `Type name = …;` at its top level. */
function fieldsOf(tokens: Token[], open: number, close: number): Field[] {
  const fields: Field[] = [];
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && (t.value === '{' || t.value === '(' || t.value === '[')) {
      k = matchClose(tokens, k); // method bodies, nested classes, annotation arguments
      continue;
    }
    // `… Type name ;` or `… Type name =`
    if (t.type !== 'id' || !(isPunct(tokens[k + 1], ';') || isPunct(tokens[k + 1], '='))) continue;
    let typeAt = k - 1;
    if (isPunct(tokens[typeAt], '>')) continue; // a generic collection: a to-many side
    if (tokens[typeAt]?.type !== 'id' || MODIFIERS.has(tokens[typeAt]!.value)) continue;
    const notes = annotationsBefore(tokens, qualifiedStart(tokens, typeAt));
    fields.push({ name: t.value, type: tokens[typeAt]!.value, notes, line: t.line });
    while (k < close && !isPunct(tokens[k], ';')) k++;
    typeAt = k;
  }
  return fields;
}

/** The first token of a dotted type name ending at `k` (`com.shop.Customer`). */
function qualifiedStart(tokens: Token[], k: number): number {
  while (isPunct(tokens[k - 1], '.') && tokens[k - 2]?.type === 'id') k -= 2;
  return k;
}

/** `OrderLine` → `order_line`, `customerId` → `customer_id`: Spring Boot's default physical names. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
