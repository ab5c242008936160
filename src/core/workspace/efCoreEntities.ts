import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringArgument, type TokenRange } from './codeConstants/matchers';
import type { OrmEntity } from './facts';
import { ormKey, tableOf, type OrmFacts } from './ormEntities';

/**
 * Entity Framework (Core and 6) classes of a C# file, by their data annotations and EF's conventions: an entity is a
 * class with `[Table]`, a `[Key]`/`[Column]`/`[ForeignKey]` property, or a `DbSet<T>` of the file. Its table is
 * `[Table("orders", Schema = "sales")]`, else the class's name (EF's default without a DbSet to name it); its columns
 * `[Column("…")]`, else the properties' names; its key `[Key]`, else `Id` or `<Class>Id`. Its relationships:
 * - a reference navigation (`public Customer Customer { get; set; }`) with its foreign key property
 *   (`[ForeignKey("Customer")]` on it, `[ForeignKey("CustomerRef")]` on the navigation, else `CustomerId`): that
 *   column to the target's key;
 * - a collection navigation (`ICollection<OrderLine> Lines`): the target's `<Class>Id` to this key.
 * Targets of other files are placed on what their own file declares once the workspace is read. What a DbContext
 * configures with the fluent API is read by efCoreModel, and merged with this.
 */
export function efCoreEntities(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  const annotated = /\[[^\]]*\b(Table|Key|Column|ForeignKey)\b|DbSet\s*</.test(text);
  // plain classes with auto-properties, navigations among them: what a DbContext's fluent configuration, elsewhere,
  // needs to know of them (their navigations' classes, their base class)
  const navigable = /\{\s*get\s*;/.test(text);
  if (!annotated && !navigable) return out;
  // `DbSet<Order> Orders`: the entity, and the table EF names after the property
  const dbSets = new Map([...dbSetProperties(tokens)].map(([entity, set]) => [entity, set.property]));
  // the file's enums: properties of these are columns, not navigations
  const enums = new Set<string>();
  for (let i = 0; i < tokens.length - 1; i++) if (isId(tokens[i], 'enum') && isId(tokens[i + 1])) enums.add(tokens[i + 1]!.value);
  for (let i = 0; i < tokens.length - 2; i++) {
    if (!isId(tokens[i], 'class') || !isId(tokens[i + 1])) continue;
    let open = i + 2;
    while (open < tokens.length && open < i + 40 && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
    if (!isPunct(tokens[open], '{')) continue;
    const close = matchClose(tokens, open);
    const name = tokens[i + 1]!.value;
    const notes = attributesBefore(tokens, i);
    const properties = propertiesOf(tokens, open, close, enums);
    const navigations = properties.filter((p) => p.target).map((p): [string, string] => [p.name, p.target!]);
    // `class Cat : Animal, IPet`: its base class, for EF's inheritance (table-per-hierarchy by default)
    const base = baseClassOf(tokens, i + 2, open);
    if (!notes.has('Table') && !dbSets.has(name) && !properties.some((p) => p.notes.has('Key') || p.notes.has('Column') || p.notes.has('ForeignKey'))) {
      if (navigable && (navigations.length || base)) {
        // rank -1: a plain class's name is the least sure of its table
        const shape: OrmEntity = { name, table: tableOf(undefined, name), tableRank: -1, line: tokens[i]!.line };
        if (navigations.length) shape.navigations = Object.fromEntries(navigations);
        if (base) shape.extends = base;
        const conventional = properties.find((p) => !p.target && (sameWord(p.name, 'Id') || sameWord(p.name, `${name}Id`)));
        if (conventional) shape.idColumn = conventional.name;
        out.entities.push(shape);
      }
      continue;
    }
    const tableNote = notes.get('Table');
    const table = tableOf(stringAt(tokens, namedArgument(tokens, tableNote ?? [], 'Schema', '=')), stringAt(tokens, tableNote?.[0]) ?? dbSets.get(name) ?? name);
    const columns = new Map(properties.filter((p) => !p.target).map((p) => [p.name, stringAt(tokens, p.notes.get('Column')?.[0]) ?? p.name]));
    // EF's conventions ignore case: `ID`, `StudentID`
    const key = properties.find((p) => p.notes.has('Key')) ?? properties.find((p) => !p.target && (sameWord(p.name, 'Id') || sameWord(p.name, `${name}Id`)));
    const entity: OrmEntity = { name, table, tableRank: tableNote ? 2 : dbSets.has(name) ? 1 : 0, line: tokens[i]!.line };
    if (key) entity.idColumn = columns.get(key.name) ?? key.name;
    const renamed = [...columns].filter(([property, column]) => property !== column);
    if (renamed.length) entity.fieldColumns = Object.fromEntries(renamed);
    if (navigations.length) entity.navigations = Object.fromEntries(navigations);
    if (base) entity.extends = base;
    out.entities.push(entity);
    // the scalar properties by name, and by the navigation their [ForeignKey] names
    const scalars = new Map(properties.filter((p) => !p.target).map((p) => [p.name.toLowerCase(), p]));
    const keyOf = new Map<string, Property>();
    for (const p of scalars.values()) {
      const navigation = stringOrNameof(tokens, p.notes.get('ForeignKey')?.[0]);
      if (navigation && !keyOf.has(navigation.toLowerCase())) keyOf.set(navigation.toLowerCase(), p);
    }
    const owner = { name, table, key: entity.idColumn ?? 'Id', columns };
    for (const p of properties) if (p.target) out.joins.push(...navigationKeys(tokens, owner, scalars, keyOf, p, file));
    i = close;
  }
  return out;
}

/**
 * A DbContext's `DbSet<Order> Orders { get; set; }` (or `=> Set<Order>()`) properties: entity class → the property,
 * which names its table. A field or a variable of that type (a repository's `DbSet<Order> _orders;`) names nothing.
 */
export function dbSetProperties(tokens: Token[]): Map<string, { property: string; line: number }> {
  const sets = new Map<string, { property: string; line: number }>();
  for (let i = 0; i + 5 < tokens.length; i++) {
    if (!isId(tokens[i], 'DbSet') || !isPunct(tokens[i + 1], '<')) continue;
    let close = i + 2;
    while (close < i + 12 && (isId(tokens[close]) || isPunct(tokens[close], '.'))) close++;
    const name = tokens[close + 1];
    if (!isPunct(tokens[close], '>') || !isId(tokens[close - 1]) || !isId(name) || !(isPunct(tokens[close + 2], '{') || isPunct(tokens[close + 2], '=>'))) continue;
    const entity = tokens[close - 1]!.value;
    if (!sets.has(entity)) sets.set(entity, { property: name!.value, line: name!.line });
  }
  return sets;
}

/** The base class in a C# class header between `from` and its body at `open` (an interface, `I…`, is none). */
function baseClassOf(tokens: Token[], from: number, open: number): string | undefined {
  let k = from;
  if (isPunct(tokens[k], '<')) while (k < open && !isPunct(tokens[k], '>')) k++;
  while (k < open && !isPunct(tokens[k], ':') && !isId(tokens[k], 'where')) k++;
  if (!isPunct(tokens[k], ':')) return undefined;
  let name: string | undefined;
  // (a generic constraint, `where T : Order`, is no base class)
  for (k++; k < open && (isId(tokens[k]) || isPunct(tokens[k], '.')) && !isId(tokens[k], 'where'); k++) if (isId(tokens[k])) name = tokens[k]!.value;
  return name && !/^I[A-Z]/.test(name) && name !== 'DbContext' && !/^(where|object)$/.test(name) ? name : undefined;
}

/**
 * Each class the file declares, with its navigation properties and the entity class each holds (or holds a collection
 * of).
 */
export function navigationTypesOf(tokens: Token[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!isId(tokens[i], 'class') || !isId(tokens[i + 1])) continue;
    let open = i + 2;
    while (open < tokens.length && open < i + 40 && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
    if (!isPunct(tokens[open], '{')) continue;
    const navigations = new Map<string, string>();
    for (const p of propertiesOf(tokens, open, matchClose(tokens, open), new Set())) if (p.target) navigations.set(p.name, p.target);
    out.set(tokens[i + 1]!.value, navigations);
  }
  return out;
}

interface Property {
  name: string;
  /** The entity class a navigation property holds (or holds a collection of). */
  target?: string;
  many: boolean;
  notes: Map<string, TokenRange[]>;
  line: number;
}

const COLLECTIONS = new Set(['ICollection', 'IList', 'List', 'HashSet', 'ISet', 'IEnumerable', 'Collection', 'IReadOnlyCollection']);
const VALUE_TYPES = new Set(['int', 'long', 'short', 'byte', 'string', 'bool', 'decimal', 'double', 'float', 'char', 'Guid', 'DateTime', 'DateTimeOffset', 'DateOnly', 'TimeOnly', 'TimeSpan', 'object', 'Int32', 'Int64', 'String', 'Boolean', 'Decimal', 'byte[]', 'uint', 'ulong']);

function navigationKeys(
  tokens: Token[],
  owner: { name: string; table: QualifiedName; key: string; columns: Map<string, string> },
  scalars: Map<string, Property>,
  keyOf: Map<string, Property>,
  nav: Property,
  file: string,
): JoinPair[] {
  const at = { file, line: nav.line };
  const target = nav.target!;
  const named = stringOrNameof(tokens, nav.notes.get('ForeignKey')?.[0]);
  const navigation = `${owner.name}.${nav.name}`;
  if (nav.many) {
    // the target's `<Owner>Id` (or the navigation's [ForeignKey]) to this key, wherever a configuration puts it
    return [ormKey({ name: target }, named ?? `${owner.name}Id`, owner.table, '', at, { fromEntity: target, toEntity: owner.name, byConvention: named ? undefined : navigation })];
  }
  const declared = (named ? scalars.get(named.toLowerCase()) : undefined) ?? keyOf.get(nav.name.toLowerCase());
  const fk = declared ?? scalars.get(`${nav.name}id`.toLowerCase()) ?? scalars.get(`${target}id`.toLowerCase());
  if (!fk) return [];
  // on the owner's entity, wherever a fluent configuration puts its table and the property's column
  return [ormKey(owner.table, fk.name, { name: target }, '', at, { fromEntity: owner.name, toEntity: target, byConvention: declared ? undefined : navigation })];
}

function sameWord(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The auto-properties of a class body: `[attributes] modifiers Type Name { get; set; }`. A property of an enum of the
 * file, or one given a `[Column]`, is a column, whatever its type.
 */
function propertiesOf(tokens: Token[], open: number, close: number, enums: Set<string>): Property[] {
  const properties: Property[] = [];
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(')) {
      k = matchClose(tokens, k);
      continue;
    }
    if (!isPunct(t, '{')) continue;
    const body = k;
    k = matchClose(tokens, k);
    if (!isId(tokens[body + 1], 'get') && !isId(tokens[body + 1], 'set') && !isId(tokens[body + 1], 'init')) continue;
    const nameTok = tokens[body - 1];
    if (!isId(nameTok)) continue;
    // the type before the name: `Customer`, `Customer?`, `ICollection<OrderLine>`, `virtual List<Tag>`
    let typeEnd = body - 2;
    if (isPunct(tokens[typeEnd], '?')) typeEnd--;
    let typeName: string | undefined;
    let many = false;
    if (isPunct(tokens[typeEnd], '>') && isId(tokens[typeEnd - 1]) && isPunct(tokens[typeEnd - 2], '<') && isId(tokens[typeEnd - 3])) {
      many = COLLECTIONS.has(tokens[typeEnd - 3]!.value);
      typeName = many ? tokens[typeEnd - 1]!.value : undefined;
    } else if (isId(tokens[typeEnd])) typeName = tokens[typeEnd]!.value;
    const entityType = typeName && /^[A-Z]/.test(typeName) && !VALUE_TYPES.has(typeName) && !/^(Nullable|Task)$/.test(typeName) ? typeName : undefined;
    let start = typeEnd;
    while (isId(tokens[start - 1]) || isPunct(tokens[start - 1], '<') || isPunct(tokens[start - 1], '>') || isPunct(tokens[start - 1], ',') || isPunct(tokens[start - 1], '.')) start--;
    const notes = attributesBefore(tokens, start);
    const column = notes.has('Column') || (entityType !== undefined && enums.has(entityType));
    properties.push({ name: nameTok!.value, target: column ? undefined : entityType, many: many && !column, notes, line: nameTok!.line });
  }
  return properties;
}

/** The attributes in `[…]` groups just before token `at`: name → arguments. */
function attributesBefore(tokens: Token[], at: number): Map<string, TokenRange[]> {
  const notes = new Map<string, TokenRange[]>();
  let k = at - 1;
  while (isId(tokens[k]) && MODIFIERS.has(tokens[k]!.value)) k--;
  while (isPunct(tokens[k], ']')) {
    let open = k - 1;
    for (let depth = 0; open >= 0; open--) {
      if (isPunct(tokens[open], ']')) depth++;
      else if (isPunct(tokens[open], '[') && depth-- === 0) break;
      if (k - open > 400) return notes;
    }
    if (open < 0) break;
    for (const [from, to] of callArguments(tokens, open)) {
      let n = from;
      while (isId(tokens[n]) && isPunct(tokens[n + 1], '.') && isId(tokens[n + 2])) n += 2;
      if (!isId(tokens[n])) continue;
      notes.set(tokens[n]!.value.replace(/Attribute$/, ''), isPunct(tokens[n + 1], '(') && n + 1 < to ? callArguments(tokens, n + 1) : []);
    }
    k = open - 1;
    while (isId(tokens[k]) && MODIFIERS.has(tokens[k]!.value)) k--;
  }
  return notes;
}

const MODIFIERS = new Set(['public', 'private', 'protected', 'internal', 'virtual', 'override', 'required', 'partial', 'sealed', 'abstract', 'static', 'new', 'readonly']);

function stringAt(tokens: Token[], range: TokenRange | undefined): string | undefined {
  return plainStringArgument(tokens, range)?.value || undefined;
}

/** `"Customer"` or `nameof(Customer)`. */
export function stringOrNameof(tokens: Token[], range: TokenRange | undefined): string | undefined {
  if (!range) return undefined;
  const [from, to] = range;
  if (isId(tokens[from], 'nameof') && isPunct(tokens[from + 1], '(') && isPunct(tokens[to - 1], ')')) return tokens[to - 2]?.type === 'id' ? tokens[to - 2]!.value : undefined;
  return stringAt(tokens, range);
}


