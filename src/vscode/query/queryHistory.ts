import * as vscode from 'vscode';

export interface HistoryEntry {
  sql: string;
  engine: string;
  /** Connection name, '' for the embedded engine. */
  connection: string;
  status: 'FINISHED' | 'FAILED' | 'ABORTED';
  startedAt: number;
  durationMs: number;
  rows?: number;
  error?: string;
  statementId?: string;
}

const KEY = 'quarry.queryHistory';
const MAX = 200;

/** Local query history (workspace state): newest first, capped. Parameter values are never stored. */
export class QueryHistory {
  constructor(private readonly state: vscode.Memento) {}

  entries(): HistoryEntry[] {
    return this.state.get<HistoryEntry[]>(KEY, []);
  }

  async add(entry: HistoryEntry): Promise<void> {
    const next = [entry, ...this.entries()].slice(0, MAX);
    await this.state.update(KEY, next);
  }

  async clear(): Promise<void> {
    await this.state.update(KEY, []);
  }
}
