import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { JoinPair } from '../../../src/core/sql/types';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';

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

/**
 * The joins of files (path → content) once their ORM classes are placed, as the indexer does it: each file extracted
 * in path order, each entity with its file.
 */
export function placedJoins(files: Record<string, string>): JoinPair[] {
  const facts = Object.keys(files)
    .sort()
    .map((file) => extractFile(file, Buffer.from(files[file]!), { dbtProjects: [] }));
  return resolveOrmEntities(
    facts.flatMap((f) => f.joins),
    facts.flatMap((f) => (f.entities ?? []).map((e) => ({ ...e, file: f.file }))),
  );
}

/** A join side as the ORM and schema-reader tests write it: `schema.table.column` (the schema when there is one). */
export const qualifiedColumn = (c: JoinPair['left']): string => `${c.table?.schema ? `${c.table.schema}.` : ''}${c.table?.name}.${c.column}`;

type Snapshot = Awaited<ReturnType<WorkspaceIndexer['indexAll']>>;

/**
 * Indexes a copy of the folder `fixture` (placed at `into` in a throw-away workspace) twice, cold and then warm from
 * the first index's cache (which must parse nothing), and runs `check` on each snapshot.
 */
export async function coldAndWarm(fixture: string, into: string, check: (snapshot: Snapshot, run: 'cold' | 'warm') => void): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'quarry-ws-'));
  const cache = mkdtempSync(path.join(tmpdir(), 'quarry-ws-cache-'));
  try {
    cpSync(fixture, path.join(root, into), { recursive: true });
    for (const run of ['cold', 'warm'] as const) {
      const indexer = new WorkspaceIndexer({ root, cacheDir: cache });
      try {
        const snapshot = await indexer.indexAll();
        if (run === 'warm') assert.equal(snapshot.stats.parsed, 0, 'the second start reads the cache');
        check(snapshot, run);
      } finally {
        await indexer.dispose();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}
