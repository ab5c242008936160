import type { Origin } from '../catalog/model';
import type { FileFacts } from './facts';

/**
 * Calls `fn` on every origin a file's facts hold, and on every diagnostic (they carry `file` too). Visits only the
 * places origins live (a generic walk cost more time than it saved). An object shared by two places is visited twice.
 */
function forEachFileRef(facts: FileFacts, fn: (holder: { file?: string }) => void): void {
  const o = (origin: Origin | undefined): void => {
    if (origin) fn(origin);
  };
  for (const op of facts.ddl) {
    if (op.op === 'createTable') {
      const t = op.table;
      o(t.origin);
      for (const c of t.columns) o(c.origin);
      for (const k of t.constraints) o(k.origin);
      if (t.tests) for (const x of t.tests) o(x.origin);
    } else if (op.op === 'addColumn') o(op.column.origin);
    else if (op.op === 'addConstraint') o(op.constraint.origin);
    else o(op.origin);
  }
  for (const r of facts.tableRefs) o(r.origin);
  for (const j of facts.joins) o(j.origin);
  for (const c of facts.constants) o(c.origin);
  for (const d of facts.diagnostics) fn(d);
}

/**
 * Facts can carry one copy of the file path per origin — hundreds per file. Points every origin's `file` equal to the
 * path at the facts' own path string, so a file's path is stored once. In place.
 */
export function compactFacts(facts: FileFacts): FileFacts {
  const file = facts.file;
  forEachFileRef(facts, (h) => {
    if (h.file === file) h.file = file;
  });
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
  const file = facts.file;
  const elided: Array<{ file?: string }> = [];
  forEachFileRef(facts, (h) => {
    if (h.file === file) {
      h.file = SAME_FILE;
      elided.push(h);
    }
  });
  try {
    return write();
  } finally {
    for (const h of elided) h.file = file;
  }
}

/**
 * Undoes withFilePathsElided on deserialized facts: every marker becomes the facts' path, one shared string (`key`,
 * e.g. the cache's map key, when it is that path). In place.
 */
export function restoreFilePaths(facts: FileFacts, key?: string): FileFacts {
  const file = key === facts.file ? key : facts.file;
  facts.file = file;
  forEachFileRef(facts, (h) => {
    if (h.file === SAME_FILE) h.file = file;
  });
  return facts;
}
