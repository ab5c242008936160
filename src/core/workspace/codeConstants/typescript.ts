import type { ConstantMap } from '../facts';
import { constantValue, TYPESCRIPT_OPERATORS } from './constantExpressions';
import { tokenize, type Token } from './lexer';
import { assignedName, isId, isPunct, keyValueLiteral, matchClose, MIN_ENTRIES, pairListLiteral, readCode, switchMaps, type CodeRead, type Entry } from './matchers';

/** TypeScript/JavaScript: enums, object maps `{ 1: 'Foo' }` (with or without `as const`), `new Map([[1, 'Foo']])`, switches. */
export function extractTypeScriptConstants(
  text: string,
  file: string,
  language: 'typescript' | 'javascript' = 'typescript',
  tokens: Token[] = tokenize(text, 'typescript'),
): ConstantMap[] {
  const enums = enumMaps(tokens, file, language);
  return [...enums, ...objectMaps(tokens, file, language, enumValues(enums)), ...switchMaps(tokens, language, file)];
}

/** `Enum.Member` → the member's value, so `{ [Carrier.UPS]: 'UPS Ground' }` keys resolve to codes (as do `{ [3]: 'x' }`). */
function enumValues(enums: ConstantMap[]): Map<string, string | number> {
  const values = new Map<string, string | number>();
  for (const e of enums) for (const entry of e.entries) values.set(`${e.name}.${entry.label}`, entry.code);
  return values;
}

function enumMaps(tokens: Token[], file: string, language: 'typescript' | 'javascript'): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isId(tokens[i], 'enum') || tokens[i + 1]?.type !== 'id' || !isPunct(tokens[i + 2], '{')) continue;
    const close = matchClose(tokens, i + 2);
    const entries: Entry[] = [];
    const members = new Map<string, number>();
    let nextValue: number | undefined = 0;
    let k = i + 3;
    while (k < close) {
      const member = tokens[k]!;
      if (member.type !== 'id' && member.type !== 'str') break;
      let value: number | string | undefined = nextValue;
      k++;
      if (isPunct(tokens[k], '=')) {
        const init = tokens[k + 1];
        let end = k + 1;
        while (end < close && !isPunct(tokens[end], ',')) end++;
        // string enums: the value is the stored code, the member name its label
        const plainString = init?.type === 'str' && !init.interpolated && end === k + 2;
        // a number, or a constant expression of numbers and earlier members (`1 << 2`, `Read | Write`), as TS folds it
        value = plainString ? init!.value : constantValue(tokens, k + 1, end, { precedence: TYPESCRIPT_OPERATORS, member: (name) => members.get(name) });
        k = end;
      }
      if (typeof value === 'number') members.set(member.value, value);
      if (value !== undefined) entries.push({ code: value, label: member.value, line: member.line });
      nextValue = typeof value === 'number' ? value + 1 : undefined;
      if (isPunct(tokens[k], ',')) k++;
    }
    if (entries.length >= MIN_ENTRIES) {
      maps.push({ name: tokens[i + 1]!.value, language, shape: 'enum', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
    i = close;
  }
  return maps;
}

function objectMaps(tokens: Token[], file: string, language: 'typescript' | 'javascript', enumValues: Map<string, string | number>): ConstantMap[] {
  const resolveKey = (ts: Token[], k: number): CodeRead | undefined => {
    if (!isPunct(ts[k], '[')) return undefined;
    // [3], [-1]: a computed key that is a number
    const numeric = readCode(ts, k + 1, false);
    if (numeric && isPunct(ts[numeric.next], ']')) return { code: numeric.code, next: numeric.next + 1, line: ts[k]!.line };
    // [Enum.Member]
    if (ts[k + 1]?.type !== 'id' || !isPunct(ts[k + 2], '.') || ts[k + 3]?.type !== 'id' || !isPunct(ts[k + 4], ']')) return undefined;
    const code = enumValues.get(`${ts[k + 1]!.value}.${ts[k + 3]!.value}`);
    return code === undefined ? undefined : { code, next: k + 5, line: ts[k]!.line };
  };
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let lit: { entries: Entry[]; close: number } | undefined;
    let shape = 'object';
    if (isPunct(t, '{')) {
      lit = keyValueLiteral(tokens, i, ':', resolveKey);
      if (!lit) {
        // `{ PENDING: 1, PAID: 2 } as const` / Object.freeze(…): an enum written as an object, names to codes
        lit = namedCodes(tokens, i, declaredConstant(tokens, i));
        shape = 'enum';
      }
    } else if (isPunct(t, '[') && (isPunct(tokens[i + 1], '[') || isPunct(tokens[i + 1], '('))) {
      lit = pairListLiteral(tokens, i);
      shape = 'array';
    }
    if (!lit || lit.entries.length < MIN_ENTRIES) continue;
    // `X = Object.freeze({ … })` is named as `X = { … }`
    const name = assignedName(tokens, isFrozen(tokens, i) ? i - 4 : i) ?? `object@${t.line}`;
    maps.push({ name, language, shape, entries: lit.entries, origin: { kind: 'code', file, line: t.line } });
    i = lit.close;
  }
  return maps;
}

/** The object literal at `open` is the argument of `Object.freeze(`. */
function isFrozen(tokens: Token[], open: number): boolean {
  return isPunct(tokens[open - 1], '(') && isId(tokens[open - 2], 'freeze') && isPunct(tokens[open - 3], '.') && isId(tokens[open - 4], 'Object');
}

/** `Object.freeze({ … })` or `{ … } as const`: the author declares the object a constant, as an enum is. */
function declaredConstant(tokens: Token[], open: number): boolean {
  if (isFrozen(tokens, open)) return true;
  const close = matchClose(tokens, open);
  return isId(tokens[close + 1], 'as') && isId(tokens[close + 2], 'const');
}

/** `PENDING` and 'pending', `IN_PROGRESS` and 'in-progress': a string member that is its own name, as string enums are written. */
function isOwnName(key: string, value: string): boolean {
  const plain = (x: string): string => x.replace(/[-_\s]/g, '').toLowerCase();
  return value !== '' && plain(key) === plain(value);
}

/**
 * An object literal at `open` whose keys are all UPPER_CASE names and whose values are distinct integers: the codes
 * an object-as-enum names (`{ PENDING: 1, PAID: 2 }`), each labelled by its key. Anything else (a config object with
 * `width: 100`) is no code table. When the object is `declared` constant (frozen, `as const`), PascalCase keys count
 * too, and so do string values that are their key's own name (`{ PENDING: 'pending' }`): the value is what the column
 * stores.
 */
function namedCodes(tokens: Token[], open: number, declared: boolean): { entries: Entry[]; close: number } | undefined {
  const keyPattern = declared ? /^[A-Z][A-Za-z0-9_]*$/ : /^[A-Z][A-Z0-9_]*$/;
  const isName = (t: Token | undefined): boolean => !!t && (t.type === 'id' || t.type === 'str') && keyPattern.test(t.value);
  // cheap rejection first: `NAME: <number>`
  if (!isName(tokens[open + 1]) || !isPunct(tokens[open + 2], ':')) return undefined;
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  const seen = new Set<string | number>();
  let k = open + 1;
  while (k < close) {
    const key = tokens[k];
    if (!isName(key) || !isPunct(tokens[k + 1], ':')) return undefined;
    const value = tokens[k + 2];
    const code = value?.type === 'str' && !value.interpolated && declared && isOwnName(key!.value, value.value) ? { code: value.value, next: k + 3 } : readCode(tokens, k + 2, false);
    if (!code || (typeof code.code === 'number' && !Number.isInteger(code.code)) || seen.has(code.code)) return undefined;
    seen.add(code.code);
    entries.push({ code: code.code, label: key!.value, line: key!.line });
    k = code.next;
    if (isPunct(tokens[k], ',')) k++;
    else if (k !== close) return undefined;
  }
  return { entries, close };
}

