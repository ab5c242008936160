import type { Token, TokenType } from './lexer';
import { countNewlines, interpolation } from './sourceText';

/**
 * Ruby for the code lexer: comments (`#`, `=begin`…`=end`, everything after `__END__`), strings ('…', "…" with
 * `#{…}` interpolation, backticks, `%q`/`%Q`/`%(…)`), heredocs (`<<~SQL`, `<<-SQL`, `<<SQL`, quoted ids; the body is
 * the token, at the line of its `<<`), symbols (`:name`, `:"name"`, read as strings: Rails passes names as symbols),
 * word and symbol arrays (`%w[a b]`, `%i[a b]`, read as the list `['a', 'b']`), regular expressions (read as
 * interpolated strings, so their brackets never count) and names with their sigils (`@x`, `@@x`, `$x`) and endings
 * (`valid?`, `save!`).
 */
export function tokenizeRuby(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  /** Heredocs opened on the current line: their bodies follow it, in order. */
  let heredocs: Array<{ token: Token; id: string; indented: boolean; interpolates: boolean }> = [];
  const push = (type: TokenType, value: string, at = line, interpolated = false, contentLine = at): void => {
    tokens.push({ type, value, line: at, contentLine, interpolated });
  };

  /** At the start of a line: skips an `=begin` … `=end` comment; false at `__END__` (the program ends there). */
  const lineStart = (): boolean => {
    if (text.startsWith('=begin', i) && !isNamePart(text.charCodeAt(i + 6))) {
      const end = text.indexOf('\n=end', i);
      const stop = end < 0 ? n : lineEnd(text, end + 1);
      line += countNewlines(text, i, stop);
      i = stop;
    } else if (text.startsWith('__END__', i) && (i + 7 >= n || text.charCodeAt(i + 7) === 10 || text.charCodeAt(i + 7) === 13)) return false;
    return true;
  };
  if (!lineStart()) return tokens;

  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      line++;
      i++;
      if (heredocs.length) {
        for (const h of heredocs) ({ i, line } = readHeredocBody(text, i, line, h));
        heredocs = [];
      }
      if (!lineStart()) break;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13 || ch === 12 || ch === 0xfeff) {
      i++;
      continue;
    }
    if (ch === 35 /* # */) {
      i = lineEnd(text, i);
      continue;
    }
    // a name, after its sigils (`@x`, `@@x`, `$x`)
    const sigils = ch === 64 ? (text.charCodeAt(i + 1) === 64 ? 2 : 1) : ch === 36 ? 1 : 0;
    if (isNameStart(text.charCodeAt(i + sigils))) {
      let j = i + sigils + 1;
      while (j < n && isNamePart(text.charCodeAt(j))) j++;
      // `valid?`, `save!` (not `a != b`)
      const end = text.charCodeAt(j);
      if ((end === 63 || end === 33) && text.charCodeAt(j + 1) !== 61 && sigils === 0) j++;
      push('id', text.slice(i, j));
      i = j;
      continue;
    }
    if (ch === 39 /* ' */ || ch === 34 /* " */ || ch === 96 /* ` */) {
      const r = readQuoted(text, i + 1, ch, ch !== 39);
      push('str', r.value, line, r.interpolated);
      line += countNewlines(text, i, r.end);
      i = r.end;
      continue;
    }
    if (ch === 58 /* : */) {
      const next = text.charCodeAt(i + 1);
      if (next === 58) {
        push('punct', '::');
        i += 2;
        continue;
      }
      // a symbol, where a name follows at once (`a ? b :c` is read as one too, which nothing here depends on)
      const prev = text.charCodeAt(i - 1);
      if (isNameStart(next) && !isNamePart(prev)) {
        let j = i + 2;
        while (j < n && isNamePart(text.charCodeAt(j))) j++;
        const e = text.charCodeAt(j);
        if ((e === 63 || e === 33 || e === 61) && text.charCodeAt(j + 1) !== 61 && text.charCodeAt(j + 1) !== 62) j++;
        push('str', text.slice(i + 1, j));
        i = j;
        continue;
      }
      if (next === 34 || next === 39) {
        const r = readQuoted(text, i + 2, next, next === 34);
        push('str', r.value, line, r.interpolated);
        line += countNewlines(text, i, r.end);
        i = r.end;
        continue;
      }
      push('punct', ':');
      i++;
      continue;
    }
    if (ch === 37 /* % */ && inOperandPosition(tokens, text, i)) {
      const read = percentLiteral(text, i);
      if (read) {
        if (read.words) {
          push('punct', '[');
          read.words.forEach((w, k) => {
            if (k) push('punct', ',');
            push('str', w);
          });
          push('punct', ']');
        } else push('str', read.value, line, read.interpolated);
        line += countNewlines(text, i, read.end);
        i = read.end;
        continue;
      }
    }
    if (ch === 47 /* / */ && inOperandPosition(tokens, text, i)) {
      const end = regexEnd(text, i + 1);
      if (end > 0) {
        push('str', text.slice(i + 1, end - 1), line, true);
        i = end;
        continue;
      }
    }
    if (ch === 60 /* < */ && text.charCodeAt(i + 1) === 60) {
      const h = /^<<([~-]?)(["'`]?)([A-Za-z_]\w*)\2/.exec(text.slice(i, i + 80));
      // `<<ID` bare only for an upper-case id (`list << item` appends)
      if (h && (h[1] || h[2] || /^[A-Z]/.test(h[3]!)) && inOperandPosition(tokens, text, i)) {
        push('str', '', line, h[2] !== "'");
        heredocs.push({ token: tokens[tokens.length - 1]!, id: h[3]!, indented: h[1] !== '', interpolates: h[2] !== "'" });
        i += h[0].length;
        continue;
      }
    }
    if (ch >= 48 && ch <= 57) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if ((d >= 48 && d <= 57) || d === 95 || (d >= 97 && d <= 122) || (d >= 65 && d <= 90)) j++;
        else if (d === 46 && text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57) j++;
        else break;
      }
      push('num', text.slice(i, j));
      i = j;
      continue;
    }
    const len = punctLength(text, i);
    push('punct', text.slice(i, i + len));
    i += len;
  }
  return tokens;
}

const PUNCT3 = new Set(['<=>', '===', '**=', '||=', '&&=', '...', '<<=', '>>=']);
const PUNCT2 = new Set(['=>', '->', '==', '!=', '<=', '>=', '&&', '||', '**', '<<', '>>', '+=', '-=', '*=', '/=', '&.', '..', '=~', '!~', '|=', '&=']);

function punctLength(text: string, i: number): number {
  if (PUNCT3.has(text.substr(i, 3))) return 3;
  if (PUNCT2.has(text.substr(i, 2))) return 2;
  return 1;
}

/** Reads a heredoc's body from `i` (the start of the line after its opener) through its terminator line. */
function readHeredocBody(text: string, i: number, line: number, h: { token: Token; id: string; indented: boolean; interpolates: boolean }): { i: number; line: number } {
  const n = text.length;
  const bodyStart = i;
  const startLine = line;
  while (i < n) {
    const eol = lineEnd(text, i);
    const content = text.slice(i, eol).replace(/\r$/, '');
    if ((h.indented ? content.trim() : content) === h.id) {
      h.token.value = text.slice(bodyStart, i).replace(/\r?\n$/, '');
      h.token.contentLine = startLine;
      h.token.interpolated = h.interpolates && /#\{/.test(h.token.value);
      return { i: eol < n ? eol + 1 : n, line: line + (eol < n ? 1 : 0) };
    }
    if (eol >= n) break;
    i = eol + 1;
    line++;
  }
  // unterminated: the rest of the file
  h.token.value = text.slice(bodyStart);
  h.token.contentLine = startLine;
  return { i: n, line };
}

/**
 * Reads a quoted run from `from` (after the opening quote) to its closing `quote`; with `interpolates`, `#{…}` is
 * kept as a bind-parameter placeholder (a value, never a column) and marks the string.
 */
function readQuoted(text: string, from: number, quote: number, interpolates: boolean, open = -1): { value: string; end: number; interpolated: boolean } {
  const n = text.length;
  let i = from;
  let out = '';
  let run = i;
  let interpolated = false;
  let depth = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ && i + 1 < n) {
      const e = text[i + 1]!;
      // single-quoted strings escape only the quote and the backslash
      if (!interpolates && e !== '\\' && text.charCodeAt(i + 1) !== quote) {
        i += 2;
        continue;
      }
      out += text.slice(run, i) + (e === '\n' ? '\n' : e === 'n' || e === 't' || e === 'r' ? ' ' : e);
      i += 2;
      run = i;
      continue;
    }
    if (c === open) depth++;
    else if (c === quote) {
      if (depth === 0) return { value: out + text.slice(run, i), end: i + 1, interpolated };
      depth--;
    } else if (interpolates && c === 35 /* # */ && text.charCodeAt(i + 1) === 123) {
      const skip = interpolation(text, i);
      out += text.slice(run, i) + skip.placeholder;
      interpolated = true;
      i = run = skip.end;
      continue;
    }
    i++;
  }
  return { value: out + text.slice(run, n), end: n, interpolated };
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** `%w[a b]`, `%i(a b)` (words), `%q(…)`, `%Q{…}`, `%(…)` (strings), `%r{…}` (a regular expression). */
function percentLiteral(text: string, i: number): { value: string; words?: string[]; end: number; interpolated: boolean } | undefined {
  let k = i + 1;
  const kind = /[wWiIqQr]/.test(text[k] ?? '') ? text[k++]! : 'Q';
  const delim = text[k];
  if (!delim || /[\w\s]/.test(delim)) return undefined;
  const close = CLOSERS[delim] ?? delim;
  const r = readQuoted(text, k + 1, close.charCodeAt(0), kind === 'Q' || kind === 'W' || kind === 'I' || kind === 'r', close !== delim ? delim.charCodeAt(0) : -1);
  if (kind === 'r') return { ...r, interpolated: true };
  if (/[wWiI]/.test(kind)) return { value: r.value, words: r.value.split(/\s+/).filter(Boolean), end: r.end, interpolated: false };
  return r;
}

/** End (just past the closing slash) of a regular expression starting after `/` at `from`, on its line; -1 if none. */
function regexEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return -1;
    if (c === 92) i++;
    else if (c === 47) {
      let j = i + 1;
      while (/[imxounse]/.test(text[j] ?? '')) j++;
      return j;
    }
  }
  return -1;
}

/** Words after which an expression starts (a `/` or `%` there opens a literal, not a division). */
const OPERAND_AFTER = new Set(['if', 'elsif', 'unless', 'while', 'until', 'when', 'and', 'or', 'not', 'return', 'then', 'do', 'puts', 'in']);

/**
 * Whether a `/`, `%` or `<<` at `i` starts a literal: after an operator, an opening bracket or a comma, at the start,
 * after a keyword, or after a method name with a space before it and none after (`split /,/`, `find_by_sql <<~SQL`).
 */
function inOperandPosition(tokens: Token[], text: string, i: number): boolean {
  const prev = tokens[tokens.length - 1];
  if (!prev) return true;
  if (prev.type === 'punct') return !(prev.value === ')' || prev.value === ']' || prev.value === '}');
  if (prev.type === 'id') {
    if (OPERAND_AFTER.has(prev.value)) return true;
    const spaceBefore = text.charCodeAt(i - 1) === 32;
    const after = text.charCodeAt(i + (text.charCodeAt(i) === 60 ? 2 : 1));
    return spaceBefore && after !== 32 && after !== 61 && /^[a-z_]/.test(prev.value);
  }
  return false;
}

function lineEnd(text: string, i: number): number {
  const eol = text.indexOf('\n', i);
  return eol < 0 ? text.length : eol;
}

function isNameStart(ch: number): boolean {
  return (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95 || ch > 127;
}

function isNamePart(ch: number): boolean {
  return isNameStart(ch) || (ch >= 48 && ch <= 57);
}
