import type { ConstantMap } from '../facts';
import { tokenize, type Token } from './lexer';
import { assignedName, innermostSpan, isId, isPunct, keyValueLiteral, matchClose, MIN_ENTRIES, readCode, type Entry } from './matchers';
import { lineIndents } from './sourceText';

/**
 * Ruby: Rails `enum`s (the integers, or strings, a column stores for each name), `{ 1 => 'Active' }` hashes, a
 * module's or class's integer constants (`PENDING = 1`), and methods that return a string per code through
 * `case`/`when`.
 */
export function extractRubyConstants(text: string, file: string, tokens: Token[] = tokenize(text, 'ruby')): ConstantMap[] {
  const blocks = rubyBlocks(tokens, text);
  const classes = innermost(tokens.length, blocks, (b) => b.keyword !== 'def');
  const methods = innermost(tokens.length, blocks, (b) => b.keyword === 'def');
  return [
    ...railsEnums(tokens, classes, file),
    ...enumObjects(tokens, classes, methods, file),
    ...hashMaps(tokens, file),
    ...moduleConstants(tokens, classes, file),
    ...caseMaps(tokens, methods, file),
  ];
}

/** For each token, the innermost block of those `taken` around it (undefined outside all). */
export type BlockAt = (i: number) => RubyBlock | undefined;

/** Blocks nest (a body ends before its parent's). */
export function innermost(count: number, blocks: RubyBlock[], taken: (b: RubyBlock) => boolean): BlockAt {
  return innermostSpan(count, blocks.filter(taken));
}

/** A `class`/`module`/`def` and its body: tokens [from, to) up to the `end` at its own indentation. */
export interface RubyBlock {
  keyword: 'class' | 'module' | 'def';
  name: string;
  /** Index of the keyword's token. */
  at: number;
  from: number;
  to: number;
  indent: number;
}

/**
 * The classes, modules and methods of a file, by indentation: a body ends at the first `end` that starts a line as
 * indented as its keyword (what every Ruby style guide and formatter writes). One-line forms (`def x = 1`,
 * `class A < B; end`) end on their own line.
 */
export function rubyBlocks(tokens: Token[], text: string): RubyBlock[] {
  const indents = lineIndents(text);
  const blocks: RubyBlock[] = [];
  const open: RubyBlock[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const first = i === 0 || tokens[i - 1]!.line !== t.line;
    if (!first || t.type !== 'id') continue;
    const indent = indents[t.line - 1] ?? 0;
    if (t.value === 'end') {
      for (let k = open.length - 1; k >= 0; k--) {
        if (open[k]!.indent !== indent) continue;
        for (const b of open.splice(k)) b.to = i;
        break;
      }
      continue;
    }
    if (t.value !== 'class' && t.value !== 'module' && t.value !== 'def') continue;
    const name = blockName(tokens, i);
    if (!name) continue;
    const b: RubyBlock = { keyword: t.value, name, at: i, from: i + 1, to: tokens.length, indent };
    blocks.push(b);
    // one line: `def x = 1`, `class A < B; end`
    const last = lastOnLine(tokens, i);
    if (isId(tokens[last], 'end') || (t.value === 'def' && tokens.slice(i, last).some((x) => isPunct(x, '=')) && !isPunct(tokens[i + 2], '('))) b.to = last + 1;
    else open.push(b);
  }
  return blocks;
}

/** `class Order < ApplicationRecord` → Order; `module Shop::Status` → Status; `def self.label(code)` → label. */
function blockName(tokens: Token[], i: number): string | undefined {
  let k = i + 1;
  if (isId(tokens[i], 'def') && isId(tokens[k], 'self') && isPunct(tokens[k + 1], '.')) k += 2;
  if (isPunct(tokens[k], '<<')) return undefined; // class << self
  let name = tokens[k]?.type === 'id' ? tokens[k]!.value : undefined;
  while (name && isPunct(tokens[k + 1], '::') && tokens[k + 2]?.type === 'id') name = tokens[(k += 2)]!.value;
  return name;
}

function lastOnLine(tokens: Token[], i: number): number {
  let k = i;
  while (k + 1 < tokens.length && tokens[k + 1]!.line === tokens[i]!.line) k++;
  return k;
}

/** Option keys of `enum` that are no enum of their own. */
const ENUM_OPTIONS = new Set(['prefix', 'suffix', 'scopes', 'default', 'validate', 'instance_methods', '_prefix', '_suffix', '_scopes', '_default', '_instance_methods']);

/**
 * Rails enums: `enum status: { active: 0, archived: 1 }`, `enum :status, { active: 0 }`, `enum :status, active: 0,
 * archived: 1`, `enum :status, [:active, :archived]` or `%i[active archived]` (0, 1, …), string values too. Named
 * `Class.attribute`; code → the name Rails gives it.
 */
function railsEnums(tokens: Token[], classAt: BlockAt, file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    if (!isId(t, 'enum') || (i > 0 && tokens[i - 1]!.line === t.line)) continue;
    let k = isPunct(tokens[i + 1], '(') ? i + 2 : i + 1;
    const owner = classAt(i)?.name;
    const add = (attr: string, entries: Entry[] | undefined): void => {
      if (entries && entries.length >= MIN_ENTRIES) maps.push({ name: owner ? `${owner}.${attr}` : attr, language: 'ruby', shape: 'enum', entries, origin: { kind: 'code', file, line: t.line } });
    };
    if (tokens[k]!.type === 'str' && isPunct(tokens[k + 1], ',')) {
      // Rails 7: `enum :status, {…}` / `[…]` / `active: 0, archived: 1` (keywords up to the line's end)
      const attr = tokens[k]!.value;
      const value = tokens[k + 2];
      if (isPunct(value, '{') || isPunct(value, '[')) add(attr, enumValues(tokens, k + 2));
      else add(attr, keywordPairs(tokens, k + 2, lastOnLine(tokens, i) + 1).filter((e) => !ENUM_OPTIONS.has(e.label)));
      continue;
    }
    // `enum status: {…}, _prefix: true` (one or several enums as keywords)
    while (tokens[k]?.type === 'id' && isPunct(tokens[k + 1], ':')) {
      const attr = tokens[k]!.value;
      const value = k + 2;
      const close = isPunct(tokens[value], '{') || isPunct(tokens[value], '[') ? matchClose(tokens, value) : value;
      if (!ENUM_OPTIONS.has(attr)) add(attr, enumValues(tokens, value));
      if (!isPunct(tokens[close + 1], ',')) break;
      k = close + 2;
    }
  }
  return maps;
}

/**
 * An enum object, as discourse writes its codes (`Post.types`): `Enum.new(regular: 1, whisper: 4)` or
 * `Enum.new(:pending, :approved, start: 0)` (numbered from `start`, 1 unless given). Named after the constant it is
 * assigned to, or `Class.method` for the method that builds it.
 */
function enumObjects(tokens: Token[], classAt: BlockAt, methodAt: BlockAt, file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length - 3; i++) {
    if (!isId(tokens[i], 'Enum') || !isPunct(tokens[i + 1], '.') || !isId(tokens[i + 2], 'new') || !isPunct(tokens[i + 3], '(')) continue;
    const close = matchClose(tokens, i + 3);
    const entries = isPunct(tokens[i + 5], ',') || isPunct(tokens[i + 5], ')') ? enumMembers(tokens, i + 4, close) : keywordPairs(tokens, i + 4, close);
    if (entries.length < MIN_ENTRIES) continue;
    const owner = classAt(i)?.name;
    const method = methodAt(i)?.name;
    const name = assignedName(tokens, isPunct(tokens[i - 1], '||=') ? i - 1 : i) ?? (method ? (owner ? `${owner}.${method}` : method) : `Enum@${tokens[i]!.line}`);
    maps.push({ name: name.replace(/^@+/, ''), language: 'ruby', shape: 'enum', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    i = close;
  }
  return maps;
}

/** `:pending, :approved, start: 0` in [from, to): each symbol numbered from `start` (1 by default). */
function enumMembers(tokens: Token[], from: number, to: number): Entry[] {
  const names: Token[] = [];
  let start = 1;
  for (let k = from; k < to; k += 2) {
    const t = tokens[k]!;
    if (isId(t, 'start') && isPunct(tokens[k + 1], ':')) {
      const code = readCode(tokens, k + 2, false);
      if (!code || typeof code.code !== 'number') return [];
      start = code.code;
      k = code.next - 1;
    } else if (t.type === 'str' && !t.interpolated) names.push(t);
    else return [];
    if (!isPunct(tokens[k + 1], ',') && k + 1 !== to) return [];
  }
  return names.map((t, n) => ({ code: start + n, label: t.value, line: t.line }));
}

/** `{ active: 0, :archived => 1, 'held' => 2 }` or `[:active, :archived]`: each value (or position) → its name. */
function enumValues(tokens: Token[], open: number): Entry[] | undefined {
  const close = matchClose(tokens, open);
  if (isPunct(tokens[open], '[')) {
    const entries: Entry[] = [];
    for (let k = open + 1; k < close; k += 2) {
      const name = tokens[k]!;
      if (name.type !== 'str' || name.interpolated || !(isPunct(tokens[k + 1], ',') || k + 1 === close)) return undefined;
      entries.push({ code: entries.length, label: name.value, line: name.line });
    }
    return entries;
  }
  return keywordPairs(tokens, open + 1, close);
}

/** `name: value` / `:name => value` / `'name' => value` pairs in [from, to), split at commas: value → name. */
function keywordPairs(tokens: Token[], from: number, to: number): Entry[] {
  const entries: Entry[] = [];
  for (let k = from; k < to; ) {
    const key = tokens[k]!;
    const sep = tokens[k + 1];
    const named = (key.type === 'id' && isPunct(sep, ':')) || (key.type === 'str' && !key.interpolated && (isPunct(sep, '=>') || isPunct(sep, ':')));
    if (!named) return [];
    const code = readCode(tokens, k + 2);
    if (!code) {
      // an option with another value (`prefix: true`, `validate: { allow_nil: true }`): not an entry
      if (ENUM_OPTIONS.has(key.value)) {
        const value = k + 2;
        k = (isPunct(tokens[value], '{') || isPunct(tokens[value], '[') ? matchClose(tokens, value) : value) + 1;
        if (isPunct(tokens[k], ',')) k++;
        continue;
      }
      return [];
    }
    entries.push({ code: code.code, label: key.value, line: key.line });
    k = code.next;
    if (isPunct(tokens[k], ',')) k++;
    else if (k < to) return entries;
  }
  return entries;
}

/**
 * `STATUS_NAMES = { 1 => 'Active', 2 => 'Closed' }`: code → label. (A hash of names to numbers, `{ small: 10 }`, is as
 * often a setting as a code table: only an `enum` says so.)
 */
function hashMaps(tokens: Token[], file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 1; i < tokens.length; i++) {
    if (!isPunct(tokens[i], '{') || !isPunct(tokens[i - 1], '=')) continue;
    const name = assignedName(tokens, i);
    if (!name) continue;
    const byCode = keyValueLiteral(tokens, i, '=>');
    if (!byCode || byCode.entries.length < MIN_ENTRIES) continue;
    maps.push({ name, language: 'ruby', shape: 'hash', entries: byCode.entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    i = byCode.close;
  }
  return maps;
}

/** `module OrderStatus` / `class Order` with `PENDING = 1`, `SHIPPED = 2`: code → constant name. */
function moduleConstants(tokens: Token[], classAt: BlockAt, file: string): ConstantMap[] {
  const byOwner = new Map<RubyBlock, Entry[]>();
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !/^[A-Z][A-Z0-9_]*$/.test(t.value) || !isPunct(tokens[i + 1], '=') || (i > 0 && tokens[i - 1]!.line === t.line)) continue;
    const code = readCode(tokens, i + 2, false);
    // the value alone on its line (`A = 1 + B` is no code)
    if (!code || tokens[code.next]?.line === t.line) continue;
    const owner = classAt(i);
    if (!owner) continue;
    const entries = byOwner.get(owner) ?? [];
    entries.push({ code: code.code, label: t.value, line: t.line });
    byOwner.set(owner, entries);
  }
  const maps: ConstantMap[] = [];
  for (const [owner, entries] of byOwner) {
    if (entries.length >= MIN_ENTRIES) maps.push({ name: owner.name, language: 'ruby', shape: 'class-constants', entries, origin: { kind: 'code', file, line: tokens[owner.at]!.line } });
  }
  return maps;
}

/**
 * `case code` with `when 1 then 'DHL'` / `when 2, 3` + `'UPS'` on the next line: code → string, named after the method
 * around it.
 */
function caseMaps(tokens: Token[], methodAt: BlockAt, file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!isId(tokens[i], 'case') || tokens[i + 1]!.line !== tokens[i]!.line) continue;
    const entries: Entry[] = [];
    let k = lastOnLine(tokens, i) + 1;
    while (isId(tokens[k], 'when')) {
      const codes: Array<string | number> = [];
      let j = k + 1;
      for (;;) {
        const code = readCode(tokens, j);
        if (!code) break;
        codes.push(code.code);
        j = code.next;
        if (!isPunct(tokens[j], ',')) break;
        j++;
      }
      if (isId(tokens[j], 'then')) j++;
      const label = tokens[j];
      // the label is the whole branch: a string alone, then the next `when`, `else` or `end`
      const next = tokens[j + 1];
      const alone = label?.type === 'str' && !label.interpolated && (!next || next.line !== label.line);
      if (!codes.length || !alone || !codes.some((c) => typeof c === 'number')) break;
      for (const code of codes) entries.push({ code, label: label.value, line: tokens[k]!.line });
      k = j + 1;
    }
    if (entries.length < MIN_ENTRIES) continue;
    const method = methodAt(i);
    maps.push({ name: method?.name ?? `case@${tokens[i]!.line}`, language: 'ruby', shape: 'case', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    i = k - 1;
  }
  return maps;
}
