/**
 * A small, forgiving tokenizer shared by the code-constant and SQL-literal extractors.
 * It knows comments and string syntax of PHP, Python, TypeScript/JavaScript and Java — enough to find
 * literals and the punctuation around them, not to parse the languages.
 */

import { tokenizeRuby } from './rubyLexer';
import { closingBraceEnd, countNewlines, interpolation } from './sourceText';

export type TokenType = 'id' | 'num' | 'str' | 'punct';

export interface Token {
  type: TokenType;
  /** Identifier/number/punctuation text, or the string's content with simple escapes resolved. */
  value: string;
  /** 1-based line where the token starts. */
  line: number;
  /** 1-based line where a string's content starts (differs from `line` only for heredocs). */
  contentLine: number;
  /** String only: true when the string contained interpolation (`${x}`, f-string braces, PHP `$var`). */
  interpolated: boolean;
}

/** Every token has the same fields in the same order, so the matchers' property reads stay monomorphic. */
function token(type: TokenType, value: string, line: number, interpolated = false, contentLine = line): Token {
  return { type, value, line, contentLine, interpolated };
}

export type LexLanguage = 'php' | 'python' | 'typescript' | 'java' | 'kotlin' | 'go' | 'csharp' | 'ruby';

const PUNCT3 = new Set(['===', '!==', '**=', '...', '<=>', '??=', '>>>', '<<=', '>>=']);
const PUNCT2 = new Set(['=>', '->', '::', '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '.=', '??', '?.', '**', '<<', '>>', '|=', '&=']);

/** By character code: can start a two- or three-character operator. */
const MULTI_START_CODE: boolean[] = Array.from({ length: 128 }, (_, code) => [...PUNCT3, ...PUNCT2].some((p) => p.charCodeAt(0) === code));

export function tokenize(text: string, lang: LexLanguage): Token[] {
  if (lang === 'ruby') return tokenizeRuby(text); // heredocs, symbols and `%w[]` need a lexer of their own
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  // C#'s `#region Customer's orders`, `#if DEBUG`: preprocessor lines, read as comments
  const hashComments = lang === 'php' || lang === 'python' || lang === 'csharp';
  const blockComments = lang !== 'python';
  const slashComments = lang !== 'python';

  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      line++;
      i++;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13 || ch === 12 || ch === 0xfeff) {
      i++;
      continue;
    }
    // identifiers first: they are most tokens
    if (isIdentStart(ch) || (lang === 'php' && ch === 36 /* $ */ && i + 1 < n && isIdentStart(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      // Python string prefixes: r'…', b"…", f'…', rb'…'
      const q = text.charCodeAt(j);
      if (lang === 'python' && (q === 34 || q === 39) && j - i <= 2 && isPythonStringPrefix(text, i, j)) {
        const prefix = text.slice(i, j);
        const r = readString(text, j, lang, prefix);
        tokens.push(token('str', r.value, line, /f/i.test(prefix) && /\{[^}]*\}/.test(r.value)));
        line += countNewlines(text, i, r.end);
        i = r.end;
        continue;
      }
      tokens.push(token('id', text.slice(i, j), line));
      i = j;
      continue;
    }
    const c = text[i]!;
    const next = text[i + 1];
    // comments; PHP 8 reads `#[` as an attribute's start, PHP 7 code as a comment (see isPhpAttribute)
    if ((hashComments && ch === 35 && !(lang === 'php' && text.charCodeAt(i + 1) === 91 && isPhpAttribute(text, i))) || (slashComments && ch === 47 && text.charCodeAt(i + 1) === 47)) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    if (blockComments && c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      line += countNewlines(text, i, stop);
      i = stop;
      continue;
    }
    // PHP heredoc / nowdoc: <<<ID ... ID
    if (lang === 'php' && c === '<' && text.startsWith('<<<', i)) {
      const m = /^<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        const startLine = line;
        const bodyStart = i + m[0].length;
        const endRe = new RegExp(`^[ \\t]*${m[2]}\\b`, 'm');
        const rest = text.slice(bodyStart);
        const em = endRe.exec(rest);
        const bodyEnd = em ? bodyStart + em.index : n;
        const body = text.slice(bodyStart, bodyEnd);
        const stop = em ? bodyEnd + em[0].length : n;
        line += countNewlines(text, i, stop);
        tokens.push(token('str', body.replace(/\r?\n$/, ''), startLine, m[1] !== "'" && /\$\w|\{\$/.test(body), startLine + 1));
        i = stop;
        continue;
      }
    }
    if (lang === 'csharp' && (c === '@' || c === '$' || c === '"')) {
      // C#'s strings: verbatim @"…", interpolated $"…{x}…", raw """…""", and `@name` identifiers
      let q = i;
      while (text[q] === '@' || text[q] === '$') q++;
      if (text[q] === '"') {
        const prefix = text.slice(i, q);
        const r = readCSharpString(text, q, prefix.includes('@'), prefix.split('$').length - 1);
        tokens.push(token('str', r.value, line, r.interpolated));
        line += countNewlines(text, i, r.end);
        i = r.end;
        continue;
      }
      if (c === '@' && isIdentStart(text.charCodeAt(i + 1))) {
        i++;
        continue;
      }
    }
    if (lang === 'kotlin' && c === '`') {
      // a Kotlin name in backticks (`order`): the name
      const end = text.indexOf('`', i + 1);
      const stop = end < 0 || text.slice(i, end).includes('\n') ? i + 1 : end + 1;
      if (stop > i + 2) tokens.push(token('id', text.slice(i + 1, stop - 1), line));
      i = stop;
      continue;
    }
    if (c === '"' || c === "'" || (c === '`' && (lang === 'typescript' || lang === 'go'))) {
      if ((lang === 'java' || lang === 'kotlin' || lang === 'go' || lang === 'csharp') && c === "'") {
        // char literal
        const end = Math.min(n, text.indexOf("'", i + (next === '\\' ? 3 : 2)) + 1 || n);
        tokens.push(token('str', text.slice(i + 1, end - 1), line));
        i = end > i ? end : i + 1;
        continue;
      }
      const r = readString(text, i, lang, '');
      tokens.push(token('str', r.value, line, r.interpolated));
      line += countNewlines(text, i, r.end);
      i = r.end;
      continue;
    }
    if (ch >= 48 && ch <= 57) {
      let j = i + 1;
      // digits, hex, underscores, a fraction, an exponent and a type suffix: good enough for codes
      while (j < n) {
        const d = text.charCodeAt(j);
        const isAlnum = (d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95;
        if (isAlnum || (d === 46 && j + 1 < n && text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57)) j++;
        else break;
      }
      tokens.push(token('num', text.slice(i, j), line));
      i = j;
      continue;
    }
    const len = punctLength(text, i, ch);
    tokens.push(token('punct', len === 1 ? c : text.slice(i, i + len), line));
    i += len;
  }
  return tokens;
}

/**
 * `#[` at `i` starts a PHP 8 attribute (`#[ORM\Column(name: 'x')]`), not a PHP 7 comment (`#[todo] don't forget`): a
 * name follows it, and what follows its `]` on that line is code (or nothing); an attribute whose `]` is on a later
 * line has arguments.
 */
function isPhpAttribute(text: string, i: number): boolean {
  const eol = text.indexOf('\n', i);
  const line = text.slice(i + 2, eol < 0 ? text.length : eol);
  const name = /^\s*\\?[A-Za-z_][\w\\]*/.exec(line);
  if (!name) return false;
  let depth = 1;
  for (let k = name[0].length; k < line.length; k++) {
    const c = line[k];
    if (c === '"' || c === "'") {
      const close = line.indexOf(c, k + 1);
      if (close < 0) break;
      k = close;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return ATTRIBUTE_FOLLOWER.test(line.slice(k + 1));
  }
  return /^\s*\(/.test(line.slice(name[0].length));
}

/** What may follow an attribute on its line: nothing, another attribute, a comment, a declaration, a parameter. */
const ATTRIBUTE_FOLLOWER = /^\s*($|#\[|\/\/|\/\*|#|\$|\)|,|&|\.\.\.|(public|private|protected|function|fn|class|final|abstract|readonly|static|enum|interface|trait|const|var|case|new)\b|\??[A-Za-z_\\][\w\\|&]*\s+(\.\.\.)?&?\$)/;

/** Length of the punctuation token at `i` (3, 2 or 1), whose first character code is `ch`. */
function punctLength(text: string, i: number, ch: number): number {
  if (ch >= 128 || !MULTI_START_CODE[ch]) return 1;
  if (PUNCT3.has(text.substr(i, 3))) return 3;
  if (PUNCT2.has(text.substr(i, 2))) return 2;
  return 1;
}

/** Letters a PHP double-quoted string escapes with a backslash (`\n`, `\$`…); before any other, the backslash stays. */
const PHP_DOUBLE_ESCAPES = new Set(['n', 't', 'r', 'v', 'e', 'f', '$', 'x', 'u', '0', '1', '2', '3', '4', '5', '6', '7']);

interface StringRead {
  value: string;
  end: number;
  interpolated: boolean;
}

/** Reads a string starting at the opening quote. Unterminated strings stop at end of line (single-line kinds) or EOF. */
function readString(text: string, start: number, lang: LexLanguage, prefix: string): StringRead {
  const n = text.length;
  const q = text.charCodeAt(start);
  const triple = (lang === 'python' || lang === 'java' || lang === 'kotlin') && text.charCodeAt(start + 1) === q && text.charCodeAt(start + 2) === q;
  const open = triple ? 3 : 1;
  // a Kotlin raw string ("""…""") and a Go raw string (`…`) escape nothing
  const raw = (prefix !== '' && /r/i.test(prefix)) || (lang === 'kotlin' && triple) || (lang === 'go' && q === 96);
  const multiLine = triple || q === 96 /* ` */ || lang === 'php';
  const phpInterpolates = lang === 'php' && q === 34;
  let i = start + open;
  // the content is copied in runs between escapes and interpolations, not character by character
  let out = '';
  let runStart = i;
  let interpolated = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ && !raw && i + 1 < n) {
      const e = text[i + 1]!;
      // PHP keeps the backslash of a sequence that escapes nothing ('App\Models\User'); a single-quoted string escapes
      // only its quote and the backslash
      if (lang === 'php' && !(e === '\\' || e === text[start] || (q === 34 && PHP_DOUBLE_ESCAPES.has(e)))) {
        i += 2;
        continue;
      }
      out += text.slice(runStart, i);
      if (e === '\n') out += '\n';
      else if (e === 'n' || e === 't' || e === 'r') out += ' ';
      else out += e;
      i += 2;
      runStart = i;
      continue;
    }
    if (c === q && (!triple || (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q))) {
      return { value: out + text.slice(runStart, i), end: i + open, interpolated };
    }
    if (c === 10 && !multiLine) return { value: out + text.slice(runStart, i), end: i, interpolated };
    if (c === 36 /* $ */) {
      if (lang === 'kotlin' && q === 34 && isIdentStart(text.charCodeAt(i + 1))) {
        // a Kotlin template `$name`: a placeholder in its place, as for `${…}`
        let j = i + 2;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        out += text.slice(runStart, i) + ':__expr__';
        interpolated = true;
        i = runStart = j;
        continue;
      }
      if (((q === 96 && lang === 'typescript') || (lang === 'kotlin' && q === 34)) && text.charCodeAt(i + 1) === 123) {
        // template interpolation: the balanced expression skipped, a placeholder in its place
        const skip = interpolation(text, i);
        out += text.slice(runStart, i) + skip.placeholder;
        interpolated = true;
        i = runStart = skip.end;
        continue;
      }
      if (phpInterpolates && /[A-Za-z_{]/.test(text[i + 1] ?? '')) interpolated = true;
    }
    i++;
  }
  return { value: out + text.slice(runStart, n), end: n, interpolated };
}

/**
 * A C# string whose opening quote is at `start`: raw (three quotes or more, ending at as many), verbatim (`""` for a
 * quote, no escapes, over lines), or regular (backslash escapes, one line); interpolated ones give a placeholder for
 * each `{…}` (`{{` and `}}` are braces).
 */
function readCSharpString(text: string, start: number, verbatim: boolean, dollars: number): StringRead {
  const n = text.length;
  let quotes = 0;
  while (text.charCodeAt(start + quotes) === 34) quotes++;
  // a verbatim string opening with an escaped quote (@"""q"" x") is no raw string
  const raw = !verbatim && quotes >= 3;
  const interpolated = dollars > 0;
  if (!raw && quotes === 2) return { value: '', end: start + 2, interpolated: false }; // ""
  let i = start + (raw ? quotes : 1);
  let out = '';
  let runStart = i;
  let found = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (raw && c === 34 && text.startsWith('"'.repeat(quotes), i)) return { value: out + text.slice(runStart, i), end: i + quotes, interpolated: found };
    if (!raw && c === 34) {
      if (verbatim && text.charCodeAt(i + 1) === 34) {
        out += text.slice(runStart, i + 1);
        i = runStart = i + 2;
        continue;
      }
      return { value: out + text.slice(runStart, i), end: i + 1, interpolated: found };
    }
    if (!raw && !verbatim && c === 92 /* \ */ && i + 1 < n) {
      const e = text[i + 1]!;
      out += text.slice(runStart, i) + (e === 'n' || e === 't' || e === 'r' ? ' ' : e);
      i = runStart = i + 2;
      continue;
    }
    if (!raw && !verbatim && c === 10) return { value: out + text.slice(runStart, i), end: i, interpolated: found };
    if (raw && interpolated && c === 123) {
      // a raw interpolated string: as many braces as it has dollars open an interpolation ($$"""{{id}}"""); fewer are text
      let run = 0;
      while (text.charCodeAt(i + run) === 123) run++;
      if (run < dollars) {
        i += run;
        continue;
      }
      const close = text.indexOf('}'.repeat(dollars), i + run);
      const end = close < 0 ? n : close + dollars;
      out += text.slice(runStart, i + run - dollars) + ':__expr__' + '\n'.repeat(countNewlines(text, i, end));
      found = true;
      i = runStart = end;
      continue;
    }
    if (interpolated && !raw && c === 125 /* } */ && text.charCodeAt(i + 1) === 125) {
      out += text.slice(runStart, i + 1);
      i = runStart = i + 2;
      continue;
    }
    if (interpolated && !raw && c === 123 /* { */) {
      if (text.charCodeAt(i + 1) === 123) {
        out += text.slice(runStart, i + 1);
        i = runStart = i + 2;
        continue;
      }
      const end = closingBraceEnd(text, i + 1);
      out += text.slice(runStart, i) + ':__expr__' + '\n'.repeat(countNewlines(text, i, end));
      found = true;
      i = runStart = end;
      continue;
    }
    i++;
  }
  return { value: out + text.slice(runStart, n), end: n, interpolated: found };
}

/** `text[from, to)` is a Python string prefix: one or two of r, b, u, f (either case). */
function isPythonStringPrefix(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const lower = text.charCodeAt(k) | 0x20;
    if (lower !== 114 && lower !== 98 && lower !== 117 && lower !== 102) return false;
  }
  return true;
}

function isIdentStart(ch: number): boolean {
  return (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95 || ch > 127;
}

function isIdentPart(ch: number): boolean {
  return isIdentStart(ch) || (ch >= 48 && ch <= 57);
}

/** Parses a numeric token (with optional leading minus) into a number, or undefined. */
export function numericValue(tok: Token | undefined): number | undefined {
  if (!tok || tok.type !== 'num') return undefined;
  const raw = tok.value.replace(/_/g, '');
  const v = /^0[xX]/.test(raw) ? Number(raw) : Number(raw.replace(/[lLfFdDnjJ]$/, ''));
  return Number.isFinite(v) ? v : undefined;
}
