import type { JoinPair, QualifiedName } from '../sql/types';
import { classifyFile, EMPTY_CONTEXT } from './classify';
import type { FileKind, OrmEntity } from './facts';

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

/** How a key's sides are placed (see JoinPair's fields of these names). */
interface KeyOptions {
  via?: OrmVia;
  toEntity?: string;
  fromEntity?: string;
  mappedOnly?: true;
  navigation?: JoinPair['navigation'];
  covers?: string[];
  byConvention?: string;
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
  options: KeyOptions = {},
): JoinPair {
  const key: JoinPair = { left: { table: from, column }, right: { table: to, column: toColumn }, clause: 'on', via: options.via ?? 'orm-foreign-key', origin: { kind: 'code', file: at.file, line: at.line } };
  if (options.toEntity) key.toEntity = options.toEntity;
  if (options.fromEntity) key.fromEntity = options.fromEntity;
  if (options.mappedOnly) key.mappedOnly = true;
  if (options.navigation) key.navigation = options.navigation;
  if (options.covers?.length) key.covers = options.covers;
  if (options.byConvention) key.byConvention = options.byConvention;
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
  options: KeyOptions = {},
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
 * classes, which is then left out. When two files declare classes of one name, the first (in path order) is taken,
 * among the classes of the relationship's own languages.
 */
export function resolveOrmEntities(joins: readonly JoinPair[], entities: readonly FiledEntity[]): JoinPair[] {
  if (!joins.some((j) => j.toEntity || j.fromEntity)) return joins as JoinPair[];
  // a class is looked for among the entities of its relationship's language family (a C# `Customer` is not a Java
  // one); entities of no known file are in every family
  const resolvers = new Map<string, (j: JoinPair) => JoinPair[]>();
  const families = new Map<string | undefined, string>();
  const familyOf = (file: string | undefined): string => {
    let f = families.get(file);
    if (f === undefined) families.set(file, (f = ormFamily(file)));
    return f;
  };
  const resolverOf = (family: string): ((j: JoinPair) => JoinPair[]) => {
    let r = resolvers.get(family);
    if (!r) resolvers.set(family, (r = resolverFor(family ? entities.filter((e) => !e.file || familyOf(e.file) === family) : entities)));
    return r;
  };
  // a navigation a configuration keys (EF's fluent API) is keyed so, not as conventions would guess; `A.b→c` is the
  // navigation c of the class that A's navigation b holds
  const navigations = new Map<string, Record<string, string>>();
  for (const e of entities) if (e.navigations) navigations.set(e.name, { ...navigations.get(e.name), ...e.navigations });
  const configured = new Set<string>();
  for (const j of joins) {
    for (const cover of j.covers ?? []) {
      const [navigation, inverse] = cover.split('→');
      if (inverse === undefined) configured.add(cover);
      else {
        const [of, property] = navigation!.split('.');
        const held = navigations.get(of!)?.[property!];
        if (held) configured.add(`${held}.${inverse}`);
      }
    }
  }
  const placed: JoinPair[] = [];
  for (const j of joins) {
    if (j.byConvention && configured.has(j.byConvention)) continue;
    if (!j.toEntity && !j.fromEntity) placed.push(j);
    else for (const p of resolverOf(familyOf(j.origin.file))(j)) placed.push(p);
  }
  return placed;
}

/** An entity and, when known, the file that declares it. */
export type FiledEntity = OrmEntity & { file?: string };

/** Languages whose ORM classes can name each other: a file's, by the kind the index gives it ('' when none). */
export function ormFamily(file: string | undefined): string {
  return file ? (ORM_FAMILIES[classifyFile(file, EMPTY_CONTEXT)] ?? '') : '';
}

const ORM_FAMILIES: Partial<Record<FileKind, string>> = {
  java: 'jvm', kotlin: 'jvm', hibernate: 'jvm', mybatis: 'jvm', csharp: 'dotnet', php: 'php', python: 'python', ruby: 'ruby', go: 'go',
  typescript: 'js', javascript: 'js', prisma: 'js',
};

/** Places the relationships of one language family on its entities (see resolveOrmEntities). */
function resolverFor(entities: readonly OrmEntity[]): (j: JoinPair) => JoinPair[] {
  const byName = entitiesByName(entities);
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
      const parent = parentOf(byName, e.extends, e);
      if (!parent || chain.includes(parent) || chain.length > 16) break;
      chain.push((e = parent));
    }
    // the hierarchy's strategy, as its root entity declares it (else a class in it): single-table unless it gives its
    // subclasses tables of their own; a mapped superclass has no table (only its id and fields are the hierarchy's)
    const tabled = chain.filter((e) => !e.mappedSuperclass);
    const root = tabled[tabled.length - 1] ?? start;
    const strategy = root.inheritance ?? chain.find((e) => e.inheritance)?.inheritance;
    const separate = strategy !== undefined && strategy !== 'single-table';
    const owner = separate ? start : root;
    // its fields' columns: its own, else its ancestors' (a subclass overrides what it inherits)
    const mapped = chain.filter((e) => e.fieldColumns);
    const fieldColumns = mapped.length > 1 ? (Object.assign({}, ...mapped.reverse().map((e) => e.fieldColumns)) as Record<string, string>) : mapped[0]?.fieldColumns;
    const idOf = chain.find((e) => e.idColumn);
    const idColumn = idOf?.idField && fieldColumns?.[idOf.idField] ? fieldColumns[idOf.idField] : idOf?.idColumn;
    return { table: owner.table, idColumn, fieldColumns, joined: strategy === 'joined' };
  };
  /** The nearest entity (with a table) up from class `name`: itself, or the first ancestor past mapped superclasses. */
  const nearestEntity = (name: string | undefined, child: OrmEntity | undefined): string | undefined => {
    let e = parentOf(byName, name, child);
    for (let hops = 0; e?.mappedSuperclass && hops < 16; hops++) e = parentOf(byName, e.extends, e);
    return e?.name;
  };
  const place = (j: JoinPair): JoinPair | undefined => {
    const held = j.navigation && byName.get(j.navigation.of)?.navigations?.[j.navigation.property];
    // a joined subclass's key is to its nearest entity ancestor; with none (a library's base class) there is no key
    const parent = j.joinedSubclass ? nearestEntity(j.toEntity, j.fromEntity === undefined ? undefined : byName.get(j.fromEntity)) : undefined;
    if (j.joinedSubclass && !parent) return undefined;
    const to = placeOf(parent ?? (held && j.navigation!.side === 'right' ? held : j.toEntity));
    const from = placeOf(held && j.navigation!.side === 'left' ? held : j.fromEntity);
    // a join that code writes between classes (SQLAlchemy's `A.x == B.y`) says nothing of classes no file maps
    if ((j.via === 'query-builder' || j.mappedOnly) && ((j.toEntity && !to) || (j.fromEntity && !from))) return undefined;
    if (j.joinedSubclass && !from?.joined) return undefined;
    const right = { ...j.right, table: to?.table ?? j.right.table, column: fieldColumn(to, j.right.column) || to?.idColumn || 'id' };
    const left = from ? { ...j.left, table: from.table, column: fieldColumn(from, j.left.column) || from.idColumn || 'id' } : j.left;
    return { ...j, left, right };
  };
  const heirs = mappedSuperclassHeirs(byName);
  return (j) => {
    const own = j.fromEntity ? heirs.get(j.fromEntity) : undefined;
    if (!own) {
      const p = place(j);
      return p ? [p] : [];
    }
    // a key a mapped superclass declares is each of its entities' (once per table: single-table subclasses share one)
    const placed: JoinPair[] = [];
    const tables = new Set<string>();
    for (const heir of own) {
      // (a key of the class to itself is each entity's to itself: Django's 'self')
      const p = place({ ...j, fromEntity: heir, toEntity: j.toEntity === j.fromEntity ? heir : j.toEntity });
      const key = p && `${p.left.table?.schema ?? ''}.${p.left.table?.name}.${p.left.column}`;
      if (!p || tables.has(key!)) continue;
      tables.add(key!);
      placed.push(p);
    }
    return placed;
  };
}

const superclassesOf = new WeakMap<Map<string, OrmEntity>, Map<string, OrmEntity>>();
const bySimpleName = new WeakMap<Map<string, OrmEntity>, Map<string, OrmEntity | null>>();

/**
 * The entity a class extends: by its name, or, for a name whose module was guessed (a star import, a class loaded at
 * run time: Django's) that no entity has, the only entity of its simple name.
 */
function parentOf(byName: Map<string, OrmEntity>, name: string | undefined, child?: OrmEntity): OrmEntity | undefined {
  if (name === undefined) return undefined;
  // a class extending an abstract class of its own name: that one
  const found = byName.get(name) === child ? superclassesOf.get(byName)?.get(name) : byName.get(name);
  // only a guessed name: a class imported by name is that module's (`pydantic.BaseModel` is no project's BaseModel)
  if (found || !name.includes('.') || !child?.extendsGuessed) return found;
  let simple = bySimpleName.get(byName);
  if (!simple) {
    simple = new Map();
    for (const [key, e] of byName) {
      const short = key.slice(key.lastIndexOf('.') + 1);
      simple.set(short, simple.has(short) ? null : e);
    }
    bySimpleName.set(byName, simple);
  }
  return simple.get(name.slice(name.lastIndexOf('.') + 1)) ?? undefined;
}

/**
 * For each mapped superclass: the entities whose fields it declares, those that extend it through mapped superclasses
 * only. An entity further down has them from its parent entity: on that entity's table (single-table), or only there
 * (JOINED).
 */
function mappedSuperclassHeirs(byName: Map<string, OrmEntity>): Map<string, string[]> {
  const heirs = new Map<string, string[]>();
  // (every mapped superclass, also one a model of its name hides: `Product(base.Product)`)
  for (const name of superclassesOf.get(byName)?.keys() ?? []) heirs.set(name, []);
  if (!heirs.size) return heirs;
  for (const e of byName.values()) {
    if (e.mappedSuperclass) continue;
    const seen = new Set<OrmEntity>([e]);
    // its parent's line, and each mixin's (Python), up through mapped superclasses
    const starts = [parentOf(byName, e.extends, e), ...(e.mixins ?? []).map((m) => superclassesOf.get(byName)?.get(m))];
    for (const start of starts) {
      for (let p = start; p?.mappedSuperclass && !seen.has(p) && seen.size <= 32; p = parentOf(byName, p.extends, p)) {
        seen.add(p);
        heirs.get(p.name)?.push(e.name);
      }
    }
  }
  return heirs;
}

/**
 * Each class name's entity: the first record (in path order), or, for a class that Entity Framework describes in
 * several files (ranked records), the merge of its class's records (the first annotated class of that name, else the
 * first plain one, with the navigations and columns of its other parts: partial classes) and every configured record
 * (a DbContext's DbSets and fluent configuration): the table of the highest rank, the columns of all (the configured
 * ones winning), the configured key, else the class's (else EF's `Id`). It extends its base class only when a
 * DbContext has that class in its model (else the base is a plain class and each entity has its own table), and has
 * its table in the default schema of the context whose DbSet or configuration names it.
 */
function entitiesByName(entities: readonly OrmEntity[]): Map<string, OrmEntity> {
  const byName = new Map<string, OrmEntity>();
  const ranked = new Map<string, OrmEntity[]>();
  const superclasses = new Map<string, OrmEntity>();
  for (const e of entities) {
    // (a model of the name an abstract model also has, `Product(base.Product)`, is the one relationships name)
    const had = byName.get(e.name);
    if (!had || (had.mappedSuperclass && !e.mappedSuperclass)) byName.set(e.name, e);
    if (e.mappedSuperclass && !superclasses.has(e.name)) superclasses.set(e.name, e);
    if (e.tableRank === undefined) continue;
    let list = ranked.get(e.name);
    if (!list) ranked.set(e.name, (list = []));
    list.push(e);
  }
  superclassesOf.set(byName, superclasses);
  if (!ranked.size) return byName;
  // the default schema of an entity no context names: the one every context has, if they agree
  const schemas = new Set<string>();
  for (const list of ranked.values()) for (const e of list) if (e.modelSchema !== undefined) schemas.add(e.modelSchema);
  const agreed = schemas.size === 1 ? [...schemas][0] : undefined;
  const inModel = (name: string): boolean => ranked.get(name)?.some((e) => e.configured) ?? false;
  for (const [name, records] of ranked) {
    if (byName.get(name)!.tableRank === undefined) continue;
    // two classes of one name are two classes: one of them is this entity's (with its other parts)
    const classes = records.filter((e) => !e.configured);
    const theClass = classes.find((e) => e.tableRank! >= 0) ?? classes[0];
    const parts = theClass ? [theClass, ...classes.filter((e) => e !== theClass)] : [];
    const configured = records.filter((e) => e.configured);
    // ascending: a record of a higher rank (the configured one last among equals) overrides
    const order = [...(theClass ? [theClass] : []), ...configured].sort((a, b) => a.tableRank! - b.tableRank! || Number(!!a.configured) - Number(!!b.configured));
    const fieldColumns: Record<string, string> = {};
    const navigations: Record<string, string> = {};
    for (const e of [...parts].reverse()) {
      Object.assign(fieldColumns, e.fieldColumns);
      Object.assign(navigations, e.navigations);
    }
    for (const e of configured) {
      Object.assign(fieldColumns, e.fieldColumns);
      Object.assign(navigations, e.navigations);
    }
    const best = order[order.length - 1]!;
    const merged: OrmEntity = { ...(theClass ?? configured[0]!), table: best.table, fieldColumns, navigations };
    // the default schema of the DbContext that has it (its DbSet or configuration there says which)
    const modelSchema = configured.find((e) => e.modelSchema !== undefined)?.modelSchema ?? agreed;
    if (!merged.table.schema && modelSchema) merged.table = { schema: modelSchema, name: merged.table.name };
    // no key declared: EF's, `Id` or `<Class>Id`, among the properties known
    const key = configured.filter((e) => e.idColumn).pop()?.idColumn ?? parts.find((e) => e.idColumn)?.idColumn;
    const idColumn = key ?? Object.keys(fieldColumns).find((p) => /^id$/i.test(p) || p.toLowerCase() === `${name}id`.toLowerCase()) ?? 'Id';
    merged.idColumn = Object.hasOwn(fieldColumns, idColumn) ? fieldColumns[idColumn]! : idColumn;
    const base = parts.find((e) => e.extends)?.extends;
    delete merged.extends;
    if (base && inModel(base)) {
      merged.extends = base;
      // a derived type mapped to a table of its own: table-per-type (EF Core 5+)
      if (best.tableRank! >= 2) merged.inheritance ??= 'joined';
    }
    const strategy = configured.find((e) => e.inheritance)?.inheritance;
    if (strategy) merged.inheritance = strategy;
    byName.set(name, merged);
  }
  return byName;
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
