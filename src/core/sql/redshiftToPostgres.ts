/**
 * Translates Redshift query text so it runs on PostgreSQL (the embedded PGlite engine).
 *
 * Works on tokens, never on raw text, so string literals, quoted identifiers, comments and
 * dollar quotes are never rewritten. Things expressible as functions (GETDATE, DATEADD, DATEDIFF,
 * LEN, CHARINDEX, …) are left as calls and served by REDSHIFT_COMPAT_FUNCTIONS_SQL, which must be
 * installed in the target database first. Only syntax that cannot be a function is rewritten:
 * NVL/ISNULL/NVL2 (so PostgreSQL resolves mixed argument types the way COALESCE does), DECODE,
 * LISTAGG … WITHIN GROUP, MEDIAN, TOP n, CONVERT(type, x), SYSDATE, VARCHAR(MAX), unquoted date parts,
 * Redshift-only table attributes in CREATE TABLE, and `:name` parameters (→ `$n`).
 */

export type SqlTokenKind = 'ws' | 'comment' | 'string' | 'dollar' | 'qident' | 'word' | 'number' | 'param' | 'op' | 'punct';

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
  /** 0-based offset in the source text. */
  offset: number;
}

/** A Redshift construct the embedded engine cannot emulate. */
export class UnsupportedRedshiftSyntaxError extends Error {
  constructor(
    readonly construct: string,
    /** 0-based offset in the translated statement's source text. */
    readonly offset: number,
    detail?: string,
  ) {
    super(`${construct} is Redshift-only and not supported by the embedded engine${detail ? `: ${detail}` : ''}.`);
    this.name = 'UnsupportedRedshiftSyntaxError';
  }
}

export interface TranslatedSql {
  sql: string;
  /** Parameter names in `$n` order (`:name` placeholders). */
  parameterNames: string[];
  /** Maps a 0-based offset in `sql` back to a 0-based offset in the source text. */
  mapOffset(translatedOffset: number): number;
}

export interface SqlStatementSlice {
  text: string;
  /** 0-based offset of `text` in the source. */
  offset: number;
}

// ---------------------------------------------------------------- tokenizer

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OP_CHARS = '+-*/<>=~!@#%^&|`?';

export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: SqlTokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), offset: i });
    i = end;
  };
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < n && /\s/.test(sql[j])) j++;
      push('ws', j);
    } else if (c === '-' && next === '-') {
      let j = sql.indexOf('\n', i);
      if (j < 0) j = n;
      push('comment', j);
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') { depth++; j += 2; }
        else if (sql[j] === '*' && sql[j + 1] === '/') { depth--; j += 2; }
        else j++;
      }
      push('comment', j);
    } else if (c === "'" || (/[eEnNbBxX]/.test(c) && next === "'" && !(i > 0 && WORD_PART.test(sql[i - 1])))) {
      const escapes = c === 'e' || c === 'E';
      let j = c === "'" ? i + 1 : i + 2;
      while (j < n) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      push('string', Math.min(j + 1, n));
    } else if (c === '"') {
      let j = i + 1;
      while (j < n) {
        if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
        else if (sql[j] === '"') break;
        else j++;
      }
      push('qident', Math.min(j + 1, n));
    } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '')) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        push('dollar', close < 0 ? n : close + m[0].length);
      } else {
        push('op', i + 1);
      }
    } else if (c === '$' && /[0-9]/.test(next ?? '')) {
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j])) j++;
      push('param', j);
    } else if (c === ':' && next === ':') {
      push('op', i + 2);
    } else if (c === ':' && /[A-Za-z_]/.test(next ?? '') && sql[i - 1] !== ':') {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(sql[j])) j++;
      push('param', j);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      const m = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(i, i + 400));
      push('number', i + (m ? m[0].length : 1));
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j])) j++;
      push('word', j);
    } else if ('(),;.[]:'.includes(c)) {
      push('punct', i + 1);
    } else if (OP_CHARS.includes(c)) {
      let j = i + 1;
      while (j < n && OP_CHARS.includes(sql[j]) && !(sql[j] === '-' && sql[j + 1] === '-') && !(sql[j] === '/' && sql[j + 1] === '*')) j++;
      push('op', j);
    } else {
      push('op', i + 1);
    }
  }
  return tokens;
}

const isTrivia = (t: SqlToken | undefined) => t !== undefined && (t.kind === 'ws' || t.kind === 'comment');

/** Splits a script into statements at top-level semicolons; empty statements (only blanks/comments) are dropped. */
export function splitSqlStatements(sql: string): SqlStatementSlice[] {
  const tokens = tokenizeSql(sql);
  const out: SqlStatementSlice[] = [];
  let depth = 0;
  let start = 0;
  const flush = (end: number) => {
    const text = sql.slice(start, end);
    if (tokenizeSql(text).some((t) => !isTrivia(t))) {
      const lead = text.length - text.trimStart().length;
      out.push({ text: text.trim(), offset: start + lead });
    }
  };
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    else if (t.text === ';' && depth === 0) {
      flush(t.offset);
      start = t.offset + 1;
    }
  }
  flush(sql.length);
  return out;
}

// ---------------------------------------------------------------- translator

const DATE_PART_FUNCTIONS = new Set(['dateadd', 'datediff', 'datepart', 'date_part']);
const VARCHAR_WORDS = new Set(['varchar', 'nvarchar', 'varying', 'bpchar', 'char', 'character', 'nchar', 'varbyte', 'varbinary']);
const TYPE_WORD_REWRITES: Record<string, string> = {
  nvarchar: 'varchar',
  nchar: 'char',
  varbyte: 'bytea',
  varbinary: 'bytea',
  hllsketch: 'text',
  geometry: 'text',
  geography: 'text',
};
const SYSTEM_RELATION = /^(svv|svl|stl|stv|svcs|sys)_[a-z0-9_]+$/;
const KNOWN_SYS_PREFIXED = /^sys_(query|load|serverless|connection|session|spatial|unload|copy|transaction|external|integration|mv|vacuum|analyze|user|datashare|stream|schema|procedure|restore|application|rejected|auto)/;
const SHOW_TARGETS = new Set(['table', 'tables', 'view', 'views', 'columns', 'schemas', 'databases', 'grants', 'model', 'models', 'procedure', 'external', 'datashares', 'parameters', 'constraints']);
const DDL_ATTRIBUTES_TAKING_WORD = new Set(['encode', 'diststyle', 'backup']);

interface Piece {
  text: string;
  origin: number;
}

class Translator {
  private readonly tokens: SqlToken[];
  private readonly out: Piece[] = [];
  private readonly params: string[] = [];
  private readonly isDdl: boolean;
  /** > 0 while translating a bare type name (CONVERT's first argument). */
  private typeDepth = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenizeSql(source);
    const firstWords = this.tokens.filter((t) => t.kind === 'word').slice(0, 2).map((t) => t.text.toLowerCase());
    this.isDdl = firstWords[0] === 'create' || firstWords[0] === 'alter';
    if (firstWords[0] === 'show' && firstWords[1] && SHOW_TARGETS.has(firstWords[1])) {
      const t = this.tokens.find((x) => x.kind === 'word')!;
      throw new UnsupportedRedshiftSyntaxError(`SHOW ${firstWords[1].toUpperCase()}`, t.offset, 'use the Quarry explorer or information_schema instead');
    }
  }

  run(): TranslatedSql {
    this.level(0, this.tokens.length, false);
    let sql = '';
    const starts: number[] = [];
    const origins: number[] = [];
    for (const p of this.out) {
      starts.push(sql.length);
      origins.push(p.origin);
      sql += p.text;
    }
    const mapOffset = (pos: number): number => {
      let lo = 0;
      let hi = starts.length - 1;
      let best = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] <= pos) { best = mid; lo = mid + 1; }
        else hi = mid - 1;
      }
      if (starts.length === 0) return 0;
      return origins[best] + Math.min(pos - starts[best], this.out[best].text.length);
    };
    return { sql, parameterNames: [...this.params], mapOffset };
  }

  // -- helpers over the token array

  private sigAfter(i: number, end = this.tokens.length): number {
    let j = i + 1;
    while (j < end && isTrivia(this.tokens[j])) j++;
    return j < end ? j : -1;
  }

  private sigBefore(i: number): number {
    let j = i - 1;
    while (j >= 0 && isTrivia(this.tokens[j])) j--;
    return j;
  }

  private lower(i: number): string {
    return i >= 0 && i < this.tokens.length ? this.tokens[i].text.toLowerCase() : '';
  }

  private matchParen(open: number): number {
    let depth = 0;
    for (let j = open; j < this.tokens.length; j++) {
      const t = this.tokens[j].text;
      if (this.tokens[j].kind !== 'punct') continue;
      if (t === '(' || t === '[') depth++;
      else if (t === ')' || t === ']') {
        depth--;
        if (depth === 0) return j;
      }
    }
    throw new Error(`Unbalanced parenthesis at offset ${this.tokens[open].offset}.`);
  }

  /** Top-level comma-separated argument ranges inside (open, close). */
  private splitArgs(open: number, close: number): Array<[number, number]> {
    const args: Array<[number, number]> = [];
    let depth = 0;
    let start = open + 1;
    for (let j = open + 1; j < close; j++) {
      const t = this.tokens[j];
      if (t.kind !== 'punct') continue;
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') depth--;
      else if (t.text === ',' && depth === 0) {
        args.push([start, j]);
        start = j + 1;
      }
    }
    if (start < close || args.length > 0) args.push([start, close]);
    return args;
  }

  private emit(text: string, origin: number): void {
    this.out.push({ text, origin });
  }

  /** Translates the token range [a, b) into a standalone string (for rebuilt constructs). */
  private sub(a: number, b: number): string {
    const mark = this.out.length;
    this.level(a, b, false);
    const text = this.out.slice(mark).map((p) => p.text).join('');
    this.out.length = mark;
    return text.trim();
  }

  private rangeIsOnlyWord(a: number, b: number, word: string): boolean {
    const sig = this.tokens.slice(a, b).filter((t) => !isTrivia(t));
    return sig.length === 1 && sig[0].kind === 'word' && sig[0].text.toLowerCase() === word;
  }

  // -- the main walk over one nesting level

  private level(start: number, end: number, typeContext: boolean): void {
    let pendingLimit: string | undefined;
    let lastSig = end - 1;
    while (lastSig >= start && (isTrivia(this.tokens[lastSig]) || this.tokens[lastSig].text === ';')) lastSig--;

    let i = start;
    while (i < end) {
      const t = this.tokens[i];
      const consumed = this.rewriteAt(i, end, typeContext, (limit) => (pendingLimit = limit));
      if (consumed > i) {
        if (pendingLimit !== undefined && consumed - 1 >= lastSig) {
          this.emit(` LIMIT ${pendingLimit}`, t.offset);
          pendingLimit = undefined;
        }
        i = consumed;
        continue;
      }
      if (t.text === '(' && t.kind === 'punct') {
        const close = this.matchParen(i);
        const prevWord = this.lower(this.sigBefore(i));
        this.emit('(', t.offset);
        this.level(i + 1, close, prevWord === 'cast');
        this.emit(')', this.tokens[close].offset);
        i = close + 1;
      } else {
        this.emit(t.text, t.offset);
        i++;
      }
      if (pendingLimit !== undefined && i - 1 >= lastSig) {
        this.emit(` LIMIT ${pendingLimit}`, t.offset);
        pendingLimit = undefined;
      }
    }
    if (pendingLimit !== undefined) this.emit(` LIMIT ${pendingLimit}`, end);
  }

  /** Returns the index after a rewritten construct, or `i` when nothing applies. */
  private rewriteAt(i: number, end: number, typeContext: boolean, setLimit: (n: string) => void): number {
    const t = this.tokens[i];
    if (t.kind === 'param' && t.text.startsWith(':')) {
      const name = t.text.slice(1);
      let idx = this.params.indexOf(name);
      if (idx < 0) idx = this.params.push(name) - 1;
      this.emit(`$${idx + 1}`, t.offset);
      return i + 1;
    }
    if (t.kind !== 'word') return i;

    const w = t.text.toLowerCase();
    const prev = this.sigBefore(i);
    const prevText = this.lower(prev);
    const qualified = prevText === '.';
    const next = this.sigAfter(i, end);
    const nextText = this.lower(next);
    if (qualified) {
      if (SYSTEM_RELATION.test(w) && this.lower(this.sigBefore(prev)) === 'pg_catalog') throw this.systemRelation(t);
      return i;
    }
    const afterCast = prevText === '::';

    if (nextText === '(') {
      const close = this.matchParen(next);
      const fn = this.rewriteFunction(w, i, next, close);
      if (fn !== undefined) return fn;
    }

    if (w === 'sysdate' && nextText !== '(') {
      this.emit('LOCALTIMESTAMP', t.offset);
      return i + 1;
    }
    if (w === 'top' && ['select', 'distinct', 'all'].includes(prevText) && next >= 0 && this.tokens[next].kind === 'number') {
      setLimit(this.tokens[next].text);
      return next + 1;
    }
    if (w === 'approximate' && nextText === 'count') return next;
    if (w === 'qualify' && !['select', ',', 'as', '('].includes(prevText) && ![',', ')', '.', '=', 'as', 'from', ';', ''].includes(nextText)) {
      throw new UnsupportedRedshiftSyntaxError('QUALIFY', t.offset, 'wrap the query in a subquery and filter on the window function there');
    }
    if (w === 'pg_table_def') throw new UnsupportedRedshiftSyntaxError('PG_TABLE_DEF', t.offset, 'query information_schema.columns instead');
    if (SYSTEM_RELATION.test(w) && (!w.startsWith('sys_') || KNOWN_SYS_PREFIXED.test(w)) && ['from', 'join', ','].includes(prevText)) {
      throw this.systemRelation(t);
    }
    // Type names: after ::, inside CAST(... AS type), CONVERT(type, …), or anywhere in CREATE/ALTER.
    const inTypePosition = afterCast || this.isDdl || this.typeDepth > 0 || (typeContext && prevText === 'as');
    if (inTypePosition && VARCHAR_WORDS.has(w) && nextText === '(') {
      const close = this.matchParen(next);
      if (this.rangeIsOnlyWord(next + 1, close, 'max')) {
        const base = TYPE_WORD_REWRITES[w] ?? w;
        const len = base === 'char' || base === 'character' || base === 'bpchar' ? '4096' : '65535';
        this.emit(base === 'bytea' ? 'bytea' : `${base}(${len})`, t.offset);
        return close + 1;
      }
    }
    if (inTypePosition && TYPE_WORD_REWRITES[w]) {
      const base = TYPE_WORD_REWRITES[w];
      if (base === 'bytea' && nextText === '(') {
        this.emit('bytea', t.offset);
        return this.matchParen(next) + 1;
      }
      this.emit(base, t.offset);
      return i + 1;
    }
    if (this.isDdl) return this.rewriteDdlAttribute(w, i, next, end);
    return i;
  }

  private systemRelation(t: SqlToken): UnsupportedRedshiftSyntaxError {
    return new UnsupportedRedshiftSyntaxError(`Redshift system view ${t.text.toUpperCase()}`, t.offset, 'query information_schema instead');
  }

  private rewriteFunction(w: string, nameIdx: number, open: number, close: number): number | undefined {
    const t = this.tokens[nameIdx];
    const args = () => this.splitArgs(open, close);
    const argText = (r: [number, number]) => this.sub(r[0], r[1]);

    switch (w) {
      case 'nvl':
      case 'isnull':
        this.emit('COALESCE', t.offset);
        return nameIdx + 1;
      case 'nvl2': {
        const a = args();
        if (a.length !== 3) return undefined;
        this.emit(`(CASE WHEN (${argText(a[0])}) IS NOT NULL THEN (${argText(a[1])}) ELSE (${argText(a[2])}) END)`, t.offset);
        return close + 1;
      }
      case 'decode': {
        const a = args();
        if (a.length < 3) return undefined; // PostgreSQL's own decode(text, format)
        const expr = argText(a[0]);
        const parts: string[] = [];
        let k = 1;
        for (; k + 1 < a.length; k += 2) {
          const search = a[k];
          const cond = this.rangeIsOnlyWord(search[0], search[1], 'null') ? `(${expr}) IS NULL` : `(${expr}) = (${argText(search)})`;
          parts.push(`WHEN ${cond} THEN (${argText(a[k + 1])})`);
        }
        const otherwise = k < a.length ? ` ELSE (${argText(a[k])})` : '';
        this.emit(`(CASE ${parts.join(' ')}${otherwise} END)`, t.offset);
        return close + 1;
      }
      case 'convert': {
        const a = args();
        if (a.length !== 2) return undefined;
        this.typeDepth++;
        const typeName = this.sub(a[0][0], a[0][1]);
        this.typeDepth--;
        this.emit(`CAST((${argText(a[1])}) AS ${typeName})`, t.offset);
        return close + 1;
      }
      case 'median': {
        const a = args();
        if (a.length !== 1) return undefined;
        this.emit(`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${argText(a[0])})`, t.offset);
        return close + 1;
      }
      case 'listagg':
        return this.rewriteListagg(nameIdx, open, close);
      default:
        break;
    }
    if (DATE_PART_FUNCTIONS.has(w)) {
      const a = args();
      const first = a[0];
      const sig = first ? this.tokens.slice(first[0], first[1]).filter((x) => !isTrivia(x)) : [];
      if (sig.length === 1 && sig[0].kind === 'word') {
        // date_part with an unquoted part goes through datepart() so Redshift abbreviations (yr, qtr, …) work.
        this.emit(`${w === 'date_part' ? 'datepart' : t.text}(`, t.offset);
        this.emit(`'${sig[0].text.toLowerCase()}'`, sig[0].offset);
        this.level(first[1], close, false);
        this.emit(')', this.tokens[close].offset);
        return close + 1;
      }
    }
    return undefined;
  }

  /** LISTAGG([DISTINCT] x [, sep]) [WITHIN GROUP (ORDER BY …)] [OVER (…)] → string_agg. */
  private rewriteListagg(nameIdx: number, open: number, close: number): number {
    const t = this.tokens[nameIdx];
    const a = this.splitArgs(open, close);
    if (a.length === 0 || a.length > 2) return nameIdx;
    let valueStart = a[0][0];
    const firstSig = this.sigAfter(open, close);
    let distinct = '';
    if (this.lower(firstSig) === 'distinct') {
      distinct = 'DISTINCT ';
      valueStart = firstSig + 1;
    }
    const value = this.sub(valueStart, a[0][1]);
    const sep = a.length === 2 ? this.sub(a[1][0], a[1][1]) : "''";
    let after = close + 1;
    let orderBy = '';
    let k = this.sigAfter(close);
    if (this.lower(k) === 'within' && this.lower(this.sigAfter(k)) === 'group') {
      const gOpen = this.sigAfter(this.sigAfter(k));
      if (this.lower(gOpen) !== '(') throw new Error(`Expected ( after WITHIN GROUP at offset ${this.tokens[k].offset}.`);
      const gClose = this.matchParen(gOpen);
      orderBy = this.sub(gOpen + 1, gClose); // "ORDER BY …"
      after = gClose + 1;
      k = this.sigAfter(gClose);
    }
    if (this.lower(k) === 'over') {
      const oOpen = this.sigAfter(k);
      const oClose = this.matchParen(oOpen);
      const partition = this.sub(oOpen + 1, oClose);
      if (distinct) throw new UnsupportedRedshiftSyntaxError('LISTAGG(DISTINCT …) OVER (…)', t.offset);
      const frame = orderBy ? `${partition} ${orderBy} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING` : partition;
      this.emit(`string_agg((${value})::text, ${sep}) OVER (${frame.trim()})`, t.offset);
      return oClose + 1;
    }
    const ordered = orderBy ? ` ${orderBy}` : '';
    const castValue = distinct ? `(${value})::text` : `(${value})::text`;
    this.emit(`string_agg(${distinct}${castValue}, ${sep}${ordered})`, t.offset);
    return after;
  }

  /** Drops ENCODE/DISTKEY/SORTKEY/DISTSTYLE/BACKUP and rewrites IDENTITY(s, i) in CREATE/ALTER statements. */
  private rewriteDdlAttribute(w: string, i: number, next: number, end: number): number {
    const nextText = this.lower(next);
    if (DDL_ATTRIBUTES_TAKING_WORD.has(w) && next >= 0 && this.tokens[next].kind === 'word') return next + 1;
    if ((w === 'compound' || w === 'interleaved') && nextText === 'sortkey') return next;
    if (w === 'distkey' || w === 'sortkey') {
      if (nextText === '(') return this.matchParen(next) + 1;
      if (nextText === 'auto') return next + 1;
      return i + 1;
    }
    if (w === 'identity' && nextText === '(') {
      const close = this.matchParen(next);
      const a = this.splitArgs(next, close).map((r) => this.sub(r[0], r[1]));
      const opts = a.length === 2 ? ` (START WITH ${a[0]} INCREMENT BY ${a[1]})` : '';
      this.emit(`GENERATED BY DEFAULT AS IDENTITY${opts}`, this.tokens[i].offset);
      return close + 1;
    }
    if (w === 'with' && nextText === 'no') {
      const a = this.sigAfter(next, end);
      const b = this.sigAfter(a, end);
      if (this.lower(a) === 'schema' && this.lower(b) === 'binding') return b + 1;
    }
    return i;
  }
}

/**
 * Translates one statement (or a script) of Redshift SQL to PostgreSQL.
 * Throws UnsupportedRedshiftSyntaxError for constructs with no local equivalent.
 */
export function translateRedshiftToPostgres(sql: string): TranslatedSql {
  return new Translator(sql).run();
}

/** Translates a Redshift type name (as written in DDL) to a PostgreSQL type name. */
export function redshiftTypeToPostgres(dataType: string): string {
  return translateRedshiftToPostgres(`CREATE TABLE t (c ${dataType})`).sql.replace(/^CREATE TABLE t \(c /, '').replace(/\)$/, '');
}

/**
 * Functions that make Redshift built-ins callable on PostgreSQL 18 (PGlite). Created in pg_catalog so
 * they resolve whatever the search_path is. Run once per database, before any translated statement.
 */
export const REDSHIFT_COMPAT_FUNCTIONS_SQL = String.raw`
CREATE DOMAIN pg_catalog.super AS jsonb;
CREATE FUNCTION pg_catalog.getdate() RETURNS timestamp LANGUAGE sql STABLE AS $$ SELECT date_trunc('second', localtimestamp) $$;
CREATE FUNCTION pg_catalog.len(text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT length($1) $$;
CREATE FUNCTION pg_catalog.charindex(text, text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT strpos($2, $1) $$;
CREATE FUNCTION pg_catalog.trunc(timestamp) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT $1::date $$;
CREATE FUNCTION pg_catalog.add_months(timestamp, bigint) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$ SELECT $1 + make_interval(months => $2::int) $$;
CREATE FUNCTION pg_catalog.last_day(timestamp) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT (date_trunc('month', $1) + interval '1 month' - interval '1 day')::date $$;
CREATE FUNCTION pg_catalog.json_parse(text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$ SELECT $1::jsonb $$;
CREATE FUNCTION pg_catalog.is_valid_json(text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM $1::json; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$;
CREATE FUNCTION pg_catalog.json_extract_path_text(text, VARIADIC text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT json_extract_path_text($1::json, VARIADIC $2) $$;
CREATE FUNCTION pg_catalog.convert_timezone(text, text, timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$ SELECT ($3 AT TIME ZONE $1) AT TIME ZONE $2 $$;
CREATE FUNCTION pg_catalog.convert_timezone(text, timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$ SELECT ($2 AT TIME ZONE 'UTC') AT TIME ZONE $1 $$;
CREATE FUNCTION pg_catalog.quarry_datepart(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE lower($1)
    WHEN 'millennium' THEN 'millennium' WHEN 'millennia' THEN 'millennium' WHEN 'mil' THEN 'millennium' WHEN 'mils' THEN 'millennium'
    WHEN 'century' THEN 'century' WHEN 'centuries' THEN 'century' WHEN 'c' THEN 'century' WHEN 'cent' THEN 'century' WHEN 'cents' THEN 'century'
    WHEN 'decade' THEN 'decade' WHEN 'decades' THEN 'decade' WHEN 'dec' THEN 'decade' WHEN 'decs' THEN 'decade'
    WHEN 'year' THEN 'year' WHEN 'years' THEN 'year' WHEN 'y' THEN 'year' WHEN 'yr' THEN 'year' WHEN 'yrs' THEN 'year' WHEN 'yy' THEN 'year' WHEN 'yyyy' THEN 'year'
    WHEN 'quarter' THEN 'quarter' WHEN 'quarters' THEN 'quarter' WHEN 'qtr' THEN 'quarter' WHEN 'qtrs' THEN 'quarter' WHEN 'q' THEN 'quarter'
    WHEN 'month' THEN 'month' WHEN 'months' THEN 'month' WHEN 'mon' THEN 'month' WHEN 'mons' THEN 'month' WHEN 'mm' THEN 'month'
    WHEN 'week' THEN 'week' WHEN 'weeks' THEN 'week' WHEN 'w' THEN 'week' WHEN 'wk' THEN 'week'
    WHEN 'day' THEN 'day' WHEN 'days' THEN 'day' WHEN 'd' THEN 'day' WHEN 'dd' THEN 'day'
    WHEN 'hour' THEN 'hour' WHEN 'hours' THEN 'hour' WHEN 'h' THEN 'hour' WHEN 'hr' THEN 'hour' WHEN 'hrs' THEN 'hour' WHEN 'hh' THEN 'hour'
    WHEN 'minute' THEN 'minute' WHEN 'minutes' THEN 'minute' WHEN 'm' THEN 'minute' WHEN 'min' THEN 'minute' WHEN 'mins' THEN 'minute' WHEN 'mi' THEN 'minute'
    WHEN 'second' THEN 'second' WHEN 'seconds' THEN 'second' WHEN 's' THEN 'second' WHEN 'sec' THEN 'second' WHEN 'secs' THEN 'second' WHEN 'ss' THEN 'second'
    WHEN 'millisecond' THEN 'milliseconds' WHEN 'milliseconds' THEN 'milliseconds' WHEN 'ms' THEN 'milliseconds' WHEN 'msec' THEN 'milliseconds' WHEN 'msecs' THEN 'milliseconds' WHEN 'msecond' THEN 'milliseconds' WHEN 'mseconds' THEN 'milliseconds' WHEN 'millisec' THEN 'milliseconds' WHEN 'millisecs' THEN 'milliseconds' WHEN 'millisecon' THEN 'milliseconds'
    WHEN 'microsecond' THEN 'microseconds' WHEN 'microseconds' THEN 'microseconds' WHEN 'microsec' THEN 'microseconds' WHEN 'microsecs' THEN 'microseconds' WHEN 'usec' THEN 'microseconds' WHEN 'usecs' THEN 'microseconds' WHEN 'useconds' THEN 'microseconds' WHEN 'us' THEN 'microseconds'
    WHEN 'weekday' THEN 'dow' WHEN 'dayofweek' THEN 'dow' WHEN 'dow' THEN 'dow' WHEN 'dw' THEN 'dow'
    WHEN 'dayofyear' THEN 'doy' WHEN 'doy' THEN 'doy' WHEN 'dy' THEN 'doy' WHEN 'yd' THEN 'doy'
    WHEN 'epoch' THEN 'epoch'
    ELSE lower($1) END
$$;
CREATE FUNCTION pg_catalog.dateadd(text, bigint, timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE quarry_datepart($1)
    WHEN 'quarter' THEN $3 + make_interval(months => 3 * $2::int)
    WHEN 'week' THEN $3 + make_interval(days => 7 * $2::int)
    WHEN 'milliseconds' THEN $3 + $2 * interval '1 millisecond'
    WHEN 'microseconds' THEN $3 + $2 * interval '1 microsecond'
    WHEN 'millennium' THEN $3 + make_interval(years => 1000 * $2::int)
    WHEN 'century' THEN $3 + make_interval(years => 100 * $2::int)
    WHEN 'decade' THEN $3 + make_interval(years => 10 * $2::int)
    ELSE $3 + $2 * ('1 ' || quarry_datepart($1))::interval END
$$;
CREATE FUNCTION pg_catalog.dateadd(text, bigint, timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT (dateadd($1, $2, $3::timestamp))::timestamptz
$$;
CREATE FUNCTION pg_catalog.dateadd(text, bigint, date) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$ SELECT dateadd($1, $2, $3::timestamp) $$;
-- Untyped literals ('2024-01-01') pick the text overload rather than timestamptz, PostgreSQL's preferred datetime type.
CREATE FUNCTION pg_catalog.dateadd(text, bigint, text) RETURNS timestamp LANGUAGE sql STABLE AS $$ SELECT dateadd($1, $2, $3::timestamp) $$;
CREATE FUNCTION pg_catalog.datediff(text, timestamp, timestamp) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE quarry_datepart($1)
    WHEN 'year' THEN (extract(year FROM $3) - extract(year FROM $2))::bigint
    WHEN 'quarter' THEN ((extract(year FROM $3) * 4 + extract(quarter FROM $3)) - (extract(year FROM $2) * 4 + extract(quarter FROM $2)))::bigint
    WHEN 'month' THEN ((extract(year FROM $3) * 12 + extract(month FROM $3)) - (extract(year FROM $2) * 12 + extract(month FROM $2)))::bigint
    WHEN 'week' THEN ((date_trunc('week', $3)::date - date_trunc('week', $2)::date) / 7)::bigint
    WHEN 'day' THEN ($3::date - $2::date)::bigint
    WHEN 'hour' THEN (extract(epoch FROM date_trunc('hour', $3) - date_trunc('hour', $2)) / 3600)::bigint
    WHEN 'minute' THEN (extract(epoch FROM date_trunc('minute', $3) - date_trunc('minute', $2)) / 60)::bigint
    WHEN 'second' THEN extract(epoch FROM date_trunc('second', $3) - date_trunc('second', $2))::bigint
    WHEN 'milliseconds' THEN (extract(epoch FROM date_trunc('milliseconds', $3) - date_trunc('milliseconds', $2)) * 1000)::bigint
    WHEN 'microseconds' THEN (extract(epoch FROM $3 - $2) * 1000000)::bigint
    WHEN 'decade' THEN (floor(extract(year FROM $3) / 10) - floor(extract(year FROM $2) / 10))::bigint
    WHEN 'century' THEN (extract(century FROM $3) - extract(century FROM $2))::bigint
    WHEN 'millennium' THEN (extract(millennium FROM $3) - extract(millennium FROM $2))::bigint
    ELSE NULL::bigint END
$$;
CREATE FUNCTION pg_catalog.datediff(text, timestamptz, timestamptz) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT datediff($1, $2::timestamp, $3::timestamp)
$$;
CREATE FUNCTION pg_catalog.datediff(text, date, date) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT datediff($1, $2::timestamp, $3::timestamp) $$;
CREATE FUNCTION pg_catalog.datediff(text, text, text) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT datediff($1, $2::timestamp, $3::timestamp) $$;
CREATE FUNCTION pg_catalog.datepart(text, timestamp) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT date_part(quarry_datepart($1), $2) $$;
CREATE FUNCTION pg_catalog.datepart(text, interval) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT date_part(quarry_datepart($1), $2) $$;
`;
