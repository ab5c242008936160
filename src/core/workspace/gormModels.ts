import type { JoinPair } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { isId, isPunct, matchClose } from './codeConstants/matchers';
import type { OrmEntity } from './facts';
import { snakeCase } from './annotations';
import { pluralize, singularize } from './inflection';
import { joinTableKeys, ormKey, tableNamed, type OrmFacts } from './ormEntities';

/**
 * GORM models of a Go file: each struct is an entity, its table `TableName()`'s return value, else GORM's default (the
 * name in snake_case, pluralized), its columns its fields' (`column:` in the `gorm` tag, else the field's name in
 * snake_case, initialisms kept whole: `CustomerID` → `customer_id`), its key the `ID` field or the one tagged
 * `primaryKey`. Its relationships, as GORM decides them, are ORM keys:
 * - a field of a struct type with a `<Field>ID` field beside it (or `foreignKey:`) belongs to it: that column to the
 *   target's key (or its `references:` field);
 * - otherwise a struct field, or a slice of structs (`[]OrderLine`), has one or many: the target's `<Struct>ID` (or
 *   `foreignKey:`) to this key;
 * - `many2many:order_tags` names the join table of two keys, `<struct>_id` each.
 * Structs of other files are placed on what their own file declares once the workspace is read.
 */
export function gormModels(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  // a file of GORM models imports it (a DTO with an ID field elsewhere is no table)
  if (!text.includes('struct') || !text.includes('gorm')) return out;
  const tableNames = tableNameMethods(tokens);
  const structs: Struct[] = [];
  /** Named types of the file that are not structs (`type OrderStatus int`): fields of these are columns. */
  const valueTypes = new Set<string>();
  // `type Order struct {…}`, and each spec of a grouped `type ( Order struct {…}; Status int )`
  for (const name of typeSpecs(tokens)) {
    if (!isId(tokens[name + 1], 'struct') || !isPunct(tokens[name + 2], '{')) {
      valueTypes.add(tokens[name]!.value);
      continue;
    }
    structs.push({ name: tokens[name]!.value, line: tokens[name]!.line, fields: fieldsOf(tokens, name + 2, matchClose(tokens, name + 2)) });
  }
  const structNames = new Set(structs.map((s) => s.name));
  for (const s of structs) {
    for (const f of s.fields) {
      if (f.target && valueTypes.has(f.target)) [f.target, f.scalar] = [undefined, !f.many];
    }
  }
  // a struct is a model when it has a key, a relationship, a table name or gorm tags: not every struct is a table
  const models = structs.filter((s) => tableNames.has(s.name) || s.fields.some((f) => f.tag.includes('gorm:') || f.name === 'ID' || f.embedsModel));
  for (const s of models) {
    const table = tableNamed(tableNames.get(s.name) ?? pluralize(snakeCase(s.name)));
    const columns = new Map(s.fields.filter((f) => f.scalar).map((f) => [f.name, tagValue(f.tag, 'column') ?? snakeCase(f.name)]));
    const keyField = s.fields.find((f) => /(^|;)\s*primary_?key\s*(;|$)/i.test(gormTag(f.tag))) ?? s.fields.find((f) => f.name === 'ID' || f.embedsModel);
    const key = keyField ? (keyField.embedsModel ? 'id' : columns.get(keyField.name) ?? snakeCase(keyField.name)) : 'id';
    const entity: OrmEntity = { name: s.name, table, idColumn: key, line: s.line };
    // keyed by a field's default column, which a relationship of another file names before it knows the field's tag
    const renamed = [...columns].filter(([field, column]) => snakeCase(field) !== column).map(([field, column]) => [snakeCase(field), column]);
    if (renamed.length) entity.fieldColumns = Object.fromEntries(renamed);
    out.entities.push(entity);
    for (const f of s.fields) if (f.target) out.joins.push(...relationshipKeys(s, f, { table, key, columns }, structNames, file));
  }
  return out;
}

interface Field {
  name: string;
  /** The struct a field of struct type (or a slice of one) holds. */
  target?: string;
  many: boolean;
  /** A plain value (not a struct or a slice): a column. */
  scalar: boolean;
  /** `gorm.Model` embedded: `ID` and the timestamps. */
  embedsModel: boolean;
  tag: string;
  line: number;
}

interface Struct {
  name: string;
  line: number;
  fields: Field[];
}

/** Go's and the standard library's value types: fields of these are columns, not relationships. */
const VALUE_TYPES = /^(u?int(8|16|32|64)?|float(32|64)|string|bool|byte|rune|Time|NullString|NullInt64|NullInt32|NullBool|NullFloat64|NullTime|Decimal|UUID|JSON|DeletedAt|RawMessage)$/;

function relationshipKeys(s: Struct, f: Field, own: { table: ReturnType<typeof tableNamed>; key: string; columns: Map<string, string> }, structs: Set<string>, file: string): JoinPair[] {
  const at = { file, line: f.line };
  const target = f.target!;
  // a polymorphic association's key (`owner_id`) holds the ids of several tables, told apart by `owner_type`: no
  // key of one table to another
  if (tagValue(f.tag, 'polymorphic') !== undefined || tagValue(f.tag, 'polymorphicId') !== undefined) return [];
  const many2many = tagValue(f.tag, 'many2many');
  if (many2many) {
    // (a struct to itself: `friend_id` after the field, as GORM names it)
    const targetColumn = target === s.name ? `${snakeCase(singularize(f.name))}_id` : `${snakeCase(target)}_id`;
    // GORM's join table name: as written when lower case, else snake_case and plural (`UserSpeak` → `user_speaks`)
    const through = many2many === many2many.toLowerCase() ? many2many : pluralize(snakeCase(many2many));
    return joinTableKeys(tableNamed(through), `${snakeCase(s.name)}_id`, { table: own.table, key: own.key }, targetColumn, { entity: target, table: { name: pluralize(snakeCase(target)) } }, at);
  }
  const foreignKey = tagValue(f.tag, 'foreignKey');
  const references = tagValue(f.tag, 'references');
  // belongs to: this struct holds the key (`CustomerID` beside `Customer`, or the foreignKey named here)
  const ownKeyField = foreignKey ?? `${f.name}ID`;
  if (!f.many && own.columns.has(ownKeyField)) {
    return [ormKey(own.table, own.columns.get(ownKeyField)!, { name: pluralize(snakeCase(target)) }, references ? snakeCase(references) : '', at, { toEntity: target })];
  }
  // has one needs the target known as a struct (a field of a named type of another file may be no struct at all)
  if (!f.many && !structs.has(target) && !foreignKey) return [];
  // has one / has many: the target holds the key, `<Struct>ID` by default (its default column: the target's own
  // entity maps it to the column its tag names)
  const theirs = snakeCase(foreignKey ?? `${s.name}ID`);
  const via = f.many ? 'orm-foreign-key' : 'orm-one-to-one';
  return [ormKey({ name: pluralize(snakeCase(target)) }, theirs, own.table, references ? own.columns.get(references) ?? snakeCase(references) : own.key, at, { via, fromEntity: target })];
}

/** The fields of a struct body: `Name Type \`tag\``, embedded `gorm.Model`. */
function fieldsOf(tokens: Token[], open: number, close: number): Field[] {
  const fields: Field[] = [];
  for (let k = open + 1; k < close; ) {
    const line = tokens[k]!.line;
    let end = k;
    while (end < close && tokens[end]!.line === line) end++;
    const spec = tokens.slice(k, end);
    k = end;
    const tag = spec[spec.length - 1]?.type === 'str' ? spec[spec.length - 1]!.value : '';
    const typeTokens = spec.slice(1, tag ? -1 : undefined);
    if (isId(spec[0], 'gorm') && isPunct(spec[1], '.') && isId(spec[2], 'Model')) {
      fields.push({ name: 'Model', many: false, scalar: false, embedsModel: true, tag, line });
      continue;
    }
    if (!isId(spec[0]) || !/^[A-Z]/.test(spec[0]!.value) || typeTokens.length === 0) continue;
    const many = isPunct(typeTokens[0], '[') && isPunct(typeTokens[1], ']');
    const named = typeTokens.filter((t) => t.type === 'id');
    const typeName = named[named.length - 1]?.value ?? '';
    const pointerOrPlain = typeTokens.every((t) => t.type === 'id' || isPunct(t, '*') || isPunct(t, '.') || isPunct(t, '[') || isPunct(t, ']'));
    const struct = pointerOrPlain && /^[A-Z]/.test(typeName) && !VALUE_TYPES.test(typeName) && !typeTokens.some((t) => isPunct(t, '.'));
    // a slice of values (`[]byte`, `[]string`) is a column too
    fields.push({ name: spec[0]!.value, target: struct ? typeName : undefined, many, scalar: !struct, embedsModel: false, tag, line });
  }
  return fields;
}

/** The name tokens of the file's type specs: after `type`, and at the start of each line of a `type ( … )` group. */
function typeSpecs(tokens: Token[]): number[] {
  const names: number[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!isId(tokens[i], 'type')) continue;
    if (isId(tokens[i + 1])) {
      names.push(i + 1);
      // a struct's body holds no type specs (an unclosed one runs to the end: stepped over once)
      if (isId(tokens[i + 2], 'struct') && isPunct(tokens[i + 3], '{')) i = matchClose(tokens, i + 3);
      continue;
    }
    if (!isPunct(tokens[i + 1], '(')) continue;
    const close = matchClose(tokens, i + 1);
    for (let k = i + 2; k < close; k++) {
      if (isId(tokens[k]) && tokens[k - 1]!.line < tokens[k]!.line) names.push(k);
      if (isPunct(tokens[k], '{') || isPunct(tokens[k], '(') || isPunct(tokens[k], '[')) k = matchClose(tokens, k);
    }
    i = close;
  }
  return names;
}

/** `func (Order) TableName() string { return "sales.orders" }` (or `(o *Order)`): the names each struct gives itself. */
function tableNameMethods(tokens: Token[]): Map<string, string> {
  const names = new Map<string, string>();
  for (let i = 0; i < tokens.length - 8; i++) {
    if (!isId(tokens[i], 'func') || !isPunct(tokens[i + 1], '(')) continue;
    const receiverClose = matchClose(tokens, i + 1);
    const receiver = tokens.slice(i + 2, receiverClose).filter((t) => t.type === 'id').pop()?.value;
    if (!receiver || !isId(tokens[receiverClose + 1], 'TableName')) continue;
    let body = receiverClose + 2;
    while (body < tokens.length && body < receiverClose + 8 && !isPunct(tokens[body], '{')) body++;
    if (isId(tokens[body + 1], 'return') && tokens[body + 2]?.type === 'str') names.set(receiver, tokens[body + 2]!.value);
  }
  return names;
}

/** The `gorm:"…"` part of a struct tag. */
function gormTag(tag: string): string {
  return /gorm:"([^"]*)"/.exec(tag)?.[1] ?? '';
}

/** `key:value` in the gorm tag (`column:cust_id`, `foreignKey:CustomerRef`). */
function tagValue(tag: string, key: string): string | undefined {
  for (const part of gormTag(tag).split(';')) {
    const colon = part.indexOf(':');
    if (colon > 0 && part.slice(0, colon).trim().toLowerCase() === key.toLowerCase()) return part.slice(colon + 1).trim() || undefined;
  }
  return undefined;
}
