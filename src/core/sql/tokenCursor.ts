import type { Token } from './tokenizer';

/** A parse error at a token; caught per statement (or per column) and turned into a diagnostic. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly token: Token | undefined,
  ) {
    super(message);
  }
}

/** A forward cursor over significant tokens with the small vocabulary the hand-written parsers share. */
export class TokenCursor {
  pos: number;

  constructor(
    readonly tokens: Token[],
    pos = 0,
    readonly end = tokens.length,
  ) {
    this.pos = pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  peek(k = 0): Token | undefined {
    const i = this.pos + k;
    return i < this.end ? this.tokens[i] : undefined;
  }

  next(): Token | undefined {
    return this.pos < this.end ? this.tokens[this.pos++] : undefined;
  }

  /** Last token before the cursor, or the first one. */
  previous(): Token | undefined {
    return this.tokens[Math.max(0, Math.min(this.pos, this.end) - 1)];
  }

  isWord(word: string, k = 0): boolean {
    return isWordToken(this.peek(k), word);
  }

  isPunct(p: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.kind === 'punct' && t.text === p;
  }

  isOperator(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.kind === 'operator' && t.text === op;
  }

  /** Consume the words in sequence when all of them are next; otherwise consume nothing. */
  acceptWords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!this.isWord(words[k], k)) return false;
    this.pos += words.length;
    return true;
  }

  acceptWord(word: string): boolean {
    return this.acceptWords(word);
  }

  acceptAnyWord(...words: string[]): string | undefined {
    for (const w of words) if (this.isWord(w)) return (this.pos++, w);
    return undefined;
  }

  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.pos++;
    return true;
  }

  expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.error(`expected ${word.toUpperCase()}`);
  }

  expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.error(`expected '${p}'`);
  }

  error(message: string): SqlSyntaxError {
    const t = this.peek();
    return new SqlSyntaxError(t ? `${message}, found '${t.text.slice(0, 40)}'` : `${message} at end of statement`, t ?? this.previous());
  }

  /** Index of the `)` matching the `(` at `open`, or `end` when it never closes. */
  matchingParen(open: number): number {
    let depth = 0;
    for (let i = open; i < this.end; i++) {
      const t = this.tokens[i];
      if (t.kind !== 'punct') continue;
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        depth--;
        if (depth === 0) return i;
      }
    }
    return this.end;
  }

  /** When at `(`, move past its matching `)` and return the index range inside; otherwise undefined. */
  skipParens(): { from: number; to: number } | undefined {
    if (!this.isPunct('(')) return undefined;
    const open = this.pos;
    const close = this.matchingParen(open);
    this.pos = Math.min(close + 1, this.end);
    return { from: open + 1, to: close };
  }
}

export function isWordToken(t: Token | undefined, word: string): boolean {
  return t !== undefined && (t.kind === 'keyword' || t.kind === 'identifier') && t.value === word;
}

/** Split [from, to) on commas at paren depth 0; returns index ranges. */
export function splitTopLevel(tokens: Token[], from: number, to: number, separator = ','): Array<{ from: number; to: number }> {
  const parts: Array<{ from: number; to: number }> = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && t.text === separator) {
      parts.push({ from: start, to: i });
      start = i + 1;
    }
  }
  if (start < to || parts.length > 0) parts.push({ from: start, to });
  return parts;
}
