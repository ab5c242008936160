/** What the embedded engine created and loaded, and what it had to skip — shown to the user, never thrown. */
export interface EmbeddedRelationReport {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  status: 'created' | 'failed' | 'skipped';
  /** Where the definition came from: the catalog, inferred from a CSV file alone, or a dbt model's SQL compiled locally. */
  source: 'catalog' | 'csv' | 'dbt';
  message?: string;
}

export interface EmbeddedFileReport {
  file: string;
  schema: string;
  table: string;
  rule: string;
  status: 'loaded' | 'failed' | 'skipped';
  rows?: number;
  durationMs?: number;
  message?: string;
}

export interface EmbeddedLoadReport {
  /** Creating tables/views and loading CSVs. */
  durationMs: number;
  /** Starting PGlite before loading; `fromSnapshot` when the cached initialised database was restored. */
  startup?: { durationMs: number; fromSnapshot: boolean };
  relations: EmbeddedRelationReport[];
  files: EmbeddedFileReport[];
  /** Degradations that did not stop loading (constraints dropped because data violates them, defaults removed, …). */
  warnings: string[];
}
