/**
 * The arguments of a dbt `{{ config(...) }}` call, read as the Python literals Jinja evaluates them to: strings,
 * numbers, `true`/`false`/`none` (any case), lists and dicts of those. An argument whose value is anything else
 * (`var('x')`, `'a' ~ b`, a macro call) depends on the run and is left out, as is everything after a syntax error.
 */
export type ConfigLiteral = string | number | boolean | null | ConfigLiteral[] | { [key: string]: ConfigLiteral };

/** Thrown inside the reader: the value at hand is not a plain literal. */
class NotLiteral extends Error {}

/** The keyword arguments of the first `config(...)` call in a text; undefined when it has none. */
export function readConfigCall(text: string): Record<string, ConfigLiteral> | undefined {
  const open = /\{\{-?\s*config\s*\(/.exec(text);
  if (!open) return undefined;
  const r = new LiteralReader(text, open.index + open[0].length);
  const out: Record<string, ConfigLiteral> = {};
  for (;;) {
    r.space();
    if (r.eat(')') || r.done()) return out;
    const key = /[A-Za-z_]\w*/y;
    key.lastIndex = r.at;
    const name = key.exec(text)?.[0];
    if (!name) return out;
    r.at = key.lastIndex;
    r.space();
    if (!r.eat('=')) return out; // a positional argument (config({...})): not read
    const start = r.at;
    try {
      const value = r.value();
      r.space();
      if (r.peek() !== ',' && r.peek() !== ')') throw new NotLiteral(); // e.g. 'a' ~ b
      out[name] = value;
    } catch (err) {
      if (!(err instanceof NotLiteral)) throw err;
      r.at = start;
      if (!r.skipValue()) return out;
    }
    r.space();
    r.eat(',');
  }
}

class LiteralReader {
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

  value(): ConfigLiteral {
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

  private list(close: string): ConfigLiteral[] {
    this.at++;
    const out: ConfigLiteral[] = [];
    for (;;) {
      this.space();
      if (this.eat(close)) return out;
      out.push(this.value());
      this.space();
      if (!this.eat(',') && this.peek() !== close) throw new NotLiteral();
    }
  }

  private dict(): { [key: string]: ConfigLiteral } {
    this.at++;
    const out: { [key: string]: ConfigLiteral } = {};
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


/**
 * A config value as written, trimmed; undefined when empty or written in Jinja (`{{ env_var('SCHEMA') }}`, `{{ 'marts'
 * if target.name == 'prod' … }}`): that depends on the run, and is left out rather than taken as a name.
 */
export function plainConfigValue(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' && !/\{[{%]/.test(v) ? v.trim() : undefined;
}
