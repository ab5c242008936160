import { LiteralReader, NotLiteral, type JinjaLiteral } from '../sql/jinjaLiteral';

/**
 * The arguments of a dbt `{{ config(...) }}` call, read as the Python literals Jinja evaluates them to: strings,
 * numbers, `true`/`false`/`none` (any case), lists and dicts of those. An argument whose value is anything else
 * (`var('x')`, `'a' ~ b`, a macro call) depends on the run and is left out, as is everything after a syntax error.
 */
export type ConfigLiteral = JinjaLiteral;

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

/**
 * A config value as written, trimmed; undefined when empty or written in Jinja (`{{ env_var('SCHEMA') }}`, `{{ 'marts'
 * if target.name == 'prod' … }}`): that depends on the run, and is left out rather than taken as a name.
 */
export function plainConfigValue(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' && !/\{[{%]/.test(v) ? v.trim() : undefined;
}
