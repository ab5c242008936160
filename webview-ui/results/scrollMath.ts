/**
 * Scroll-space scaling for the virtual grid. Browsers cap an element's height (~33.5 M px in Chromium), so when
 * rows × rowHeight exceeds `maxPx` the spacer is capped and scroll positions map linearly onto the virtual height.
 */

/** Comfortably below every browser's limit. */
export const MAX_SCROLL_PX = 16_000_000;

export interface ScrollGeometry {
  /** Height of the virtual content (rowCount × rowHeight). */
  virtualHeight: number;
  /** Height given to the spacer element. */
  spacerHeight: number;
  viewportHeight: number;
  /** Virtual pixels per physical scroll pixel (1 when unscaled). */
  ratio: number;
}

export function scrollGeometry(rowCount: number, rowHeight: number, viewportHeight: number, maxPx = MAX_SCROLL_PX): ScrollGeometry {
  const virtualHeight = Math.max(0, rowCount) * rowHeight;
  if (virtualHeight <= maxPx) return { virtualHeight, spacerHeight: virtualHeight, viewportHeight, ratio: 1 };
  const physicalRange = Math.max(1, maxPx - viewportHeight);
  const virtualRange = Math.max(0, virtualHeight - viewportHeight);
  return { virtualHeight, spacerHeight: maxPx, viewportHeight, ratio: virtualRange / physicalRange };
}

/** Virtual offset of the viewport's top edge for a physical scrollTop. */
export function virtualTop(scrollTop: number, g: ScrollGeometry): number {
  const max = Math.max(0, g.virtualHeight - g.viewportHeight);
  return Math.min(max, Math.max(0, scrollTop * g.ratio));
}

/** Physical scrollTop that puts the viewport's top at a virtual offset. */
export function scrollTopFor(virtual: number, g: ScrollGeometry): number {
  return Math.max(0, virtual / g.ratio);
}

export interface RowRange { first: number; last: number }

/** Rows intersecting the viewport, widened by `overscan` rows each side; last is exclusive. */
export function visibleRange(top: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 0): RowRange {
  if (rowCount <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(rowCount, Math.ceil((top + viewportHeight) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

/** Virtual top that brings `row` fully into view with the least movement (unchanged when already visible). */
export function revealRowTop(row: number, currentTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = row * rowHeight;
  if (rowTop < currentTop) return rowTop;
  if (rowTop + rowHeight > currentTop + viewportHeight) return rowTop + rowHeight - viewportHeight;
  return currentTop;
}
