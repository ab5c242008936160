/** Small scans over source text that the code lexers and the indentation-based readers share. */

export function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

/** Index just past the `}` that closes a `{` whose contents start at `from` (nested braces counted), or the end. */
export function closingBraceEnd(text: string, from: number): number {
  let depth = 1;
  let j = from;
  while (j < text.length && depth > 0) {
    const d = text.charCodeAt(j);
    if (d === 123) depth++;
    else if (d === 125) depth--;
    j++;
  }
  return j;
}

/**
 * An interpolation (`${…}`, `#{…}`) whose sigil is at `at`: what it reads as in SQL, a bind parameter (a value, never a
 * column: `where t.id = ${id}` is no join) keeping its lines, and the index just past it.
 */
export function interpolation(text: string, at: number): { placeholder: string; end: number } {
  const end = closingBraceEnd(text, at + 2);
  return { placeholder: ':__expr__' + '\n'.repeat(countNewlines(text, at, end)), end };
}

/** Each line's indentation (spaces and tabs), by 0-based line. */
export function lineIndents(text: string): number[] {
  const indents: number[] = [];
  for (let at = 0; at <= text.length; ) {
    let k = at;
    while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
    indents.push(k - at);
    const eol = text.indexOf('\n', k);
    if (eol < 0) break;
    at = eol + 1;
  }
  return indents;
}
