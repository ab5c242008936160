import { readLiteral } from './jinjaLiteral';
import { stringValue, tokenize, type Token } from './tokenizer';
import type { DbtRefCall, QualifiedName } from './types';

/** The text inside a Jinja token's delimiters, without its whitespace-control marks (`{{- x -}}` → ` x `). */
export function jinjaInner(tok: Token): string {
  let inner = tok.text.slice(2, tok.unterminated ? tok.text.length : tok.text.length - 2);
  if (inner.startsWith('-') || inner.startsWith('+')) inner = inner.slice(1);
  if (inner.endsWith('-') || inner.endsWith('+')) inner = inner.slice(0, -1);
  return inner;
}

/**
 * Recognise `{{ ref('model') }}`, `{{ ref('package', 'model') }}`, `{{ ref('model', v=2) }}` (the version kept) and
 * `{{ source('source_name', 'table') }}` in a Jinja token. Other Jinja gives undefined.
 */
export function dbtRelationOf(tok: Token): (QualifiedName & { dbtRef: DbtRefCall }) | undefined {
  if (tok.kind !== 'jinja' || !tok.text.startsWith('{{')) return undefined;
  const toks = tokenize(jinjaInner(tok), { skipWhitespace: true, skipComments: true });
  const fn = toks[0];
  if (!fn || fn.kind !== 'identifier' || (fn.value !== 'ref' && fn.value !== 'source')) return undefined;
  if (!(toks[1]?.kind === 'punct' && toks[1].text === '(')) return undefined;
  const args: string[] = [];
  let version: string | undefined;
  let depth = 0;
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') {
      depth--;
      if (depth === 0) break;
    } else if (depth === 1) {
      const prev = toks[i - 1];
      const positional = prev.kind === 'punct' && (prev.text === '(' || prev.text === ',');
      const nextTok = toks[i + 1];
      const endsArg = !nextTok || (nextTok.kind === 'punct' && (nextTok.text === ',' || nextTok.text === ')'));
      if (positional && endsArg) {
        if (t.kind === 'string') args.push(stringValue(t));
        else if (t.kind === 'quotedIdentifier' && t.value !== undefined) args.push(t.value);
      } else if ((t.value === 'v' || t.value === 'version') && toks[i + 1]?.text === '=' && prev.kind === 'punct' && prev.text === ',') {
        const value = toks[i + 2];
        if (value?.kind === 'number') version = value.text;
        else if (value?.kind === 'string') version = stringValue(value);
      }
    }
  }
  if (args.length === 0) return undefined;
  const kind = fn.value === 'ref' ? 'ref' : 'source';
  if (kind === 'ref') return { name: args[args.length - 1], dbtRef: version === undefined ? { kind, args } : { kind, args, version } };
  if (args.length < 2) return undefined;
  return { schema: args[0], name: args[1], dbtRef: { kind, args } };
}

/** `ref('x')` / `source('a', 'b')` written without braces (a YAML `relation:`, a `{% set %}` value), as dbtRelationOf reads it. */
export function dbtRelationIn(text: string | undefined): ReturnType<typeof dbtRelationOf> {
  if (!text) return undefined;
  const token = tokenize(`{{ ${text} }}`)[0];
  return token && dbtRelationOf(token);
}

/** `{{ dbt_utils.star(from=ref('m'), except=['a'], prefix='p_', suffix='_s') }}`: a relation's columns but some, renamed. */
export interface DbtStarCall {
  relation: QualifiedName & { dbtRef: DbtRefCall };
  /** `relation_alias`: what each column is qualified with in the SQL it expands to. */
  relationAlias?: string;
  /** Column names left out (dbt_utils compares them case-insensitively). */
  except: string[];
  prefix: string;
  suffix: string;
}

const STAR_STRING_ARGS = new Set(['prefix', 'suffix']);
/** Arguments that change how the columns are written, not which come out or under what names. */
const STAR_IGNORED_ARGS = new Set(['quote_identifiers']);

/**
 * Recognise dbt_utils' `star` macro in a Jinja expression, its relation given as `ref()`/`source()`. Undefined when the
 * columns it expands to cannot be told from the text: another macro, `except=var('x')`, an argument not known.
 */
export function dbtStarOf(tok: Token): DbtStarCall | undefined {
  if (tok.kind !== 'jinja' || !tok.text.startsWith('{{') || !tok.text.includes('star')) return undefined;
  const inner = jinjaInner(tok);
  const toks = tokenize(inner, { skipWhitespace: true, skipComments: true });
  const isP = (i: number, p: string): boolean => toks[i]?.kind === 'punct' && toks[i]!.text === p;
  if (toks[0]?.value !== 'dbt_utils' || !isP(1, '.') || toks[2]?.value !== 'star' || !isP(3, '(')) return undefined;
  const call: Partial<DbtStarCall> & { except: string[]; prefix: string; suffix: string } = { except: [], prefix: '', suffix: '' };
  let i = 4;
  let positional = 0;
  while (i < toks.length && !isP(i, ')')) {
    // an argument: `name=value` or a positional value (from, except, relation_alias, prefix, suffix in that order)
    let name: string | undefined;
    if ((toks[i]!.kind === 'identifier' || toks[i]!.kind === 'keyword') && toks[i + 1]?.text === '=') {
      name = toks[i]!.value;
      i += 2;
    } else name = ['from', 'except', 'relation_alias', 'prefix', 'suffix'][positional++];
    const end = argumentEnd(toks, i);
    if (end < 0 || name === undefined) return undefined;
    const text = inner.slice(toks[i]!.offset, toks[end - 1]!.end);
    if (name === 'from') {
      const relation = dbtRelationOf({ ...tok, text: `{{ ${text} }}`, unterminated: false });
      if (!relation) return undefined;
      call.relation = relation;
    } else if (name === 'except') {
      const list = stringList(text);
      if (!list) return undefined;
      call.except = list;
    } else if (name === 'relation_alias') {
      const alias = readLiteral(text);
      if (typeof alias === 'string' && alias) call.relationAlias = alias;
    } else if (STAR_STRING_ARGS.has(name)) {
      const value = readLiteral(text);
      if (typeof value !== 'string') return undefined;
      call[name as 'prefix' | 'suffix'] = value;
    } else if (!STAR_IGNORED_ARGS.has(name)) return undefined;
    i = isP(end, ',') ? end + 1 : end;
  }
  return call.relation ? (call as DbtStarCall) : undefined;
}

/**
 * The column expressions of `{{ dbt_utils.generate_surrogate_key(['a', 'b']) }}` (or its older name `surrogate_key`),
 * given as a literal list; undefined for anything else.
 */
export function surrogateKeyColumns(tok: Token): string[] | undefined {
  if (tok.kind !== 'jinja' || !tok.text.startsWith('{{') || tok.unterminated) return undefined;
  const inner = jinjaInner(tok);
  const toks = tokenize(inner, { skipWhitespace: true, skipComments: true });
  const isP = (i: number, p: string): boolean => toks[i]?.kind === 'punct' && toks[i]!.text === p;
  const fn = toks[2]?.value;
  if (toks[0]?.value !== 'dbt_utils' || !isP(1, '.') || (fn !== 'generate_surrogate_key' && fn !== 'surrogate_key') || !isP(3, '(')) return undefined;
  if (!isP(toks.length - 1, ')') || argumentEnd(toks, 4) !== toks.length - 1) return undefined;
  const list = stringList(inner.slice(toks[4]!.offset, toks[toks.length - 2]!.end));
  return list?.length ? list : undefined;
}

/** Index of the `,` or `)` ending the argument that starts at `from` (brackets balanced), or -1. */
function argumentEnd(toks: Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') {
      if (depth === 0) return t.text === ')' && i > from ? i : -1;
      depth--;
    } else if (t.text === ',' && depth === 0) return i > from ? i : -1;
  }
  return -1;
}

/** A list literal of strings (`['a', "b"]`, or `[]`) as the strings; undefined for anything else. */
function stringList(text: string): string[] | undefined {
  const list = readLiteral(text);
  return Array.isArray(list) && list.every((x): x is string => typeof x === 'string') ? list : undefined;
}
