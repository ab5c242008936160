import { stringValue, tokenize, type Token } from './tokenizer';
import type { DbtRefCall, QualifiedName } from './types';

/**
 * Recognise `{{ ref('model') }}`, `{{ ref('package', 'model') }}`, `{{ ref('model', v=2) }}` (the version kept) and
 * `{{ source('source_name', 'table') }}` in a Jinja token. Other Jinja gives undefined.
 */
export function dbtRelationOf(tok: Token): (QualifiedName & { dbtRef: DbtRefCall }) | undefined {
  if (tok.kind !== 'jinja' || !tok.text.startsWith('{{')) return undefined;
  let inner = tok.text.slice(2, tok.unterminated ? tok.text.length : tok.text.length - 2);
  if (inner.startsWith('-') || inner.startsWith('+')) inner = inner.slice(1);
  if (inner.endsWith('-') || inner.endsWith('+')) inner = inner.slice(0, -1);
  const toks = tokenize(inner, { skipWhitespace: true, skipComments: true });
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
