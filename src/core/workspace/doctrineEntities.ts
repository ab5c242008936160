import type { JoinPair } from '../sql/types';
import { tokenize, type Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, plainStringArgument, topLevel, type TokenRange } from './codeConstants/matchers';
import { countNewlines } from './codeConstants/sourceText';
import { snakeCase } from './annotations';
import type { OrmEntity } from './facts';
import { compositeOrmKey, joinTableKeys, ormKey, tableNamed, tableOf, type OrmFacts } from './ormEntities';

/**
 * Doctrine ORM entities of a PHP file, mapped by PHP 8 attributes (`#[ORM\Entity]`) or by docblock annotations
 * (`@ORM\Entity`, Doctrine 2's): each entity's table (`Table(name, schema)`, else the class name in snake_case, as
 * Symfony's default underscore naming strategy names it) and id column, and the keys its associations own:
 * - `ManyToOne` / `OneToOne` (without `mappedBy`): `JoinColumn(name, referencedColumnName)`, else `<property>_id`
 *   referencing `id` (Doctrine's defaults); several `JoinColumn`s (or `JoinColumns({…})`) as one composite key;
 * - `ManyToMany` (without `mappedBy`): the join table's key to each side, as `JoinTable` and its join columns name them,
 *   else Doctrine's defaults (`<owner>_<target>`, `<owner>_id`, `<target>_id`).
 * The target is an entity class (`targetEntity`, else the property's type), placed on what its own file declares once
 * the workspace is read (resolveOrmEntities).
 */
export function doctrineEntities(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!(text.includes('Entity') || text.includes('MappedSuperclass')) || !text.includes('ORM')) return out;
  const notes = new MappingNotes(tokens, text);
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!isId(tokens[i], 'class') || tokens[i + 1]!.type !== 'id' || isPunct(tokens[i - 1], '::')) continue;
    const classNotes = notes.before(i);
    // a mapped superclass has no table: its id and keys are each entity's that extends it (resolveOrmEntities)
    const mappedSuperclass = !first(classNotes, 'Entity') && !!first(classNotes, 'MappedSuperclass');
    if (!first(classNotes, 'Entity') && !mappedSuperclass) continue;
    let open = i + 2;
    while (open < tokens.length && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
    if (!isPunct(tokens[open], '{')) continue;
    const name = tokens[i + 1]!.value;
    const tableNote = first(classNotes, 'Table');
    const tableName = stringArg(tableNote, 'name');
    const schema = stringArg(tableNote, 'schema');
    const table = schema || !tableName ? tableOf(schema, tableName ?? snakeCase(name)) : tableNamed(tableName);
    const entity: OrmEntity = { name, table, line: tokens[i]!.line };
    const properties = propertiesOf(tokens, notes, open);
    const id = properties.find((p) => first(p.notes, 'Id') && first(p.notes, 'Column'));
    if (id) entity.idColumn = stringArg(first(id.notes, 'Column'), 'name') ?? snakeCase(id.name);
    if (mappedSuperclass) entity.mappedSuperclass = true;
    const parent = parentOf(tokens, i + 2, open);
    if (parent) entity.extends = parent;
    // Doctrine maps an entity's subclasses only as its InheritanceType says: without one, each has its own table
    if (!mappedSuperclass) entity.inheritance = inheritanceOf(first(classNotes, 'InheritanceType')) ?? 'none';
    out.entities.push(entity);
    const owned = out.joins.length;
    // a mapped superclass's many-to-many would name a join table per entity: left out
    for (const p of properties) if (!(mappedSuperclass && first(p.notes, 'ManyToMany'))) out.joins.push(...associationKeys(entity, p, file));
    if (parent && !mappedSuperclass) {
      // a JOINED subclass's table: its id a key to its parent's (kept only if the hierarchy is JOINED)
      const key = ormKey(table, '', { name: snakeCase(parent) }, '', { file, line: tokens[i]!.line }, { via: 'orm-one-to-one', toEntity: parent, fromEntity: name });
      key.joinedSubclass = true;
      out.joins.push(key);
    }
    // keys on this class's table are placed once its hierarchy is known
    if (parent || mappedSuperclass) for (const key of out.joins.slice(owned)) if (key.left.table === table) key.fromEntity = name;
  }
  return out;
}

/** The class a PHP class header between `from` and its body at `open` extends (`extends \App\Entity\Base` → `Base`). */
function parentOf(tokens: Token[], from: number, open: number): string | undefined {
  for (let k = from; k < open; k++) {
    if (!isId(tokens[k], 'extends')) continue;
    // a qualified name, `\App\Entity\Base`, and not what follows it (`implements …`)
    let j = k + 1;
    if (isPunct(tokens[j], '\\')) j++;
    if (!isId(tokens[j])) return undefined;
    let name = tokens[j]!.value;
    while (isPunct(tokens[j + 1], '\\') && isId(tokens[j + 2])) name = tokens[(j += 2)]!.value;
    return name;
  }
  return undefined;
}

/** `InheritanceType("JOINED")` (or `'TABLE_PER_CLASS'`): how a hierarchy's root maps its subclasses. */
function inheritanceOf(note: Note | undefined): OrmEntity['inheritance'] {
  const value = note?.args.length ? note.tokens.slice(note.args[0]![0], note.args[0]![1]).map((t) => t.value).join('') : undefined;
  if (value === undefined) return undefined;
  if (/\bJOINED$/.test(value)) return 'joined';
  if (/\bTABLE_PER_CLASS$/.test(value)) return 'table-per-class';
  if (/\bSINGLE_TABLE$/.test(value)) return 'single-table';
  if (/\bNONE$/.test(value)) return 'none';
  return undefined;
}

/** A mapping attribute or annotation: its simple name and arguments (ranges of `tokens`, which it was read from). */
interface Note {
  name: string;
  tokens: Token[];
  args: TokenRange[];
}

interface Property {
  name: string;
  /** The simple name of its declared type (`Customer` of `?Customer`, `\App\Entity\Customer`), when it has one. */
  type?: string;
  notes: Note[];
  line: number;
}

/** Keys the association property `p` of `owner` declares. */
function associationKeys(owner: OrmEntity, p: Property, file: string): JoinPair[] {
  const at = { file, line: p.line };
  const toOne = first(p.notes, 'ManyToOne') ?? first(p.notes, 'OneToOne');
  const toMany = first(p.notes, 'ManyToMany');
  const association = toOne ?? toMany;
  // the side with `mappedBy` holds no key
  if (!association || stringArg(association, 'mappedBy') !== undefined) return [];
  const target = classNamed(stringArg(association, 'targetEntity')) ?? (toOne ? p.type : undefined);
  if (!target || !/^[A-Z]/.test(target)) return [];
  const targetTable = { name: snakeCase(target) };
  if (toOne) {
    const via = toOne.name === 'OneToOne' ? 'orm-one-to-one' : 'orm-foreign-key';
    const columns = joinColumns(p.notes, 'JoinColumn');
    if (columns.length > 1) {
      if (!columns.every((c) => stringArg(c, 'name'))) return [];
      return compositeOrmKey(owner.table, columns.map((c) => stringArg(c, 'name')!), targetTable, columns.map(referenced), at, { via, toEntity: target });
    }
    const column = stringArg(columns[0], 'name') ?? `${snakeCase(p.name)}_id`;
    return [ormKey(owner.table, column, targetTable, referenced(columns[0]), at, { via, toEntity: target })];
  }
  const joinTable = first(p.notes, 'JoinTable');
  const own = joinTable && nestedNotes(joinTable, 'joinColumns').length ? nestedNotes(joinTable, 'joinColumns') : joinColumns(p.notes, 'JoinColumn');
  const inverse = joinTable && nestedNotes(joinTable, 'inverseJoinColumns').length ? nestedNotes(joinTable, 'inverseJoinColumns') : joinColumns(p.notes, 'InverseJoinColumn');
  if (own.length > 1 || inverse.length > 1) return []; // composite join-table keys are left out
  const ownName = snakeCase(owner.name);
  const targetName = snakeCase(target);
  // a default self-referencing join table tells its two keys apart as Doctrine does
  const [ownSuffix, targetSuffix] = target === owner.name ? ['source', 'target'] : ['id', 'id'];
  const tableName = stringArg(joinTable, 'name');
  const schema = stringArg(joinTable, 'schema');
  const through = schema || !tableName ? tableOf(schema, tableName ?? `${ownName}_${targetName}`) : tableNamed(tableName);
  return joinTableKeys(
    through,
    stringArg(own[0], 'name') ?? `${ownName}_${ownSuffix}`,
    { table: owner.table, key: referenced(own[0]) },
    stringArg(inverse[0], 'name') ?? `${targetName}_${targetSuffix}`,
    { entity: target, table: targetTable, key: referenced(inverse[0]) },
    at,
  );
}

/** The column a join column references: as written, else `id` (Doctrine's default, not the target's id column). */
function referenced(column: Note | undefined): string {
  return stringArg(column, 'referencedColumnName') ?? 'id';
}

/** A property's join columns: `JoinColumns({ @JoinColumn(…), … })`, else its (repeatable) `JoinColumn`s. */
function joinColumns(notes: Note[], name: 'JoinColumn' | 'InverseJoinColumn'): Note[] {
  const list = name === 'JoinColumn' ? first(notes, 'JoinColumns') : undefined;
  if (list) return list.args.flatMap((range) => notesIn(list.tokens, range));
  return notes.filter((n) => n.name === name);
}

/** The notes nested in `note`'s argument `key` (`joinColumns={@ORM\JoinColumn(…)}`, `joinColumns: [new JoinColumn(…)]`). */
function nestedNotes(note: Note, key: string): Note[] {
  const range = argument(note, key);
  return range ? notesIn(note.tokens, range) : [];
}

/** `@Name(…)` and `new Name(…)` (names qualified or not) in `tokens[from, to)`. */
function notesIn(tokens: Token[], [from, to]: TokenRange): Note[] {
  const found: Note[] = [];
  for (let k = from; k < to; k++) {
    if (!isPunct(tokens[k], '@') && !isId(tokens[k], 'new')) continue;
    const named = qualifiedName(tokens, k + 1);
    if (!named || !isPunct(tokens[named.next], '(')) continue;
    found.push({ name: named.name, tokens, args: callArguments(tokens, named.next) });
    k = matchClose(tokens, named.next);
  }
  return found;
}

/** A (possibly qualified) name at `k` (`ORM\JoinColumn`, `\Doctrine\ORM\Mapping\Id`): its last part and what follows. */
function qualifiedName(tokens: Token[], k: number): { name: string; next: number } | undefined {
  if (isPunct(tokens[k], '\\')) k++;
  if (tokens[k]?.type !== 'id') return undefined;
  while (isPunct(tokens[k + 1], '\\') && tokens[k + 2]?.type === 'id') k += 2;
  return { name: tokens[k]!.value, next: k + 1 };
}

/** Where the constructor of each mapping class takes an argument given by position (`#[ORM\Table('orders')]`). */
const POSITIONS: Record<string, readonly string[]> = {
  Table: ['name', 'schema'],
  Column: ['name'],
  JoinColumn: ['name', 'referencedColumnName'],
  InverseJoinColumn: ['name', 'referencedColumnName'],
  JoinTable: ['name', 'schema'],
  ManyToOne: ['targetEntity'],
  OneToOne: ['mappedBy', 'inversedBy', 'targetEntity'],
  ManyToMany: ['targetEntity', 'mappedBy', 'inversedBy'],
};

/** The value of argument `key`: named (`key: …` in an attribute, `key=…` in an annotation) or at its position. */
function argument(note: Note, key: string): TokenRange | undefined {
  const { tokens, args } = note;
  const named = (from: number): boolean => tokens[from]?.type === 'id' && (isPunct(tokens[from + 1], ':') || isPunct(tokens[from + 1], '='));
  for (const [from, to] of args) if (isId(tokens[from], key) && named(from)) return [from + 2, to];
  const position = POSITIONS[note.name]?.indexOf(key) ?? -1;
  if (position < 0 || position >= args.length) return undefined;
  // positional arguments come before any named one
  return args.slice(0, position + 1).some(([from]) => named(from)) ? undefined : args[position];
}

/**
 * The text of argument `key` when it is a string (a quoted name's backticks dropped: Doctrine's quoting) or a class
 * constant `Customer::class`.
 */
function stringArg(note: Note | undefined, key: string): string | undefined {
  const range = note && argument(note, key);
  if (!range) return undefined;
  const { tokens } = note;
  const s = plainStringArgument(tokens, range);
  if (s) return s.value.replace(/`/g, '');
  const [from, to] = range;
  if (to - from >= 3 && isId(tokens[to - 1], 'class') && isPunct(tokens[to - 2], '::') && tokens[to - 3]!.type === 'id') return tokens[to - 3]!.value;
  return undefined;
}

/** A class's simple name from how a mapping names it: `App\Entity\Customer` → `Customer`. */
function classNamed(name: string | undefined): string | undefined {
  return name?.slice(name.lastIndexOf('\\') + 1) || undefined;
}

/** The attributes of the group whose `[` is at `open`: `Name(…)` or a bare `Name`, between commas. */
function attributeNotes(tokens: Token[], open: number): Note[] {
  const notes: Note[] = [];
  for (const [from, to] of callArguments(tokens, open)) {
    const named = qualifiedName(tokens, from);
    if (!named) continue;
    if (named.next === to) notes.push({ name: named.name, tokens, args: [] });
    else if (isPunct(tokens[named.next], '(')) notes.push({ name: named.name, tokens, args: callArguments(tokens, named.next) });
  }
  return notes;
}

function first(notes: Note[], name: string): Note | undefined {
  return notes.find((n) => n.name === name);
}

const PHP_MODIFIERS = new Set(['public', 'protected', 'private', 'static', 'readonly', 'var', 'final', 'abstract']);

/** The properties of a class body (`{` at `open`, `}` at `close`) that carry mapping notes. */
function propertiesOf(tokens: Token[], notes: MappingNotes, open: number): Property[] {
  const properties: Property[] = [];
  for (const k of topLevel(tokens, open)) {
    const t = tokens[k]!;
    if (t.type !== 'id' || !t.value.startsWith('$') || !(isPunct(tokens[k + 1], ';') || isPunct(tokens[k + 1], '='))) continue;
    const propertyNotes = notes.before(k);
    if (!propertyNotes.length) continue;
    const type = tokens[k - 1]?.type === 'id' && !PHP_MODIFIERS.has(tokens[k - 1]!.value) ? tokens[k - 1]!.value : undefined;
    properties.push({ name: t.value.slice(1), type, notes: propertyNotes, line: t.line });
  }
  return properties;
}

/**
 * The mapping notes of a file's declarations: PHP 8 attribute groups `#[…]` in its tokens, and docblocks `/** @… *\/`,
 * which the tokens leave out and which are read from the text, each placed on the first token after it.
 */
class MappingNotes {
  /** Attribute groups by the index of their closing `]`: the index of their `#`. */
  private readonly groups = new Map<number, number>();
  /** Docblock notes by the index of the first token after the docblock. */
  private readonly docs = new Map<number, Note[]>();

  constructor(private readonly tokens: Token[], text: string) {
    for (let k = 0; k < tokens.length - 1; k++) {
      if (isPunct(tokens[k], '#') && isPunct(tokens[k + 1], '[')) this.groups.set(matchClose(tokens, k + 1), k);
    }
    if (text.includes('/**')) this.readDocblocks(text);
  }

  /** The notes of the declaration whose keyword or name is at `at`: attributes and docblocks before its modifiers and type. */
  before(at: number): Note[] {
    const { tokens } = this;
    // attribute groups, read backwards from the declaration, and the docblock before them
    const groups: Note[][] = [];
    let k = at - 1;
    // the type of a property: `?Customer`, `\App\Entity\Customer`, `int|null`
    // (never past a docblock's token: a class right after `<?php` would walk into it)
    while (k >= 0 && !this.docs.has(k + 1) && (tokens[k]!.type === 'id' ? !PHP_MODIFIERS.has(tokens[k]!.value) : ['?', '\\', '|'].includes(tokens[k]!.value)) && at - k < 12) k--;
    for (;;) {
      while (k >= 0 && tokens[k]!.type === 'id' && PHP_MODIFIERS.has(tokens[k]!.value)) k--;
      const open = this.groups.get(k);
      if (open === undefined) break;
      groups.push(attributeNotes(tokens, open + 1));
      k = open - 1;
    }
    const notes = [...(this.docs.get(k + 1) ?? [])];
    for (let g = groups.length - 1; g >= 0; g--) notes.push(...groups[g]!);
    return notes;
  }

  private readDocblocks(text: string): void {
    let line = 1;
    let counted = 0;
    for (let start = text.indexOf('/**'); start >= 0; start = text.indexOf('/**', start + 3)) {
      const end = text.indexOf('*/', start + 3);
      if (end < 0) return;
      const body = text.slice(start + 3, end);
      line += countNewlines(text, counted, end);
      counted = end;
      const notes = docblockNotes(body);
      if (notes.length) {
        // the first token after it: on its last line, after the code before it when it is all on one line
        const lineStart = text.lastIndexOf('\n', start) + 1;
        const before = body.includes('\n') || !/\S/.test(text.slice(lineStart, start)) ? 0 : tokenize(text.slice(lineStart, start), 'php').length;
        this.docs.set(this.firstTokenFrom(line) + before, notes);
      }
      start = end;
    }
  }

  /** Index of the first token on line `line` or after it. */
  private firstTokenFrom(line: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tokens[mid]!.line < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The annotations of a docblock's text: `@Name` or `@Name(…)` anywhere in it (prose around them is never tokenized, so
 * an apostrophe in a description does not open a string).
 */
function docblockNotes(body: string): Note[] {
  const notes: Note[] = [];
  const annotation = /@\\?([A-Za-z_][A-Za-z0-9_]*(?:\\[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*/y;
  for (let at = body.indexOf('@'); at >= 0; at = body.indexOf('@', at + 1)) {
    annotation.lastIndex = at;
    const m = annotation.exec(body);
    if (!m) continue;
    const name = classNamed(m[1])!;
    const open = annotation.lastIndex;
    if (body.charCodeAt(open) !== 40 /* ( */) {
      notes.push({ name, tokens: [], args: [] });
      continue;
    }
    const close = annotationClose(body, open);
    // the argument lines' leading `*` of the docblock would read as punctuation: blanked
    const tokens = tokenize(body.slice(open, close + 1).replace(/\n[ \t]*\*(?!\/)/g, '\n '), 'php');
    notes.push({ name, tokens, args: callArguments(tokens, 0) });
    at = close;
  }
  return notes;
}

/** Index of the `)` closing the annotation arguments opened at `open` (double-quoted strings skipped), or the end. */
function annotationClose(body: string, open: number): number {
  let depth = 0;
  for (let i = open; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 34 /* " */) {
      const q = body.indexOf('"', i + 1);
      if (q < 0) return body.length - 1;
      i = q;
    } else if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i;
  }
  return body.length - 1;
}

