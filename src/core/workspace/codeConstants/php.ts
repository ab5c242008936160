import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { constantGroups } from './constantGroups';
import { assignedName, enclosingFunctionName, isId, isPunct, keyValueLiteral, matchClose, MIN_ENTRIES, readCode, switchMaps, type Entry } from './matchers';

/**
 * PHP: switch/case and `match` returning strings, class constants (a map per group of them), backed enums (labelled
 * by a `match ($this)` in them when there is one), and `[1 => 'Foo']` / `array(1 => 'Foo')` literals.
 */
export function extractPhpConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'php')): ConstantMap[] {
  return [...switchMaps(tokens, 'php', file), ...matchMaps(tokens, file), ...arrayMaps(tokens, file), ...classConstantMaps(tokens, file)];
}

/** One arm of a `match`: its conditions as written (codes, or `Enum::Case` names) and the string it gives. */
interface MatchArm {
  codes: Array<string | number>;
  cases: string[];
  label: string;
  line: number;
}

/** The arms of the `match (…) { … }` whose `match` is at `i` that give a plain string; undefined when it is no match. */
function matchArms(tokens: Token[], i: number): { arms: MatchArm[]; close: number } | undefined {
  if (!isId(tokens[i], 'match') || !isPunct(tokens[i + 1], '(')) return undefined;
  const open = matchClose(tokens, i + 1) + 1;
  if (!isPunct(tokens[open], '{')) return undefined;
  const close = matchClose(tokens, open);
  const arms: MatchArm[] = [];
  let k = open + 1;
  while (k < close) {
    const arm: MatchArm = { codes: [], cases: [], label: '', line: tokens[k]!.line };
    let readable = true;
    // conditions, comma-separated, up to `=>`
    while (k < close && !isPunct(tokens[k], '=>')) {
      const code = readCode(tokens, k);
      if (code && (isPunct(tokens[code.next], ',') || isPunct(tokens[code.next], '=>'))) {
        arm.codes.push(code.code);
        k = code.next;
      } else if (tokens[k]?.type === 'id' && isPunct(tokens[k + 1], '::') && tokens[k + 2]?.type === 'id' && (isPunct(tokens[k + 3], ',') || isPunct(tokens[k + 3], '=>'))) {
        arm.cases.push(tokens[k + 2]!.value);
        k += 3;
      } else {
        readable = false; // `default`, `$x > 3`, a call…
        while (k < close && !isPunct(tokens[k], '=>') && !isPunct(tokens[k], ',')) k++;
      }
      if (isPunct(tokens[k], ',')) k++;
    }
    const result = tokens[k + 1];
    const end = k + 2;
    if (readable && result?.type === 'str' && !result.interpolated && (isPunct(tokens[end], ',') || end === close)) {
      arm.label = result.value;
      arms.push(arm);
    }
    // on to the next arm: past the result expression, at depth 0
    for (k = k + 1; k < close && !isPunct(tokens[k], ','); k++) {
      const t = tokens[k]!;
      if (isPunct(t, '(') || isPunct(t, '[') || isPunct(t, '{')) k = matchClose(tokens, k);
    }
    k++;
  }
  return { arms, close };
}

/** `match ($code) { 1 => 'DHL', 2, 3 => 'UPS', default => 'Other' }` → code → string, named after its function or variable. */
function matchMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const m = matchArms(tokens, i);
    if (!m) continue;
    const entries = m.arms.flatMap((a) => a.codes.map((code) => ({ code, label: a.label, line: a.line })));
    if (entries.length >= MIN_ENTRIES && entries.some((e) => typeof e.code === 'number')) {
      const name = (assignedName(tokens, i) ?? enclosingFunctionName(tokens, i) ?? `match@${tokens[i]!.line}`).replace(/^\$/, '');
      maps.push({ name, language: 'php', shape: 'match', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
  }
  return maps;
}

function arrayMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let open = -1;
    if (isPunct(t, '[')) open = i;
    else if (isId(t, 'array') && isPunct(tokens[i + 1], '(')) open = i + 1;
    if (open < 0) continue;
    const lit = keyValueLiteral(tokens, open, '=>');
    if (!lit || lit.entries.length < MIN_ENTRIES) continue;
    const name = assignedName(tokens, i) ?? `array@${t.line}`;
    maps.push({ name: name.replace(/^\$/, ''), language: 'php', shape: 'array', entries: lit.entries, origin: { kind: 'code', file, line: t.line } });
    i = lit.close;
  }
  return maps;
}

/**
 * `class Status { const ACTIVE = 1; ... }` (one code table per group of constants, see constantGroups) and `enum
 * Status: int { case Active = 1; }` → code → constant name.
 */
function classConstantMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const isEnum = isId(tokens[i], 'enum');
    if (!(isId(tokens[i], 'class') || isId(tokens[i], 'interface') || isEnum) || tokens[i + 1]?.type !== 'id') continue;
    const name = tokens[i + 1]!.value;
    let open = i + 2;
    while (open < tokens.length && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
    if (!isPunct(tokens[open], '{')) continue;
    const close = matchClose(tokens, open);
    const entries: Entry[] = [];
    for (let k = open + 1; k < close; k++) {
      const t = tokens[k]!;
      // method bodies are stepped over whole: a file of classes nested deep stays linear
      if (isPunct(t, '{')) {
        k = matchClose(tokens, k);
        continue;
      }
      if (isId(t, isEnum ? 'case' : 'const')) entries.push(...declaredConstants(tokens, k, close, isEnum));
    }
    const at = { kind: 'code' as const, file, line: tokens[i]!.line };
    if (isEnum) {
      // a backed enum is a map of codes whatever their type (`enum Suit: string`)
      if (entries.length < MIN_ENTRIES) continue;
      labelEnumCases(tokens, open, close, entries);
      maps.push({ name, language: 'php', shape: 'enum', entries, origin: at });
    } else {
      for (const group of constantGroups(name, entries)) maps.push({ name: group.name, language: 'php', shape: 'class-constants', entries: group.entries, origin: at });
    }
  }
  return maps;
}

/**
 * The constants the `const` (or enum `case`) at `k` declares: `const A = 1;`, typed `const int A = 1;`, several at
 * once `const A = 1, B = 2;`. A class's constant needs an integer; an enum's case may be a string. None when the
 * declaration holds anything else (`const A = self::B + 1;`).
 */
function declaredConstants(tokens: Token[], k: number, close: number, isEnum: boolean): Entry[] {
  const entries: Entry[] = [];
  // the first name is the id right before `=`, past a type
  let eq = k + 1;
  while (eq < close && eq < k + 4 && !isPunct(tokens[eq], '=')) eq++;
  for (;;) {
    const nameTok = tokens[eq - 1];
    if (!isPunct(tokens[eq], '=') || nameTok?.type !== 'id') return [];
    const code = readCode(tokens, eq + 1, isEnum);
    if (!code || (typeof code.code === 'number' && !Number.isInteger(code.code))) return [];
    entries.push({ code: code.code, label: nameTok.value, line: nameTok.line });
    if (isPunct(tokens[code.next], ';')) return entries;
    if (!isPunct(tokens[code.next], ',')) return [];
    eq = code.next + 2;
  }
}

/**
 * A backed enum's labels, when one of its methods gives them (`public function label(): string { return match ($this)
 * { self::Paid => 'Paid in full', … } }`): each case named there is labelled by the string, in place of its name.
 */
function labelEnumCases(tokens: Token[], open: number, close: number, entries: Entry[]): void {
  for (let k = open + 1; k < close; k++) {
    if (!isId(tokens[k], 'match') || !isId(tokens[k + 2], '$this')) continue;
    const m = matchArms(tokens, k);
    if (!m) continue;
    const labels = new Map<string, string>();
    for (const arm of m.arms) for (const c of arm.cases) labels.set(c, arm.label);
    // all or nothing: a method naming a few cases says something else about them
    if (!entries.every((e) => labels.has(e.label))) continue;
    for (const e of entries) e.label = labels.get(e.label)!;
    return;
  }
}
