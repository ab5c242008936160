import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { assignedName, isPunct, keyValueLiteral, MIN_ENTRIES, pairListLiteral, type Entry } from './matchers';

const ENUM_BASES = /\b(Enum|IntEnum|IntFlag|Flag|StrEnum|IntegerChoices|TextChoices|Choices)\b/;

/** Python: Enum/IntEnum (and Django IntegerChoices) classes, `{1: 'Foo'}` dicts, Django `choices` tuples. */
export function extractPythonConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'python')): ConstantMap[] {
  return [...enumClassMaps(text, file), ...literalMaps(tokens, file)];
}

/** Line-based, because class bodies are delimited by indentation. */
function enumClassMaps(text: string, file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/.exec(lines[i]!);
    if (!m || !ENUM_BASES.test(m[3]!)) continue;
    const indent = m[1]!.length;
    const entries: Entry[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (!line.trim() || /^\s*#/.test(line)) continue;
      const lead = /^\s*/.exec(line)![0].length;
      if (lead <= indent) break;
      // NAME = 1 | NAME = 1, 'Label' | NAME = (1, 'Label') | NAME = 1, _('Label')
      const mm = /^\s*([A-Za-z_]\w*)\s*=\s*\(?\s*(-?\d+)\s*(?:,\s*(?:_|gettext_lazy|gettext)?\(?\s*(['"])(.*?)\3\s*\)?)?\s*\)?\s*(?:#.*)?$/.exec(line);
      if (mm) entries.push({ code: Number(mm[2]), label: mm[4] ?? mm[1]!, line: j + 1 });
    }
    if (entries.length >= MIN_ENTRIES) {
      maps.push({ name: m[2]!, language: 'python', shape: 'enum', entries, origin: { kind: 'code', file, line: i + 1 } });
    }
    i = j - 1;
  }
  return maps;
}

function literalMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let lit: { entries: Entry[]; close: number } | undefined;
    let shape = 'dict';
    if (isPunct(t, '{')) lit = keyValueLiteral(tokens, i, ':');
    else if ((isPunct(t, '(') || isPunct(t, '[')) && isPunct(tokens[i + 1], '(')) {
      lit = pairListLiteral(tokens, i);
      shape = 'choices';
    }
    if (!lit || lit.entries.length < MIN_ENTRIES) continue;
    const name = assignedName(tokens, i) ?? `${shape}@${t.line}`;
    maps.push({ name, language: 'python', shape, entries: lit.entries, origin: { kind: 'code', file, line: t.line } });
    i = lit.close;
  }
  return maps;
}
