import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { assignedName, isPunct, keyValueLiteral, MIN_ENTRIES, pairListLiteral, TRANSLATORS, type CodeRead, type Entry } from './matchers';

/**
 * Python: Enum/IntEnum (and Django IntegerChoices) classes, `{1: 'Foo'}` dicts, Django `choices` tuples, and functions
 * that return a string per code through `match`/`case` or an `if`/`elif` chain.
 */
export function extractPythonConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'python')): ConstantMap[] {
  const lines = text.split(/\r?\n/);
  const logical = logicalLines(lines);
  const constants = fileConstants(logical);
  const codeClasses = constants.codeClasses.map(({ name, line, entries }): ConstantMap => ({ name, language: 'python', shape: 'class-constants', entries, origin: { kind: 'code', file, line } }));
  return [...enumClassMaps(logical, file), ...codeClasses, ...literalMaps(tokens, file, constants), ...branchMaps(lines, file)];
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

/**
 * The source as logical lines: a line whose brackets are still open goes on with the next ones (black wraps a long
 * member as `ACTIVE = 1, _(` / `"Active"` / `)`), and triple-quoted text (a docstring) is blanked out. Each keeps the
 * number of its first physical line.
 */
interface LogicalLine {
  text: string;
  /** The number of its first physical line. */
  line: number;
}

function logicalLines(lines: string[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  let triple: string | undefined;
  let pending: { text: string; line: number; depth: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const outside = outsideTripleQuotes(lines[i]!, triple);
    triple = outside.open;
    const depth = (pending?.depth ?? 0) + walkLine(outside.text).depth;
    if (pending) {
      pending.text += ' ' + outside.text.trim();
      pending.depth = depth;
    } else pending = { text: outside.text, line: i + 1, depth };
    if (pending.depth <= 0) {
      out.push({ text: pending.text, line: pending.line });
      pending = undefined;
    }
  }
  if (pending) out.push({ text: pending.text, line: pending.line });
  return out;
}

const TRIPLE_QUOTE = /'{3}|"{3}/;

/** What of a line stands outside triple-quoted text (`open`: the quote still open at its start, then at its end). */
function outsideTripleQuotes(line: string, open: string | undefined): { text: string; open: string | undefined } {
  let text = '';
  let at = 0;
  while (at < line.length) {
    if (open) {
      const close = line.indexOf(open, at);
      if (close < 0) return { text, open };
      at = close + 3;
      open = undefined;
      continue;
    }
    const start = TRIPLE_QUOTE.exec(line.slice(at));
    if (!start) return { text: text + line.slice(at), open };
    text += line.slice(at, at + start.index);
    open = start[0];
    at += start.index + 3;
  }
  return { text, open };
}

/**
 * Walks a line as Python reads it: strings (with escapes) and a `#` comment step over; `onComma` hears each comma
 * outside brackets. Gives the brackets left open (opened minus closed) and where the code ends (a comment's start).
 */
function walkLine(text: string, onComma?: (at: number) => void): { depth: number; end: number } {
  let depth = 0;
  let quote: string | undefined;
  let k = 0;
  for (; k < text.length; k++) {
    const c = text[k]!;
    if (quote) {
      if (c === '\\') k++;
      else if (c === quote) quote = undefined;
    } else if (c === '#') break;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) onComma?.(k);
  }
  return { depth, end: k };
}

type EnumKind = 'flag' | 'str' | 'choices' | 'text-choices' | 'enum';

/** Bases that make a class an enum: Enum, IntEnum, IntFlag, StrEnum, Django's Choices — and project bases named so (`ChoiceEnum`). */
function enumKind(bases: string): EnumKind | undefined {
  const names = bases.split(',').map((b) => b.trim().split('.').pop()!.replace(/\[.*$/, ''));
  if (names.some((n) => /Flag$/.test(n))) return 'flag';
  if (names.includes('StrEnum')) return 'str';
  if (names.includes('TextChoices')) return 'text-choices';
  if (names.some((n) => /Choices$/.test(n))) return 'choices';
  if (names.some((n) => /Enum$/.test(n))) return 'enum';
  return undefined;
}

/** An integer as Python writes it: decimal, hex, octal or binary, with underscores. */
function pythonInt(text: string): number | undefined {
  const m = /^(-)?\s*(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)$/.exec(text.trim());
  if (!m) return undefined;
  const digits = m[2]!.replace(/_/g, '');
  const base = { '0x': 16, '0o': 8, '0b': 2 }[digits.slice(0, 2).toLowerCase()];
  const value = base ? parseInt(digits.slice(2), base) : Number(digits);
  return Number.isSafeInteger(value) ? (m[1] ? -value : value) : undefined;
}

/** A member's integer value: a literal, `1 << 2`, or `A | B` of literals and earlier members. */
function memberInt(text: string, earlier: ReadonlyMap<string, string | number>): number | undefined {
  const literal = pythonInt(text);
  if (literal !== undefined) return literal;
  const shift = /^(.+?)<<(.+)$/.exec(text);
  if (shift) {
    const [a, b] = [pythonInt(shift[1]!), pythonInt(shift[2]!)];
    return a !== undefined && b !== undefined && b < 31 ? a * 2 ** b : undefined;
  }
  if (!text.includes('|')) return undefined;
  let value = 0;
  for (const part of text.split('|')) {
    const v = pythonInt(part) ?? earlier.get(part.trim());
    if (typeof v !== 'number') return undefined;
    value |= v;
  }
  return value;
}

const QUOTED = /^(?:'([^'\\]*)'|"([^"\\]*)")$/;

/** The parts of `text` split at its top-level commas (outside brackets and strings), trimmed; a comment ends it. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let from = 0;
  const { end } = walkLine(text, (at) => {
    parts.push(text.slice(from, at).trim());
    from = at + 1;
  });
  const rest = text.slice(from, end).trim();
  if (rest) parts.push(rest);
  return parts;
}

/** A label: a string, or a translation call of one (`_('Open')`, `pgettext_lazy('order', 'Open')`). */
function labelOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const quoted = QUOTED.exec(text);
  if (quoted) return quoted[1] ?? quoted[2];
  const call = /^([A-Za-z_]\w*)\s*\((.*)\)$/.exec(text);
  const argument = call ? TRANSLATORS.get(call[1]!) : undefined;
  if (argument === undefined) return undefined;
  const arg = QUOTED.exec(topLevelParts(call![2]!)[argument] ?? '');
  return arg ? (arg[1] ?? arg[2]) : undefined;
}

/** A member line: `NAME = value`, `NAME = value, label`, `NAME = (value, label)`, `NAME: int = value`. */
function memberOf(text: string): { name: string; value: string; label?: string } | undefined {
  const m = /^([A-Za-z]\w*)\s*(?::[^=]+)?=(?!=)\s*(.+)$/.exec(text.trim());
  if (!m) return undefined;
  let parts = topLevelParts(m[2]!);
  if (parts.length === 1 && parts[0]!.startsWith('(') && parts[0]!.endsWith(')')) parts = topLevelParts(parts[0]!.slice(1, -1));
  if (parts.length === 0 || parts.length > 2) return undefined;
  const label = labelOf(parts[1]);
  if (parts.length === 2 && label === undefined) return undefined;
  return { name: m[1]!, value: parts[0]!, label };
}

/** Django's label for a choice written without one: `IN_PROGRESS` → `In Progress`. */
function djangoLabel(name: string): string {
  return name.replace(/_/g, ' ').toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());
}

/** What `auto()` gives a member: the next integer, a Flag's next power of two, a StrEnum's lower-cased name, a TextChoices' name. */
function autoValue(kind: EnumKind, name: string, last: number | undefined): string | number {
  if (kind === 'str') return name.toLowerCase();
  if (kind === 'text-choices') return name;
  if (kind === 'flag') return last === undefined || last < 1 ? 1 : 2 ** Math.floor(Math.log2(last) + 1);
  return (last ?? 0) + 1;
}

/**
 * Enum and choices classes (read by indentation): the members at the body's own indentation — not a method's locals,
 * not a docstring's text — with their codes as Python gives them and their labels (a Django choice's own, or one made
 * of its name as Django makes it; an Enum member is named by its name).
 */
function enumClassMaps(logical: LogicalLine[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < logical.length; i++) {
    const m = /^(\s*)class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/.exec(logical[i]!.text);
    const kind = m ? enumKind(m[3]!) : undefined;
    if (!m || !kind) continue;
    const indent = m[1]!.length;
    const entries: Entry[] = [];
    const values = new Map<string, string | number>();
    let last: number | undefined;
    let body: number | undefined;
    let j = i + 1;
    for (; j < logical.length; j++) {
      const { text, line } = logical[j]!;
      if (!text.trim() || /^\s*#/.test(text)) continue;
      const lead = /^\s*/.exec(text)![0].length;
      if (lead <= indent) break;
      body ??= lead;
      if (lead !== body) continue; // inside a method
      const member = memberOf(text);
      if (!member) continue;
      const { name, value } = member;
      const quoted = QUOTED.exec(value);
      const code = /^(?:enum\.)?auto\(\s*\)$/.test(value) ? autoValue(kind, name, last) : quoted ? (quoted[1] ?? quoted[2]!) : memberInt(value, values);
      if (code === undefined) continue;
      if (typeof code === 'number') last = code;
      values.set(name, code);
      entries.push({ code, label: member.label ?? (kind === 'choices' || kind === 'text-choices' ? djangoLabel(name) : name), line });
    }
    if (entries.length >= MIN_ENTRIES) {
      maps.push({ name: m[2]!, language: 'python', shape: 'enum', entries, origin: { kind: 'code', file, line: logical[i]!.line } });
    }
    i = j - 1;
  }
  return maps;
}

/** An upper-case constant set to a literal: `DRAFT = 'draft'`, `MAX_RETRIES: int = 3`. */
const CONSTANT = /^(\s*)([A-Z][A-Z0-9_]*)\s*(?::[^=]+)?=(?!=)\s*('[^'\\]*'|"[^"\\]*"|-?\s*(?:0[xXoObB])?[\d_a-fA-F]+)\s*(?:#.*)?$/;

interface FileConstants {
  /** `NAME` and `Class.NAME` → the value; a name set to two values is left out. */
  values: Map<string, string | number | undefined>;
  /** Classes (not enums) whose body holds only upper-case integer constants, distinct: a code table (`class GroupSubStatus:`). */
  codeClasses: Array<{ name: string; line: number; entries: Entry[] }>;
  /** The class whose body a line is directly in (by the line's number). */
  classOfLine: Map<number, string>;
}

/** The file's upper-case constants, and the classes made of nothing else, read by indentation. */
function fileConstants(logical: LogicalLine[]): FileConstants {
  const values = new Map<string, string | number | undefined>();
  const codeClasses: FileConstants['codeClasses'] = [];
  const classOfLine = new Map<number, string>();
  const set = (key: string, value: string | number): void => void values.set(key, values.has(key) && values.get(key) !== value ? undefined : value);
  const classes: Array<{ indent: number; name: string; line: number; body?: number; entries: Entry[]; pure: boolean }> = [];
  const close = (indent: number): void => {
    while (classes.length && classes[classes.length - 1]!.indent >= indent) {
      const c = classes.pop()!;
      const codes = new Set(c.entries.map((e) => e.code));
      if (c.pure && c.entries.length >= MIN_ENTRIES && codes.size === c.entries.length) codeClasses.push({ name: c.name, line: c.line, entries: c.entries });
    }
  };
  for (const { text, line } of logical) {
    if (!text.trim() || /^\s*#/.test(text)) continue;
    const indent = /^\s*/.exec(text)![0].length;
    close(indent);
    const owner = classes[classes.length - 1];
    if (owner && owner.body === undefined) owner.body = indent;
    const inBody = owner?.body === indent;
    if (inBody) classOfLine.set(line, owner!.name);
    const header = /^\s*class\s+([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?\s*:/.exec(text);
    if (header) {
      if (inBody) owner!.pure = false;
      classes.push({ indent, name: header[1]!, line, entries: [], pure: !enumKind(header[2] ?? '') });
      continue;
    }
    const c = CONSTANT.exec(text);
    const quoted = c ? QUOTED.exec(c[3]!) : undefined;
    const value = c ? (quoted ? (quoted[1] ?? quoted[2]!) : pythonInt(c[3]!.replace(/\s/g, ''))) : undefined;
    if (c && value !== undefined) {
      set(c[2]!, value);
      if (inBody) set(`${owner!.name}.${c[2]!}`, value);
    }
    if (!inBody) continue;
    if (typeof value === 'number') owner!.entries.push({ code: value, label: c![2]!, line });
    else owner!.pure = false;
  }
  close(0);
  return { values, codeClasses, classOfLine };
}

/** Reads a code that is a constant of the file: `DRAFT`, `OrderStatus.DRAFT`. */
function constantKey(constants: FileConstants['values']): (tokens: Token[], k: number) => CodeRead | undefined {
  return (tokens, k) => {
    const t = tokens[k];
    if (!t || t.type !== 'id') return undefined;
    const qualified = isPunct(tokens[k + 1], '.') && tokens[k + 2]?.type === 'id';
    const value = constants.get(qualified ? `${t.value}.${tokens[k + 2]!.value}` : t.value);
    return value === undefined ? undefined : { code: value, next: qualified ? k + 3 : k + 1, line: t.line };
  };
}

function literalMaps(tokens: Token[], file: string, constants: FileConstants): ConstantMap[] {
  const maps: ConstantMap[] = [];
  const resolveKey = constantKey(constants.values);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let lit: { entries: Entry[]; close: number } | undefined;
    let shape = 'dict';
    if (isPunct(t, '{')) lit = keyValueLiteral(tokens, i, ':', resolveKey);
    else if ((isPunct(t, '(') || isPunct(t, '[')) && isPunct(tokens[i + 1], '(')) {
      lit = pairListLiteral(tokens, i, resolveKey);
      shape = 'choices';
    }
    if (!lit || lit.entries.length < MIN_ENTRIES) continue;
    const assigned = assignedName(tokens, i);
    // a class's `CHOICES = [...]` is named after its class: netbox gives every ChoiceSet one
    const owner = assigned && /^[A-Z][A-Z0-9_]*$/.test(assigned) ? constants.classOfLine.get(t.line) : undefined;
    const name = owner ? `${owner}.${assigned}` : (assigned ?? `${shape}@${t.line}`);
    maps.push({ name, language: 'python', shape, entries: lit.entries, origin: { kind: 'code', file, line: t.line } });
    i = lit.close;
  }
  return maps;
}
