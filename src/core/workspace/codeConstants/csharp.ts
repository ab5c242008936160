import type { ConstantMap } from '../facts';
import { constantGroups } from './constantGroups';
import { constantValue, CSHARP_OPERATORS } from './constantExpressions';
import { tokenize, type Token } from './lexer';
import { constantMaps, enclosingFunctionName, isId, isPunct, matchClose, readCode, switchMaps, topLevel, type Entry } from './matchers';

/**
 * C#: enums (values and constant expressions, and the implicit ones counting on from the last), a class's `const int`
 * codes (a map per group of them, see constantGroups), `new Dictionary<int, string> { { 1, "Paid" }, [2] = "Shipped" }`,
 * `switch` statements (`case 1: return "Paid";`) and switch expressions (`code switch { 1 => "Paid", … }`).
 */
export function extractCSharpConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'csharp')): ConstantMap[] {
  const { maps, add } = constantMaps('csharp', file);
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id') continue;
    if (t.value === 'enum' && isId(tokens[i + 1])) {
      let open = i + 2;
      if (isPunct(tokens[open], ':')) open += 2; // `enum Status : byte`
      if (isPunct(tokens[open], '{')) add(tokens[i + 1]!.value, 'enum', enumEntries(tokens, tokens[i + 1]!.value, open), t);
    } else if (t.value === 'class' && isId(tokens[i + 1])) {
      let open = i + 2;
      while (open < tokens.length && open < i + 40 && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
      if (isPunct(tokens[open], '{')) {
        for (const group of constantGroups(tokens[i + 1]!.value, constInts(tokens, open))) add(group.name, 'class-constants', group.entries, t);
      }
    } else if (t.value === 'Dictionary' && isPunct(tokens[i + 1], '<') && isId(tokens[i + 2], 'int') && isPunct(tokens[i + 3], ',') && isId(tokens[i + 4], 'string')) {
      let open = i + 5;
      if (isPunct(tokens[open], '>')) open++;
      // `Dictionary<int, string> Labels = new() {`: the target-typed initializer, named by the declaration
      let declared: string | undefined;
      if (isId(tokens[open]) && isPunct(tokens[open + 1], '=') && isId(tokens[open + 2], 'new')) {
        declared = tokens[open]!.value;
        open += 3;
      }
      if (isPunct(tokens[open], '(') && isPunct(tokens[open + 1], ')')) open += 2;
      if (isPunct(tokens[open], '{')) add(declared ?? assignedTo(tokens, i) ?? enclosingFunctionName(tokens, i) ?? `map@${t.line}`, 'object', dictionaryEntries(tokens, open), t);
    } else if (t.value === 'switch' && isPunct(tokens[i + 1], '{') && tokens[i - 1]?.type === 'id') {
      add(expressionBodied(tokens, i - 1) ?? (isId(tokens[i - 2], 'return') ? enclosingFunctionName(tokens, i) : undefined) ?? tokens[i - 1]!.value, 'switch', switchArms(tokens, i + 1), t);
    }
  }
  return [...maps, ...switchMaps(tokens, 'csharp', file)];
}

/**
 * `A = 1, B, C = 5`: explicit values, and implicit ones one past the last (0 for the first). A value is a constant
 * expression (`1 << 2`, `Read | Write`, `'A'`); a member whose value cannot be read is left out, and so is an implicit
 * one after it, whose value would count on from it.
 */
function enumEntries(tokens: Token[], enumName: string, open: number): Entry[] {
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  const members = new Map<string, number>();
  let next: number | undefined = 0;
  for (let k = open + 1; k < close; ) {
    if (isPunct(tokens[k], '[')) {
      k = matchClose(tokens, k) + 1; // an attribute
      continue;
    }
    const name = tokens[k];
    if (!isId(name)) return entries;
    let value: number | undefined = next;
    k++;
    if (isPunct(tokens[k], '=')) {
      let end = k + 1;
      while (end < close && !isPunct(tokens[end], ',')) end = isPunct(tokens[end], '(') ? matchClose(tokens, end) + 1 : end + 1;
      value = constantValue(tokens, k + 1, end, {
        precedence: CSHARP_OPERATORS,
        chars: true,
        integer: true,
        // `Read` or `Perm.Read`; another enum's member is not followed
        member: (name, qualifier) => (qualifier === undefined || qualifier === enumName ? members.get(name) : undefined),
      });
      k = end;
    }
    if (value !== undefined) {
      members.set(name!.value, value);
      entries.push({ code: value, label: name!.value, line: name!.line });
    }
    next = value === undefined ? undefined : value + 1;
    if (isPunct(tokens[k], ',')) k++;
  }
  return entries;
}


/** `const int Paid = 2;` at the top level of a class body. */
function constInts(tokens: Token[], open: number): Entry[] {
  const entries: Entry[] = [];
  for (const k of topLevel(tokens, open)) {
    if (!isId(tokens[k], 'const') || !isId(tokens[k + 1]) || !['int', 'long', 'short', 'byte'].includes(tokens[k + 1]!.value) || !isId(tokens[k + 2]) || !isPunct(tokens[k + 3], '=')) continue;
    const code = readCode(tokens, k + 4, false);
    if (code && isPunct(tokens[code.next], ';')) entries.push({ code: code.code, label: tokens[k + 2]!.value, line: tokens[k + 2]!.line });
  }
  return entries;
}

/** `{ { 1, "Paid" }, { 2, "Shipped" } }` or `{ [1] = "Paid", [2] = "Shipped" }`: every item a code and a string. */
function dictionaryEntries(tokens: Token[], open: number): Entry[] {
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  for (let k = open + 1; k < close; ) {
    const braced = isPunct(tokens[k], '{');
    const indexed = isPunct(tokens[k], '[');
    if (!braced && !indexed) return [];
    const code = readCode(tokens, k + 1, false);
    const label = code && (braced ? isPunct(tokens[code.next], ',') : isPunct(tokens[code.next], ']') && isPunct(tokens[code.next + 1], '=')) ? tokens[code.next + (braced ? 1 : 2)] : undefined;
    if (!code || label?.type !== 'str' || label.interpolated) return [];
    entries.push({ code: code.code, label: label.value, line: code.line });
    k = braced ? matchClose(tokens, k) + 1 : code.next + 3;
    if (isPunct(tokens[k], ',')) k++;
  }
  return entries;
}

/** The arms `1 => "Paid"` and `2 or 3 => "Open"` of a switch expression whose `{` is at `open`. */
function switchArms(tokens: Token[], open: number): Entry[] {
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  for (let k = open + 1; k < close; ) {
    const codes = [];
    let code = readCode(tokens, k, false);
    while (code && isId(tokens[code.next], 'or')) {
      codes.push(code);
      code = readCode(tokens, code.next + 1, false);
    }
    if (code && isPunct(tokens[code.next], '=>')) {
      codes.push(code);
      const label = tokens[code.next + 1];
      if (label?.type === 'str' && !label.interpolated && (isPunct(tokens[code.next + 2], ',') || code.next + 2 === close)) {
        for (const c of codes) entries.push({ code: c.code, label: label.value, line: c.line });
      }
    }
    // on to the next arm
    while (k < close && !isPunct(tokens[k], ',')) k = isPunct(tokens[k], '(') || isPunct(tokens[k], '{') || isPunct(tokens[k], '[') ? matchClose(tokens, k) + 1 : k + 1;
    k++;
  }
  return entries;
}

/** `static string Label(int code) => code switch {`: the member whose body the expression at `at` is. */
function expressionBodied(tokens: Token[], at: number): string | undefined {
  if (!isPunct(tokens[at - 1], '=>') || !isPunct(tokens[at - 2], ')')) return undefined;
  let depth = 0;
  for (let k = at - 2; k >= 0 && k > at - 60; k--) {
    if (isPunct(tokens[k], ')')) depth++;
    else if (isPunct(tokens[k], '(') && --depth === 0) return isId(tokens[k - 1]) ? tokens[k - 1]!.value : undefined;
  }
  return undefined;
}

/** `var labels = new Dictionary…` / `static readonly Dictionary<int, string> Labels = new()…`: the name assigned. */
function assignedTo(tokens: Token[], at: number): string | undefined {
  for (let k = at - 1; k >= 1 && k > at - 6; k--) if (isPunct(tokens[k], '=') && isId(tokens[k - 1])) return tokens[k - 1]!.value;
  return undefined;
}
