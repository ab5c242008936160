import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringArgument, plainStringList, type TokenRange } from './codeConstants/matchers';
import { defaultTable } from './eloquentModels';
import { pluralize } from './inflection';
import { snakeCase } from './annotations';
import { compositeOrmKey, ormKey, tableNamed, type OrmFacts } from './ormEntities';

/**
 * Foreign keys that Laravel migrations declare, in `Schema::create('orders', function (Blueprint $table) { … })` and
 * `Schema::table(…)`:
 * - `$table->foreignId('customer_id')->constrained()`: to `customers.id`, the table Laravel guesses (the column
 *   without its `_id`, pluralized), or the table and column `constrained('clients', 'client_no')` names;
 *   `foreignUuid` and `foreignUlid` alike;
 * - `$table->foreignIdFor(Customer::class)`: the column `customer_id` (or the one named) to that model's table and
 *   key, placed on what the model's own file declares once the workspace is read;
 * - `$table->foreign('vendor_id')->references('vendor_id')->on('vendors')`, in either order, and a composite key
 *   `foreign(['store_id', 'till_no'])->references(['store_id', 'till_no'])->on('tills')` as one key.
 */
export function laravelMigrationKeys(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!text.includes('Schema::') || !/foreign|constrained/.test(text)) return out;
  for (let i = 0; i < tokens.length - 4; i++) {
    if (!isSchemaFacade(tokens[i]) || !isPunct(tokens[i + 1], '::')) continue;
    // Schema::create(…) / Schema::table(…), maybe after ::connection('x')->
    let k = i + 2;
    if (isId(tokens[k], 'connection') && isPunct(tokens[k + 1], '(')) {
      k = matchClose(tokens, k + 1) + 1;
      if (!isPunct(tokens[k], '->')) continue;
      k++;
    }
    if (!(isId(tokens[k], 'create') || isId(tokens[k], 'table')) || !isPunct(tokens[k + 1], '(')) continue;
    const args = callArguments(tokens, k + 1);
    const name = plainStringArgument(tokens, args[0])?.value;
    const body = args[1] && closureOf(tokens, args[1]);
    if (!name || !/^\w+(\.\w+)?$/.test(name) || !body) continue;
    for (const chain of chainsOn(tokens, body)) out.joins.push(...keyOfChain(tokens, chain, tableNamed(name), file));
    i = body.to;
  }
  return out;
}

/** `Schema`, or the facade by its full name (`\\Illuminate\\Support\\Facades\\Schema`). */
function isSchemaFacade(t: Token | undefined): boolean {
  return t?.type === 'id' && (t.value === 'Schema' || t.value.endsWith('\\Schema'));
}

interface Closure {
  /** The Blueprint parameter (`$table`). */
  param: string;
  /** Token range of the body. */
  from: number;
  to: number;
}

/**
 * `function (Blueprint $table) { … }` (or `static function`, with `use (…)` and a return type), or the arrow function
 * `fn (Blueprint $table) => $table->…`: its parameter and body.
 */
function closureOf(tokens: Token[], [from, to]: TokenRange): Closure | undefined {
  let k = from;
  if (isId(tokens[k], 'static')) k++;
  const arrow = isId(tokens[k], 'fn');
  if (!(arrow || isId(tokens[k], 'function')) || !isPunct(tokens[k + 1], '(')) return undefined;
  const close = matchClose(tokens, k + 1);
  const param = tokens[close - 1];
  if (param?.type !== 'id' || !param.value.startsWith('$')) return undefined;
  let open = close + 1;
  if (arrow) return isPunct(tokens[open], '=>') && open + 1 < to ? { param: param.value, from: open + 1, to } : undefined;
  if (isId(tokens[open], 'use') && isPunct(tokens[open + 1], '(')) open = matchClose(tokens, open + 1) + 1;
  // `: void`
  if (isPunct(tokens[open], ':')) while (open < to && !isPunct(tokens[open], '{')) open++;
  if (!isPunct(tokens[open], '{') || open >= to) return undefined;
  return { param: param.value, from: open + 1, to: matchClose(tokens, open) };
}

/** One call of a chain: its method and arguments. */
interface Link {
  method: string;
  args: TokenRange[];
  line: number;
}

/** The call chains on the closure's parameter that start its statements: `$table->foreign('x')->references('id')…`. */
function* chainsOn(tokens: Token[], body: Closure): Generator<Link[]> {
  for (let k = body.from; k < body.to; k++) {
    if (!isId(tokens[k], body.param) || !isPunct(tokens[k + 1], '->') || (k > body.from && !isPunct(tokens[k - 1], ';') && !isPunct(tokens[k - 1], '{') && !isPunct(tokens[k - 1], '}'))) continue;
    const chain: Link[] = [];
    let j = k + 1;
    while (isPunct(tokens[j], '->') && tokens[j + 1]?.type === 'id' && isPunct(tokens[j + 2], '(')) {
      const close = matchClose(tokens, j + 2);
      chain.push({ method: tokens[j + 1]!.value, args: callArguments(tokens, j + 2), line: tokens[j + 1]!.line });
      j = close + 1;
    }
    if (chain.length) yield chain;
    k = j - 1;
  }
}

const FOREIGN_ID = new Set(['foreignId', 'foreignUuid', 'foreignUlid']);

/** The key one chain declares: a pair per column, none when it declares no key. */
function keyOfChain(tokens: Token[], chain: Link[], table: QualifiedName, file: string): JoinPair[] {
  const first = chain[0]!;
  const link = (method: string): Link | undefined => chain.find((l) => l.method === method);
  const at = { file, line: first.line, via: 'migration-foreign-key' as const };
  const references = link('references');
  const on = link('on');
  const constrained = link('constrained');
  if (first.method === 'foreign') {
    if (!references || !on) return [];
    // one column or a list of them, referencing as many
    const columns = namesOf(tokens, first.args[0]);
    const toColumns = namesOf(tokens, namedArgument(tokens, references.args, 'columns') ?? references.args[0]);
    const to = stringArg(tokens, on, 0, 'table');
    return columns && toColumns && to ? compositeOrmKey(table, columns, tableNamed(to), toColumns, at, { via: at.via }) : [];
  }
  if (FOREIGN_ID.has(first.method)) {
    const column = plainStringArgument(tokens, first.args[0])?.value;
    if (!column || !/^\w+$/.test(column)) return [];
    if (references && on) {
      const to = stringArg(tokens, on, 0, 'table');
      const toColumn = stringArg(tokens, references, 0, 'column');
      return to && toColumn && /^\w+$/.test(toColumn) ? [key(table, column, tableNamed(to), toColumn, at)] : [];
    }
    if (!constrained) return [];
    // Laravel's guess: the column without its `_<column>` suffix, pluralized
    const toColumn = stringArg(tokens, constrained, 1, 'column') ?? 'id';
    const guessed = column.endsWith(`_${toColumn}`) ? column.slice(0, -toColumn.length - 1) : column;
    const to = stringArg(tokens, constrained, 0, 'table') ?? pluralize(guessed);
    return [key(table, column, tableNamed(to), toColumn, at)];
  }
  if (first.method === 'foreignIdFor') {
    const model = modelClass(tokens, first.args[0]);
    if (!model) return [];
    const column = plainStringArgument(tokens, first.args[1])?.value ?? `${snakeCase(model)}_id`;
    const named = constrained && stringArg(tokens, constrained, 0, 'table');
    if (named) return [key(table, column, tableNamed(named), stringArg(tokens, constrained, 1, 'column') ?? 'id', at)];
    return [ormKey(table, column, tableNamed(defaultTable(model)), '', at, { via: at.via, toEntity: model })];
  }
  return [];
}

function key(from: QualifiedName, column: string, to: QualifiedName, toColumn: string, at: { file: string; line: number; via: 'migration-foreign-key' }): JoinPair {
  return ormKey(from, column, to, toColumn, at, { via: at.via });
}

/** `'a'` or `['a', 'b']` (or `array('a', 'b')`): the column names, when every one is a plain name. */
function namesOf(tokens: Token[], range: TokenRange | undefined): string[] | undefined {
  if (!range) return undefined;
  const one = plainStringArgument(tokens, range)?.value;
  const from = isId(tokens[range[0]], 'array') && isPunct(tokens[range[0] + 1], '(') ? range[0] + 1 : range[0];
  const names = one !== undefined ? [one] : plainStringList(tokens, [from, range[1]], true);
  return names?.length && names.every((n) => /^\w+$/.test(n)) ? names : undefined;
}

/** The string a call passes at `position`, or as the named argument `name:`. */
function stringArg(tokens: Token[], call: Link, position: number, name: string): string | undefined {
  const byName = namedArgument(tokens, call.args, name);
  if (byName) return plainStringArgument(tokens, byName)?.value;
  const arg = call.args[position];
  return arg && !isPunct(tokens[arg[0] + 1], ':') ? plainStringArgument(tokens, arg)?.value : undefined;
}

/** `Customer::class` or `\App\Models\Customer::class`: the class's own name. */
function modelClass(tokens: Token[], range: TokenRange | undefined): string | undefined {
  if (!range) return undefined;
  const [from, to] = range;
  if (to - from < 3 || !isPunct(tokens[to - 2], '::') || !isId(tokens[to - 1], 'class') || tokens[to - 3]?.type !== 'id') return undefined;
  const text = tokens[to - 3]!.value;
  const name = text.slice(text.lastIndexOf('\\') + 1);
  return /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
}
