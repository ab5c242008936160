/**
 * Minimal JSON scanning so big dbt artifacts are not materialised whole: find the value range of top-level keys,
 * then the entries of an object, and JSON.parse only the small slices that are needed.
 */

/** Index just past the JSON value starting at `i` (after whitespace), or -1 when malformed/truncated. */
export function skipValue(text: string, i: number): number {
  i = skipWs(text, i);
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 34) {
        j = skipString(text, j) - 1;
        if (j < 0) return -1;
      } else if (ch === 123 || ch === 91) depth++;
      else if (ch === 125 || ch === 93) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  // number, true, false, null
  let j = i;
  while (j < text.length && !/[\s,}\]]/.test(text[j]!)) j++;
  return j > i ? j : -1;
}

function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 92) j++;
    else if (ch === 34) return j + 1;
  }
  return -1;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/**
 * Iterates `key → [start, end)` of the members of the object starting at `start`.
 * Stops quietly on malformed input (the caller reports what it got).
 */
export function* objectMembers(text: string, start: number): Generator<{ key: string; start: number; end: number; truncated?: boolean }> {
  let i = skipWs(text, start);
  if (text[i] !== '{') return;
  i++;
  for (;;) {
    i = skipWs(text, i);
    if (text[i] === '}' || i >= text.length) return;
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] !== '"') return;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return;
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') return;
    const valueStart = skipWs(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) {
      // truncated input: hand out what is there, so its complete members can still be read
      if (valueStart < text.length) yield { key, start: valueStart, end: text.length, truncated: true };
      return;
    }
    yield { key, start: valueStart, end: valueEnd };
    i = valueEnd;
  }
}
