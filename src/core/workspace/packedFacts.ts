import type { DdlOperation } from '../sql/types';
import { restoreOrigins, withOriginsPacked } from './compactFacts';
import type { FileFacts } from './facts';

/** Sizes of a file's aggregates, known without parsing its facts. */
export interface FactsCounts {
  joins: number;
  constants: number;
  diagnostics: number;
  /** ORM entities declared (left out when none). */
  entities?: number;
}

export function countsOf(f: FileFacts): FactsCounts {
  const counts: FactsCounts = { joins: f.joins.length, constants: f.constants.length, diagnostics: f.diagnostics.length };
  if (f.entities?.length) counts.entities = f.entities.length;
  return counts;
}

/** JSON text, as a string (from a worker) or UTF-8 bytes (from the cache file). */
export type JsonText = string | Uint8Array;

/**
 * A file's facts as JSON text, the DDL apart from the rest: how index workers send them and the cache stores them.
 * The catalog needs the DDL of every file, so only that is parsed up front; joins, references, constants and
 * diagnostics stay text until something reads them, and are written to the cache as they came. Origins in the file
 * itself are written short and paths elided (see withOriginsPacked).
 *
 * JSON rather than v8.serialize: on the facts of a 10k-file workspace JSON.stringify costs less than v8.serialize
 * (which in workers also churned external memory), and JSON.parse about half of v8.deserialize or of receiving a
 * structured clone. Object identity is not kept (an origin shared by two places is parsed twice).
 */
export interface PackedFacts {
  ddl: JsonText;
  rest: JsonText;
  counts: FactsCounts;
}

/** The facts as JSON text. The facts are not changed, unless `consume` (the caller drops them: not worth restoring). */
export function packFacts(facts: FileFacts, consume = false): PackedFacts {
  return withOriginsPacked(
    facts,
    () => {
      const ddl = facts.ddl;
      // the rest is the facts without their DDL: swapped out for the call (a spread copy costs ~5 µs a file on Node 20)
      facts.ddl = [];
      try {
        return { ddl: JSON.stringify(ddl), rest: JSON.stringify(facts), counts: countsOf(facts) };
      } finally {
        facts.ddl = ddl;
      }
    },
    consume,
  );
}

const utf8 = new TextDecoder();

function parse(text: JsonText): unknown {
  return JSON.parse(typeof text === 'string' ? text : utf8.decode(text));
}

/** The DDL operations of packed facts, with origins pointing at `file`. */
export function unpackDdl(file: string, ddl: JsonText): DdlOperation[] {
  const ops = parse(ddl) as DdlOperation[];
  if (ops.length) restoreOrigins({ file, kind: 'other', ddl: ops, tableRefs: [], joins: [], constants: [], diagnostics: [] }, file);
  return ops;
}

/** The whole facts; `ddl`, when already unpacked, is reused (so the catalog and the facts share the same objects). */
export function unpackFacts(file: string, packed: Pick<PackedFacts, 'ddl' | 'rest'>, ddl?: DdlOperation[]): FileFacts {
  const facts = restoreOrigins(parse(packed.rest) as FileFacts, file);
  facts.ddl = ddl ?? unpackDdl(file, packed.ddl);
  return facts;
}
