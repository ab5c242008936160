/**
 * Token-walking analysis of queries: relations referenced and the column equalities that join them
 * (JOIN ... ON, JOIN ... USING, WHERE a.x = b.y), resolved through aliases, CTEs, subqueries and dbt ref()/source().
 * Tolerant by construction: unknown syntax is skipped, never fatal.
 */
import type { Origin, OriginKind, StarSource } from '../catalog/model';
import { columnExpression, expressionType, wholeCast, type NumericFunction, type RawColumn } from './columnExpressions';
import { identifierName, isNameToken, readNameParts } from './identifiers';
import { dbtRelationOf, dbtStarOf } from './jinja';
import { findCte, newScope, probedType, resolveColumn, resolveTerm, starItems, unionBranchRefs, type CteDef, type ProbedType, type QueryShape, type RelationStar, type ResolvedTerm, type Scope, type Source, type TypeProbe } from './queryScope';
import { splitStatements } from './splitter';
import { tokenize, type Token } from './tokenizer';
import { TokenCursor, splitTopLevel } from './tokenCursor';
import type { ColumnRef, JoinPair, QualifiedName, QueryFacts, TableRef } from './types';

export type JoinType = NonNullable<JoinPair['joinType']>;

export interface AnalyzeOptions {
  /** Added to the column of tokens on the first line (a literal that starts mid-line). */
  columnOffset?: number;
  /** Origin kind for table refs and pairs; default 'query'. */
  originKind?: OriginKind;
}

/** One output column of the top-level query (for views and CREATE TABLE AS). */
export interface OutputColumn {
  name: string;
  /** Type from `expr::type` or CAST(expr AS type), as written. */
  castType?: string;
  /** The base column it projects directly, when that is certain (or whose type it takes, after `functions`). */
  source?: ColumnRef;
  /** `sum(x)`, `round(x, 2)`… (outermost first): its type is theirs over `source`'s (see numericFunctionType). */
  functions?: NumericFunction[];
  /** Arithmetic over catalog columns (`quantity * unit_price`): its type follows from theirs (see arithmeticType). */
  typeTerm?: ResolvedTerm;
  /** Where the output is named (its alias, else the expression start). */
  token?: Token;
}

export interface QueryAnalysis extends QueryFacts {
  /** Output columns of the statement's top-level query (first branch of a UNION). */
  outputColumns: OutputColumn[];
  /** True when the select list has a `*` or `t.*` whose columns `outputColumns` does not list (see starsFrom). */
  hasStar: boolean;
  /**
   * The catalog relations `*` items read, each with the number of output columns before its own (`select o.*, c.name
   * from orders o join customers c`): the catalog fills their columns in. Set only when every star could be told;
   * stars over CTEs and subqueries whose columns the query tells are expanded into outputColumns instead.
   */
  starsFrom?: StarSource[];
}

/** Analyze SQL text (one or more statements), e.g. a string literal found in application code at `lineOffset`. */
export function analyzeQuery(sql: string, file: string | undefined, lineOffset = 0, options: AnalyzeOptions = {}): QueryFacts {
  const tables: TableRef[] = [];
  const joins: JoinPair[] = [];
  for (const stmt of splitStatements(sql, tokenize(sql, { skipWhitespace: true, skipComments: true }))) {
    const a = analyzeTokens(stmt.tokens, 0, stmt.tokens.length, file, lineOffset, options);
    tables.push(...a.tables);
    joins.push(...a.joins);
  }
  return { tables, joins };
}

/** Analyze significant tokens [from, to) of one statement. */
export function analyzeTokens(tokens: Token[], from: number, to: number, file: string | undefined, lineOffset = 0, options: AnalyzeOptions = {}): QueryAnalysis {
  const a = new Analyzer(tokens, file, lineOffset, options);
  let shape: QueryShape | undefined;
  try {
    shape = a.statement(from, to, undefined, 0);
  } catch (err) {
    if (!(err instanceof BudgetExceeded)) throw err;
  }
  return a.finish(shape);
}

/** A query block's scope and the tokens [from, to) it spans: what a name written there can see. */
export interface ScopeSpan {
  scope: Scope;
  from: number;
  to: number;
}

/**
 * The scopes of the query blocks of one statement (significant tokens [from, to)), outermost first: a WITH clause's
 * (its CTEs), each SELECT's (its FROM relations), an UPDATE's or DELETE's. For hover, definition and completion.
 */
export function queryScopes(tokens: Token[], from: number, to: number): ScopeSpan[] {
  const a = new Analyzer(tokens, undefined, 0, {});
  a.spans = [];
  try {
    a.statement(from, to, undefined, 0);
  } catch (err) {
    if (!(err instanceof BudgetExceeded)) throw err;
  }
  return a.spans;
}

class BudgetExceeded extends Error {}

interface RawPair {
  scope: Scope;
  left: RawColumn;
  right: RawColumn;
  leftWithin?: Source[];
  rightWithin?: Source[];
  clause: JoinPair['clause'];
  joinType?: JoinType;
  token: Token;
  /** First token of the ON / WHERE condition or USING list the pair is one conjunct of. */
  condition?: Token;
}

const MAX_DEPTH = 64;
const CLAUSE_WORDS = new Set(['from', 'where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'fetch', 'into']);
const SET_OPERATORS = new Set(['union', 'intersect', 'except', 'minus']);
const QUERY_STARTS = new Set(['select', 'with', 'values']);

const EMPTY_SHAPE = (): QueryShape => ({ outputs: [], stars: [] });

class Analyzer {
  private readonly tables: TableRef[] = [];
  private readonly seen = new Set<string>();
  private readonly pairs: RawPair[] = [];
  /** Shapes of the subqueries met in expressions, by the index of their `(`: what `x IN (select y …)` compares x to. */
  private readonly subqueryShapes = new Map<number, QueryShape>();
  private steps = 0;
  private readonly budget: number;
  /** Set to collect the scope of each query block (see queryScopes); indexing leaves it unset. */
  spans: ScopeSpan[] | undefined;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string | undefined,
    private readonly lineOffset: number,
    private readonly options: AnalyzeOptions,
  ) {
    this.budget = tokens.length * 40 + 1000;
  }

  private tick(): void {
    if (++this.steps > this.budget) throw new BudgetExceeded();
  }

  private enter(scope: Scope, from: number, to: number): Scope {
    this.spans?.push({ scope, from, to });
    return scope;
  }

  private origin(tok: Token | undefined): Origin {
    const o: Origin = { kind: this.options.originKind ?? 'query' };
    if (this.file !== undefined) o.file = this.file;
    if (tok) {
      o.line = tok.line + this.lineOffset;
      o.column = tok.column + (tok.line === 1 ? (this.options.columnOffset ?? 0) : 0);
    }
    return o;
  }

  private word(i: number): string | undefined {
    const t = this.tokens[i];
    return t && (t.kind === 'keyword' || t.kind === 'identifier') ? t.value : undefined;
  }

  private punct(i: number, p: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.kind === 'punct' && t.text === p;
  }

  private close(open: number, to: number): number {
    return Math.min(new TokenCursor(this.tokens, open, to).matchingParen(open), to);
  }

  // ------------------------------------------------------------------ statements

  statement(from: number, to: number, parent: Scope | undefined, depth: number): QueryShape | undefined {
    this.tick();
    while (from < to && this.tokens[from].kind === 'jinja') from++; // {{ config(...) }} before a dbt model
    if (from >= to) return undefined;
    const w = this.word(from);
    if (w === 'select' || w === 'with' || w === 'values' || this.punct(from, '(')) return this.queryExpr(from, to, parent, depth);
    if (w === 'insert') this.insert(from, to, parent, depth);
    else if (w === 'update') this.update(from, to, parent, depth);
    else if (w === 'delete') this.deleteStmt(from, to, parent, depth);
    else if (w === 'merge') this.merge(from, to, parent, depth);
    return undefined;
  }

  private insert(from: number, to: number, parent: Scope | undefined, depth: number): void {
    let i = from + 1;
    if (this.word(i) === 'into') i++;
    const c = new TokenCursor(this.tokens, i, to);
    const name = readNameParts(c);
    if (!name) return;
    this.addTable(qualified(name.names), name.token);
    i = c.pos;
    if (this.word(i) === 'as' && isNameToken(this.tokens[i + 1])) i += 2;
    if (this.punct(i, '(') && !QUERY_STARTS.has(this.word(i + 1) ?? '')) i = this.close(i, to) + 1;
    if (i >= to) return;
    if (this.startsQueryAt(i, to)) this.statement(i, to, parent, depth + 1);
    else this.scanSubqueries(i, to, newScope(parent), depth); // VALUES (...), ((select ...))
  }

  private update(from: number, to: number, parent: Scope | undefined, depth: number): void {
    const scope = this.enter(newScope(parent), from, to);
    let i = from + 1;
    if (this.word(i) === 'only') i++;
    i = this.tablePrimary(i, to, scope, depth);
    const marks = this.topLevelWords(i, to, new Set(['set', 'from', 'where', 'returning']));
    const fromAt = marks.get('from');
    const whereAt = marks.get('where');
    const end = (at: number): number => nextMark(marks, at, to);
    if (fromAt !== undefined) this.fromList(fromAt + 1, end(fromAt), scope, depth);
    const setAt = marks.get('set');
    if (setAt !== undefined) this.scanSubqueries(setAt + 1, end(setAt), scope, depth);
    if (whereAt !== undefined) this.where(whereAt + 1, end(whereAt), scope, depth);
  }

  private deleteStmt(from: number, to: number, parent: Scope | undefined, depth: number): void {
    const scope = this.enter(newScope(parent), from, to);
    let i = from + 1;
    if (this.word(i) === 'from') i++;
    i = this.tablePrimary(i, to, scope, depth);
    const marks = this.topLevelWords(i, to, new Set(['using', 'where', 'returning']));
    const usingAt = marks.get('using');
    const whereAt = marks.get('where');
    if (usingAt !== undefined) this.fromList(usingAt + 1, nextMark(marks, usingAt, to), scope, depth);
    if (whereAt !== undefined) this.where(whereAt + 1, nextMark(marks, whereAt, to), scope, depth);
  }

  private merge(from: number, to: number, parent: Scope | undefined, depth: number): void {
    const scope = this.enter(newScope(parent), from, to);
    let i = from + 1;
    if (this.word(i) === 'into') i++;
    i = this.tablePrimary(i, to, scope, depth);
    if (this.word(i) !== 'using') return;
    i = this.tablePrimary(i + 1, to, scope, depth);
    if (this.word(i) !== 'on') return;
    // the condition ends at the first WHEN, or at Redshift's `REMOVE DUPLICATES`
    const ends = this.topLevelWords(i + 1, to, new Set(['when', 'remove']));
    const end = Math.min(ends.get('when') ?? to, ends.get('remove') ?? to);
    this.conditionPairs(i + 1, end, scope, 'on', undefined, undefined, undefined);
    this.scanSubqueries(i + 1, to, scope, depth);
  }

  // ------------------------------------------------------------------ queries

  /** [WITH ...] select-block { set-op select-block } */
  queryExpr(from: number, to: number, parent: Scope | undefined, depth: number): QueryShape {
    this.tick();
    if (depth > MAX_DEPTH || from >= to) return EMPTY_SHAPE();
    if (this.punct(from, '(') && this.close(from, to) === to - 1) return this.queryExpr(from + 1, to - 1, parent, depth + 1);
    let scope = parent;
    let i = from;
    if (this.word(i) === 'with') {
      scope = this.enter(newScope(parent), from, to);
      i = this.withClause(i + 1, to, scope, depth);
      const w = this.word(i);
      if (w === 'insert' || w === 'update' || w === 'delete' || w === 'merge') {
        this.statement(i, to, scope, depth + 1);
        return EMPTY_SHAPE();
      }
    }
    // set operations at depth 0
    /** `union`: the branch follows a UNION (its rows are the query's too; INTERSECT and EXCEPT keep the first's). */
    const branches: Array<{ from: number; to: number; union?: boolean }> = [];
    let depth0 = 0;
    let start = i;
    let union = false;
    for (let k = i; k < to; k++) {
      const t = this.tokens[k];
      if (t.kind === 'punct') {
        if (t.text === '(') depth0++;
        else if (t.text === ')') depth0 = Math.max(0, depth0 - 1);
      } else if (depth0 === 0 && SET_OPERATORS.has(this.word(k) ?? '')) {
        branches.push({ from: start, to: k, union });
        union = this.word(k) === 'union';
        start = k + 1;
        const next = this.word(start);
        if (next === 'all' || next === 'distinct') start++;
      }
    }
    branches.push({ from: start, to, union });
    let first: QueryShape | undefined;
    for (const b of branches) {
      const shape = this.selectBlock(b.from, b.to, scope, depth + 1);
      if (!first) first = shape;
      else if (b.union) (first.unionOf ??= []).push(shape); // its columns are the first's, position by position
    }
    return first ?? EMPTY_SHAPE();
  }

  /** name [(cols)] AS [NOT] [MATERIALIZED] ( query ) , ... ; returns the index after the list. */
  private withClause(i: number, to: number, scope: Scope, depth: number): number {
    const recursive = this.word(i) === 'recursive';
    if (recursive) i++;
    while (i < to) {
      this.tick();
      const nameToken = this.tokens[i];
      const name = identifierName(nameToken);
      if (name === undefined) return i;
      i++;
      let columnAliases: string[] | undefined;
      if (this.punct(i, '(')) {
        const close = this.close(i, to);
        columnAliases = this.nameList(i + 1, close);
        i = close + 1;
      }
      if (this.word(i) !== 'as') return i;
      i++;
      if (this.word(i) === 'not') i++;
      if (this.word(i) === 'materialized') i++;
      if (!this.punct(i, '(')) return i;
      const close = this.close(i, to);
      const cte: CteDef = { shape: EMPTY_SHAPE(), columnAliases, token: nameToken };
      if (recursive) cte.recursive = true;
      scope.ctes.set(name, cte); // visible to its own body (WITH RECURSIVE)
      // Fill the shape in place: sources that referenced the CTE inside its own body hold this object.
      const shape = this.queryExpr(i + 1, close, scope, depth + 1);
      cte.shape.outputs.push(...shape.outputs);
      cte.shape.stars.push(...shape.stars);
      if (shape.unionOf) cte.shape.unionOf = shape.unionOf;
      i = close + 1;
      if (!this.punct(i, ',')) return i;
      i++;
    }
    return i;
  }

  private selectBlock(from: number, to: number, parent: Scope | undefined, depth: number): QueryShape {
    this.tick();
    if (from >= to || depth > MAX_DEPTH) return EMPTY_SHAPE();
    if (this.punct(from, '(')) {
      const close = this.close(from, to);
      return this.queryExpr(from + 1, close, parent, depth + 1);
    }
    const scope = this.enter(newScope(parent), from, to);
    if (this.word(from) !== 'select') {
      this.scanSubqueries(from, to, scope, depth);
      return EMPTY_SHAPE();
    }
    const marks = this.clauseMarks(from + 1, to);
    const listEnd = marks.length > 0 ? marks[0].at : to;
    const fromMark = marks.find((m) => m.word === 'from');
    if (fromMark) this.fromList(fromMark.at + 1, markEnd(marks, fromMark, to), scope, depth);
    const shape = this.selectList(from + 1, listEnd, scope, depth);
    for (const m of marks) {
      const end = markEnd(marks, m, to);
      if (m.word === 'where') this.where(m.at + 1, end, scope, depth);
      else if (m.word !== 'from') this.scanSubqueries(m.at + 1, end, scope, depth);
    }
    return shape;
  }

  /** Positions of clause keywords at paren depth 0 (skipping `IS [NOT] DISTINCT FROM` and `WITHIN GROUP`). */
  private clauseMarks(from: number, to: number): Array<{ word: string; at: number }> {
    const marks: Array<{ word: string; at: number }> = [];
    let depth = 0;
    for (let k = from; k < to; k++) {
      const t = this.tokens[k];
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth = Math.max(0, depth - 1);
        continue;
      }
      if (depth !== 0) continue;
      const w = this.word(k);
      if (w === undefined || !CLAUSE_WORDS.has(w)) continue;
      if (w === 'from' && this.word(k - 1) === 'distinct') continue;
      if ((w === 'group' || w === 'order') && this.word(k + 1) !== 'by') continue;
      marks.push({ word: w, at: k });
    }
    return marks;
  }

  private selectList(from: number, to: number, scope: Scope, depth: number): QueryShape {
    let i = from;
    const w = this.word(i);
    if (w === 'all') i++;
    else if (w === 'distinct') {
      i++;
      if (this.word(i) === 'on' && this.punct(i + 1, '(')) i = this.close(i + 1, to) + 1;
    }
    if (this.word(i) === 'top' && this.tokens[i + 1]?.kind === 'number') i += 2;
    const shape: QueryShape = { outputs: [], stars: [] };
    for (const item of splitTopLevel(this.tokens, i, to)) {
      this.tick();
      const a = item.from;
      let b = item.to;
      if (a >= b) continue;
      const last = this.tokens[b - 1];
      if (b - a === 1 && last.kind === 'jinja') {
        // {{ dbt_utils.star(ref('m'), except=[…]) }}: the relation's columns, some left out or renamed
        const star = dbtStarOf(last);
        if (star) {
          const relation: RelationStar = { relation: star.relation };
          if (star.except.length) relation.except = star.except;
          if (star.prefix) relation.prefix = star.prefix;
          if (star.suffix) relation.suffix = star.suffix;
          shape.stars.push({ scope, at: shape.outputs.length, relation });
        }
        continue;
      }
      if (last.kind === 'operator' && last.text === '*') {
        if (b - a === 1) shape.stars.push({ scope, at: shape.outputs.length });
        else if (this.punct(b - 2, '.')) {
          const qualifier = this.qualifierBefore(a, b - 2);
          if (qualifier) shape.stars.push({ qualifier, scope, at: shape.outputs.length });
        }
        continue;
      }
      const before = this.tokens[b - 2];
      if (b - a >= 2 && isNameToken(last) && before?.kind === 'jinja' && before.end === last.offset) {
        // `as {{ m }}_amount`: a name rendered in part at run time (a loop over run_query results) is no name known here
        this.scanSubqueries(a, b, scope, depth);
        continue;
      }
      let alias: string | undefined;
      if (b - a >= 3 && this.word(b - 2) === 'as' && isNameToken(last)) {
        alias = identifierName(last);
        b -= 2;
      } else if (b - a >= 2 && (last.kind === 'identifier' || last.kind === 'quotedIdentifier') && this.aliasable(b - 2)) {
        alias = identifierName(last);
        b -= 1;
      }
      this.scanSubqueries(a, b, scope, depth);
      const expr = columnExpression(this.tokens, a, b);
      // an output without a name (`count(*)`, `a + b`) still takes its place: `cte(x, y)` names outputs by position
      const name = alias ?? expr?.col.column ?? '';
      const out: QueryShape['outputs'][number] = { name, scope, token: alias !== undefined ? last : this.tokens[a] };
      if (expr) {
        out.expr = expr.col;
        if (expr.castType) out.castType = expr.castType;
      } else {
        // computed: cast as a whole, its type is the cast's; else the type the expression evidently has, or the type of
        // the column it takes it from (without passing that column on: `coalesce(amount, 0)` is no join key)
        const cast = wholeCast(this.tokens, a, b);
        const evident = cast === undefined ? expressionType(this.tokens, a, b) : undefined;
        if (cast !== undefined) out.castType = cast;
        else if (evident && 'type' in evident) out.castType = evident.type;
        else if (evident && 'column' in evident) {
          out.typeOf = evident.column;
          if (evident.functions) out.functions = evident.functions;
        } else if (evident) out.typeTerm = evident;
      }
      shape.outputs.push(out);
    }
    return shape;
  }

  /** The token before an implicit alias must end an expression: a name, literal, `)` or `*`. */
  private aliasable(i: number): boolean {
    const t = this.tokens[i];
    if (!t) return false;
    if (t.kind === 'punct') return t.text === ')' || t.text === ']';
    if (t.kind === 'operator') return false;
    if (t.kind === 'keyword') return t.value === 'end' || t.value === 'null' || t.value === 'true' || t.value === 'false';
    return true;
  }

  private qualifierBefore(from: number, to: number): string[] | undefined {
    const names: string[] = [];
    for (let k = from; k < to; k++) {
      if ((k - from) % 2 === 1) {
        if (!this.punct(k, '.')) return undefined;
        continue;
      }
      const n = identifierName(this.tokens[k]);
      if (n === undefined) return undefined;
      names.push(n);
    }
    return names.length > 0 ? names : undefined;
  }

  // ------------------------------------------------------------------ FROM

  private fromList(from: number, to: number, scope: Scope, depth: number): void {
    let i = from;
    let group: Source[] = []; // relations joined since the last comma: the left side of USING
    let pending: { joinType?: JoinType; natural: boolean } | undefined;
    while (i < to) {
      this.tick();
      const before = scope.sources.length;
      const start = i;
      i = this.tablePrimary(i, to, scope, depth);
      const added = scope.sources.slice(before);
      if (pending && !pending.natural) {
        if (this.word(i) === 'on') {
          const end = this.joinEnd(i + 1, to);
          this.scanSubqueries(i + 1, end, scope, depth);
          this.conditionPairs(i + 1, end, scope, 'on', pending.joinType, undefined, undefined);
          i = end;
        } else if (this.word(i) === 'using' && this.punct(i + 1, '(')) {
          const close = this.close(i + 1, to);
          for (let k = i + 2; k < close; k++) {
            const t = this.tokens[k];
            const col = identifierName(t);
            if (col === undefined || !this.punct(k + 1, ',') && k + 1 !== close) continue;
            // an unqualified `col` from here on is the merged column: the left side's
            const mergedBy = (scope.mergedBy ??= new Map());
            const right = mergedBy.get(col) ?? new Set<Source>();
            mergedBy.set(col, right);
            this.pairs.push({
              scope,
              left: { column: col, token: t },
              right: { column: col, token: t },
              leftWithin: group.filter((g) => !right.has(g)),
              rightWithin: added,
              clause: 'using',
              joinType: pending.joinType,
              token: t,
              condition: this.tokens[i],
            });
            for (const a of added) right.add(a);
          }
          i = close + 1;
        }
      }
      group.push(...added);
      pending = undefined;
      if (i >= to) break;
      if (this.punct(i, ',')) {
        group = [];
        i++;
        continue;
      }
      const join = this.joinKeyword(i);
      if (join) {
        pending = { joinType: join.joinType, natural: join.natural };
        i = join.next;
        continue;
      }
      // Unknown tokens: skip to the next comma or JOIN.
      const resume = this.joinEnd(i, to);
      i = resume > i ? resume : Math.max(i + 1, start + 1);
    }
  }

  /** A relation: name / jinja ref / (subquery) / (joined tables) / function(...), with its alias. Returns the next index. */
  private tablePrimary(i: number, to: number, scope: Scope, depth: number): number {
    this.tick();
    if (this.word(i) === 'lateral' || this.word(i) === 'only') i++;
    if (i >= to) return to;
    const t = this.tokens[i];
    let source: Source | undefined;
    if (t.kind === 'punct' && t.text === '(') {
      const close = this.close(i, to);
      if (this.startsQueryAt(i + 1, close)) {
        source = { alias: '', kind: 'query', shape: this.queryExpr(i + 1, close, scope, depth + 1) };
      } else {
        if (depth < MAX_DEPTH) this.fromList(i + 1, close, scope, depth + 1);
        return this.skipAlias(close + 1, to);
      }
      i = close + 1;
    } else if (t.kind === 'jinja') {
      const rel = dbtRelationOf(t);
      if (rel) {
        this.addTable(rel, t);
        source = { alias: rel.name.toLowerCase(), kind: 'table', table: rel };
      } else source = { alias: '', kind: 'opaque' };
      i++;
    } else if (this.word(i) === 'unpivot' && isNameToken(this.tokens[i + 1]) && !this.punct(i + 2, '(')) {
      // Redshift PartiQL `FROM t, UNPIVOT t.attrs AS value AT name`: a SUPER object's attributes, no relation
      const c = new TokenCursor(this.tokens, i + 1, to);
      readNameParts(c);
      i = c.pos;
      if (this.word(i) === 'as') i++;
      const value = i < to && isNameToken(this.tokens[i]) ? identifierName(this.tokens[i++]) : undefined;
      if (this.word(i) === 'at' && isNameToken(this.tokens[i + 1])) i += 2;
      scope.sources.push({ alias: value ?? '', kind: 'opaque' });
      return i;
    } else if (isNameToken(t)) {
      const c = new TokenCursor(this.tokens, i, to);
      const parts = readNameParts(c);
      if (!parts) return i + 1;
      i = c.pos;
      const last = parts.names[parts.names.length - 1];
      if (this.punct(i, '(')) {
        i = this.close(i, to) + 1; // table function
        source = { alias: last, kind: 'opaque' };
      } else if (parts.names.length >= 2 && scope.sources.some((s) => s.alias === parts.names[0])) {
        source = { alias: last, kind: 'opaque' }; // Redshift SUPER navigation: FROM t, t.items AS i
      } else {
        const cte = parts.names.length === 1 ? findCte(scope, last) : undefined;
        if (cte) source = { alias: last, kind: 'query', shape: cte.shape, columnAliases: cte.columnAliases };
        else {
          const table = qualified(parts.names);
          this.addTable(table, parts.token);
          source = { alias: last, kind: 'table', table };
        }
      }
    } else {
      return i + 1;
    }
    i = this.sourceAlias(i, to, source);
    // Redshift `FROM t [p] PIVOT (…) [AS] pv` / `UNPIVOT (…)`: the rotated rows, named by their own alias, keep the
    // relation's columns that are not rotated
    while (this.isRotation(i)) i = this.sourceAlias(this.close(i + 1, to) + 1, to, source);
    scope.sources.push(source);
    return i;
  }

  private isRotation(i: number): boolean {
    return (this.word(i) === 'pivot' || this.word(i) === 'unpivot') && this.punct(i + 1, '(');
  }

  /** `[AS] alias [(columns)]` after a FROM item, when there: names `source`. */
  private sourceAlias(i: number, to: number, source: Source): number {
    let alias: string | undefined;
    let token: Token | undefined;
    if (this.word(i) === 'as' && isNameToken(this.tokens[i + 1])) {
      token = this.tokens[i + 1];
      alias = identifierName(token);
      i += 2;
    } else if (i < to && (this.tokens[i].kind === 'identifier' || this.tokens[i].kind === 'quotedIdentifier') && !this.isRotation(i)) {
      token = this.tokens[i];
      alias = identifierName(token);
      i++;
    }
    if (alias !== undefined) {
      source.alias = alias;
      source.aliasToken = token;
      if (this.punct(i, '(')) {
        const close = this.close(i, to);
        source.columnAliases = this.nameList(i + 1, close);
        i = close + 1;
      }
    }
    return i;
  }

  private skipAlias(i: number, to: number): number {
    if (this.word(i) === 'as') i++;
    if (i < to && (this.tokens[i].kind === 'identifier' || this.tokens[i].kind === 'quotedIdentifier')) i++;
    return i;
  }

  private startsQueryAt(from: number, to: number): boolean {
    let k = from;
    while (k < to && this.punct(k, '(')) k++;
    return k < to && QUERY_STARTS.has(this.word(k) ?? '');
  }

  private joinKeyword(i: number): { joinType: JoinType; natural: boolean; next: number } | undefined {
    let natural = false;
    if (this.word(i) === 'natural') {
      natural = true;
      i++;
    }
    let joinType: JoinType = 'inner';
    const w = this.word(i);
    if (w === 'inner') i++;
    else if (w === 'left' || w === 'right' || w === 'full') {
      if (this.word(i + 1) !== 'join' && this.word(i + 1) !== 'outer') return undefined;
      joinType = w;
      i++;
      if (this.word(i) === 'outer') i++;
    } else if (w === 'cross') {
      joinType = 'cross';
      i++;
    }
    if (this.word(i) !== 'join') return undefined;
    return { joinType, natural, next: i + 1 };
  }

  /** End of an ON condition: the next comma or JOIN keyword at depth 0. */
  private joinEnd(from: number, to: number): number {
    let depth = 0;
    for (let k = from; k < to; k++) {
      const t = this.tokens[k];
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth = Math.max(0, depth - 1);
        else if (t.text === ',' && depth === 0) return k;
        continue;
      }
      if (depth === 0 && this.joinKeyword(k)) return k;
    }
    return to;
  }

  // ------------------------------------------------------------------ conditions

  private where(from: number, to: number, scope: Scope, depth: number): void {
    this.scanSubqueries(from, to, scope, depth);
    this.conditionPairs(from, to, scope, 'where', 'inner', undefined, undefined);
  }

  /** Record `col = col` conjuncts of an AND-chain (descending into parenthesised conjuncts; OR chains give nothing). */
  private conditionPairs(
    from: number,
    to: number,
    scope: Scope,
    clause: JoinPair['clause'],
    joinType: JoinType | undefined,
    leftWithin: Source[] | undefined,
    rightWithin: Source[] | undefined,
    nest = 0,
    condition: Token | undefined = this.tokens[from],
  ): void {
    if (nest > 16) return;
    const conjuncts = this.conjuncts(from, to);
    if (!conjuncts) return;
    for (const { from: a, to: b } of conjuncts) {
      this.tick();
      if (a >= b) continue;
      if (this.punct(a, '(') && this.close(a, b) === b - 1) {
        this.conditionPairs(a + 1, b - 1, scope, clause, joinType, leftWithin, rightWithin, nest + 1, condition);
        continue;
      }
      let eq = -1;
      let depth = 0;
      for (let k = a; k < b; k++) {
        const t = this.tokens[k];
        if (t.kind === 'punct') {
          if (t.text === '(') depth++;
          else if (t.text === ')') depth--;
        } else if (depth === 0 && t.kind === 'operator' && t.text === '=') {
          if (eq >= 0) {
            eq = -1;
            break;
          }
          eq = k;
        }
      }
      if (eq < 0) {
        this.inSubqueryPair(a, b, scope, clause, leftWithin);
        continue;
      }
      // Redshift's Oracle-style outer join, `a.x = b.y(+)`: b's side may be missing (a left join, written the other way
      // round a right one)
      const leftEnd = this.outerJoinMark(a, eq) ?? eq;
      const rightEnd = this.outerJoinMark(eq + 1, b) ?? b;
      const left = columnExpression(this.tokens, a, leftEnd);
      const right = left && columnExpression(this.tokens, eq + 1, rightEnd);
      if (!left || !right) continue;
      const outer: JoinType | undefined = rightEnd < b ? 'left' : leftEnd < eq ? 'right' : undefined;
      this.pairs.push({ scope, left: left.col, right: right.col, leftWithin, rightWithin, clause, joinType: outer ?? joinType, token: this.tokens[a], condition });
    }
  }

  /** Where the `(+)` ending tokens [from, to) begins, when they end with one. */
  private outerJoinMark(from: number, to: number): number | undefined {
    const plus = this.tokens[to - 2];
    return to - from > 3 && this.punct(to - 3, '(') && plus?.kind === 'operator' && plus.text === '+' && this.punct(to - 1, ')') ? to - 3 : undefined;
  }

  /**
   * `x [NOT] IN (SELECT y FROM …)`: a semi-join (or anti-join) of x on the subquery's one column, which it is resolved
   * through like a column of a derived table.
   */
  private inSubqueryPair(a: number, b: number, scope: Scope, clause: JoinPair['clause'], leftWithin: Source[] | undefined): void {
    let at = -1;
    for (let k = a + 1; k < b - 2; k++) {
      if (this.word(k) === 'in' && this.punct(k + 1, '(') && this.close(k + 1, b) === b - 1) {
        at = k;
        break;
      }
    }
    if (at < 0) return;
    const shape = this.subqueryShapes.get(at + 1);
    const left = columnExpression(this.tokens, a, this.word(at - 1) === 'not' ? at - 1 : at);
    const output = shape?.outputs.length === 1 && shape.stars.length === 0 ? shape.outputs[0] : undefined;
    if (!left || !output) return;
    const subquery: Source = { alias: '', kind: 'query', shape: shape! };
    this.pairs.push({
      scope,
      left: left.col,
      right: { column: output.name, token: this.tokens[at + 2] },
      leftWithin,
      rightWithin: [subquery],
      clause: clause === 'where' ? 'in' : clause,
      joinType: this.word(at - 1) === 'not' ? undefined : 'inner',
      token: this.tokens[a],
    });
  }

  /** Split on AND at depth 0 (BETWEEN ... AND and CASE ... END kept whole); undefined when an OR sits at depth 0. */
  private conjuncts(from: number, to: number): Array<{ from: number; to: number }> | undefined {
    const out: Array<{ from: number; to: number }> = [];
    let depth = 0;
    let between = false;
    let start = from;
    for (let k = from; k < to; k++) {
      const t = this.tokens[k];
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth = Math.max(0, depth - 1);
        continue;
      }
      const w = this.word(k);
      if (w === 'case') depth++;
      else if (w === 'end' && depth > 0) depth--;
      if (depth !== 0 || w === undefined) continue;
      if (w === 'or') return undefined;
      if (w === 'between') between = true;
      else if (w === 'and') {
        if (between) between = false;
        else {
          out.push({ from: start, to: k });
          start = k + 1;
        }
      }
    }
    out.push({ from: start, to });
    return out;
  }

  /** Analyze every `(SELECT ...)` / `(WITH ...)` inside [from, to) as a nested query seeing `scope`. */
  private scanSubqueries(from: number, to: number, scope: Scope, depth: number): void {
    if (depth > MAX_DEPTH) return;
    for (let k = from; k < to; k++) {
      if (!this.punct(k, '(')) continue;
      const w = this.word(k + 1);
      if (w !== 'select' && w !== 'with') continue;
      const close = this.close(k, to);
      this.subqueryShapes.set(k, this.queryExpr(k + 1, close, scope, depth + 1));
      k = close;
    }
  }

  private topLevelWords(from: number, to: number, words: Set<string>): Map<string, number> {
    const found = new Map<string, number>();
    let depth = 0;
    for (let k = from; k < to; k++) {
      const t = this.tokens[k];
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth = Math.max(0, depth - 1);
        continue;
      }
      const w = this.word(k);
      if (depth === 0 && w !== undefined && words.has(w) && !found.has(w)) found.set(w, k);
    }
    return found;
  }

  private nameList(from: number, to: number): string[] {
    const names: string[] = [];
    for (let k = from; k < to; k++) {
      const n = identifierName(this.tokens[k]);
      if (n !== undefined) names.push(n);
    }
    return names;
  }

  private addTable(table: QualifiedName, tok: Token): void {
    // two versions of one dbt model are two relations
    const version = table.dbtRef?.version;
    const key = version === undefined ? `${table.schema ?? ''}.${table.name}` : `${table.schema ?? ''}.${table.name}@${version}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // Object.assign, not a spread: on Node 20 a spread over names of several shapes costs ~1 µs, once per reference
    this.tables.push(Object.assign({}, table, { origin: this.origin(tok) }));
  }

  // ------------------------------------------------------------------ results

  finish(shape: QueryShape | undefined): QueryAnalysis {
    const joins: JoinPair[] = [];
    for (const p of this.pairs) {
      if (p.left.qualifier && p.right.qualifier && p.left.qualifier.join('.') === p.right.qualifier.join('.')) continue;
      const l = resolveColumn(p.scope, p.left, p.leftWithin, false);
      const r = l && resolveColumn(p.scope, p.right, p.rightWithin, false);
      if (!l || !r) continue;
      let left = l.ref;
      let right = r.ref;
      if (l.source && l.source === r.source) {
        // one relation on both sides filters; unless, in a correlated subquery, a side may be the outer query's
        if (!left.outer && !right.outer) continue;
        left = correlatedSide(left);
        right = correlatedSide(right);
      }
      const pair: JoinPair = { left, right, clause: p.clause, origin: this.origin(p.token) };
      if (p.joinType) pair.joinType = p.joinType;
      if (p.condition) {
        const at = this.origin(p.condition);
        if (at.line !== undefined) pair.condition = { line: at.line, column: at.column ?? 1 };
      }
      joins.push(pair);
      // a side that is a UNION's column joins through each of its branches (those reaching another column)
      const other = (refs: ColumnRef[], first: ColumnRef): ColumnRef[] => {
        const seen = new Set([refKey(first)]);
        return refs.filter((ref) => !seen.has(refKey(ref)) && (seen.add(refKey(ref)), true));
      };
      if (l.source) for (const ref of other(unionBranchRefs(l.source, p.left.column), left)) joins.push({ ...pair, left: ref });
      if (r.source) for (const ref of other(unionBranchRefs(r.source, p.right.column), right)) joins.push({ ...pair, right: ref });
    }
    joins.sort((a, b) => (a.origin.line ?? 0) - (b.origin.line ?? 0) || (a.origin.column ?? 0) - (b.origin.column ?? 0));
    const outputs = (shape?.outputs ?? []).map((o) => {
      const col: OutputColumn = { name: o.name };
      if (o.token) col.token = o.token;
      if (o.castType) col.castType = o.castType;
      const typedBy = o.expr ?? o.typeOf;
      if (typedBy) {
        // the first type written on the way (a cast in a CTE) is its type; else the base column's (after functions)
        const probe: TypeProbe = o.functions ? { functions: o.functions } : {};
        const r = resolveColumn(o.scope, typedBy, undefined, true, 0, probe);
        if (col.castType !== undefined) {
          if (r?.ref.table) col.source = r.ref; // cast as written: the column still passes on (a join key)
        } else setProbedType(col, probedType(probe, r?.ref.table ? r.ref : undefined));
      } else if (o.typeTerm) {
        const term = resolveTerm(o.typeTerm, o.scope, 0);
        if (term && 'type' in term) col.castType = term.type;
        else if (term && termInCatalog(term)) col.typeTerm = term;
      }
      return col;
    });
    const stars = shape?.stars ?? [];
    const analysis: QueryAnalysis = { tables: this.tables, joins, outputColumns: outputs, hasStar: stars.length > 0 };
    if (stars.length === 0) return analysis;
    // each star in its place: the columns of CTEs and subqueries it stands for, or the catalog relations it reads
    const expanded = stars.map((star) => starItems(star));
    if (expanded.some((items) => !items)) return analysis; // a star that cannot be told: the named outputs alone
    const outputColumns: OutputColumn[] = [];
    const starsFrom: StarSource[] = [];
    let k = 0;
    stars.forEach((star, i) => {
      while (k < star.at && k < outputs.length) outputColumns.push(outputs[k++]!);
      for (const item of expanded[i]!) {
        if ('relation' in item) {
          starsFrom.push(Object.assign({ from: item.relation, at: outputColumns.length }, item.except && { except: item.except }, item.prefix && { prefix: item.prefix }, item.suffix && { suffix: item.suffix }));
          continue;
        }
        const col: OutputColumn = { name: item.name };
        // named where the select list of the CTE or subquery the star reads names it
        if (item.at) col.token = item.at.token;
        setProbedType(col, item.typed);
        outputColumns.push(col);
      }
    });
    while (k < outputs.length) outputColumns.push(outputs[k++]!);
    analysis.outputColumns = outputColumns;
    analysis.hasStar = starsFrom.length > 0;
    if (starsFrom.length) analysis.starsFrom = starsFrom;
    return analysis;
  }
}

function qualified(names: string[]): QualifiedName {
  const name = names[names.length - 1];
  return names.length >= 2 ? { schema: names[names.length - 2], name } : { name };
}

function markEnd(marks: Array<{ word: string; at: number }>, mark: { at: number }, to: number): number {
  for (const m of marks) if (m.at > mark.at) return m.at;
  return to;
}

function nextMark(marks: Map<string, number>, at: number, to: number): number {
  let end = to;
  for (const v of marks.values()) if (v > at && v < end) end = v;
  return end;
}

/** Types an output column as a probe found it (see probedType); columns that lead to no relation leave it untyped. */
function setProbedType(col: OutputColumn, typed: ProbedType | undefined): void {
  if (!typed) return;
  if ('castType' in typed) col.castType = typed.castType;
  else if ('term' in typed) {
    if (termInCatalog(typed.term)) col.typeTerm = typed.term;
  } else if (typed.ref.table) {
    col.source = typed.ref;
    if (typed.functions) col.functions = typed.functions;
  }
}

/** Whether every column of a term leads to a relation (the catalog can then work its type out). */
function termInCatalog(term: ResolvedTerm): boolean {
  if ('type' in term) return true;
  if ('column' in term) return term.column.table !== undefined;
  return term.operands.every(termInCatalog);
}

/** An unqualified side of a correlated subquery, not placed: its own relation or one of the outer query's (see joinUsage). */
function correlatedSide(ref: ColumnRef): ColumnRef {
  return ref.outer && ref.table ? { column: ref.column, candidates: [ref.table, ...ref.outer] } : ref;
}

function refKey(ref: ColumnRef): string {
  return JSON.stringify([ref.table?.schema, ref.table?.name, ref.column, ref.candidates]);
}
