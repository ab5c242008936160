import type { CellValue, ResultColumn } from '../../core/ports';

export interface StoredResult {
  columns: ResultColumn[];
  rows: CellValue[][];
}

/** Finished results kept for paging; the oldest are dropped beyond `capacity`. */
export class StoredResults {
  private readonly byId = new Map<string, StoredResult>();

  constructor(private readonly capacity: number) {}

  put(id: string, result: StoredResult): void {
    this.byId.delete(id);
    this.byId.set(id, result);
    while (this.byId.size > this.capacity) this.byId.delete(this.byId.keys().next().value as string);
  }

  /** A batch id pages the result of its last statement that returned rows. */
  alias(id: string, target: string): void {
    const result = this.byId.get(target);
    if (result) this.put(id, result);
  }

  get(id: string): StoredResult | undefined {
    return this.byId.get(id);
  }

  clear(): void {
    this.byId.clear();
  }
}
