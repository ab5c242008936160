/**
 * SQL formatting with sql-formatter's Redshift dialect. dbt Jinja is kept as opaque tokens and must come out
 * byte-identical; otherwise the text is left alone and the reason is returned.
 */
import { format } from 'sql-formatter';
import { tokenize, type Token } from './tokenizer';

export interface FormatOptions {
  keywordCase?: 'upper' | 'lower' | 'preserve';
  indent?: number;
  lineWidth?: number;
}

export type FormatResult = { ok: true; text: string } | { ok: false; reason: string };

const JINJA_PARAM = { regex: String.raw`\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}` };

function jinjaBlocks(text: string): string[] {
  return tokenize(text).filter((t) => t.kind === 'jinja').map((t) => t.text);
}

export function formatSql(text: string, options: FormatOptions = {}): FormatResult {
  if (text.trim() === '') return { ok: true, text };
  const tokens = tokenize(text);
  const bad = tokens.find((t) => t.unterminated);
  if (bad) return { ok: false, reason: `unterminated ${bad.kind} at line ${bad.line}` };
  const before = tokens.filter((t) => t.kind === 'jinja').map((t) => t.text);
  let out: string;
  try {
    out = format(text, {
      language: 'redshift',
      keywordCase: options.keywordCase ?? 'upper',
      tabWidth: options.indent ?? 2,
      expressionWidth: Math.max(20, Math.min(300, options.lineWidth ?? 100)),
      linesBetweenQueries: 1,
      paramTypes: { custom: [JINJA_PARAM], named: [':'] },
    });
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
  const after = jinjaBlocks(out);
  if (before.length !== after.length || before.some((b, i) => b !== after[i])) {
    return { ok: false, reason: 'the formatter would change dbt Jinja blocks' };
  }
  out = encodeOnColumnLine(out);
  const changed = firstChangedToken(tokens, tokenize(out));
  if (changed) return { ok: false, reason: changed };
  if (!out.endsWith('\n') && text.endsWith('\n')) out += '\n';
  return { ok: true, text: out };
}

/** What must stay equal for two tokens to mean the same: case is free in keywords and plain names, layout in comments. */
function meaning(t: Token): string {
  switch (t.kind) {
    case 'keyword':
    case 'identifier':
      return t.value ?? t.text.toLowerCase();
    case 'comment':
      return t.text.replace(/\s+/g, ' ').trim();
    default:
      return t.text;
  }
}

/**
 * sql-formatter knows Redshift's grammar, not every operator a workspace's SQL uses: it splits `->>` into `- >>` and
 * `@>` into `@ >`, which changes what the query means. The formatted text must hold the same tokens as the input, in
 * the same order, but for whitespace, the case of keywords and names, and the layout inside comments; otherwise the
 * file is left alone. Returns why, naming the first token that would change, or undefined when nothing would.
 */
function firstChangedToken(input: Token[], output: Token[]): string | undefined {
  const a = input.filter((t) => t.kind !== 'whitespace');
  const b = output.filter((t) => t.kind !== 'whitespace');
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x && y && meaning(x) === meaning(y)) continue;
    const at = x ?? a[a.length - 1];
    const where = at ? ` at line ${at.line}, column ${at.column}` : '';
    const shown = (t: Token | undefined) => (t ? `\`${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}\`` : 'nothing');
    return `the formatter would change the SQL${where} (${shown(x)} would become ${shown(y)})`;
  }
  return undefined;
}

/**
 * The formatter takes Redshift's column attribute `ENCODE x` for a clause and breaks the line before it
 * (`customer_id INTEGER` / `ENCODE RAW NOT NULL`): put it back after its column's type. Tokens, not text: a string
 * or comment holding the word stays as it is.
 */
function encodeOnColumnLine(sql: string): string {
  const tokens = tokenize(sql);
  let out = '';
  let at = 0;
  for (let k = 2; k < tokens.length; k++) {
    const t = tokens[k]!;
    const gap = tokens[k - 1]!;
    const before = tokens[k - 2]!;
    if (t.value !== 'encode' || gap.kind !== 'whitespace' || !gap.text.includes('\n')) continue;
    if ((before.kind === 'punct' && before.text !== ')') || before.kind === 'comment' || tokens[k + 2]?.text === '(') continue;
    out += sql.slice(at, gap.offset) + ' ';
    at = gap.end;
  }
  return at === 0 ? sql : out + sql.slice(at);
}

/** Formats SQL that Quarry generates; falls back to the input when the formatter cannot handle it. */
export function formatGeneratedSql(text: string, options: FormatOptions = {}): string {
  const r = formatSql(text, options);
  return r.ok ? r.text : text;
}
