import type { Origin, OriginKind } from '../catalog/model';
import type { FileFacts } from './facts';

interface OriginHolder {
  origin: Origin;
}

/**
 * Everything in a file's facts that holds an origin, in a fixed order. Callers loop over the list: one small walker
 * and plain loops, where a walker taking callbacks was compiled again for each caller (costly on a cold index).
 */
function originHolders(facts: FileFacts): OriginHolder[] {
  const out: OriginHolder[] = [];
  for (const op of facts.ddl) {
    if (op.op === 'createTable') {
      const t = op.table;
      out.push(t);
      for (const c of t.columns) out.push(c);
      for (const k of t.constraints) out.push(k);
      if (t.tests) for (const x of t.tests) out.push(x);
    } else if (op.op === 'addColumn') out.push(op.column);
    else if (op.op === 'addConstraint') out.push(op.constraint);
    else if (op.origin) out.push(op);
  }
  for (const r of facts.tableRefs) out.push(r);
  for (const j of facts.joins) out.push(j);
  for (const c of facts.constants) out.push(c);
  return out;
}

/**
 * Facts can carry one copy of the file path per origin — hundreds per file. Points every origin's `file` equal to the
 * path at the facts' own path string, so a file's path is stored once. In place.
 */
export function compactFacts(facts: FileFacts): FileFacts {
  const file = facts.file;
  for (const h of originHolders(facts)) if (h.origin.file === file) h.origin.file = file;
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
  const holders = originHolders(facts);
  const originals = consume ? [] : holders.map((h) => h.origin);
  for (const h of holders) h.origin = packOrigin(h.origin, file) as Origin;
  for (const d of facts.diagnostics) if (d.file === file) d.file = SAME_FILE;
  try {
    return write();
  } finally {
    if (!consume) {
      holders.forEach((h, k) => (h.origin = originals[k]!));
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
  for (const h of originHolders(facts)) {
    const p = h.origin as unknown as PackedOrigin;
    if (Array.isArray(p)) h.origin = p.length === 3 ? { kind: p[0], file, line: p[1], column: p[2] } : { kind: p[0], file, line: p[1] };
  }
  for (const d of facts.diagnostics) if (d.file === SAME_FILE) d.file = file;
  return facts;
}
