import { isTrivia, tokenize, type Token } from './tokenizer';

/** One statement of a SQL text, split on `;` outside strings, comments, dollar quotes and Jinja. */
export interface SqlStatement {
  /** Statement text from its first non-whitespace character to its last one before the `;` (comments included). */
  text: string;
  /** 0-based offsets into the whole text; `end` is exclusive and excludes the `;`. */
  start: number;
  end: number;
  /** 1-based position of `start`. */
  line: number;
  column: number;
  /** 1-based line of the last character. */
  endLine: number;
  /** Offset just after the terminating `;`, or `end` when the statement runs to EOF without one. */
  terminatorEnd: number;
  /** The tokens the parser reads: no whitespace, no comments, no `{% %}` / `{# #}` Jinja. */
  tokens: Token[];
  /** Unterminated string/comment/dollar quote/Jinja inside this statement, for diagnostics. */
  unterminated?: Token;
}

/**
 * Split `text` into statements. Segments holding only whitespace, comments or Jinja statements are dropped,
 * so a dbt model with `{% set %}` blocks and no `;` gives one statement.
 */
export function splitStatements(text: string, tokens: Token[] = tokenize(text)): SqlStatement[] {
  const out: SqlStatement[] = [];
  let first = -1; // index of the first non-whitespace token of the current segment
  let last = -1;
  let significant: Token[] = [];
  let unterminated: Token | undefined;

  const flush = (terminatorEnd: number): void => {
    if (first >= 0 && significant.length > 0) {
      const a = tokens[first];
      const b = tokens[last];
      const stmt: SqlStatement = {
        text: text.slice(a.offset, b.end),
        start: a.offset,
        end: b.end,
        line: a.line,
        column: a.column,
        endLine: endLineOf(b),
        terminatorEnd: Math.max(terminatorEnd, b.end),
        tokens: significant,
      };
      if (unterminated) stmt.unterminated = unterminated;
      out.push(stmt);
    }
    first = -1;
    last = -1;
    significant = [];
    unterminated = undefined;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'punct' && t.text === ';') {
      flush(t.end);
      continue;
    }
    if (t.kind === 'whitespace') continue;
    if (first < 0) first = k;
    last = k;
    if (t.unterminated && !unterminated) unterminated = t;
    if (!isTrivia(t)) significant.push(t);
  }
  flush(text.length);
  return out;
}

let lastSplit: { text: string; statements: SqlStatement[]; expiry: ReturnType<typeof setTimeout> } | undefined;
/** How long the statements of the last text asked for are kept: hovers and completions come in runs over one text. */
const KEEP_MS = 20_000;

/**
 * The statements of a document's text, kept for the next request on the same text: hover, go to definition and
 * completion each need the whole document split (0.8 s in a 9 MB file), and come in runs. Treat them as read-only.
 */
export function statementsOf(text: string): SqlStatement[] {
  if (lastSplit?.text !== text) {
    if (lastSplit) clearTimeout(lastSplit.expiry);
    lastSplit = { text, statements: splitStatements(text), expiry: forgetLater() };
  } else {
    clearTimeout(lastSplit.expiry);
    lastSplit.expiry = forgetLater();
  }
  return lastSplit.statements;
}

function forgetLater(): ReturnType<typeof setTimeout> {
  const timer = setTimeout(() => (lastSplit = undefined), KEEP_MS);
  timer.unref?.();
  return timer;
}

/**
 * The statement to run for a cursor at `offset`: the one containing it (its `;` included); else, when the cursor
 * sits after a statement on that statement's last line, that one; else the next statement; else the previous one.
 */
export function statementAt(text: string, offset: number, statements: SqlStatement[] = splitStatements(text)): SqlStatement | undefined {
  let previous: SqlStatement | undefined;
  for (const s of statements) {
    if (offset >= s.start && offset <= s.terminatorEnd) return s;
    if (s.start > offset) {
      if (previous && !text.slice(previous.terminatorEnd, offset).includes('\n')) return previous;
      return s;
    }
    previous = s;
  }
  return previous;
}

function endLineOf(tok: Token): number {
  let line = tok.line;
  const t = tok.text;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) line++;
  return line;
}
