import type { QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, plainStringArgument, type TokenRange } from './codeConstants/matchers';
import { joinTableKeys, ormKey, tableNamed, type OrmFacts } from './ormEntities';
import { snakeCase } from './annotations';
import { pluralize } from './inflection';

/**
 * Laravel Eloquent models of a PHP file: each model's table (`protected $table`, else Laravel's default, the class name
 * pluralized and in snake_case) and key (`$primaryKey`, else `id`), and the foreign keys its relationship methods
 * declare:
 * - `customer() { return $this->belongsTo(Customer::class, 'customer_id', 'id'); }`: this table's key (by default the
 *   method's name in snake_case + `_id`) to the related model's (its key by default);
 * - `lines() { return $this->hasMany(OrderLine::class, 'order_id', 'id'); }` (and `hasOne`): the related table's key
 *   (by default this class's name in snake_case + `_id`) to this model's;
 * - `roles() { return $this->belongsToMany(Role::class, 'role_user'); }`: the pivot table's two keys (by default
 *   `role_user`, `user_id`, `role_id`), one to each model's.
 * Related models are named (`fromEntity` / `toEntity`) and placed on what their own files declare once the workspace
 * is read; these are their defaults until then.
 */
export function eloquentModels(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!text.includes('extends') || !/belongsTo|hasOne|hasMany|\$table|\$primaryKey/.test(text)) return out;
  for (let i = 0; i < tokens.length - 3; i++) {
    if (!isId(tokens[i], 'class') || tokens[i + 1]!.type !== 'id' || !isId(tokens[i + 2], 'extends') || !isModelBase(tokens[i + 3])) continue;
    const name = tokens[i + 1]!.value;
    let open = i + 4;
    while (open < tokens.length && !isPunct(tokens[open], '{')) open++;
    if (open >= tokens.length) continue;
    const close = matchClose(tokens, open);
    const tableName = property(tokens, open, close, '$table');
    const key = property(tokens, open, close, '$primaryKey') ?? 'id';
    const table: QualifiedName = tableNamed(tableName ?? defaultTable(name));
    out.entities.push({ name, table, idColumn: key, line: tokens[i]!.line });
    for (const m of methodsOf(tokens, open, close)) {
      for (let k = m.from; k < m.to - 3; k++) {
        // a relation is declared at the method's top level: nested blocks (closures, a broken file's classes) are skipped
        if (isPunct(tokens[k], '{')) {
          k = matchClose(tokens, k);
          continue;
        }
        if (!isId(tokens[k], '$this') || !isPunct(tokens[k + 1], '->') || !isPunct(tokens[k + 3], '(')) continue;
        const kind = tokens[k + 2]!.value;
        if (kind !== 'belongsTo' && kind !== 'hasOne' && kind !== 'hasMany' && kind !== 'belongsToMany') continue;
        const args = callArguments(tokens, k + 3);
        const related = args[0] && relatedClass(tokens, args[0]);
        if (!related) continue;
        const arg = (n: number): string | undefined => plainStringArgument(tokens, args[n])?.value;
        const relatedTable = tableNamed(defaultTable(related));
        const at = { file, line: tokens[k + 2]!.line };
        if (kind === 'belongsToMany') {
          // the pivot table (by default both models' names in snake_case, in alphabetical order) keys each side
          const pivot = tableNamed(arg(1) ?? [snakeCase(name), snakeCase(related)].sort().join('_'));
          const ownerKey = { table, key: arg(4) ?? key };
          const target = { entity: related, table: relatedTable, key: arg(5) };
          out.joins.push(...joinTableKeys(pivot, arg(2) ?? `${snakeCase(name)}_id`, ownerKey, arg(3) ?? `${snakeCase(related)}_id`, target, at));
        } else if (kind === 'belongsTo') {
          out.joins.push(ormKey(table, arg(1) ?? `${snakeCase(m.name)}_id`, relatedTable, arg(2) ?? '', at, { toEntity: related }));
        } else {
          const via = kind === 'hasOne' ? 'orm-one-to-one' : 'orm-foreign-key';
          out.joins.push(ormKey(relatedTable, arg(1) ?? `${snakeCase(name)}_id`, table, arg(2) ?? key, at, { via, fromEntity: related }));
        }
      }
    }
  }
  return out;
}

/** `Model`, `Authenticatable` (a user model), `Pivot`, or an application's own base ending in `Model`. */
function isModelBase(t: Token | undefined): boolean {
  if (t?.type !== 'id') return false;
  const base = t.value.slice(t.value.lastIndexOf('\\') + 1);
  return base.endsWith('Model') || base === 'Authenticatable' || base === 'Pivot';
}

/** `protected $table = 'orders';` at the top of a class body. */
function property(tokens: Token[], open: number, close: number, name: string): string | undefined {
  for (let k = open + 1; k < close - 2; k++) {
    if (isPunct(tokens[k], '{')) k = matchClose(tokens, k);
    else if (isId(tokens[k], name) && isPunct(tokens[k + 1], '=') && tokens[k + 2]!.type === 'str') return tokens[k + 2]!.value;
  }
  return undefined;
}

/** `Customer::class`, `\App\Models\Customer::class`, `'App\Models\Customer'`: the class's own name. */
function relatedClass(tokens: Token[], [from, to]: TokenRange): string | undefined {
  const named = plainStringArgument(tokens, [from, to])?.value;
  const text = named ?? (to - from >= 3 && isPunct(tokens[to - 2], '::') && isId(tokens[to - 1], 'class') && tokens[to - 3]!.type === 'id' ? tokens[to - 3]!.value : undefined);
  const base = text?.slice(text.lastIndexOf('\\') + 1);
  return base && /^[A-Za-z_]\w*$/.test(base) ? base : undefined;
}

/** The methods of a class body: name and body token range. */
function methodsOf(tokens: Token[], open: number, close: number): Array<{ name: string; from: number; to: number }> {
  const methods: Array<{ name: string; from: number; to: number }> = [];
  for (let k = open + 1; k < close; k++) {
    if (!isId(tokens[k], 'function') || tokens[k + 1]?.type !== 'id' || !isPunct(tokens[k + 2], '(')) continue;
    let body = matchClose(tokens, k + 2) + 1;
    while (body < close && !isPunct(tokens[body], '{') && !isPunct(tokens[body], ';')) body++;
    if (!isPunct(tokens[body], '{')) continue;
    const end = matchClose(tokens, body);
    methods.push({ name: tokens[k + 1]!.value, from: body + 1, to: end });
    k = end;
  }
  return methods;
}

/** Laravel's table of a model: the class name with its last word pluralized, in snake_case (`OrderLine` → `order_lines`). */
export function defaultTable(className: string): string {
  const words = snakeCase(className).split('_');
  words.push(pluralize(words.pop()!));
  return words.join('_');
}
