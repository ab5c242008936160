/**
 * Tolerant, linear-time SQL tokenizer for Redshift / PostgreSQL with dbt Jinja.
 * It never throws: unterminated strings, comments, dollar quotes and Jinja run to EOF and carry `unterminated`.
 */

export type TokenKind =
  | 'keyword'
  | 'identifier'
  | 'quotedIdentifier'
  | 'string'
  | 'number'
  | 'operator'
  | 'punct'
  | 'comment'
  | 'jinja'
  | 'dollarString'
  | 'whitespace'
  | 'parameter';

export interface Token {
  kind: TokenKind;
  /** Source text of the token, exactly as written. */
  text: string;
  /** 0-based offset of the first character; `end` is exclusive. */
  offset: number;
  end: number;
  /** 1-based line and column of the first character. */
  line: number;
  column: number;
  /** Lower-cased word for keyword/identifier; unescaped name for quotedIdentifier. */
  value?: string;
  /** True for a string, quoted identifier, comment, dollar quote or Jinja block that reached EOF without its terminator. */
  unterminated: boolean;
}

export interface TokenizeOptions {
  /** Drop whitespace tokens (default false). */
  skipWhitespace?: boolean;
  /** Drop comment tokens (default false), except an unterminated one. */
  skipComments?: boolean;
}

const KEYWORDS = new Set(
  (
    'all alter analyse analyze and any array as asc asymmetric authorization backup between both by case cast check collate column ' +
    'comment commit compound constraint copy create cross current_date current_time current_timestamp current_user default ' +
    'deferrable delete desc distinct diststyle distkey do drop else encode end except exists external false fetch for foreign ' +
    'from full grant group having identity if ilike in initially inner insert interleaved intersect into is isnull join key lateral ' +
    'leading left like limit localtime localtimestamp materialized merge minus natural not notnull null offset on only or order ' +
    'outer over partition placing primary qualify recursive references rename replace returning right rollback select session_user ' +
    'set similar some sortkey symmetric table temp temporary then to top trailing true truncate union unique unload update ' +
    'user using values view when where window with without'
  ).split(' '),
);

/**
 * By first letter (a–z): a bit per length of the keywords starting with it. Most words are not keywords, and this
 * rules them out without hashing the word (the tokenizer's hottest line when it looked every word up).
 */
const KEYWORD_LENGTHS: number[] = new Array(26).fill(0);
for (const k of KEYWORDS) KEYWORD_LENGTHS[k.charCodeAt(0) - 97]! |= 1 << k.length;

function mayBeKeyword(first: number, length: number): boolean {
  const letter = (first | 0x20) - 97; // ASCII letters to 0–25 whatever their case; anything else falls outside
  return letter >= 0 && letter < 26 && length < 32 && ((KEYWORD_LENGTHS[letter]! >>> length) & 1) === 1;
}

export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toLowerCase());
}

const enum Ch {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Bang = 33,
  DQuote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  Quote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Semi = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  At = 64,
  UpperA = 65,
  UpperE = 69,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  LowerA = 97,
  LowerE = 101,
  LowerZ = 122,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function isIdentStart(c: number): boolean {
  return (c >= Ch.LowerA && c <= Ch.LowerZ) || (c >= Ch.UpperA && c <= Ch.UpperZ) || c === Ch.Underscore || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === Ch.Dollar;
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR || c === 12 || c === 11;
}

/** Operator characters that may combine into multi-character operators (PostgreSQL rules, simplified). */
function isOperatorChar(c: number): boolean {
  return (
    c === Ch.Plus ||
    c === Ch.Minus ||
    c === Ch.Star ||
    c === Ch.Slash ||
    c === Ch.Lt ||
    c === Ch.Gt ||
    c === Ch.Eq ||
    c === Ch.Tilde ||
    c === Ch.Bang ||
    c === Ch.At ||
    c === Ch.Percent ||
    c === Ch.Caret ||
    c === Ch.Amp ||
    c === Ch.Pipe ||
    c === Ch.Hash ||
    c === Ch.Question
  );
}

/** Tokenize `text`. Linear in its length; every branch advances at least one character. */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;

  // Advance line bookkeeping over text[from, to).
  const countLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (text.charCodeAt(k) === Ch.LF) {
        line++;
        lineStart = k + 1;
      }
    }
  };

  const skipWhitespace = !!options.skipWhitespace;
  const skipComments = !!options.skipComments;

  while (i < n) {
    const start = i;
    const startLine = line;
    const startCol = i - lineStart + 1;
    const c = text.charCodeAt(i);
    const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    // each branch below consumes one token and sets what it is; the token is pushed in one place (one allocation
    // site keeps the optimized tokenizer small)
    let kind: TokenKind = 'operator';
    let unterminated = false;
    let value: string | undefined;
    /** The token's text when a branch already sliced it. */
    let sliced: string | undefined;
    scan: {
      if (isSpace(c)) {
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        countLines(start, i);
        kind = 'whitespace';
        break scan;
      }

      // -- line comment
      if (c === Ch.Minus && next === Ch.Minus) {
        const eol = text.indexOf('\n', i);
        i = eol < 0 ? n : eol;
        kind = 'comment';
        break scan;
      }

      // /* nested block comment */
      if (c === Ch.Slash && next === Ch.Star) {
        let depth = 1;
        i += 2;
        while (i < n && depth > 0) {
          const d = text.charCodeAt(i);
          if (d === Ch.Slash && i + 1 < n && text.charCodeAt(i + 1) === Ch.Star) {
            depth++;
            i += 2;
          } else if (d === Ch.Star && i + 1 < n && text.charCodeAt(i + 1) === Ch.Slash) {
            depth--;
            i += 2;
          } else i++;
        }
        countLines(start, i);
        kind = 'comment';
        unterminated = depth > 0;
        break scan;
      }

      // dbt Jinja: {{ }}, {% %}, {# #}
      if (c === Ch.LBrace && (next === Ch.LBrace || next === Ch.Percent || next === Ch.Hash)) {
        const close = next === Ch.LBrace ? '}}' : next === Ch.Percent ? '%}' : '#}';
        const endAt = next === Ch.Hash ? text.indexOf(close, i + 2) : scanJinjaClose(text, i + 2, close);
        unterminated = endAt < 0;
        i = unterminated ? n : endAt + 2;
        countLines(start, i);
        kind = 'jinja';
        break scan;
      }

      // 'string' (with '' escapes), E'string' (with backslash escapes), B'0101', X'1F', N'text', U&'\0061'
      const prefix = c === Ch.Quote ? 0 : literalPrefix(text, i, c, next);
      if (prefix > 0 || c === Ch.Quote) {
        if (text.charCodeAt(i + prefix) === Ch.DQuote) {
          // U&"name": a quoted identifier with Unicode escapes
          const end = quotedEnd(text, i + prefix + 1, Ch.DQuote, false);
          i = end < 0 ? n : end;
          countLines(start, i);
          kind = 'quotedIdentifier';
          unterminated = end < 0;
          value = text.slice(start + prefix + 1, end < 0 ? i : i - 1).replace(/""/g, '"');
          break scan;
        }
        const backslash = c === Ch.UpperE || c === Ch.LowerE;
        const end = quotedEnd(text, i + prefix + 1, Ch.Quote, backslash);
        i = end < 0 ? n : end;
        countLines(start, i);
        kind = 'string';
        unterminated = end < 0;
        break scan;
      }

      // "quoted identifier" with "" escapes
      if (c === Ch.DQuote) {
        const end = quotedEnd(text, i + 1, Ch.DQuote, false);
        i = end < 0 ? n : end;
        countLines(start, i);
        const inner = text.slice(start + 1, end < 0 ? i : i - 1).replace(/""/g, '"');
        kind = 'quotedIdentifier';
        unterminated = end < 0;
        value = inner;
        break scan;
      }

      // $$dollar$$ / $tag$dollar$tag$ / $1 positional parameter
      if (c === Ch.Dollar) {
        if (isDigit(next)) {
          i++;
          while (i < n && isDigit(text.charCodeAt(i))) i++;
          kind = 'parameter';
          break scan;
        }
        let j = i + 1;
        if (j < n && isIdentStart(text.charCodeAt(j))) {
          while (j < n && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== Ch.Dollar) j++;
        }
        if (j < n && text.charCodeAt(j) === Ch.Dollar) {
          const tag = text.slice(i, j + 1);
          const close = text.indexOf(tag, j + 1);
          unterminated = close < 0;
          i = unterminated ? n : close + tag.length;
          countLines(start, i);
          kind = 'dollarString';
          break scan;
        }
        i++;
        kind = 'operator';
        break scan;
      }

      if (isIdentStart(c) || (c === Ch.Hash && isIdentStart(next))) {
        // `#name` is a Redshift temporary table.
        i++;
        while (i < n && isIdentPart(text.charCodeAt(i))) i++;
        const word = (sliced = text.slice(start, i));
        const lower = word.toLowerCase();
        kind = mayBeKeyword(c, i - start) && KEYWORDS.has(lower) ? 'keyword' : 'identifier';
        value = lower;
        break scan;
      }

      if (isDigit(c) || (c === Ch.Dot && isDigit(next))) {
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        if (i < n && text.charCodeAt(i) === Ch.Dot && !(i + 1 < n && text.charCodeAt(i + 1) === Ch.Dot)) {
          i++;
          while (i < n && isDigit(text.charCodeAt(i))) i++;
        }
        const e = i < n ? text.charCodeAt(i) : -1;
        if (e === Ch.LowerE || e === Ch.UpperE) {
          let j = i + 1;
          const s = j < n ? text.charCodeAt(j) : -1;
          if (s === Ch.Plus || s === Ch.Minus) j++;
          if (j < n && isDigit(text.charCodeAt(j))) {
            i = j;
            while (i < n && isDigit(text.charCodeAt(i))) i++;
          }
        }
        kind = 'number';
        break scan;
      }

      // :name bind parameter (but not the :: cast)
      if (c === Ch.Colon) {
        if (next === Ch.Colon) {
          i += 2;
          kind = 'operator';
          break scan;
        }
        const prev = start > 0 ? text.charCodeAt(start - 1) : -1;
        if (isIdentStart(next) && prev !== Ch.Colon) {
          i++;
          while (i < n && isIdentPart(text.charCodeAt(i))) i++;
          kind = 'parameter';
          break scan;
        }
        i++;
        kind = 'operator';
        break scan;
      }

      if (c === Ch.LParen || c === Ch.RParen || c === Ch.Comma || c === Ch.Semi || c === Ch.Dot || c === Ch.LBracket || c === Ch.RBracket || c === Ch.LBrace || c === Ch.RBrace) {
        i++;
        kind = 'punct';
        break scan;
      }

      if (c === Ch.Question && !isOperatorChar(next)) {
        i++;
        kind = 'parameter';
        break scan;
      }

      if (isOperatorChar(c)) {
        i++;
        // Combine operator characters, but stop before a comment start.
        while (i < n && isOperatorChar(text.charCodeAt(i))) {
          const d = text.charCodeAt(i);
          const e = i + 1 < n ? text.charCodeAt(i + 1) : -1;
          if ((d === Ch.Minus && e === Ch.Minus) || (d === Ch.Slash && e === Ch.Star)) break;
          i++;
        }
        i = start + operatorLength(text, start, i);
        kind = 'operator';
        break scan;
      }

      // Anything else (stray backslash, control characters, ...) becomes a one-character operator.
      i++;
    }
    // an unterminated comment is kept even when comments are skipped: it is what a diagnostic points at
    if ((kind === 'whitespace' && skipWhitespace) || (kind === 'comment' && skipComments && !unterminated)) continue;
    // One object shape for every token keeps property access monomorphic in the parsers.
    tokens.push({ kind, text: sliced ?? text.slice(start, i), offset: start, end: i, line: startLine, column: startCol, value, unterminated });
  }
  return tokens;
}

/**
 * Characters before the opening quote of a prefixed literal at `i` (`c`, `next`: its first two characters): 1 for
 * E'…', B'…', X'…' and N'…', 2 for U&'…' and U&"…"; 0 when none starts there.
 */
function literalPrefix(text: string, i: number, c: number, next: number): number {
  const letter = c | 0x20;
  if (next === Ch.Quote) return letter === 0x65 || letter === 0x62 || letter === 0x78 || letter === 0x6e ? 1 : 0; // e b x n
  if (letter !== 0x75 || next !== Ch.Amp) return 0; // u&
  const q = text.charCodeAt(i + 2);
  return q === Ch.Quote || q === Ch.DQuote ? 2 : 0;
}

/**
 * PostgreSQL's rule for where an operator ends: a run of operator characters longer than one does not end in `+` or
 * `-` unless it holds one of ~ ! @ # % ^ & | ` ?, so `x*-1` is `*` then `-` and `a=-1` is `=` then `-`.
 */
function operatorLength(text: string, start: number, end: number): number {
  let len = end - start;
  if (len < 2) return len;
  for (let k = start; k < end; k++) {
    const d = text.charCodeAt(k);
    if (d === Ch.Tilde || d === Ch.Bang || d === Ch.At || d === Ch.Hash || d === Ch.Percent || d === Ch.Caret || d === Ch.Amp || d === Ch.Pipe || d === Ch.Question) return len;
  }
  while (len > 1) {
    const last = text.charCodeAt(start + len - 1);
    if (last !== Ch.Plus && last !== Ch.Minus) break;
    len--;
  }
  return len;
}

/**
 * Index just past the quote closing a quoted run that starts at `from` (after the opening quote), where a doubled
 * quote stands for one and, with `backslash`, a backslash escapes the next character; -1 when it runs to the end.
 */
function quotedEnd(text: string, from: number, quote: number, backslash: boolean): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const d = text.charCodeAt(i);
    if (backslash && d === Ch.Backslash) i += 2;
    else if (d !== quote) i++;
    else if (i + 1 < n && text.charCodeAt(i + 1) === quote) i += 2;
    else return i + 1;
  }
  return -1;
}

/** Find `close` inside a Jinja block, skipping quoted strings; falls back to the first `close` when quotes do not balance. */
function scanJinjaClose(text: string, from: number, close: string): number {
  const n = text.length;
  const c0 = close.charCodeAt(0);
  const c1 = close.charCodeAt(1);
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Quote || c === Ch.DQuote) {
      const q = text.indexOf(String.fromCharCode(c), i + 1);
      if (q < 0) break;
      i = q + 1;
      continue;
    }
    if (c === c0 && i + 1 < n && text.charCodeAt(i + 1) === c1) return i;
    i++;
  }
  return text.indexOf(close, from);
}

/** The content of a string token without its quotes and prefix, with '' and (for E'') backslash escapes undone. */
export function stringValue(tok: Token): string {
  const t = tok.text;
  if (tok.kind === 'dollarString') {
    const tagEnd = t.indexOf('$', 1);
    const tagLen = tagEnd + 1;
    return tok.unterminated ? t.slice(tagLen) : t.slice(tagLen, t.length - tagLen);
  }
  if (tok.kind !== 'string') return t;
  const open = t.indexOf("'");
  const escaped = open === 1 && (t.charCodeAt(0) | 0x20) === 0x65; // E'…'
  const body = t.slice(open + 1, tok.unterminated ? t.length : t.length - 1);
  let out = body.replace(/''/g, "'");
  if (escaped) {
    out = out.replace(/\\(.)/g, (_m, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === 'r' ? '\r' : ch));
  }
  return out;
}

/** True for tokens the parser ignores: whitespace, comments, and Jinja statements/comments (`{% %}`, `{# #}`). */
export function isTrivia(tok: Token): boolean {
  if (tok.kind === 'whitespace' || tok.kind === 'comment') return true;
  return tok.kind === 'jinja' && tok.text.charCodeAt(1) !== Ch.LBrace;
}
