import type { ConstantMap } from '../facts';
import { constantGroups } from './constantGroups';
import { enumEntries, splitArgs } from './java';
import { tokenize, type Token } from './lexer';
import { constantMaps, enclosingFunctionName, isId, isPunct, matchClose, readCode, topLevel, type Entry } from './matchers';

/**
 * Kotlin: enum classes with codes (`enum class Status(val code: Int) { PAID(1, "Paid"), … }`), the integer `const val`
 * codes of an `object` or a companion object (a map per group of them, see constantGroups), `mapOf(1 to "Paid", …)`,
 * and `when (code) { 1 -> "Paid" … }`.
 */
export function extractKotlinConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'kotlin')): ConstantMap[] {
  const { maps, add } = constantMaps('kotlin', file);
  const companions = companionClasses(tokens);
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id') continue;
    if (t.value === 'enum' && isId(tokens[i + 1], 'class') && isId(tokens[i + 2])) {
      const open = bodyAfterHeader(tokens, i + 3);
      if (open !== undefined) add(tokens[i + 2]!.value, 'enum', enumEntries(tokens, open), t);
    } else if (t.value === 'object' && !isPunct(tokens[i + 1], ':') && !isPunct(tokens[i + 1], '=')) {
      // `object Status {`, `companion object {` (named after its class), `companion object Codes {`
      const named = isId(tokens[i + 1]) ? tokens[i + 1]!.value : undefined;
      const open = bodyAfterHeader(tokens, named ? i + 2 : i + 1);
      const name = named ?? companions.get(i);
      if (open !== undefined && name) {
        for (const group of constantGroups(name, constVals(tokens, open))) add(group.name, 'class-constants', group.entries, t);
      }
    } else if ((t.value === 'mapOf' || t.value === 'hashMapOf' || t.value === 'mutableMapOf' || t.value === 'linkedMapOf') && isPunct(tokens[i + 1], '(')) {
      const close = matchClose(tokens, i + 1);
      add(assignedTo(tokens, i) ?? enclosingFunctionName(tokens, i) ?? `map@${t.line}`, 'object', pairsTo(splitArgs(tokens.slice(i + 2, close))), t);
      i = close;
    } else if (t.value === 'when' && isPunct(tokens[i + 1], '(')) {
      const closeParen = matchClose(tokens, i + 1);
      if (!isPunct(tokens[closeParen + 1], '{')) continue;
      const subject = tokens.slice(i + 2, closeParen).map((x) => x.value).join('');
      add(functionOf(tokens, i) ?? subject, 'switch', whenEntries(tokens, closeParen + 1), t);
    }
  }
  return maps;
}

/** The `{` of a declaration's body after its header (`(val code: Int) : Labelled`), if it has one. */
function bodyAfterHeader(tokens: Token[], k: number): number | undefined {
  for (let steps = 0; k < tokens.length && steps < 40; steps++, k++) {
    const t = tokens[k]!;
    if (isPunct(t, '{')) return k;
    if (isPunct(t, '(')) k = matchClose(tokens, k);
    else if (isId(t, 'class') || isId(t, 'fun') || isId(t, 'val') || isId(t, 'object')) return undefined;
  }
  return undefined;
}

/** An integer literal (`2`, `2000L`, `0xFF`): a float (`10F`, `50.0`) is a measure, no code. */
const INTEGER = /^(0[xX][\da-fA-F_]+|0[bB][01_]+|\d[\d_]*)[lLuU]*$/;

/** `const val PAID = 2` (or `const val PAID: Int = 2`) at the top level of the body at `open`, integers only. */
function constVals(tokens: Token[], open: number): Entry[] {
  const entries: Entry[] = [];
  for (const k of topLevel(tokens, open)) {
    if (!isId(tokens[k], 'const') || !isId(tokens[k + 1], 'val') || !isId(tokens[k + 2])) continue;
    let eq = k + 3;
    if (isPunct(tokens[eq], ':') && isId(tokens[eq + 1])) eq += 2;
    if (!isPunct(tokens[eq], '=')) continue;
    const code = readCode(tokens, eq + 1, false);
    if (!code || !INTEGER.test(tokens[code.next - 1]!.value)) continue;
    // the value alone, not an expression (`= BASE + 1`)
    if (!(tokens[code.next]?.line === code.line && tokens[code.next]!.type === 'punct' && !isPunct(tokens[code.next], '}') && !isPunct(tokens[code.next], ';'))) {
      entries.push({ code: code.code, label: tokens[k + 2]!.value, line: tokens[k + 2]!.line });
    }
  }
  return entries;
}

/** `1 to "Paid"` arguments, every one of them. */
function pairsTo(args: Token[][]): Entry[] {
  const entries: Entry[] = [];
  for (const arg of args) {
    const code = readCode(arg, 0);
    const label = code && isId(arg[code.next], 'to') ? arg[code.next + 1] : undefined;
    if (!code || !label || label.type !== 'str' || label.interpolated || code.next + 2 !== arg.length) return [];
    entries.push({ code: code.code, label: label.value, line: code.line });
  }
  return entries.some((e) => typeof e.code === 'number') ? entries : [];
}

/** The branches `1 -> "Paid"` and `2, 3 -> "Open"` of the `when` body at `open` (blocks and `else` skipped). */
function whenEntries(tokens: Token[], open: number): Entry[] {
  const entries: Entry[] = [];
  for (const k of topLevel(tokens, open)) {
    // a branch starts its line
    if (tokens[k - 1]!.line === tokens[k]!.line && !isPunct(tokens[k - 1], ';') && k !== open + 1) continue;
    const codes = [];
    let code = readCode(tokens, k);
    while (code && isPunct(tokens[code.next], ',')) {
      codes.push(code);
      code = readCode(tokens, code.next + 1);
    }
    if (!code || !isPunct(tokens[code.next], '->')) continue;
    codes.push(code);
    const label = tokens[code.next + 1];
    const after = tokens[code.next + 2];
    if (label?.type !== 'str' || label.interpolated || (after && after.line === label.line && !isPunct(after, '}') && !isPunct(after, ';'))) continue;
    for (const c of codes) entries.push({ code: c.code, label: label.value, line: c.line });
  }
  return entries;
}


/** The function a `when` is the value of: `fun label(code: Int) = when (code) {`, or one whose body holds it. */
function functionOf(tokens: Token[], at: number): string | undefined {
  for (let k = at - 1; k >= 0 && k > at - 40; k--) {
    const t = tokens[k]!;
    if (isPunct(t, '{') || isPunct(t, '}') || isPunct(t, ';')) break;
    if (isId(t, 'fun') && isId(tokens[k + 1])) return tokens[k + 1]!.value;
  }
  return enclosingFunctionName(tokens, at);
}

/** `val LABELS = mapOf(` / `val LABELS: Map<Int, String> = mapOf(`: the name assigned. */
function assignedTo(tokens: Token[], at: number): string | undefined {
  if (!isPunct(tokens[at - 1], '=')) return undefined;
  for (let k = at - 2; k >= 1 && k > at - 16; k--) {
    if (isId(tokens[k]) && (isId(tokens[k - 1], 'val') || isId(tokens[k - 1], 'var'))) return tokens[k]!.value;
  }
  return undefined;
}

/**
 * The class each `companion object` belongs to, by the index of its `object`: one pass, the braces open at a token
 * being a stack, each knowing the class whose body it is in.
 */
function companionClasses(tokens: Token[]): Map<number, string> {
  const found = new Map<number, string>();
  const open: Array<string | undefined> = [];
  let header: string | undefined; // a class whose body has not opened yet
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && t.value === '(') {
      k = matchClose(tokens, k); // a constructor's `val`s end no class header
      continue;
    }
    if (t.type === 'id') {
      if (t.value === 'class' && isId(tokens[k + 1])) header = tokens[k + 1]!.value;
      else if (t.value === 'fun' || t.value === 'val' || t.value === 'var') header = undefined;
      else if (t.value === 'object' && isId(tokens[k - 1], 'companion')) {
        const cls = open[open.length - 1];
        if (cls) found.set(k, cls);
      }
    } else if (t.value === '{') {
      open.push(header ?? open[open.length - 1]);
      header = undefined;
    } else if (t.value === '}') open.pop();
  }
  return found;
}
