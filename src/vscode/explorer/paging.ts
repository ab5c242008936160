/** How many children a long list shows at first, and how many more each “Show more…” adds. */
export const PAGE = 200;

/** One page of a list: the items shown, and how many more there are. */
export interface Page<T> {
  items: readonly T[];
  hidden: number;
}

/**
 * How much of each long list of the explorer tree is shown, by a key per list (a schema's tables, a live schema's
 * tables); every list starts at one page. One instance serves the whole tree, whichever source provides the nodes.
 * No vscode here.
 */
export class Paging {
  private readonly shown = new Map<string, number>();

  constructor(readonly size = PAGE) {}

  limit(key: string): number {
    return this.shown.get(key) ?? this.size;
  }

  /** Shows one more page of the list `key`. */
  more(key: string): void {
    this.shown.set(key, this.limit(key) + this.size);
  }

  /** Shows whole pages of the list `key` up to the item at `index`; whether that showed more than before. */
  reach(key: string, index: number): boolean {
    if (index < this.limit(key)) return false;
    this.shown.set(key, (Math.floor(index / this.size) + 1) * this.size);
    return true;
  }

  page<T>(key: string, items: readonly T[]): Page<T> {
    const limit = this.limit(key);
    return items.length > limit ? { items: items.slice(0, limit), hidden: items.length - limit } : { items, hidden: 0 };
  }
}

/** The label of the node that shows one more page: `Show 200 more of 9,800…`. */
export function showMoreLabel(hidden: number, size = PAGE): string {
  return `Show ${Math.min(size, hidden).toLocaleString('en-US')} more of ${hidden.toLocaleString('en-US')}…`;
}
