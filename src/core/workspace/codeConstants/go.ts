import type { ConstantMap } from '../facts';
import { numericValue, tokenize, type Token } from './lexer';
import { constantGroups } from './constantGroups';
import { constantMaps, enclosingFunctionName, isId, isPunct, matchClose, readCode, topLevel, type Entry } from './matchers';

/**
 * Go: constants of a type (`StatusPaid Status = iota + 1`, `PodPending PodPhase = "Pending"`), a type's constants
 * of several declarations together, named after it; untyped `const ( … )` blocks of `iota` codes, or of codes sharing
 * a name prefix (`StatusExist = 9000`); `map[int]string{1: "Paid", …}` literals, keyed by numbers or by the file's
 * constants; and `switch code { case 1: return "Paid" … }`.
 */
export function extractGoConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'go')): ConstantMap[] {
  const { maps, add } = constantMaps('go', file);
  const decls = constDeclarations(tokens);
  const byType = constantsByType(decls);
  const values = new Map([...decls.values()].flatMap((d) => d.entries.map((e) => [e.label, e] as const)));
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    const decl = isId(t, 'const') ? decls.get(i) : undefined;
    if (decl?.type) {
      // at the type's first declaration
      add(decl.type, 'enum', byType.get(decl.type) ?? [], t);
      byType.delete(decl.type);
    } else if (decl?.iota) add(`const@${t.line}`, 'enum', decl.entries, t);
    else if (decl) {
      // untyped values: codes when they share a prefix, not a block of settings (`port = 8888`, `bufferCapacity = 4096`)
      for (const group of constantGroups(`const@${t.line}`, decl.entries)) if (group.prefix) add(group.name, 'enum', group.entries, t);
    } else if (isId(t, 'map') && isPunct(tokens[i + 1], '[') && isPunct(tokens[i + 3], ']') && isId(tokens[i + 4], 'string') && isPunct(tokens[i + 5], '{')) {
      add(assignedTo(tokens, i) ?? enclosingFunctionName(tokens, i) ?? `map@${t.line}`, 'object', mapEntries(tokens, i + 5, values), t);
    } else if (isId(t, 'switch') && isId(tokens[i + 1])) {
      // `switch code {`, `switch o.Status {`
      let open = i + 1;
      while (open < tokens.length && open < i + 12 && tokens[open]!.line === t.line && (isId(tokens[open]) || isPunct(tokens[open], '.'))) open++;
      if (isPunct(tokens[open], '{')) add(enclosingFunctionName(tokens, i) ?? tokens.slice(i + 1, open).map((x) => x.value).join(''), 'switch', switchEntries(tokens, open), t);
    }
  }
  return maps;
}

/** A const declaration's codes; its type, when its constants have one; whether it counts with `iota`. */
interface ConstDeclaration {
  entries: Entry[];
  type?: string;
  iota: boolean;
}

/** The file's const declarations, by the index of their `const`: blocks `const ( … )` and lone `const Name Type = -1`. */
function constDeclarations(tokens: Token[]): Map<number, ConstDeclaration> {
  const decls = new Map<number, ConstDeclaration>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isId(tokens[i], 'const')) continue;
    const block = isPunct(tokens[i + 1], '(');
    const close = block ? matchClose(tokens, i + 1) : lineEnd(tokens, i + 1);
    decls.set(i, constSpecs(specLines(tokens, block ? i + 2 : i + 1, close)));
    i = close - 1;
  }
  return decls;
}

/** Each type's constants, from all its declarations, in the order of their lines. */
function constantsByType(decls: Map<number, ConstDeclaration>): Map<string, Entry[]> {
  const byType = new Map<string, Entry[]>();
  for (const d of decls.values()) if (d.type) (byType.get(d.type) ?? byType.set(d.type, []).get(d.type)!).push(...d.entries);
  for (const entries of byType.values()) entries.sort((a, b) => a.line - b.line);
  return byType;
}

/** The index past the tokens from `k` on that are on the line of the token before `k`. */
function lineEnd(tokens: Token[], k: number): number {
  const line = tokens[k - 1]?.line;
  while (k < tokens.length && tokens[k]!.line === line) k++;
  return k;
}

/** The tokens [from, to) split into lines: one spec per line. */
function specLines(tokens: Token[], from: number, to: number): Token[][] {
  const lines: Token[][] = [];
  for (let k = from; k < to; ) {
    const end = Math.min(lineEnd(tokens, k + 1), to);
    lines.push(tokens.slice(k, end));
    k = end;
  }
  return lines;
}

/**
 * The constants of specs, one per line: `Name [Type] = expression`, or a bare `Name` repeating the last expression
 * with the next `iota`. Their type is their one type, when they have one; only typed constants may be strings
 * (`PodPending PodPhase = "Pending"`): an untyped string is a setting (`host = "localhost"`).
 */
function constSpecs(specs: Token[][]): ConstDeclaration {
  const entries: Entry[] = [];
  const types = new Set<string>();
  let expression: Token[] | undefined;
  let iota = false;
  specs.forEach((spec, index) => {
    const name = spec[0];
    const eq = spec.findIndex((x) => isPunct(x, '='));
    if (eq > 0) {
      expression = spec.slice(eq + 1);
      iota ||= expression.some((x) => isId(x, 'iota'));
    }
    // a blank identifier takes its iota, and may set the expression the next lines repeat
    if (!isId(name) || name!.value === '_') return;
    if ((eq === 2 || (eq < 0 && spec.length === 2)) && isId(spec[1])) types.add(spec[1]!.value);
    const value = expression && specValue(expression, index);
    if (value !== undefined) entries.push({ code: value, label: name!.value, line: name!.line });
  });
  const type = types.size === 1 ? [...types][0] : undefined;
  return { entries: type ? entries : entries.filter((e) => typeof e.code === 'number'), type, iota };
}

/** A plain string, or an integer expression of `iota`. */
function specValue(expression: Token[], iota: number): string | number | undefined {
  const only = expression.length === 1 ? expression[0]! : undefined;
  if (only?.type === 'str' && !only.interpolated) return only.value;
  return expression.some((x) => x.type === 'str') ? undefined : evaluate(expression, iota);
}

/** An integer expression of `iota` and literals: `iota`, `iota + 1`, `1 << iota`, `5`, `0x10`, `-1`. */
function evaluate(expression: Token[], iota: number): number | undefined {
  const values = expression.map((t) => (isId(t, 'iota') ? String(iota) : t.type === 'num' ? String(numericValue(t)) : t.value));
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

/** `{1: "Paid", 2: "Shipped"}` or `{StatusPaid: "paid"}` (a constant of the file): every entry a code and a string. */
function mapEntries(tokens: Token[], open: number, constants: ReadonlyMap<string, Entry>): Entry[] {
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  for (let k = open + 1; k < close; ) {
    const constant = isId(tokens[k]) ? constants.get(tokens[k]!.value) : undefined;
    const code = constant ? { code: constant.code, next: k + 1, line: tokens[k]!.line } : readCode(tokens, k, false);
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
