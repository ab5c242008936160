import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { constantGroups } from './constantGroups';
import { assignedName, isId, isPunct, matchClose, MIN_ENTRIES, readCode, switchMaps, type Entry } from './matchers';

/**
 * Java: enums with codes `FOO(1, "Foo")` (or `FOO(1)`, `FOO("foo")`), `static final int` constants of a class or
 * interface (a map per group of them), `Map.of(1, "Foo", ...)`, and switches returning strings.
 */
export function extractJavaConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'java')): ConstantMap[] {
  return [...enumMaps(tokens, file), ...classConstantMaps(tokens, file), ...mapOfMaps(tokens, file), ...switchMaps(tokens, 'java', file)];
}

const CODE_TYPES = new Set(['int', 'long', 'short', 'byte', 'Integer', 'Long', 'Short', 'Byte']);

/**
 * A class's `static final int STATUS_PAID = 2;` constants (an interface's fields are static final as written), named
 * after the class: legacy code's way of naming its codes.
 */
function classConstantMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const isInterface = isId(tokens[i], 'interface');
    if (!(isId(tokens[i], 'class') || isInterface) || tokens[i + 1]?.type !== 'id') continue;
    let open = i + 2;
    while (open < tokens.length && open < i + 40 && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
    if (!isPunct(tokens[open], '{')) continue;
    const close = matchClose(tokens, open);
    const entries: Entry[] = [];
    let start = open + 1; // first token of the member declaration at hand
    for (let k = open + 1; k < close; k++) {
      const t = tokens[k]!;
      // bodies and argument lists are stepped over whole: a nested class's constants are its own, and a file of
      // classes nested deep stays linear
      if (isPunct(t, '{')) {
        k = matchClose(tokens, k);
        start = k + 1;
        continue;
      }
      if (isPunct(t, '(')) {
        k = matchClose(tokens, k);
        continue;
      }
      if (isPunct(t, ';')) {
        start = k + 1;
        continue;
      }
      if (!isPunct(t, '=') || k - start < 2) continue;
      const nameTok = tokens[k - 1]!;
      const typeTok = tokens[k - 2]!;
      if (nameTok.type !== 'id' || typeTok.type !== 'id' || !CODE_TYPES.has(typeTok.value)) continue;
      const modifiers = new Set(tokens.slice(start, k - 2).map((m) => m.value));
      if (!isInterface && !(modifiers.has('static') && modifiers.has('final'))) continue;
      // a Serializable class's version, a `long` like the codes beside it, is no code
      if (nameTok.value === 'serialVersionUID') continue;
      const code = readCode(tokens, k + 1, false);
      if (code && isPunct(tokens[code.next], ';')) entries.push({ code: code.code, label: nameTok.value, line: nameTok.line });
    }
    for (const group of constantGroups(tokens[i + 1]!.value, entries)) {
      maps.push({ name: group.name, language: 'java', shape: 'class-constants', entries: group.entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
  }
  return maps;
}

function enumMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isId(tokens[i], 'enum') || tokens[i + 1]?.type !== 'id') continue;
    let open = i + 2;
    while (open < tokens.length && open < i + 12 && !isPunct(tokens[open], '{')) open++; // implements X
    if (!isPunct(tokens[open], '{')) continue;
    const entries = enumEntries(tokens, open);
    if (entries.length >= MIN_ENTRIES) {
      maps.push({ name: tokens[i + 1]!.value, language: 'java', shape: 'enum', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
  }
  return maps;
}

/**
 * The entries with codes of the enum body opening at `open`: `FOO(1, "Foo")` (its string, else its name), `BAR(2)`,
 * and string codes `PENDING("pending")` (labelled by the name); annotations on a constant (`@JsonProperty("paid")`)
 * are stepped over.
 */
export function enumEntries(tokens: Token[], open: number): Entry[] {
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  let k = skipAnnotations(tokens, open + 1);
  while (k < close) {
    const member = tokens[k];
    if (!member || member.type !== 'id') break;
    k++;
    if (isPunct(tokens[k], '(')) {
      const argsClose = matchClose(tokens, k);
      const codeArgs = splitArgs(tokens.slice(k + 1, argsClose));
      const read = codeArgs[0] ? readCode(codeArgs[0], 0) : undefined;
      // the code is the whole first argument (not the start of `1 << 2`)
      const first = read && read.next === codeArgs[0]!.length ? read : undefined;
      const labelTok = codeArgs.slice(1).find((a) => a.length === 1 && a[0]!.type === 'str')?.[0];
      if (first && (typeof first.code === 'number' || labelTok || codeArgs.length === 1)) {
        entries.push({ code: first.code, label: labelTok?.value ?? member.value, line: member.line });
      }
      k = argsClose + 1;
    }
    if (isPunct(tokens[k], '{')) k = matchClose(tokens, k) + 1; // constant-specific body
    if (isPunct(tokens[k], ',')) k = skipAnnotations(tokens, k + 1);
    else break;
  }
  return entries;
}

/** Past the annotations at `k`: `@JsonProperty("paid")`, `@Deprecated`, Kotlin's `@field:Json(name = "x")`. */
function skipAnnotations(tokens: Token[], k: number): number {
  while (isPunct(tokens[k], '@') && isId(tokens[k + 1])) {
    k += 2;
    while ((isPunct(tokens[k], '.') || isPunct(tokens[k], ':')) && isId(tokens[k + 1])) k += 2;
    if (isPunct(tokens[k], '(')) k = matchClose(tokens, k) + 1;
  }
  return k;
}

/** A call's argument tokens split at its top-level commas. */
export function splitArgs(args: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const a of args) {
    if (a.type === 'punct' && (a.value === '(' || a.value === '[' || a.value === '{')) depth++;
    if (a.type === 'punct' && (a.value === ')' || a.value === ']' || a.value === '}')) depth--;
    if (depth === 0 && isPunct(a, ',')) out.push([]);
    else out[out.length - 1]!.push(a);
  }
  return out;
}

function mapOfMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i + 3 < tokens.length; i++) {
    if (!isId(tokens[i], 'Map') || !isPunct(tokens[i + 1], '.') || !isId(tokens[i + 2], 'of') || !isPunct(tokens[i + 3], '(')) continue;
    const close = matchClose(tokens, i + 3);
    const args = splitArgs(tokens.slice(i + 4, close));
    const entries: Entry[] = [];
    for (let a = 0; a + 1 < args.length; a += 2) {
      const code = args[a]!.length <= 2 ? readCode(args[a]!, 0) : undefined;
      const label = args[a + 1]!;
      if (!code || label.length !== 1 || label[0]!.type !== 'str') {
        entries.length = 0;
        break;
      }
      entries.push({ code: code.code, label: label[0]!.value, line: code.line });
    }
    if (entries.length >= MIN_ENTRIES && entries.some((e) => typeof e.code === 'number')) {
      const name = assignedName(tokens, i) ?? `map@${tokens[i]!.line}`;
      maps.push({ name, language: 'java', shape: 'object', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
    i = close;
  }
  return maps;
}
