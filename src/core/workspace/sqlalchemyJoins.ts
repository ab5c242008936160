import type { JoinPair } from '../sql/types';
import { tokenize, type Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringArgument, type TokenRange } from './codeConstants/matchers';
import type { OrmFacts } from './ormEntities';

/**
 * Joins that SQLAlchemy code writes between mapped classes or Core tables, rather than in SQL:
 * - `select(Order).join(Customer, Order.customer_id == Customer.id)`, `session.query(A).outerjoin(B, and_(A.x == B.y,
 *   A.z == B.w))`, `.join_from(A, B, …)`, `join(orders, customers, orders.c.customer_id == customers.c.id)`
 *   (`isouter=True`, `full=True`);
 * - `.where(A.x == B.y)` / `.filter(…)`, joins written as filters;
 * - `relationship('Address', primaryjoin='User.id == foreign(Address.user_id)')`, as a string, a lambda or an
 *   expression (`secondaryjoin` too).
 * A side is `Class.attribute`, `aliased_variable.attribute` (`Manager = aliased(Employee)`) or
 * `table_variable.c.column`; it names its class or table variable (`fromEntity` / `toEntity`), which resolveOrmEntities
 * places on its table and column once the workspace is read. A pair between classes no file maps is then left out.
 */
export function sqlalchemyJoins(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!text.includes('==') || !SQLALCHEMY_CALL.test(text)) return out;
  const aliases = aliasesOf(tokens);
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !isPunct(tokens[i + 1], '(')) continue;
    if (Object.hasOwn(CONDITION_CALLS, t.value)) {
      const args = callArguments(tokens, i + 1, REACH);
      let joinType = CONDITION_CALLS[t.value];
      if (joinType && keywordIs(tokens, args, 'isouter', 'True')) joinType = 'left';
      if (joinType && keywordIs(tokens, args, 'full', 'True')) joinType = 'full';
      const found = args.flatMap((range) => comparisons(tokens, range, aliases, (k) => tokens[k]!.line));
      for (const pair of pairsOf(found, { file, line: t.line, joinType, clause: joinType ? 'on' : 'where' })) out.joins.push(pair);
    } else if (t.value === 'relationship' || t.value === 'relation') {
      const args = callArguments(tokens, i + 1, REACH);
      for (const key of ['primaryjoin', 'secondaryjoin']) {
        const range = namedArgument(tokens, args, key, '=');
        if (!range) continue;
        const written = plainStringArgument(tokens, range);
        // a string is evaluated against the mapped classes: read as the code it holds
        const inner = written ? tokenize(written.value, 'python') : undefined;
        const found = inner ? comparisons(inner, [0, inner.length], aliases, () => written!.line) : comparisons(tokens, range, aliases, (k) => tokens[k]!.line);
        for (const pair of pairsOf(found, { file, line: tokens[range[0]]!.line, clause: 'on' })) out.joins.push(pair);
      }
    }
  }
  return out;
}

type JoinType = NonNullable<JoinPair['joinType']>;

/** Calls whose arguments hold join conditions, and the join each makes (none: a filter, read as a WHERE). */
const CONDITION_CALLS: Record<string, JoinType | undefined> = { join: 'inner', join_from: 'inner', outerjoin: 'left', outerjoin_from: 'left', where: undefined, filter: undefined };

/** One of those calls or a relationship's join condition, as a native search finds it: other files skip the scan. */
const SQLALCHEMY_CALL = /\b(?:join|outerjoin|join_from|outerjoin_from|where|filter)\s*\(|primaryjoin|secondaryjoin/;

/** Tokens read of one call's arguments: a query's conditions are a few hundred, and an unclosed call stays linear. */
const REACH = 2000;

/** A side of a comparison: the class or table variable it names, and the attribute (or Core column). */
interface Side {
  entity: string;
  attribute: string;
  /** The variable as written (an alias of a class is another variable than the class). */
  written: string;
}

interface Comparison {
  left: Side;
  right: Side;
  line: number;
}

/** The pairs of one call's (or one relationship condition's) comparisons; several are one condition together. */
function pairsOf(found: Comparison[], at: { file: string; line: number; clause: JoinPair['clause']; joinType?: JoinType }): JoinPair[] {
  return found.map((c) => {
    const pair: JoinPair = {
      left: { table: { name: c.left.entity }, column: c.left.attribute },
      right: { table: { name: c.right.entity }, column: c.right.attribute },
      clause: at.clause,
      origin: { kind: 'code', file: at.file, line: c.line },
      via: 'query-builder',
      fromEntity: c.left.entity,
      toEntity: c.right.entity,
    };
    if (at.joinType) pair.joinType = at.joinType;
    if (found.length > 1) pair.condition = { line: at.line, column: 1 };
    return pair;
  });
}

/**
 * The `a.x == b.y` comparisons between two sides in `tokens[from, to)` (nested in `and_(…)` and such too), each at the
 * line `lineOf` gives for its `==`.
 */
function comparisons(tokens: Token[], [from, to]: TokenRange, aliases: Map<string, string>, lineOf: (k: number) => number): Comparison[] {
  const found: Comparison[] = [];
  for (let k = from + 1; k < to - 1; k++) {
    // a join or filter call inside this one is read on its own
    if (isPunct(tokens[k], '(') && isId(tokens[k - 1]) && Object.hasOwn(CONDITION_CALLS, tokens[k - 1]!.value)) {
      k = matchClose(tokens, k);
      continue;
    }
    if (!isPunct(tokens[k], '==')) continue;
    const left = sideBefore(tokens, k, aliases);
    const right = left && sideAfter(tokens, k, aliases);
    if (left && right && left.written !== right.written) found.push({ left, right, line: lineOf(k) });
  }
  return found;
}

/** SQLAlchemy's annotations of a side in a relationship condition: `foreign(Address.user_id)`, `remote(…)`. */
const ANNOTATIONS = new Set(['foreign', 'remote']);

/** The side that ends just before token `k`: `X.attr`, `x.c.column`, maybe wrapped in `foreign(…)`. */
function sideBefore(tokens: Token[], k: number, aliases: Map<string, string>): Side | undefined {
  let end = k - 1;
  if (isPunct(tokens[end], ')')) {
    // `foreign(X.attr)`: the five tokens of the annotation's call around the side
    if (!(isPunct(tokens[end - 4], '(') && ANNOTATIONS.has(tokens[end - 5]?.value ?? '') && tokens[end - 5]!.type === 'id')) return undefined;
    end--;
  }
  return sideEndingAt(tokens, end, aliases);
}

/** The side that starts just after token `k`. */
function sideAfter(tokens: Token[], k: number, aliases: Map<string, string>): Side | undefined {
  let start = k + 1;
  const annotated = isId(tokens[start]) && ANNOTATIONS.has(tokens[start]!.value) && isPunct(tokens[start + 1], '(');
  if (annotated) start += 2;
  // `x.c.column` or `X.attr`, and nothing more of the expression after it (a call, an attribute, an index)
  const core = isId(tokens[start]) && isPunct(tokens[start + 1], '.') && isId(tokens[start + 2], 'c') && isPunct(tokens[start + 3], '.') && isId(tokens[start + 4]);
  const end = start + (core ? 4 : 2);
  if (annotated ? !isPunct(tokens[end + 1], ')') : ['.', '(', '['].includes(tokens[end + 1]?.type === 'punct' ? tokens[end + 1]!.value : '')) return undefined;
  return sideEndingAt(tokens, end, aliases);
}

/** `X.attr` or `x.c.column` ending at token `end` (`module.X.attr` too). */
function sideEndingAt(tokens: Token[], end: number, aliases: Map<string, string>): Side | undefined {
  const attribute = tokens[end];
  if (!isId(attribute) || !isPunct(tokens[end - 1], '.') || !isId(tokens[end - 2])) return undefined;
  const base = tokens[end - 2]!.value;
  if (base === 'c' && isPunct(tokens[end - 3], '.') && isId(tokens[end - 4])) {
    // a Core table's column: the table variable (or an alias of it)
    const table = tokens[end - 4]!.value;
    return { entity: aliases.get(table) ?? table, attribute: attribute!.value, written: table };
  }
  const entity = aliases.get(base) ?? (/^[A-Z]/.test(base) ? base : undefined);
  return entity ? { entity, attribute: attribute!.value, written: base } : undefined;
}

/**
 * Variables that stand for a class or a table: `Manager = aliased(Employee)` (`orm.aliased`, a name given or not) and
 * `c = customers.alias('c')`.
 */
function aliasesOf(tokens: Token[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (let i = 2; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !isPunct(tokens[i + 1], '(')) continue;
    // the assignment before the call: `name = [module.]aliased(` or `name = table.alias(`
    let start = i;
    while (isPunct(tokens[start - 1], '.') && isId(tokens[start - 2])) start -= 2;
    if (!isPunct(tokens[start - 1], '=') || !isId(tokens[start - 2])) continue;
    const variable = tokens[start - 2]!.value;
    if (t.value === 'aliased') {
      // the class: the last name of `aliased([module.]Class, …)`
      let k = i + 2;
      while (isId(tokens[k]) && isPunct(tokens[k + 1], '.') && isId(tokens[k + 2])) k += 2;
      if (isId(tokens[k]) && (isPunct(tokens[k + 1], ',') || isPunct(tokens[k + 1], ')'))) aliases.set(variable, tokens[k]!.value);
    } else if (t.value === 'alias' && start === i - 2) {
      aliases.set(variable, tokens[i - 2]!.value);
    }
  }
  return aliases;
}

function keywordIs(tokens: Token[], args: TokenRange[], key: string, value: string): boolean {
  const range = namedArgument(tokens, args, key, '=');
  return !!range && range[1] - range[0] === 1 && isId(tokens[range[0]], value);
}
