import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { assignedName, isPunct, keyValueLiteral, MIN_ENTRIES, pairListLiteral, type Entry } from './matchers';

const ENUM_BASES = /\b(Enum|IntEnum|IntFlag|Flag|StrEnum|IntegerChoices|TextChoices|Choices)\b/;

/**
 * Python: Enum/IntEnum (and Django IntegerChoices) classes, `{1: 'Foo'}` dicts, Django `choices` tuples, and functions
 * that return a string per code through `match`/`case` or an `if`/`elif` chain.
 */
export function extractPythonConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'python')): ConstantMap[] {
  const lines = text.split(/\r?\n/);
  return [...enumClassMaps(lines, file), ...literalMaps(tokens, file), ...branchMaps(lines, file)];
}

const RETURNS_STRING = /^\s*return\s+(['"])((?:(?!\1)[^\\])*)\1\s*(?:#.*)?$/;
/** `case 1:` / `case 2 | 3:`, with the return on the same line or the next. */
const CASE_CODES = /^\s*case\s+(-?\d+(?:\s*\|\s*-?\d+)*)\s*:\s*(.*)$/;
/** `if code == 1:` / `elif code in (2, 3):` → the variable, the codes, and what follows the colon. */
const IF_CODES = /^\s*(?:el)?if\s+([A-Za-z_][\w.]*)\s*(?:==\s*(-?\d+)|in\s*[([{]\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*,?\s*[)\]}])\s*:\s*(.*)$/;

/**
 * `match code:` with `case 1: return "DHL"` arms, or `if code == 1: return "new"` / `elif code == 2: …` chains (on one
 * variable), in a function: code → string, named after the function.
 */
function branchMaps(lines: string[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  // the string returned by the branch whose header is line i (after its colon, or as the next line)
  const returned = (i: number, rest: string): string | undefined => {
    if (rest.trim()) return RETURNS_STRING.exec(rest)?.[2];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim()) j++;
    return RETURNS_STRING.exec(lines[j] ?? '')?.[2];
  };
  let chain: { variable: string; entries: Entry[]; line: number } | undefined;
  const flush = (): void => {
    if (chain && chain.entries.length >= MIN_ENTRIES) {
      maps.push({ name: functionAt(lines, chain.line - 1) ?? `if@${chain.line}`, language: 'python', shape: 'if-chain', entries: chain.entries, origin: { kind: 'code', file, line: chain.line } });
    }
    chain = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const match = /^(\s*)match\s+([A-Za-z_][\w.]*)\s*:\s*$/.exec(line);
    if (match) {
      flush();
      const entries: Entry[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j]!;
        if (!l.trim() || /^\s*#/.test(l)) continue;
        if (/^\s*/.exec(l)![0].length <= match[1]!.length) break;
        const c = CASE_CODES.exec(l);
        const label = c ? returned(j, c[2]!) : undefined;
        if (c && label !== undefined) for (const code of c[1]!.split('|')) entries.push({ code: Number(code.trim()), label, line: j + 1 });
      }
      if (entries.length >= MIN_ENTRIES) {
        maps.push({ name: functionAt(lines, i) ?? match[2]!, language: 'python', shape: 'match', entries, origin: { kind: 'code', file, line: i + 1 } });
      }
      i = j - 1;
      continue;
    }
    const cond = IF_CODES.exec(line);
    if (!cond) {
      if (line.trim() && !/^\s*(return|#|else\s*:)/.test(line)) flush();
      continue;
    }
    const isElif = /^\s*elif\b/.test(line);
    if (!isElif || chain?.variable !== cond[1]) {
      flush();
      if (isElif) continue;
      chain = { variable: cond[1]!, entries: [], line: i + 1 };
    }
    const label = returned(i, cond[4]!);
    if (label === undefined) {
      chain = undefined; // a branch that does something else: not a lookup
      continue;
    }
    for (const code of cond[2] !== undefined ? [cond[2]] : cond[3]!.split(',')) chain!.entries.push({ code: Number(code.trim()), label, line: i + 1 });
  }
  flush();
  return maps;
}

/** The function whose body line i is in: the nearest `def` above it indented less. */
function functionAt(lines: string[], i: number): string | undefined {
  const indent = /^\s*/.exec(lines[i] ?? '')![0].length;
  for (let j = i - 1; j >= 0; j--) {
    const d = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(lines[j]!);
    if (d && d[1]!.length < indent) return d[2];
  }
  return undefined;
}

/** A member line of an enum or choices class: its name, then an integer, a string or `auto()`, then a label maybe. */
const MEMBER = /^\s*([A-Za-z_]\w*)\s*=\s*\(?\s*(?:(-?\d+)|(['"])([^'"\\]*)\3|(?:enum\.)?auto\(\s*\))\s*(?:,\s*(?:_|gettext_lazy|gettext)?\(?\s*(['"])(.*?)\5\s*\)?)?\s*\)?\s*(?:#.*)?$/;

/** Line-based, because class bodies are delimited by indentation. */
function enumClassMaps(lines: string[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/.exec(lines[i]!);
    if (!m || !ENUM_BASES.test(m[3]!)) continue;
    const indent = m[1]!.length;
    const flags = /\b(IntFlag|Flag)\b/.test(m[3]!);
    const entries: Entry[] = [];
    // what auto() gives next: the last integer value plus one (a Flag's next power of two), 1 to begin with
    let last: number | undefined;
    const autoValue = (): number => (flags ? (last === undefined || last < 1 ? 1 : 2 ** Math.floor(Math.log2(last) + 1)) : (last ?? 0) + 1);
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (!line.trim() || /^\s*#/.test(line)) continue;
      const lead = /^\s*/.exec(line)![0].length;
      if (lead <= indent) break;
      // NAME = 1 | NAME = auto() | NAME = 'x' | NAME = 1, 'Label' | NAME = (1, 'Label') | NAME = 'x', _('Label')
      const mm = MEMBER.exec(line);
      if (!mm) continue;
      const code = mm[2] !== undefined ? Number(mm[2]) : mm[4] !== undefined ? mm[4] : autoValue();
      if (typeof code === 'number') last = code;
      // a member with no label of its own is named by its code's name
      entries.push({ code, label: mm[6] ?? mm[1]!, line: j + 1 });
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
