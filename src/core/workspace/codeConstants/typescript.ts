import type { ConstantMap } from '../facts';
import { numericValue, tokenize, type Token } from './lexer';
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
    let nextValue: number | undefined = 0;
    let k = i + 3;
    while (k < close) {
      const member = tokens[k]!;
      if (member.type !== 'id' && member.type !== 'str') break;
      let value: number | string | undefined = nextValue;
      k++;
      if (isPunct(tokens[k], '=')) {
        const neg = isPunct(tokens[k + 1], '-');
        const init = tokens[k + (neg ? 2 : 1)];
        const v = numericValue(init);
        // string enums: the value is the stored code, the member name its label
        const plainString = init?.type === 'str' && !init.interpolated && (isPunct(tokens[k + 2], ',') || isPunct(tokens[k + 2], '}'));
        value = plainString ? init!.value : v === undefined ? undefined : neg ? -v : v;
        // skip the initializer expression
        while (k < close && !isPunct(tokens[k], ',')) k++;
      }
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
    if (isPunct(t, '{')) lit = keyValueLiteral(tokens, i, ':', resolveKey);
    else if (isPunct(t, '[') && (isPunct(tokens[i + 1], '[') || isPunct(tokens[i + 1], '('))) {
      lit = pairListLiteral(tokens, i);
      shape = 'array';
    }
    if (!lit || lit.entries.length < MIN_ENTRIES) continue;
    const name = assignedName(tokens, i) ?? `object@${t.line}`;
    maps.push({ name, language, shape, entries: lit.entries, origin: { kind: 'code', file, line: t.line } });
    i = lit.close;
  }
  return maps;
}
