import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { assignedName, isId, isPunct, keyValueLiteral, matchClose, MIN_ENTRIES, readCode, switchMaps, type Entry } from './matchers';

/** PHP: switch/case returning strings, class constants, backed enums, and `[1 => 'Foo']` / `array(1 => 'Foo')` literals. */
export function extractPhpConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'php')): ConstantMap[] {
  return [...switchMaps(tokens, 'php', file), ...arrayMaps(tokens, file), ...classConstantMaps(tokens, file)];
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

/** `class Status { const ACTIVE = 1; ... }` and `enum Status: int { case Active = 1; }` → code → constant name. */
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
    let depth = 0;
    for (let k = open + 1; k < close; k++) {
      const t = tokens[k]!;
      if (isPunct(t, '{')) depth++;
      else if (isPunct(t, '}')) depth--;
      if (depth !== 0) continue;
      const keyword = isEnum ? 'case' : 'const';
      if (!isId(t, keyword)) continue;
      // `const int FOO = 1` (typed constants) — the name is the id right before `=`
      let eq = k + 1;
      while (eq < close && eq < k + 4 && !isPunct(tokens[eq], '=')) eq++;
      const nameTok = tokens[eq - 1];
      if (!isPunct(tokens[eq], '=') || nameTok?.type !== 'id') continue;
      const code = readCode(tokens, eq + 1, isEnum);
      if (!code || !isPunct(tokens[code.next], ';')) continue;
      entries.push({ code: code.code, label: nameTok.value, line: nameTok.line });
    }
    if (entries.length >= MIN_ENTRIES && entries.some((e) => typeof e.code === 'number')) {
      maps.push({ name, language: 'php', shape: isEnum ? 'enum' : 'class-constants', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
  }
  return maps;
}
