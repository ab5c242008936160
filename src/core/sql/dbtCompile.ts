import { quoteIdent } from '../catalog/ddlWriter';
import { dbtRelationOf, dbtStarOf, jinjaInner, surrogateKeyColumns, type DbtStarCall } from './jinja';
import { renderStaticJinja } from './jinjaRender';
import { tokenize, type Token } from './tokenizer';

/** How a model's `ref()`, `source()` and `this` become relation names (already quoted/qualified). */
export interface DbtCompileResolver {
  /**
   * `ref('m')` → ['m'], `ref('pkg', 'm')` → ['pkg', 'm'], with `version` for `ref('m', v=2)`; undefined when no model,
   * seed or snapshot has that name.
   */
  ref(args: string[], version?: string): string | undefined;
  source(source: string, table: string): string | undefined;
  /** The relation `{{ this }}` names: the model itself (none outside a model: `{{ this }}` is then reported). */
  self?: string;
  /** The columns of the relation a `dbt_utils.star()` reads, in order, as the warehouse names them; undefined when unknown. */
  columnsOf?(relation: DbtStarCall['relation']): string[] | undefined;
}

export type DbtCompileResult = { sql: string } | { error: string };

/** One `{% if is_incremental() %}` block: whether its current branch is emitted. */
interface IfFrame {
  active: boolean;
  seenElse: boolean;
  line: number;
}

class UnsupportedJinja extends Error {}


const isPunct = (t: Token | undefined, text: string) => t?.kind === 'punct' && t.text === text;
const word = (t: Token | undefined) => (t && (t.kind === 'identifier' || t.kind === 'keyword') ? t.value : undefined);

/** Index just past the `)` closing the call whose `(` is at `open`, or -1. */
function closeOf(toks: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (isPunct(toks[i], '(')) depth++;
    else if (isPunct(toks[i], ')') && --depth === 0) return i + 1;
  }
  return -1;
}

/** True when `toks` is exactly one call `name(...)` and nothing else. */
function isWholeCall(toks: Token[], name: string): boolean {
  return word(toks[0]) === name && isPunct(toks[1], '(') && closeOf(toks, 1) === toks.length;
}

/** A short name for a construct, used in error messages: `var()`, `{% for %}`, `{{ x.y }}`. */
function constructName(tok: Token, toks: Token[]): string {
  const first = word(toks[0]);
  if (tok.text.startsWith('{%')) return `{% ${first ?? jinjaInner(tok).trim()} %}`;
  if (first && isPunct(toks[1], '(')) return `${first}()`;
  return tok.text.replace(/\s+/g, ' ');
}

/**
 * Renders the small, honest subset of dbt Jinja a plain SQL model needs: `ref()`, `source()`, `this`,
 * `config()` (dropped), `{# #}` (dropped), `{% if is_incremental() %}…{% else %}…{% endif %}` (the
 * non-incremental branch), dbt_utils' `star()` (over columns the catalog knows) and `generate_surrogate_key()`, and
 * what renderStaticJinja renders (`{% set %}` of literals, `{% for %}` over them, `loop.*`).
 * Anything else is reported, never guessed.
 */
export function compileDbtModel(source: string, resolve: DbtCompileResolver): DbtCompileResult {
  // `{% set %}` lists, `{% for %}` loops over them and `loop.*` first, as dbt renders them
  const rendered = renderStaticJinja(source);
  const sql = rendered.text;
  const out: string[] = [];
  const stack: IfFrame[] = [];
  const emitting = () => stack.every((f) => f.active);
  const where = (tok: Token) => `line ${rendered.sourcePosition(tok.offset).line}`;
  // Jinja whitespace control: `{%-` trims the text before the tag, `-%}` the text after it.
  let trimNext = false;
  const trimOutputEnd = () => {
    while (out.length && /^\s*$/.test(out[out.length - 1])) out.pop();
    if (out.length) out[out.length - 1] = out[out.length - 1].replace(/\s+$/, '');
  };
  try {
    for (const tok of tokenize(sql)) {
      if (tok.kind === 'whitespace' && trimNext) {
        trimNext = false;
        continue;
      }
      trimNext = false;
      if (tok.kind !== 'jinja') {
        // dbt renders Jinja inside strings and comments too; the tokenizer does not, so refuse rather than differ.
        if ((tok.kind === 'string' || tok.kind === 'comment' || tok.kind === 'quotedIdentifier' || tok.kind === 'dollarString') && /\{[{%#]/.test(tok.text)) {
          throw new UnsupportedJinja(`Jinja inside a ${tok.kind === 'comment' ? 'comment' : 'string or quoted name'} (${where(tok)})`);
        }
        if (emitting()) out.push(tok.text);
        continue;
      }
      if (tok.unterminated) throw new UnsupportedJinja(`unterminated ${tok.text.slice(0, 2)} (${where(tok)})`);
      if (tok.text[2] === '-' && emitting()) trimOutputEnd();
      trimNext = tok.text[tok.text.length - 3] === '-';
      if (tok.text.startsWith('{#')) continue;
      const toks = tokenize(jinjaInner(tok), { skipWhitespace: true, skipComments: true });
      if (tok.text.startsWith('{%')) {
        statement(tok, toks);
        continue;
      }
      if (!emitting()) continue;
      out.push(expression(tok, toks));
    }
  } catch (err) {
    if (err instanceof UnsupportedJinja) return { error: err.message };
    throw err;
  }
  if (stack.length) return { error: `unsupported Jinja: {% if %} at line ${stack[stack.length - 1].line} has no {% endif %}` };
  return { sql: out.join('') };

  function statement(tok: Token, toks: Token[]): void {
    const kw = word(toks[0]);
    if (kw === 'if') {
      const negated = word(toks[1]) === 'not';
      const cond = toks.slice(negated ? 2 : 1);
      if (!isWholeCall(cond, 'is_incremental') || cond.length !== 3) {
        throw new UnsupportedJinja(`unsupported Jinja: {% if %} other than is_incremental() (${where(tok)})`);
      }
      // A plain build is never incremental.
      stack.push({ active: negated, seenElse: false, line: tok.line });
    } else if (kw === 'else' && toks.length === 1) {
      const frame = stack[stack.length - 1];
      if (!frame || frame.seenElse) throw new UnsupportedJinja(`unsupported Jinja: {% else %} without {% if %} (${where(tok)})`);
      frame.active = !frame.active;
      frame.seenElse = true;
    } else if (kw === 'endif' && toks.length === 1) {
      if (!stack.pop()) throw new UnsupportedJinja(`unsupported Jinja: {% endif %} without {% if %} (${where(tok)})`);
    } else {
      throw new UnsupportedJinja(`unsupported Jinja: ${constructName(tok, toks)} (${where(tok)})`);
    }
  }

  function expression(tok: Token, toks: Token[]): string {
    if (toks.length === 1 && word(toks[0]) === 'this') {
      if (resolve.self === undefined) throw new UnsupportedJinja(`{{ this }} outside a model (${where(tok)})`);
      return resolve.self;
    }
    if (isWholeCall(toks, 'config')) return '';
    if (isWholeCall(toks, 'ref') || isWholeCall(toks, 'source')) {
      const rel = dbtRelationOf(tok);
      if (!rel) throw new UnsupportedJinja(`unsupported Jinja: ${constructName(tok, toks)} with non-literal arguments (${where(tok)})`);
      const args = rel.dbtRef.args;
      const quoted = args.map((a) => `'${a}'`).join(', ');
      const resolved = rel.dbtRef.kind === 'ref' ? resolve.ref(args, rel.dbtRef.version) : resolve.source(args[0], args[1]);
      if (!resolved) throw new UnsupportedJinja(`${rel.dbtRef.kind}(${quoted}) does not resolve to a known relation (${where(tok)})`);
      return resolved;
    }
    const star = dbtStarOf(tok);
    if (star) {
      const columns = resolve.columnsOf?.(star.relation);
      if (!columns?.length) throw new UnsupportedJinja(`dbt_utils.star() over ${star.relation.name}, whose columns are not known (${where(tok)})`);
      return starColumnsSql(star, columns);
    }
    const keyParts = surrogateKeyColumns(tok);
    if (keyParts) return surrogateKeySql(keyParts);
    throw new UnsupportedJinja(`unsupported Jinja: ${constructName(tok, toks)} (${where(tok)})`);
  }
}

/** What dbt_utils.star() writes: each kept column (`except` compared case-insensitively), qualified, and renamed. */
function starColumnsSql(star: DbtStarCall, columns: string[]): string {
  const except = new Set(star.except.map((e) => e.toLowerCase()));
  const qualifier = star.relationAlias ? `${quoteIdent(star.relationAlias)}.` : '';
  const renamed = star.prefix !== '' || star.suffix !== '';
  return columns
    .filter((c) => !except.has(c.toLowerCase()))
    .map((c) => `${qualifier}${quoteIdent(c)}${renamed ? ` as ${quoteIdent(star.prefix + c + star.suffix)}` : ''}`)
    .join(',\n  ');
}

/**
 * What dbt_utils.generate_surrogate_key() computes: the md5 of the parts as text joined by '-', a null part written
 * as dbt_utils' placeholder, so keys built here match the ones dbt builds.
 */
function surrogateKeySql(parts: string[]): string {
  const texts = parts.map((p) => `coalesce(cast(${p} as text), '_dbt_utils_surrogate_key_null_')`);
  return `md5(cast(${texts.join(" || '-' || ")} as text))`;
}
