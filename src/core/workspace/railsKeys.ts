import type { JoinPair } from '../sql/types';
import { snakeCase } from './annotations';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringList, type TokenRange } from './codeConstants/matchers';
import { innermost, rubyBlocks, type RubyBlock } from './codeConstants/ruby';
import { lineIndents } from './codeConstants/sourceText';
import type { OrmEntity } from './facts';
import { pluralize, singularize } from './inflection';
import { compositeOrmKey, joinTableKeys, ormKey, tableNamed, type OrmFacts } from './ormEntities';

/**
 * What a Rails application declares about its tables' keys:
 * - ActiveRecord models (`class Order < ApplicationRecord`): each model's table (`self.table_name`, else the class
 *   name in snake_case, pluralized) and key (`self.primary_key`, else `id`), and the keys of its associations:
 *   `belongs_to :customer` (this table's `customer_id` to the customer model's key), `has_many :orders` / `has_one`
 *   (their `order_id`… to this model's key), `has_and_belongs_to_many :tags` (the join table `orders_tags`, a key to
 *   each side), with `class_name:`, `foreign_key:`, `primary_key:` and `join_table:`; polymorphic and `through:`
 *   associations declare no key of their own. Related models are placed on what their own files declare.
 * - `db/schema.rb` and migrations: `add_foreign_key :orders, :customers` (`column:`, `primary_key:`, composite keys
 *   too), `t.references :customer, foreign_key: true` (or `t.belongs_to`, `foreign_key: { to_table: :clients }`) in
 *   `create_table`/`change_table`, and `add_reference :orders, :customer, foreign_key: true`.
 */
export function railsKeys(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  const inModels = /(^|\/)models\//.test(file);
  const models =
    (/<\s*(ApplicationRecord|ActiveRecord::Base|\w*Record)\b/.test(text) && /belongs_to|has_many|has_one|has_and_belongs_to_many|self\.table_name|self\.primary_key/.test(text)) ||
    // a subclass of another model (single-table inheritance), with or without associations of its own
    (inModels && /\bclass\s+[\w:]+\s*<\s*[A-Z]/.test(text));
  const schema = /add_foreign_key|foreign_key:|add_reference/.test(text);
  if (!models && !schema) return out;
  const blocks = rubyBlocks(tokens, text);
  if (models) activeRecordModels(tokens, blocks, file, inModels, out);
  if (schema) out.joins.push(...schemaKeys(tokens, text, file));
  return out;
}

interface Call {
  /** Index of the method's name. */
  at: number;
  method: string;
  args: TokenRange[];
}

/** A statement that is a method call, with or without parentheses: `belongs_to :customer, optional: true`. */
function callAt(tokens: Token[], at: number): Call | undefined {
  const t = tokens[at];
  if (t?.type !== 'id') return undefined;
  if (isPunct(tokens[at + 1], '(') && tokens[at + 1]!.line === t.line) return { at, method: t.value, args: callArguments(tokens, at + 1) };
  // without parentheses: the arguments run to the end of the line (or on, after a trailing comma)
  const args: TokenRange[] = [];
  let from = at + 1;
  let k = at + 1;
  for (; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (x.line !== tokens[k - 1]!.line && !isPunct(tokens[k - 1], ',')) break;
    if (isId(x, 'do') || isPunct(x, ';')) break;
    if (x.type === 'punct' && (x.value === '(' || x.value === '[' || x.value === '{')) k = matchClose(tokens, k);
    else if (isPunct(x, ',')) {
      args.push([from, k]);
      from = k + 1;
    }
  }
  if (k > from) args.push([from, k]);
  return { at, method: t.value, args };
}

/** A symbol or string argument's text. */
function nameOf(tokens: Token[], range: TokenRange | undefined): string | undefined {
  if (!range || range[1] - range[0] !== 1) return undefined;
  const t = tokens[range[0]]!;
  return t.type === 'str' && !t.interpolated && /^[\w.:]+$/.test(t.value) ? t.value : undefined;
}

/** `key: value` among a call's arguments (also `:key => value`), as a token range. */
function option(tokens: Token[], call: Call, key: string): TokenRange | undefined {
  const keyword = namedArgument(tokens, call.args, key);
  if (keyword) return keyword;
  for (const [from, to] of call.args) if (tokens[from]!.type === 'str' && tokens[from]!.value === key && isPunct(tokens[from + 1], '=>')) return [from + 2, to];
  return undefined;
}

/** A name or a list of names (`[:a, :b]`). */
function namesOf(tokens: Token[], range: TokenRange | undefined): string[] | undefined {
  const one = nameOf(tokens, range);
  const names = one ? [one] : plainStringList(tokens, range);
  return names?.length && names.every((n) => /^[\w.:]+$/.test(n)) ? names : undefined;
}

const camel = (snake: string): string => snake.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** Rails's table of a model: `OrderLine` → `order_lines`. */
export function railsTable(className: string): string {
  const words = snakeCase(className).split('_');
  words.push(pluralize(words.pop()!));
  return words.join('_');
}

function activeRecordModels(tokens: Token[], blocks: RubyBlock[], file: string, inModels: boolean, out: OrmFacts): void {
  // models: subclasses of ActiveRecord's bases, and in a models folder subclasses of other models (single-table
  // inheritance: they share their parent's table)
  const models = blocks
    .filter((b) => b.keyword === 'class' && isPunct(tokens[b.at + 2], '<'))
    .map((b) => ({ block: b, parent: superclassOf(tokens, b.at + 3) }))
    .filter((m) => inModels || isActiveRecordBase(m.parent));
  // each class body's own statements (not its nested classes'), found in one pass
  const classAt = innermost(tokens.length, blocks, (b) => b.keyword !== 'def');
  const statements = new Map<RubyBlock, number[]>();
  for (let k = 0; k < tokens.length; k++) {
    const owner = k === 0 || tokens[k - 1]!.line !== tokens[k]!.line ? classAt(k) : undefined;
    if (owner) (statements.get(owner) ?? statements.set(owner, []).get(owner)!).push(k);
  }
  for (const { block: model, parent } of models) {
    const own = statements.get(model) ?? [];
    const setting = (name: string): string | undefined => {
      for (const k of own) {
        if (isId(tokens[k], 'self') && isPunct(tokens[k + 1], '.') && isId(tokens[k + 2], name) && isPunct(tokens[k + 3], '=') && tokens[k + 4]?.type === 'str') return tokens[k + 4]!.value;
      }
      return undefined;
    };
    if (own.some((k) => isId(tokens[k], 'self') && isId(tokens[k + 2], 'abstract_class'))) continue; // ApplicationRecord
    const tableName = setting('table_name');
    // a subclass of another model without a table of its own: the parent's, once the parent's file is read (a parent
    // found nowhere, such as an abstract base, leaves it its own)
    const inherits = !tableName && !isActiveRecordBase(parent) && /^[A-Z]/.test(parent);
    const table = tableNamed(tableName ?? railsTable(model.name));
    const ownKey = setting('primary_key');
    const key = ownKey ?? 'id';
    const entity: OrmEntity = { name: model.name, table, idColumn: key, line: tokens[model.at]!.line };
    if (inherits) {
      entity.extends = parent;
      if (!ownKey) delete entity.idColumn;
    }
    out.entities.push(entity);
    // the sides on this model's table name it, so that a subclass's land on its parent's table and key
    const self = inherits ? { entity: model.name, key: ownKey ?? '' } : undefined;
    for (const k of own) {
      const call = callAt(tokens, k);
      if (!call || !['belongs_to', 'has_many', 'has_one', 'has_and_belongs_to_many'].includes(call.method)) continue;
      const association = nameOf(tokens, call.args[0]);
      if (!association || option(tokens, call, 'polymorphic') || option(tokens, call, 'through') || option(tokens, call, 'as')) continue;
      const str = (o: string): string | undefined => nameOf(tokens, option(tokens, call, o));
      const related = (str('class_name') ?? camel(call.method === 'belongs_to' || call.method === 'has_one' ? association : singularize(association))).split('::').pop()!;
      const relatedTable = tableNamed(railsTable(related));
      const at = { file, line: tokens[k]!.line };
      const ownFk = `${snakeCase(model.name)}_id`;
      if (call.method === 'belongs_to') {
        out.joins.push(ormKey(table, str('foreign_key') ?? `${association}_id`, relatedTable, str('primary_key') ?? '', at, { toEntity: related, fromEntity: self?.entity }));
      } else if (call.method === 'has_and_belongs_to_many') {
        if (self) continue; // a subclass's join table would be named after its parent's table: left out
        // the join table: both tables' names in lexical order, unless `join_table:` names it
        const through = tableNamed(str('join_table') ?? [table.name, relatedTable.name].sort().join('_'));
        const target = { entity: related, table: relatedTable };
        out.joins.push(...joinTableKeys(through, str('foreign_key') ?? ownFk, { table, key }, str('association_foreign_key') ?? `${snakeCase(related)}_id`, target, at));
      } else {
        const via = call.method === 'has_one' ? 'orm-one-to-one' : 'orm-foreign-key';
        const pair = ormKey(relatedTable, str('foreign_key') ?? ownFk, table, str('primary_key') ?? self?.key ?? key, at, { via, fromEntity: related });
        if (self) pair.toEntity = self.entity;
        out.joins.push(pair);
      }
    }
  }
}

function isActiveRecordBase(superclass: string): boolean {
  return /Record$|^ActiveRecord$|^Base$/.test(superclass);
}

/** `ApplicationRecord`, `ActiveRecord::Base` (its last name): the superclass named at `k`. */
function superclassOf(tokens: Token[], k: number): string {
  let name = tokens[k]?.type === 'id' ? tokens[k]!.value : '';
  while (isPunct(tokens[k + 1], '::') && tokens[k + 2]?.type === 'id') name = tokens[(k += 2)]!.value;
  return name;
}

/** Keys in `db/schema.rb` and migrations. */
function schemaKeys(tokens: Token[], text: string, file: string): JoinPair[] {
  const out: JoinPair[] = [];
  const via = 'migration-foreign-key' as const;
  /** `create_table "orders" do |t|` blocks open at a line: the block's variable, its table, the line's indentation. */
  const open: Array<{ variable: string; table: string; indent: number }> = [];
  const indents = lineIndents(text);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (k > 0 && tokens[k - 1]!.line === t.line) continue; // statements start their lines
    const indent = indents[t.line - 1] ?? 0;
    if (isId(t, 'end')) {
      if (open.length && open[open.length - 1]!.indent === indent) open.pop();
      continue;
    }
    const at = { file, line: t.line };
    if (isId(t, 'create_table') || isId(t, 'change_table')) {
      const call = callAt(tokens, k);
      const table = call && nameOf(tokens, call.args[0]);
      let d = k + 1;
      while (d < tokens.length && tokens[d]!.line === t.line && !isId(tokens[d], 'do')) d++;
      if (table && isId(tokens[d], 'do') && isPunct(tokens[d + 1], '|') && tokens[d + 2]?.type === 'id') open.push({ variable: tokens[d + 2]!.value, table, indent });
      continue;
    }
    if (isId(t, 'add_foreign_key')) {
      const call = callAt(tokens, k);
      const from = call && nameOf(tokens, call.args[0]);
      const to = call && nameOf(tokens, call.args[1]);
      if (!call || !from || !to) continue;
      // Rails's default column: the referenced table's name in the singular, `_id`
      const columns = namesOf(tokens, option(tokens, call, 'column')) ?? [`${singularize(tableNamed(to).name)}_id`];
      const keys = namesOf(tokens, option(tokens, call, 'primary_key')) ?? (columns.length === 1 ? ['id'] : undefined);
      if (keys) out.push(...compositeOrmKey(tableNamed(from), columns, tableNamed(to), keys, at, { via }));
      continue;
    }
    const block = open[open.length - 1];
    const inBlock = block && isId(t, block.variable) && isPunct(tokens[k + 1], '.') && (isId(tokens[k + 2], 'references') || isId(tokens[k + 2], 'belongs_to'));
    if (inBlock || isId(t, 'add_reference') || isId(t, 'add_belongs_to')) {
      const call = callAt(tokens, inBlock ? k + 2 : k);
      if (!call) continue;
      const table = inBlock ? block.table : nameOf(tokens, call.args[0]);
      const reference = nameOf(tokens, call.args[inBlock ? 0 : 1]);
      const fk = option(tokens, call, 'foreign_key');
      if (!table || !reference || !fk || option(tokens, call, 'polymorphic') || isId(tokens[fk[0]], 'false')) continue;
      // `foreign_key: true`, or `foreign_key: { to_table: :clients, primary_key: :code }`
      const settings: Call | undefined = isPunct(tokens[fk[0]], '{') ? { at: fk[0], method: '', args: callArguments(tokens, fk[0]) } : undefined;
      const to = (settings && nameOf(tokens, option(tokens, settings, 'to_table'))) ?? pluralize(reference);
      const key = (settings && nameOf(tokens, option(tokens, settings, 'primary_key'))) ?? 'id';
      out.push(ormKey(tableNamed(table), `${reference}_id`, tableNamed(to), key, at, { via }));
    }
  }
  return out;
}
