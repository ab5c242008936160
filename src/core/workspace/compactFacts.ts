import type { FileFacts } from './facts';

/**
 * Sets `file` to `to` wherever it equals `from`, on every origin a file's facts hold and on every diagnostic (they
 * carry `file` too). Visits only the places origins live (a generic walk cost more time than it saved); one plain
 * function rather than a walk with callbacks, so the optimizing compiler inlines it. In place.
 */
function replaceFilePaths(facts: FileFacts, from: string, to: string): void {
  for (const op of facts.ddl) {
    if (op.op === 'createTable') {
      const t = op.table;
      if (t.origin.file === from) t.origin.file = to;
      for (const c of t.columns) if (c.origin.file === from) c.origin.file = to;
      for (const k of t.constraints) if (k.origin.file === from) k.origin.file = to;
      if (t.tests) for (const x of t.tests) if (x.origin.file === from) x.origin.file = to;
    } else if (op.op === 'addColumn') {
      if (op.column.origin.file === from) op.column.origin.file = to;
    } else if (op.op === 'addConstraint') {
      if (op.constraint.origin.file === from) op.constraint.origin.file = to;
    } else if (op.origin?.file === from) op.origin.file = to;
  }
  for (const r of facts.tableRefs) if (r.origin.file === from) r.origin.file = to;
  for (const j of facts.joins) if (j.origin.file === from) j.origin.file = to;
  for (const c of facts.constants) if (c.origin.file === from) c.origin.file = to;
  for (const d of facts.diagnostics) if (d.file === from) d.file = to;
}

/**
 * Facts can carry one copy of the file path per origin — hundreds per file. Points every origin's `file` equal to the
 * path at the facts' own path string, so a file's path is stored once. In place.
 */
export function compactFacts(facts: FileFacts): FileFacts {
  replaceFilePaths(facts, facts.file, facts.file);
  return facts;
}

/** Stands for "this file" in persisted facts; a path never contains NUL. */
const SAME_FILE = '\0';

/**
 * Runs `write` while every origin/diagnostic `file` equal to the facts' own path is replaced by a one-byte marker
 * (serialized text repeats strings, and a path repeated per column was a third of the cache), then puts the paths back.
 * `write` must be synchronous: the facts are live.
 */
export function withFilePathsElided<T>(facts: FileFacts, write: () => T): T {
  replaceFilePaths(facts, facts.file, SAME_FILE);
  try {
    return write();
  } finally {
    replaceFilePaths(facts, SAME_FILE, facts.file);
  }
}

/**
 * Undoes withFilePathsElided on deserialized facts: every marker becomes the facts' path, one shared string (`key`,
 * e.g. the cache's map key, when it is that path). In place.
 */
export function restoreFilePaths(facts: FileFacts, key?: string): FileFacts {
  const file = key === facts.file ? key : facts.file;
  facts.file = file;
  replaceFilePaths(facts, SAME_FILE, file);
  return facts;
}
