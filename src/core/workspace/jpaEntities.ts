import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, namedArgument, plainStringArgument, type TokenRange } from './codeConstants/matchers';
import { annotatedClasses, annotationsBefore, classLevel, MODIFIERS, snakeCase, type AnnotatedClass, type Annotation } from './annotations';
import type { OrmEntity } from './facts';
import { compositeOrmKey, joinTableKeys, ormKey, tableOf, type OrmFacts } from './ormEntities';

/**
 * JPA entities (Jakarta/javax Persistence, Hibernate) of a Java file: each `@Entity` class's table (`@Table(name, schema)`,
 * else Spring Boot's default, the class name in snake_case) and id column, and the foreign keys its `@ManyToOne` /
 * `@OneToOne` fields own (`@JoinColumn(name, referencedColumnName)`, else `<field>_id`; a composite key's
 * `@JoinColumns({ @JoinColumn(…), … })` as one key). A subclass entity (`extends`) is on its hierarchy's table (JPA's
 * default, single-table), or on its own under a root mapped `JOINED` (its id then a key to its parent's,
 * `@PrimaryKeyJoinColumn`) or `TABLE_PER_CLASS`. A `@MappedSuperclass`'s id and keys are those of each entity that
 * extends it, on that entity's table. The target is an entity class,
 * often declared in another file: the pair names it in `toEntity`, resolved against every file's entities
 * (resolveOrmEntities) once the whole workspace is read.
 */
export function jpaEntities(tokens: Token[], text: string, file: string): OrmFacts {
  // `@Entity`, `@jakarta.persistence.Entity`, `@MappedSuperclass`
  if (!text.includes('Entity') && !text.includes('MappedSuperclass')) return { entities: [], joins: [] };
  const classes = [...annotatedClasses(tokens, 'Entity'), ...annotatedClasses(tokens, 'MappedSuperclass').filter((c) => !c.notes.has('Entity'))];
  return entitiesOf(tokens, file, classes.map((c) => ({ c, fields: fieldsOf(tokens, c), parent: superclassOf(tokens, c) })));
}

/** An `@Entity` class as a language's reader finds it: the class, its fields and the class it extends. */
export interface EntityClass {
  c: AnnotatedClass;
  fields: Field[];
  parent?: string;
}

/** The entities and keys of `@Entity` classes, however their language writes classes and fields (Java, Kotlin). */
export function entitiesOf(tokens: Token[], file: string, classes: EntityClass[]): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  for (const { c, fields, parent } of classes) {
    const { name, notes } = c;
    const entity = notes.get('Entity');
    const tableNote = notes.get('Table');
    // an explicit table name as written; else the entity's name (`@Entity(name = …)`, else the class's) in snake_case
    const table = tableOf(attribute(tokens, tableNote, 'schema'), attribute(tokens, tableNote, 'name') ?? snakeCase(attribute(tokens, entity, 'name') ?? name));
    const id = fields.find((f) => f.notes.has('Id'));
    const declared: OrmEntity = { name, table, line: c.line };
    // a @MappedSuperclass has no table: its id and its keys are each subclass entity's (resolveOrmEntities)
    if (!entity) declared.mappedSuperclass = true;
    if (id) declared.idColumn = attribute(tokens, id.notes.get('Column'), 'name') ?? snakeCase(id.name);
    // a mapped superclass's fields by their columns, which an entity extending it may override
    // (`@AttributeOverride(name = "id", column = @Column(name = "order_id"))`, `@AssociationOverride`)
    const fieldColumns: Record<string, string> = entity ? overridesOf(tokens, c) : {};
    if (!entity && id) {
      declared.idField = id.name;
      fieldColumns[id.name] = declared.idColumn!;
    }
    const strategy = inheritanceOf(tokens, notes.get('Inheritance'));
    if (strategy) declared.inheritance = strategy;
    if (parent) {
      // a subclass entity: its hierarchy's table, or (JOINED) its own, whose id is a key to its parent's
      declared.extends = parent;
      const pkJoin = notes.get('PrimaryKeyJoinColumn');
      const column = attribute(tokens, pkJoin, 'name');
      if (column && !declared.idColumn) declared.idColumn = column;
      const key = ormKey(table, column ?? '', { name: snakeCase(parent) }, attribute(tokens, pkJoin, 'referencedColumnName') ?? '', { file, line: c.line }, { via: 'orm-one-to-one', toEntity: parent, fromEntity: name });
      key.joinedSubclass = true;
      if (entity) out.joins.push(key);
    }
    out.entities.push(declared);
    const ownedFrom = out.joins.length;
    for (const f of fields) {
      const at = { file, line: f.line };
      // the target's table by Spring Boot's default until its own file says otherwise (resolveOrmEntities)
      const target = { entity: f.type, table: { name: snakeCase(f.type) } };
      const joinTable = f.collection ? f.notes.get('JoinTable') : undefined;
      if (joinTable && f.notes.has('ManyToMany')) {
        // a mapped superclass's join table would be each entity's, named per entity: left out
        if (!entity) continue;
        out.joins.push(...manyToManyKeys(tokens, joinTable, { table, key: declared.idColumn ?? 'id' }, target, at));
        continue;
      }
      if (f.notes.has('ElementCollection')) {
        // its collection table's key to this entity (`@CollectionTable(name, joinColumns)`, else JPA's defaults:
        // `<Entity>_<field>`, `<Entity>_<id column>`); a mapped superclass's is each entity's, left out
        if (entity) out.joins.push(collectionTableKey(tokens, f, name, table, declared.idColumn, at));
        continue;
      }
      if (f.collection) continue;
      const toOne = f.notes.get('ManyToOne') ?? f.notes.get('OneToOne');
      // the side with `mappedBy` holds no key
      if (!toOne || attribute(tokens, toOne, 'mappedBy') !== undefined || f.notes.has('JoinTable')) continue;
      const via = f.notes.has('OneToOne') ? 'orm-one-to-one' : 'orm-foreign-key';
      const composite = f.notes.get('JoinColumns');
      if (composite) {
        // a composite key names every column and the one it references
        const columns = joinColumnsOf(tokens, composite);
        if (columns.every((c) => c.name && c.referenced)) out.joins.push(...compositeOrmKey(table, columns.map((c) => c.name!), target.table, columns.map((c) => c.referenced!), at, { via, toEntity: f.type }));
        continue;
      }
      const join = f.notes.get('JoinColumn');
      const column = attribute(tokens, join, 'name') ?? `${snakeCase(f.name)}_id`;
      // a mapped superclass's key names its field, placed on each entity's column for it
      if (!entity) fieldColumns[f.name] = column;
      out.joins.push(ormKey(table, entity ? column : f.name, target.table, attribute(tokens, join, 'referencedColumnName') ?? '', at, { via, toEntity: f.type }));
    }
    if (Object.keys(fieldColumns).length) declared.fieldColumns = fieldColumns;
    // a subclass's keys are on its hierarchy's table, a mapped superclass's on its subclasses': named by the class,
    // placed once the hierarchy is known
    if (parent || !entity) for (const key of out.joins.slice(ownedFrom)) if (key.left.table === table) key.fromEntity = name;
  }
  return out;
}

/**
 * `@JoinTable(name = "order_tags", joinColumns = @JoinColumn(name = "order_id"), inverseJoinColumns = @JoinColumn(name =
 * "tag_id"))` of a `@ManyToMany`: the join table's key to this entity's id and its key to the target's. Only as written:
 * JPA's defaults for a join table depend on both sides' mappings.
 */
function manyToManyKeys(tokens: Token[], note: Annotation, owner: { table: QualifiedName; key: string }, target: { entity: string; table: QualifiedName }, at: { file: string; line: number }): JoinPair[] {
  const name = attribute(tokens, note, 'name');
  const ownKey = nestedName(tokens, note, 'joinColumns');
  const targetKey = nestedName(tokens, note, 'inverseJoinColumns');
  if (!name || !ownKey || !targetKey) return [];
  return joinTableKeys(tableOf(attribute(tokens, note, 'schema'), name), ownKey, owner, targetKey, target, at);
}

/** The `name` of the single `@JoinColumn` given as `key = @JoinColumn(name = "…")` (or `{ @JoinColumn(…) }`). */
function nestedName(tokens: Token[], note: Annotation, key: string): string | undefined {
  for (const [from, to] of note) {
    if (!isId(tokens[from], key) || !isPunct(tokens[from + 1], '=')) continue;
    const names: string[] = [];
    for (let k = from + 2; k < to - 2; k++) {
      if (isId(tokens[k], 'name') && isPunct(tokens[k + 1], '=') && tokens[k + 2]!.type === 'str') names.push(tokens[k + 2]!.value);
    }
    return names.length === 1 ? names[0] : undefined;
  }
  return undefined;
}

/** The `@JoinColumn(name = …, referencedColumnName = …)`s of a `@JoinColumns({ … })`. */
function joinColumnsOf(tokens: Token[], note: Annotation): Array<{ name?: string; referenced?: string }> {
  const columns: Array<{ name?: string; referenced?: string }> = [];
  for (const [from, to] of note) {
    for (let k = from; k < to - 2; k++) {
      if (!isPunct(tokens[k], '@') || !isId(tokens[k + 1], 'JoinColumn') || !isPunct(tokens[k + 2], '(')) continue;
      const args = callArguments(tokens, k + 2);
      columns.push({ name: attribute(tokens, args, 'name'), referenced: attribute(tokens, args, 'referencedColumnName') });
    }
  }
  return columns;
}

/** `@Inheritance(strategy = InheritanceType.JOINED)`: how the hierarchy rooted here maps its subclasses. */
function inheritanceOf(tokens: Token[], note: Annotation | undefined): OrmEntity['inheritance'] {
  for (const [from, to] of note ?? []) {
    for (let k = from; k < to; k++) {
      if (isId(tokens[k], 'JOINED')) return 'joined';
      if (isId(tokens[k], 'TABLE_PER_CLASS')) return 'table-per-class';
      if (isId(tokens[k], 'SINGLE_TABLE')) return 'single-table';
    }
  }
  return undefined;
}

/** The simple name of the class an entity `extends` (`Payment` of `extends com.shop.Payment<T>`). */
function superclassOf(tokens: Token[], c: AnnotatedClass): string | undefined {
  for (let k = c.open - 1; k > 0 && !isId(tokens[k], 'class'); k--) {
    if (!isId(tokens[k], 'extends')) continue;
    let j = k + 1;
    while (isId(tokens[j]) && isPunct(tokens[j + 1], '.') && isId(tokens[j + 2])) j += 2;
    return isId(tokens[j]) ? tokens[j]!.value : undefined;
  }
  return undefined;
}

/** The key of an `@ElementCollection`'s table to the entity holding it. */
function collectionTableKey(tokens: Token[], f: Field, entity: string, table: QualifiedName, idColumn: string | undefined, at: { file: string; line: number }): JoinPair {
  const note = f.notes.get('CollectionTable');
  const through = tableOf(attribute(tokens, note, 'schema'), attribute(tokens, note, 'name') ?? snakeCase(`${entity}_${f.name}`));
  const column = (note && nestedName(tokens, note, 'joinColumns')) ?? snakeCase(`${entity}_${idColumn ?? 'id'}`);
  return ormKey(through, column, table, '', at, { toEntity: entity });
}

/**
 * The columns an entity's `@AttributeOverride`s and `@AssociationOverride`s (alone, repeated, or in their plural
 * containers) give the fields it inherits: field → column.
 */
function overridesOf(tokens: Token[], c: AnnotatedClass): Record<string, string> {
  const columns: Record<string, string> = {};
  // the class's annotations: back from its body to the end of what comes before it (a `}` or `;` outside brackets:
  // `@AssociationOverrides({ … })` has its own)
  let from = c.open;
  for (let depth = 0; from > 0 && c.open - from < 4000; from--) {
    const t = tokens[from - 1]!;
    if (t.type !== 'punct') continue;
    if ((t.value === '}' || t.value === ';') && depth === 0) break;
    if (t.value === ')' || t.value === ']' || t.value === '}') depth++;
    else if (t.value === '(' || t.value === '[' || t.value === '{') depth--;
  }
  for (let k = from; k < c.open - 2; k++) {
    if (!isPunct(tokens[k], '@') || !(isId(tokens[k + 1], 'AttributeOverride') || isId(tokens[k + 1], 'AssociationOverride')) || !isPunct(tokens[k + 2], '(')) continue;
    const args = callArguments(tokens, k + 2);
    const field = attribute(tokens, args, 'name');
    const column = nestedName(tokens, args, isId(tokens[k + 1], 'AttributeOverride') ? 'column' : 'joinColumns');
    if (field && column) columns[field] = column;
  }
  return columns;
}

/**
 * `name = "value"` among an annotation's arguments, or `name = TABLE` / `name = Order.TABLE` naming a string constant of
 * the file (`static final String TABLE = "orders";`, Kotlin's `const val`), as many codebases name their tables.
 */
function attribute(tokens: Token[], note: Annotation | undefined, key: string): string | undefined {
  const range = note && namedArgument(tokens, note, key, '=');
  return plainStringArgument(tokens, range)?.value ?? constantNamed(tokens, range);
}

/** The string constant of the file an argument names (`TABLE`, `Order.TABLE`), when it names one. */
function constantNamed(tokens: Token[], range: TokenRange | undefined): string | undefined {
  if (!range) return undefined;
  const [from, to] = range;
  if (to <= from || (to - from) % 2 === 0) return undefined;
  for (let k = from; k < to; k++) if ((k - from) % 2 === 0 ? !isId(tokens[k]) : !isPunct(tokens[k], '.')) return undefined;
  // `Customer.ID` is Customer's: this file's only when it declares that class
  if (to - from >= 3 && !classesOf(tokens).has(tokens[to - 3]!.value)) return undefined;
  return stringConstants(tokens).get(tokens[to - 1]!.value);
}

const classesOfFile = new WeakMap<Token[], Set<string>>();

/** The classes (and Kotlin objects) a file declares. */
function classesOf(tokens: Token[]): Set<string> {
  let names = classesOfFile.get(tokens);
  if (!names) {
    names = new Set();
    for (let i = 0; i + 1 < tokens.length; i++) if ((isId(tokens[i], 'class') || isId(tokens[i], 'object')) && isId(tokens[i + 1])) names.add(tokens[i + 1]!.value);
    classesOfFile.set(tokens, names);
  }
  return names;
}

const constantsOfFile = new WeakMap<Token[], Map<string, string>>();

/** The file's string constants by name: `[static] final String NAME = "…";` and Kotlin's `const val NAME = "…"`. */
function stringConstants(tokens: Token[]): Map<string, string> {
  let constants = constantsOfFile.get(tokens);
  if (constants) return constants;
  constants = new Map();
  for (let i = 2; i + 2 < tokens.length; i++) {
    const value = tokens[i + 2]!;
    if (!isId(tokens[i]) || !isPunct(tokens[i + 1], '=') || value.type !== 'str' || value.interpolated || constants.has(tokens[i]!.value)) continue;
    const java = isId(tokens[i - 1], 'String') && [2, 3, 4].some((back) => isId(tokens[i - back], 'final'));
    const kotlin = isId(tokens[i - 1], 'val') && isId(tokens[i - 2], 'const');
    // a whole initializer: no `"a" + B`
    const ends = i + 3 >= tokens.length || isPunct(tokens[i + 3], ';') || isPunct(tokens[i + 3], '}') || tokens[i + 3]!.line > value.line;
    if ((java || kotlin) && ends) constants.set(tokens[i]!.value, value.value);
  }
  constantsOfFile.set(tokens, constants);
  return constants;
}

export interface Field {
  name: string;
  /** Its declared type's simple name (`Customer` of `com.shop.Customer`), or its elements' (`Line` of `List<Line>`). */
  type: string;
  collection: boolean;
  notes: Map<string, Annotation>;
  line: number;
}

/** The fields of an entity's body: annotations, type and name of each `Type name;` / `Type name = …;` at its own level. */
function fieldsOf(tokens: Token[], c: AnnotatedClass): Field[] {
  const fields: Field[] = [];
  for (const k of classLevel(tokens, c)) {
    const t = tokens[k]!;
    // `… Type name ;` or `… Type name =`; a generic collection (`List<Line> lines`) is a to-many side
    if (t.type !== 'id' || !(isPunct(tokens[k + 1], ';') || isPunct(tokens[k + 1], '='))) continue;
    if (isPunct(tokens[k - 1], '>') && tokens[k - 2]?.type === 'id' && isPunct(tokens[k - 3], '<') && tokens[k - 4]?.type === 'id') {
      // `Set<Tag> tags`: a collection of Tag
      fields.push({ name: t.value, type: tokens[k - 2]!.value, collection: true, notes: annotationsBefore(tokens, qualifiedStart(tokens, k - 4)), line: t.line });
      continue;
    }
    if (isPunct(tokens[k - 1], '>') && tokens[k - 2]?.type === 'id') {
      // `Map<String, String> config`: a collection of its last type argument
      let open = k - 2;
      while (open > k - 12 && !isPunct(tokens[open], '<')) open--;
      if (isPunct(tokens[open], '<') && tokens[open - 1]?.type === 'id') {
        fields.push({ name: t.value, type: tokens[k - 2]!.value, collection: true, notes: annotationsBefore(tokens, qualifiedStart(tokens, open - 1)), line: t.line });
        continue;
      }
    }
    const typeAt = k - 1;
    if (tokens[typeAt]?.type !== 'id' || MODIFIERS.has(tokens[typeAt]!.value)) continue;
    fields.push({ name: t.value, type: tokens[typeAt]!.value, collection: false, notes: annotationsBefore(tokens, qualifiedStart(tokens, typeAt)), line: t.line });
  }
  return fields;
}

/** The first token of a dotted type name ending at `k` (`com.shop.Customer`). */
function qualifiedStart(tokens: Token[], k: number): number {
  while (isPunct(tokens[k - 1], '.') && tokens[k - 2]?.type === 'id') k -= 2;
  return k;
}

