import type { Origin, OriginKind } from '../catalog/model';
import type { FileFacts } from './facts';

/**
 * Calls `map` on every origin a file's facts hold and stores what it returns in its place. Visits only the places
 * origins live, in a fixed order (withOriginsPacked relies on it to put the originals back).
 */
function mapOrigins(facts: FileFacts, map: (o: Origin) => Origin): void {
  for (const op of facts.ddl) {
    if (op.op === 'createTable') {
      const t = op.table;
      t.origin = map(t.origin);
      for (const c of t.columns) c.origin = map(c.origin);
      for (const k of t.constraints) k.origin = map(k.origin);
      if (t.tests) for (const x of t.tests) x.origin = map(x.origin);
    } else if (op.op === 'addColumn') op.column.origin = map(op.column.origin);
    else if (op.op === 'addConstraint') op.constraint.origin = map(op.constraint.origin);
    else if (op.origin) op.origin = map(op.origin);
  }
  for (const r of facts.tableRefs) r.origin = map(r.origin);
  for (const j of facts.joins) j.origin = map(j.origin);
  for (const c of facts.constants) c.origin = map(c.origin);
}

/**
 * Facts can carry one copy of the file path per origin — hundreds per file. Points every origin's `file` equal to the
 * path at the facts' own path string, so a file's path is stored once. In place.
 */
export function compactFacts(facts: FileFacts): FileFacts {
  const file = facts.file;
  mapOrigins(facts, (o) => {
    if (o.file === file) o.file = file;
    return o;
  });
  for (const d of facts.diagnostics) if (d.file === file) d.file = file;
  return facts;
}

/**
 * An origin in this file as it is written out: `[kind, line]` or `[kind, line, column]`. Origins are most of the
 * facts' text (one per column, test and constraint; a dbt properties file's facts are twice its size), and the
 * extension host parses every file's DDL on a cold index: the short form makes that text a quarter smaller.
 */
type PackedOrigin = [OriginKind, number] | [OriginKind, number, number];

/** Stands for "this file" in a written diagnostic; a path never contains NUL. */
const SAME_FILE = '\0';

function packOrigin(o: Origin, file: string): Origin | PackedOrigin {
  if (o.file !== file || typeof o.line !== 'number' || o.connection !== undefined) return o;
  return typeof o.column === 'number' ? [o.kind, o.line, o.column] : [o.kind, o.line];
}

/**
 * Runs `write` (which serializes the facts) while every origin in the facts' own file is in its short form and every
 * diagnostic's path is a one-byte marker; then puts the originals back, unless `consume` (the caller drops the facts).
 * `write` must be synchronous: the facts are live.
 */
export function withOriginsPacked<T>(facts: FileFacts, write: () => T, consume = false): T {
  const file = facts.file;
  const originals: Origin[] = [];
  mapOrigins(facts, (o) => {
    if (!consume) originals.push(o);
    return packOrigin(o, file) as Origin;
  });
  for (const d of facts.diagnostics) if (d.file === file) d.file = SAME_FILE;
  try {
    return write();
  } finally {
    if (!consume) {
      let k = 0;
      mapOrigins(facts, () => originals[k++]!);
      for (const d of facts.diagnostics) if (d.file === SAME_FILE) d.file = file;
    }
  }
}

/**
 * Undoes withOriginsPacked on deserialized facts: short origins become origins in the facts' file, every marker that
 * file's path, one shared string (`key`, e.g. the cache's map key, when it is that path). In place.
 */
export function restoreOrigins(facts: FileFacts, key?: string): FileFacts {
  const file = key === facts.file ? key : facts.file;
  facts.file = file;
  mapOrigins(facts, (o) => {
    if (!Array.isArray(o)) return o;
    const p = o as unknown as PackedOrigin;
    return p.length === 3 ? { kind: p[0], file, line: p[1], column: p[2] } : { kind: p[0], file, line: p[1] };
  });
  for (const d of facts.diagnostics) if (d.file === SAME_FILE) d.file = file;
  return facts;
}
