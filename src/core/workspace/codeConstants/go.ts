import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { constantMaps, enclosingFunctionName, isId, isPunct, matchClose, readCode, topLevel, type Entry } from './matchers';

/**
 * Go: `const ( … )` blocks of integer codes (`iota` and its arithmetic, each line repeating the last expression, as Go
 * does), named after their type (`StatusPaid Status = iota + 1`); `map[int]string{1: "Paid", …}` literals; and
 * `switch code { case 1: return "Paid" … }`.
 */
export function extractGoConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'go')): ConstantMap[] {
  const { maps, add } = constantMaps('go', file);
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    if (isId(t, 'const') && isPunct(tokens[i + 1], '(')) {
      const block = constBlock(tokens, i + 1);
      if (block) add(block.type ?? `const@${t.line}`, 'enum', block.entries, t);
    } else if (isId(t, 'map') && isPunct(tokens[i + 1], '[') && isPunct(tokens[i + 3], ']') && isId(tokens[i + 4], 'string') && isPunct(tokens[i + 5], '{')) {
      add(assignedTo(tokens, i) ?? enclosingFunctionName(tokens, i) ?? `map@${t.line}`, 'object', mapEntries(tokens, i + 5), t);
    } else if (isId(t, 'switch') && isId(tokens[i + 1])) {
      // `switch code {`, `switch o.Status {`
      let open = i + 1;
      while (open < tokens.length && open < i + 12 && tokens[open]!.line === t.line && (isId(tokens[open]) || isPunct(tokens[open], '.'))) open++;
      if (isPunct(tokens[open], '{')) add(enclosingFunctionName(tokens, i) ?? tokens.slice(i + 1, open).map((x) => x.value).join(''), 'switch', switchEntries(tokens, open), t);
    }
  }
  return maps;
}

/**
 * The integer constants of the block opened at `open`: one per line, `Name [Type] = expression` or a bare `Name`
 * repeating the last expression with the next `iota`. The block's type is its constants' one type, when they have one.
 */
function constBlock(tokens: Token[], open: number): { entries: Entry[]; type?: string } | undefined {
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  const types = new Set<string>();
  let expression: Token[] | undefined;
  let iota = 0;
  for (let k = open + 1; k < close; iota++) {
    // one spec per line
    const line = tokens[k]!.line;
    let end = k;
    while (end < close && tokens[end]!.line === line) end++;
    const spec = tokens.slice(k, end);
    k = end;
    const name = spec[0];
    if (!isId(name) || name!.value === '_') {
      // a blank identifier takes its iota, and may set the expression the next lines repeat
      const eq = spec.findIndex((x) => isPunct(x, '='));
      if (isId(name, '_') && eq > 0) expression = spec.slice(eq + 1);
      continue;
    }
    const eq = spec.findIndex((x) => isPunct(x, '='));
    if (eq > 0) {
      if (eq === 2 && isId(spec[1])) types.add(spec[1]!.value);
      expression = spec.slice(eq + 1);
    } else if (spec.length === 2 && isId(spec[1])) types.add(spec[1]!.value);
    const value = expression && evaluate(expression, iota);
    if (value !== undefined) entries.push({ code: value, label: name!.value, line: name!.line });
  }
  return { entries, type: types.size === 1 ? [...types][0] : undefined };
}

/** An integer expression of `iota` and literals: `iota`, `iota + 1`, `1 << iota`, `5`, `-1`. */
function evaluate(expression: Token[], iota: number): number | undefined {
  const values = expression.map((t) => (isId(t, 'iota') ? String(iota) : t.value));
  const text = values.join(' ');
  if (!/^[\d\s+\-*<>()]+$/.test(text) || !/\d/.test(text)) return undefined;
  // a handful of integer operators, evaluated left to right with * and << first
  const parts = text.replace(/<</g, ' << ').split(/\s+/).filter(Boolean);
  const product = (xs: string[]): number | undefined => {
    let v = Number(xs[0]);
    for (let i = 1; i + 1 < xs.length; i += 2) v = xs[i] === '*' ? v * Number(xs[i + 1]) : xs[i] === '<<' ? v * 2 ** Number(xs[i + 1]) : NaN;
    return Number.isInteger(v) ? v : undefined;
  };
  if (parts[0] === '-' && parts.length === 2) return -Number(parts[1]);
  let total = 0;
  let sign = 1;
  let term: string[] = [];
  for (const p of [...parts, '+']) {
    if (p === '+' || p === '-') {
      const v = product(term);
      if (v === undefined) return undefined;
      total += sign * v;
      sign = p === '+' ? 1 : -1;
      term = [];
    } else term.push(p);
  }
  return Number.isInteger(total) ? total : undefined;
}

/** `{1: "Paid", 2: "Shipped"}`: every entry a code and a string. */
function mapEntries(tokens: Token[], open: number): Entry[] {
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  for (let k = open + 1; k < close; ) {
    const code = readCode(tokens, k, false);
    const label = code && isPunct(tokens[code.next], ':') ? tokens[code.next + 1] : undefined;
    if (!code || label?.type !== 'str' || label.interpolated) return [];
    entries.push({ code: code.code, label: label.value, line: code.line });
    k = code.next + 2;
    if (isPunct(tokens[k], ',')) k++;
  }
  return entries;
}

/** `case 1: return "Paid"` and `case 2, 3: return "Open"` of the switch body at `open`. */
function switchEntries(tokens: Token[], open: number): Entry[] {
  const entries: Entry[] = [];
  for (const k of topLevel(tokens, open)) {
    if (!isId(tokens[k], 'case')) continue;
    const codes = [];
    let code = readCode(tokens, k + 1, false);
    while (code && isPunct(tokens[code.next], ',')) {
      codes.push(code);
      code = readCode(tokens, code.next + 1, false);
    }
    if (!code || !isPunct(tokens[code.next], ':')) continue;
    codes.push(code);
    const label = isId(tokens[code.next + 1], 'return') ? tokens[code.next + 2] : undefined;
    if (label?.type !== 'str' || label.interpolated) continue;
    for (const c of codes) entries.push({ code: c.code, label: label.value, line: c.line });
  }
  return entries;
}

/** `var labels = map…`, `labels := map…` (lexed `:` `=`): the name assigned. */
function assignedTo(tokens: Token[], at: number): string | undefined {
  if (!isPunct(tokens[at - 1], '=')) return undefined;
  const name = isPunct(tokens[at - 2], ':') ? at - 3 : at - 2;
  return isId(tokens[name]) ? tokens[name]!.value : undefined;
}
