import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { JoinPair } from '../../../src/core/sql/types';

/** A throw-away folder with the given files (path → content). */
export function makeTree(files: Record<string, string | Uint8Array>): { root: string; write(rel: string, content: string | Uint8Array): void; cleanup(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'quarry-ws-'));
  const write = (rel: string, content: string | Uint8Array): void => {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  return { root, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A join side as the ORM and schema-reader tests write it: `schema.table.column` (the schema when there is one). */
export const qualifiedColumn = (c: JoinPair['left']): string => `${c.table?.schema ? `${c.table.schema}.` : ''}${c.table?.name}.${c.column}`;
