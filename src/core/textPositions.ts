/**
 * 1-based line and column of offsets in a text; its line starts are found once, on the first call, and each lookup
 * is a binary search.
 */
export function textPositions(text: string): (offset: number) => { line: number; column: number } {
  let lineStarts: number[] | undefined;
  return (offset) => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
}
