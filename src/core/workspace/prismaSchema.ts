import type { JoinPair, QualifiedName } from '../sql/types';
import { tokenize, type Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringArgument, type TokenRange } from './codeConstants/matchers';
import { emptyFacts, type FileFacts, type OrmEntity } from './facts';
import { compositeOrmKey, tableOf } from './ormEntities';

/**
 * The models of a Prisma schema (`schema.prisma`, or a file of a multi-file schema folder) and the foreign keys their
 * relations declare:
 * - a model's table is its name, or `@@map("orders")`, in `@@schema("sales")` when given; a field's column is its
 *   name, or `@map("customer_id")`; its key is the `@id` field (or a one-field `@@id`);
 * - `customer Customer @relation(fields: [customerId], references: [id])` is this model's `customerId` column to the
 *   customer model's `id` column; one-to-one when the field is `@unique` (or a one-field `@@unique`);
 * - a target model declared in another file of the schema is named (`toEntity`) and placed on what that file
 *   declares once the workspace is read (its table, and the column of the field referenced).
 * A composite key (`fields: [storeId, tillNo]`) is one key.
 */
export function extractPrismaSchema(relPath: string, text: string): FileFacts {
  const facts = emptyFacts(relPath, 'prisma');
  if (!/\bmodel\s/.test(text)) return facts;
  const tokens = tokenize(text, 'typescript'); // comments, strings, identifiers and brackets as Prisma writes them
  const models = modelsOf(tokens);
  const byName = new Map(models.map((m) => [m.name, m]));
  const entities: OrmEntity[] = [];
  for (const m of models) {
    const id = m.fields.find((f) => f.id) ?? (m.compositeId?.length === 1 ? m.fields.find((f) => f.name === m.compositeId![0]) : undefined);
    const entity: OrmEntity = { name: m.name, table: m.table, idColumn: id?.column, line: m.line };
    const renamed = m.fields.filter((f) => f.column !== f.name);
    if (renamed.length) entity.fieldColumns = Object.fromEntries(renamed.map((f) => [f.name, f.column]));
    entities.push(entity);
    for (const f of m.fields) {
      if (f.relation) facts.joins.push(...keyOf(m, f, byName, relPath));
    }
  }
  if (entities.length) facts.entities = entities;
  return facts;
}

interface Field {
  name: string;
  /** Its type's name (`Customer` for `Customer?` or `Customer[]`). */
  type: string;
  column: string;
  id: boolean;
  unique: boolean;
  /** `@relation(fields: [...], references: [...])`: the field names of each list. */
  relation?: { fields: string[]; references: string[] };
  line: number;
}

interface Model {
  name: string;
  table: QualifiedName;
  fields: Field[];
  /** `@@id([...])` and `@@unique([...])` field names. */
  compositeId?: string[];
  uniques: string[][];
  line: number;
}

function keyOf(m: Model, f: Field, byName: Map<string, Model>, file: string): JoinPair[] {
  const { fields, references } = f.relation!;
  const own = fields.map((name) => m.fields.find((x) => x.name === name));
  if (own.some((x) => !x)) return [];
  const columns = own.map((x) => x!.column);
  // one-to-one when the key's fields are unique together
  const sameFields = (u: string[]): boolean => u.length === fields.length && fields.every((x) => u.includes(x));
  const oneToOne = (fields.length === 1 && (own[0]!.unique || own[0]!.id)) || m.uniques.some(sameFields) || (m.compositeId !== undefined && sameFields(m.compositeId));
  const via = oneToOne ? 'orm-one-to-one' : 'orm-foreign-key';
  const at = { file, line: f.line };
  const target = byName.get(f.type);
  if (target) {
    const referenced = references.map((name) => target.fields.find((x) => x.name === name)?.column ?? name);
    return compositeOrmKey(m.table, columns, target.table, referenced, at, { via });
  }
  // declared in another file of the schema: by Prisma's defaults (the model's and fields' names) until that file places it
  return compositeOrmKey(m.table, columns, tableOf(undefined, f.type), references, at, { via, toEntity: f.type });
}

/** The `model Name { … }` blocks, each field and block attribute read. */
function modelsOf(tokens: Token[]): Model[] {
  const models: Model[] = [];
  for (let i = 0; i < tokens.length - 2; i++) {
    if (!isId(tokens[i], 'model') || tokens[i + 1]!.type !== 'id' || !isPunct(tokens[i + 2], '{') || (i > 0 && tokens[i - 1]!.line === tokens[i]!.line)) continue;
    const close = matchClose(tokens, i + 2);
    const name = tokens[i + 1]!.value;
    const model: Model = { name, table: tableOf(undefined, name), fields: [], uniques: [], line: tokens[i]!.line };
    let schema: string | undefined;
    let mapped: string | undefined;
    for (const [from, to] of linesOf(tokens, i + 3, close)) {
      if (isPunct(tokens[from], '@') && isPunct(tokens[from + 1], '@')) {
        const attr = attributeAt(tokens, from + 1);
        if (attr?.name === 'map') mapped = stringOf(tokens, attr.args[0]);
        else if (attr?.name === 'schema') schema = stringOf(tokens, attr.args[0]);
        else if (attr?.name === 'id') model.compositeId = namesOf(tokens, attr.args[0]);
        else if (attr?.name === 'unique') model.uniques.push(namesOf(tokens, attr.args[0]) ?? []);
        continue;
      }
      const field = fieldOf(tokens, from, to);
      if (field) model.fields.push(field);
    }
    if (mapped || schema) model.table = tableOf(schema, mapped ?? name);
    models.push(model);
    i = close;
  }
  return models;
}

/** A field: `name Type[?|[]] @attr(…) …`. */
function fieldOf(tokens: Token[], from: number, to: number): Field | undefined {
  const name = tokens[from];
  const type = tokens[from + 1];
  if (name?.type !== 'id' || type?.type !== 'id') return undefined;
  const field: Field = { name: name.value, type: type.value, column: name.value, id: false, unique: false, line: name.line };
  for (let k = from + 2; k < to; k++) {
    if (!isPunct(tokens[k], '@')) continue;
    const attr = attributeAt(tokens, k);
    if (!attr) continue;
    if (attr.name === 'map') field.column = stringOf(tokens, attr.args[0]) ?? field.column;
    else if (attr.name === 'id') field.id = true;
    else if (attr.name === 'unique') field.unique = true;
    else if (attr.name === 'relation') {
      const fields = namesOf(tokens, namedArgument(tokens, attr.args, 'fields'));
      const references = namesOf(tokens, namedArgument(tokens, attr.args, 'references'));
      if (fields && references) field.relation = { fields, references };
    }
  }
  return field;
}

/** The attribute after the `@` at `at`: `@map("x")`, `@id`, `@db.VarChar(32)` (named `db`). */
function attributeAt(tokens: Token[], at: number): { name: string; args: TokenRange[] } | undefined {
  const name = tokens[at + 1];
  if (name?.type !== 'id') return undefined;
  let k = at + 2;
  while (isPunct(tokens[k], '.') && tokens[k + 1]?.type === 'id') k += 2;
  return { name: name.value, args: isPunct(tokens[k], '(') ? callArguments(tokens, k) : [] };
}

/** `[a, b]`, or a `name: [a, b]` argument taken first (as `@@id([a, b])` writes it): the field names. */
function namesOf(tokens: Token[], range: TokenRange | undefined): string[] | undefined {
  if (!range) return undefined;
  const [from, to] = isId(tokens[range[0]], 'fields') && isPunct(tokens[range[0] + 1], ':') ? [range[0] + 2, range[1]] : range;
  if (!isPunct(tokens[from], '[') || matchClose(tokens, from) !== to - 1) return undefined;
  const names: string[] = [];
  for (const [a, b] of callArguments(tokens, from)) {
    // `title(sort: Desc)` in an index names its field first
    if (tokens[a]?.type !== 'id') return undefined;
    if (b - a !== 1 && !isPunct(tokens[a + 1], '(')) return undefined;
    names.push(tokens[a]!.value);
  }
  return names;
}

function stringOf(tokens: Token[], range: TokenRange | undefined): string | undefined {
  return plainStringArgument(tokens, range)?.value;
}

/** A block's statements: a field or block attribute per line (brackets may carry one over several lines). */
function* linesOf(tokens: Token[], from: number, to: number): Generator<TokenRange> {
  let start = from;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    // a bracket carries its statement on to the line where it closes
    if (t.type === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) k = Math.min(matchClose(tokens, k), to - 1);
    const next = tokens[k + 1];
    if (k + 1 >= to || next!.line !== tokens[k]!.line) {
      yield [start, k + 1];
      start = k + 1;
    }
  }
}
