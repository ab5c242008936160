/**
 * SQL formatting with sql-formatter's Redshift dialect. dbt Jinja is kept as opaque tokens and must come out
 * byte-identical; otherwise the text is left alone and the reason is returned.
 */
import { format } from 'sql-formatter';
import { keepLineBreaks, meaningChange } from './formatGuard';
import { tokenize } from './tokenizer';

export interface FormatOptions {
  keywordCase?: 'upper' | 'lower' | 'preserve';
  indent?: number;
  lineWidth?: number;
}

export type FormatResult = { ok: true; text: string } | { ok: false; reason: string };

/** A Jinja tag, skipping quoted text inside it (`post_hook="… {{ this }} …"`) as dbt does, else up to its first close. */
const JINJA_TAG = String.raw`\{\{(?:[^'"}]|'[^']*'|"[^"]*"|\}(?!\}))*\}\}|\{%(?:[^'"%]|'[^']*'|"[^"]*"|%(?!\}))*%\}|\{#[\s\S]*?#\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}`;

/**
 * Jinja is opaque to the formatter, with the name characters and tags glued to it: `{{ prefix }}_amount` and
 * `p{{ i }}` render one name, `{{ a }}{{ b }}` one piece of text, and a space put inside would change them.
 */
const JINJA_PARAM = { regex: String.raw`[\w$]*(?:(?:${JINJA_TAG})[\w$]*)+` };

/** A dollar-quoted body (`AS $$ … $$`, `$body$ … $body$`): sql-formatter's Redshift grammar has none, so it is kept whole. */
const DOLLAR_QUOTED = { regex: String.raw`\$(?<tag>[A-Za-z_][A-Za-z_0-9]*)?\$[\s\S]*?\$\k<tag>\$` };

export function formatSql(text: string, options: FormatOptions = {}): FormatResult {
  if (text.trim() === '') return { ok: true, text };
  const tokens = tokenize(text);
  const bad = tokens.find((t) => t.unterminated);
  if (bad) return { ok: false, reason: `unterminated ${bad.kind} at line ${bad.line}` };
  let out: string;
  try {
    out = format(text, {
      language: 'redshift',
      keywordCase: options.keywordCase ?? 'upper',
      // `integer` beside `TIMESTAMP` read as a mistake: types follow the keywords' case
      dataTypeCase: options.keywordCase ?? 'upper',
      tabWidth: options.indent ?? 2,
      expressionWidth: Math.max(20, Math.min(300, options.lineWidth ?? 100)),
      linesBetweenQueries: 1,
      paramTypes: { custom: [JINJA_PARAM, DOLLAR_QUOTED], named: [':'] },
    });
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
  out = keepLineBreaks(tokens, redshiftWordsCase(encodeOnColumnLine(out), options.keywordCase ?? 'upper'));
  // the same tokens, dbt Jinja blocks byte-identical among them, and the whitespace that is meaning kept
  const changed = meaningChange(tokens, out);
  if (changed) return { ok: false, reason: changed };
  if (!out.endsWith('\n') && text.endsWith('\n')) out += '\n';
  return { ok: true, text: out };
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

/** Redshift's table attributes, which sql-formatter's grammar does not hold for keywords. */
const REDSHIFT_WORDS = new Set(['diststyle', 'distkey', 'sortkey', 'interleaved', 'compound', 'encode']);

/** Redshift's table attributes in the keywords' case (`diststyle KEY distkey` came out half converted). Tokens, not text. */
function redshiftWordsCase(sql: string, keywordCase: NonNullable<FormatOptions['keywordCase']>): string {
  if (keywordCase === 'preserve') return sql;
  let out = '';
  let at = 0;
  for (const t of tokenize(sql)) {
    if ((t.kind !== 'keyword' && t.kind !== 'identifier') || !REDSHIFT_WORDS.has(t.value ?? '')) continue;
    const cased = keywordCase === 'upper' ? t.text.toUpperCase() : t.text.toLowerCase();
    if (cased === t.text) continue;
    out += sql.slice(at, t.offset) + cased;
    at = t.end;
  }
  return at === 0 ? sql : out + sql.slice(at);
}

/** Formats SQL that Quarry generates; falls back to the input when the formatter cannot handle it. */
export function formatGeneratedSql(text: string, options: FormatOptions = {}): string {
  const r = formatSql(text, options);
  return r.ok ? r.text : text;
}
