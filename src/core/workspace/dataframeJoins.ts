import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringArgument, plainStringList, type TokenRange } from './codeConstants/matchers';
import { tableNamed, tableOf, type OrmFacts } from './ormEntities';

type JoinType = NonNullable<JoinPair['joinType']>;

/**
 * Joins that DataFrame code writes between frames of warehouse tables: PySpark (AWS Glue jobs, EMR, Databricks), and
 * pandas' `merge` (see pandasMerge; frames read with `pd.read_sql("select * from s.t", con)` or `read_sql_table`).
 * PySpark:
 * `orders.join(customers, orders.customer_id == customers.customer_id, "left")`, with the columns written
 * `df.x`, `df["x"]` or `F.col("alias.x")` (`&` of several: one condition), or `on="customer_id"` / `on=[…]` (USING).
 * A DataFrame's table is known from where it is read: `spark.table("sales.orders")` (`spark.read.table`),
 * Glue's `create_dynamic_frame.from_catalog(database=…, table_name=…)`, a JDBC read's `dbtable` option,
 * `spark.sql("select … from s.t")` of one table; a frame
 * derived from another (`orders.filter(…)`, `.alias("o")`, `.toDF()`) is of its table, and `.alias("o")` names it
 * for `F.col("o.x")`. Frames whose table is not known give nothing.
 */
export function dataframeJoins(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!/\.join\(|merge\(/.test(text) || !/spark|glueContext|DataFrame|from_catalog|read_sql/.test(text)) return out;
  const frames = new Map<string, QualifiedName>();
  const aliases = new Map<string, QualifiedName>();
  const opens = openingBrackets(tokens);
  /** The left frame of each join call, by its `)`: a chain of joins is walked back once, not once per join. */
  const chainRoots = new Map<number, QualifiedName | undefined>();
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    // `name = <expression>` (or `name: DataFrame = …`) at the start of a statement: a frame read from a table, or
    // derived from a frame
    const eq = t.type === 'id' && (i === 0 || tokens[i - 1]!.line < t.line) ? assignmentAt(tokens, i) : -1;
    if (eq > 0) {
      const table = tableOfExpression(tokens, eq + 1, statementEnd(tokens, eq + 1), frames, aliases);
      if (table) frames.set(t.value, table);
      else frames.delete(t.value);
    }
    if (isId(t, 'merge') && isPunct(tokens[i + 1], '(')) {
      for (const p of pandasMerge(tokens, i, opens, frames, aliases, chainRoots, file)) out.joins.push(p);
      continue;
    }
    if (!isId(t, 'join') || !isPunct(tokens[i - 1], '.') || !isPunct(tokens[i + 1], '(')) continue;
    const left = frameBefore(tokens, i - 1, opens, frames, aliases, chainRoots);
    // pandas' join is on the other frame's index, which names no column
    if (left && PANDAS.has(left)) continue;
    chainRoots.set(matchClose(tokens, i + 1), left);
    const args = callArguments(tokens, i + 1, REACH);
    const right = args[0] && frameAt(tokens, args[0], frames, aliases);
    if (!left || !right) continue;
    const how = plainStringArgument(tokens, namedArgument(tokens, args, 'how', '=') ?? (isKeyword(tokens, args[2]) ? undefined : args[2]))?.value;
    const joinType = JOIN_TYPES[how?.toLowerCase() ?? 'inner'];
    if (!joinType) continue; // semi and anti joins keep one side's rows only: no pair of columns
    const on = namedArgument(tokens, args, 'on', '=') ?? (args[1] && !isKeyword(tokens, args[1]) ? args[1] : undefined);
    if (!on) continue;
    const at = { file, line: t.line };
    // on="customer_id" / on=["a", "b"]: USING
    const using = plainStringArgument(tokens, on)?.value;
    const usingList = using ? [using] : plainStringList(tokens, on);
    if (usingList) {
      for (const column of usingList) out.joins.push(pair(left, column, right, column, 'using', joinType, at, usingList.length > 1));
      continue;
    }
    const found: Array<{ a: Side; b: Side; line: number }> = [];
    for (let k = on[0] + 1; k < on[1] - 1; k++) {
      // a join inside the condition is read on its own
      if (isId(tokens[k], 'join') && isPunct(tokens[k + 1], '(')) k = matchClose(tokens, k + 1);
      if (!isPunct(tokens[k], '==')) continue;
      const a = sideEndingAt(tokens, k - 1, opens, frames, aliases);
      const b = sideStartingAt(tokens, k + 1, frames, aliases);
      if (a && b && !sameTable(a.table, b.table)) found.push({ a, b, line: tokens[k]!.line });
    }
    for (const f of found) out.joins.push(pair(f.a.table, f.a.column, f.b.table, f.b.column, 'on', joinType, { file, line: f.line }, found.length > 1, t.line));
  }
  return out;
}

/** Tokens read of one join call's arguments: a condition is a few dozen, and an unclosed call in a broken file stays linear. */
const REACH = 2000;

/** Frames read with pandas (their tables, kept by the frames derived from them): their `join` is on an index. */
const PANDAS = new WeakSet<QualifiedName>();

function pandas(table: QualifiedName): QualifiedName {
  PANDAS.add(table);
  return table;
}

/** The one table a query reads: `select … from [schema.]table [alias] [where|group|order|limit …]`, with no join. */
function singleTableOf(sql: string | undefined): QualifiedName | undefined {
  if (!sql || /\b(join|union|intersect|except|minus)\b/i.test(sql)) return undefined;
  const m = /^\s*select\b[\s\S]*?\bfrom\s+"?([\w.]+)"?\s*(?:(?:as\s+)?\w+\s*)?(?:\b(?:where|group|order|limit)\b[\s\S]*)?;?\s*$/i.exec(sql);
  return m ? tableNamed(m[1]!) : undefined;
}

/**
 * pandas' `a.merge(b, on=…, left_on=…, right_on=…, how=…)` and `pd.merge(a, b, …)`: the pairs of columns each side
 * names (`on` for both; a list pairs column by column). Frames of unknown tables give nothing.
 */
function pandasMerge(
  tokens: Token[],
  at: number,
  opens: Int32Array,
  frames: Map<string, QualifiedName>,
  aliases: Map<string, QualifiedName>,
  chainRoots: Map<number, QualifiedName | undefined>,
  file: string,
): JoinPair[] {
  const args = callArguments(tokens, at + 1, REACH);
  const method = isPunct(tokens[at - 1], '.') && !(isId(tokens[at - 2], 'pd') || isId(tokens[at - 2], 'pandas'));
  const left = method ? frameBefore(tokens, at - 1, opens, frames, aliases, chainRoots) : args[0] && frameAt(tokens, args[0], frames, aliases);
  if (method) chainRoots.set(matchClose(tokens, at + 1), left);
  const rightArg = method ? args[0] : args[1];
  const right = rightArg && !isKeyword(tokens, rightArg) ? frameAt(tokens, rightArg, frames, aliases) : undefined;
  if (!left || !right) return [];
  const columns = (key: string): string[] | undefined => {
    const range = namedArgument(tokens, args, key, '=');
    const one = plainStringArgument(tokens, range)?.value;
    return one ? [one] : plainStringList(tokens, range);
  };
  const on = columns('on');
  const leftOn = on ?? columns('left_on');
  const rightOn = on ?? columns('right_on');
  const how = plainStringArgument(tokens, namedArgument(tokens, args, 'how', '='))?.value ?? 'inner';
  const joinType = JOIN_TYPES[how.toLowerCase()];
  if (!leftOn || !rightOn || leftOn.length !== rightOn.length || !joinType) return [];
  const where = { file, line: tokens[at]!.line };
  return leftOn.map((column, i) => pair(left, column, right, rightOn[i]!, on ? 'using' : 'on', joinType, where, leftOn.length > 1));
}

const JOIN_TYPES: Record<string, JoinType | undefined> = {
  inner: 'inner', cross: undefined, outer: 'full', full: 'full', fullouter: 'full', full_outer: 'full',
  left: 'left', leftouter: 'left', left_outer: 'left', right: 'right', rightouter: 'right', right_outer: 'right',
};

interface Side {
  table: QualifiedName;
  column: string;
}

function pair(left: QualifiedName, lc: string, right: QualifiedName, rc: string, clause: 'on' | 'using', joinType: JoinType, at: { file: string; line: number }, shared: boolean, callLine = at.line): JoinPair {
  const p: JoinPair = { left: { table: left, column: lc }, right: { table: right, column: rc }, clause, joinType, origin: { kind: 'code', file: at.file, line: at.line }, via: 'query-builder' };
  if (shared) p.condition = { line: callLine, column: 1 };
  return p;
}

/** The table an assigned expression reads, or the frame it derives from (its chain's first name). */
function tableOfExpression(tokens: Token[], k: number, end: number, frames: Map<string, QualifiedName>, aliases: Map<string, QualifiedName>): QualifiedName | undefined {
  let table: QualifiedName | undefined = isId(tokens[k]) && !isPunct(tokens[k + 1], '(') ? frames.get(tokens[k]!.value) : undefined;
  // along the chain: `.table("…")`, `from_catalog(database=…, table_name=…)`, `.option("dbtable", …)`, `.alias("o")`
  for (let j = k; j < end; j++) {
    const t = tokens[j]!;
    if (t.type !== 'id' || !isPunct(tokens[j + 1], '(')) continue;
    const args = callArguments(tokens, j + 1);
    if (t.value === 'table' && args.length === 1) {
      const name = plainStringArgument(tokens, args[0])?.value;
      if (name && /^[\w.]+$/.test(name)) table = tableNamed(name);
    } else if (t.value === 'sql' || t.value === 'read_sql' || t.value === 'read_sql_query') {
      // `spark.sql("select … from s.t")`, `pd.read_sql("select * from s.t", con)`: a query of one table
      const read = singleTableOf(plainStringArgument(tokens, args[0])?.value);
      if (read) table = t.value === 'sql' ? read : pandas(read);
    } else if (t.value === 'read_sql_table') {
      const name = plainStringArgument(tokens, args[0])?.value;
      if (name && /^\w+$/.test(name)) table = pandas(tableOf(plainStringArgument(tokens, namedArgument(tokens, args, 'schema', '='))?.value, name));
    } else if (t.value === 'from_catalog' || t.value === 'create_dynamic_frame_from_catalog') {
      const database = plainStringArgument(tokens, namedArgument(tokens, args, 'database', '='))?.value;
      const name = plainStringArgument(tokens, namedArgument(tokens, args, 'table_name', '='))?.value;
      if (name) table = tableOf(database, name);
    } else if (t.value === 'option' && args.length === 2 && plainStringArgument(tokens, args[0])?.value === 'dbtable') {
      const name = plainStringArgument(tokens, args[1])?.value;
      if (name && /^[\w.]+$/.test(name)) table = tableNamed(name);
    } else if (t.value === 'alias' && table) {
      const alias = plainStringArgument(tokens, args[0])?.value;
      if (alias) aliases.set(alias, table);
    } else if (t.value === 'join' || t.value === 'merge') return undefined; // a joined frame is of no one table
    j = matchClose(tokens, j + 1);
  }
  return table;
}

/** The `=` of an assignment to the name at `i`: `name = …`, `name: DataFrame = …`; -1 when it is none. */
function assignmentAt(tokens: Token[], i: number): number {
  if (isPunct(tokens[i + 1], '=')) return i + 1;
  if (!isPunct(tokens[i + 1], ':')) return -1;
  for (let k = i + 2; k < tokens.length && k < i + 12 && tokens[k]!.line === tokens[i]!.line; k++) if (isPunct(tokens[k], '=')) return k;
  return -1;
}

/** Index just past the statement starting at `k`: the end of its line, or of the brackets it opens there. */
function statementEnd(tokens: Token[], k: number): number {
  for (let j = k; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.type === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) j = matchClose(tokens, j);
    // an unclosed bracket runs to the end of the file
    if (j + 1 >= tokens.length) return tokens.length;
    if (tokens[j + 1]!.line > tokens[j]!.line) return j + 1;
  }
  return tokens.length;
}

/** The frame a chain ending just before `dot` (`orders`, `orders.alias("o")`, `spark.table("t")`) is of. */
function frameBefore(
  tokens: Token[],
  dot: number,
  opens: Int32Array,
  frames: Map<string, QualifiedName>,
  aliases: Map<string, QualifiedName>,
  chainRoots: Map<number, QualifiedName | undefined>,
): QualifiedName | undefined {
  let k = dot - 1;
  // back over `.method(…)` links to the chain's first name (or to a join whose left frame is known)
  for (;;) {
    if (isPunct(tokens[k], ')') && opens[k]! > 0 && isId(tokens[opens[k]! - 1]) && isPunct(tokens[opens[k]! - 2], '.')) {
      if (chainRoots.has(k)) return chainRoots.get(k);
      k = opens[k]! - 3;
    } else if (isId(tokens[k]) && isPunct(tokens[k - 1], '.') && isId(tokens[k - 2])) k -= 2; // `spark.read.table(…)`
    else break;
  }
  return isId(tokens[k]) && !isPunct(tokens[k - 1], '.') ? frameAt(tokens, [k, dot], frames, aliases) : undefined;
}

/** The frame of the chain `tokens[k, end)`: a frame variable's (`customers.alias("c")` names its alias), or a table read there. */
function frameAt(tokens: Token[], [k, end]: TokenRange, frames: Map<string, QualifiedName>, aliases: Map<string, QualifiedName>): QualifiedName | undefined {
  return isId(tokens[k]) ? tableOfExpression(tokens, k, end, frames, aliases) : undefined;
}

/** A column side ending at `end`: `df.x`, `df["x"]`, `F.col("a.x")` / `col("a.x")`. */
function sideEndingAt(tokens: Token[], end: number, opens: Int32Array, frames: Map<string, QualifiedName>, aliases: Map<string, QualifiedName>): Side | undefined {
  if (isId(tokens[end]) && isPunct(tokens[end - 1], '.') && isId(tokens[end - 2]) && !isPunct(tokens[end - 3], '.')) return frameColumn(tokens[end - 2]!.value, tokens[end]!.value, frames);
  if (isPunct(tokens[end], ']') && tokens[end - 1]?.type === 'str' && isPunct(tokens[end - 2], '[') && isId(tokens[end - 3])) return frameColumn(tokens[end - 3]!.value, tokens[end - 1]!.value, frames);
  if (isPunct(tokens[end], ')') && opens[end]! > 0) return colCall(tokens, opens[end]! - 1, aliases);
  return undefined;
}

/** A column side starting at `k`. */
function sideStartingAt(tokens: Token[], k: number, frames: Map<string, QualifiedName>, aliases: Map<string, QualifiedName>): Side | undefined {
  if (isId(tokens[k]) && isPunct(tokens[k + 1], '.') && isId(tokens[k + 2]) && !isPunct(tokens[k + 3], '(') && !isPunct(tokens[k + 3], '.')) return frameColumn(tokens[k]!.value, tokens[k + 2]!.value, frames);
  if (isId(tokens[k]) && isPunct(tokens[k + 1], '[') && tokens[k + 2]?.type === 'str' && isPunct(tokens[k + 3], ']')) return frameColumn(tokens[k]!.value, tokens[k + 2]!.value, frames);
  const name = isId(tokens[k], 'F') && isPunct(tokens[k + 1], '.') ? k + 2 : k;
  return isPunct(tokens[name + 1], '(') ? colCall(tokens, name, aliases) : undefined;
}

function frameColumn(frame: string, column: string, frames: Map<string, QualifiedName>): Side | undefined {
  const table = frames.get(frame);
  return table && /^\w+$/.test(column) ? { table, column } : undefined;
}

/** `col("o.customer_id")` whose name is at `name`: the aliased frame's column. */
function colCall(tokens: Token[], name: number, aliases: Map<string, QualifiedName>): Side | undefined {
  if (!isId(tokens[name], 'col') || !isPunct(tokens[name + 1], '(')) return undefined;
  const text = plainStringArgument(tokens, callArguments(tokens, name + 1)[0])?.value;
  const dot = text?.indexOf('.') ?? -1;
  const table = text && dot > 0 ? aliases.get(text.slice(0, dot)) : undefined;
  return table && /^\w+$/.test(text!.slice(dot + 1)) ? { table, column: text!.slice(dot + 1) } : undefined;
}

function isKeyword(tokens: Token[], range: TokenRange | undefined): boolean {
  return !!range && isId(tokens[range[0]]) && isPunct(tokens[range[0] + 1], '=');
}

function sameTable(a: QualifiedName, b: QualifiedName): boolean {
  return a.name.toLowerCase() === b.name.toLowerCase() && (a.schema ?? '').toLowerCase() === (b.schema ?? '').toLowerCase();
}

/** For each closing bracket, the index of the bracket it closes (-1 for the rest). */
function openingBrackets(tokens: Token[]): Int32Array {
  const opens = new Int32Array(tokens.length).fill(-1);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) {
      const close = matchClose(tokens, k);
      if (close < tokens.length) opens[close] = k;
    }
  }
  return opens;
}
