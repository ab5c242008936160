/**
 * Jinja literals as Python reads them: strings, numbers, `true`/`false`/`none` (any case), lists, tuples and dicts of
 * those. What dbt's `config(...)` arguments and `{% set x = … %}` hold when they hold plain values.
 */
export type JinjaLiteral = string | number | boolean | null | JinjaLiteral[] | { [key: string]: JinjaLiteral };

/** Thrown inside the reader: the value at hand is not a plain literal. */
export class NotLiteral extends Error {}

export class LiteralReader {
  constructor(private readonly text: string, public at: number) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string {
    return this.text[this.at] ?? '';
  }

  eat(c: string): boolean {
    if (this.text[this.at] !== c) return false;
    this.at++;
    return true;
  }

  space(): void {
    while (/\s/.test(this.peek())) this.at++;
  }

  /** Lists and dicts nested deeper than this are not config values (and must not exhaust the stack). */
  private static readonly MAX_DEPTH = 32;
  private depth = 0;

  value(): JinjaLiteral {
    this.space();
    const c = this.peek();
    if (c === '"' || c === "'") return this.string(c);
    if (c === '[' || c === '(' || c === '{') {
      if (this.depth >= LiteralReader.MAX_DEPTH) throw new NotLiteral();
      this.depth++;
      try {
        return c === '{' ? this.dict() : this.list(c === '[' ? ']' : ')');
      } finally {
        this.depth--;
      }
    }
    const word = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_]\w*/y;
    word.lastIndex = this.at;
    const w = word.exec(this.text)?.[0];
    if (!w) throw new NotLiteral();
    this.at = word.lastIndex;
    if (/^-?\d/.test(w)) return Number(w);
    const lower = w.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'none') return null;
    throw new NotLiteral();
  }

  private string(quote: string): string {
    let out = '';
    for (this.at++; !this.done(); this.at++) {
      const c = this.text[this.at]!;
      if (c === quote) {
        this.at++;
        return out;
      }
      if (c === '\\' && this.at + 1 < this.text.length) out += this.text[++this.at];
      else out += c;
    }
    throw new NotLiteral();
  }

  private list(close: string): JinjaLiteral[] {
    this.at++;
    const out: JinjaLiteral[] = [];
    for (;;) {
      this.space();
      if (this.eat(close)) return out;
      out.push(this.value());
      this.space();
      if (!this.eat(',') && this.peek() !== close) throw new NotLiteral();
    }
  }

  private dict(): { [key: string]: JinjaLiteral } {
    this.at++;
    const out: { [key: string]: JinjaLiteral } = {};
    for (;;) {
      this.space();
      if (this.eat('}')) return out;
      const key = this.value();
      if (typeof key !== 'string') throw new NotLiteral();
      this.space();
      if (!this.eat(':')) throw new NotLiteral();
      out[key] = this.value();
      this.space();
      if (!this.eat(',') && this.peek() !== '}') throw new NotLiteral();
    }
  }

  /** Moves past a value that is not a literal, to the `,` or `)` that ends it; false when the call never closes. */
  skipValue(): boolean {
    let depth = 0;
    while (!this.done()) {
      const c = this.peek();
      if (c === '"' || c === "'") {
        try {
          this.string(c);
        } catch {
          return false;
        }
        continue;
      }
      if (depth === 0 && (c === ',' || c === ')')) return true;
      if (c === '(' || c === '[' || c === '{') depth++;
      if (c === ')' || c === ']' || c === '}') depth--;
      this.at++;
    }
    return false;
  }
}


/** `text` (surrounding whitespace aside) as one literal; undefined when it is anything else. */
export function readLiteral(text: string): JinjaLiteral | undefined {
  const r = new LiteralReader(text, 0);
  try {
    const value = r.value();
    r.space();
    return r.done() ? value : undefined;
  } catch (err) {
    if (err instanceof NotLiteral) return undefined;
    throw err;
  }
}
