import { deserialize, serialize } from 'node:v8';
import type { DdlOperation } from '../sql/types';
import { restoreFilePaths, withFilePathsElided } from './compactFacts';
import type { FileFacts } from './facts';

/** Sizes of a file's aggregates, known without deserializing its facts. */
export interface FactsCounts {
  joins: number;
  constants: number;
  diagnostics: number;
}

export function countsOf(f: FileFacts): FactsCounts {
  return { joins: f.joins.length, constants: f.constants.length, diagnostics: f.diagnostics.length };
}

/**
 * A file's facts in serialized form, as the cache stores them: the DDL apart from the rest. On a warm start the
 * catalog comes from its own cache, and a changed file needs the DDL of the files it shares relations with only;
 * joins, references, constants and diagnostics stay bytes until something reads them. Paths inside are elided (see
 * withFilePathsElided).
 */
export interface PackedFacts {
  ddl: Uint8Array;
  rest: Uint8Array;
  counts: FactsCounts;
}

/** Serializes facts into their packed form. The facts are not changed. */
export function packFacts(facts: FileFacts): PackedFacts {
  return withFilePathsElided(facts, () => ({
    ddl: serialize(facts.ddl),
    rest: serialize({ ...facts, ddl: [] }),
    counts: countsOf(facts),
  }));
}

/** The DDL operations of packed facts, with origins pointing at `file`. */
export function unpackDdl(file: string, ddl: Uint8Array): DdlOperation[] {
  const ops = deserialize(ddl) as DdlOperation[];
  if (ops.length) restoreFilePaths({ file, kind: 'other', ddl: ops, tableRefs: [], joins: [], constants: [], diagnostics: [] }, file);
  return ops;
}

/** The whole facts; `ddl`, when already unpacked, is reused (so the catalog and the facts share the same objects). */
export function unpackFacts(file: string, packed: Pick<PackedFacts, 'ddl' | 'rest'>, ddl?: DdlOperation[]): FileFacts {
  const facts = restoreFilePaths(deserialize(packed.rest) as FileFacts, file);
  facts.ddl = ddl ?? unpackDdl(file, packed.ddl);
  return facts;
}
