import type { Origin } from '../catalog/model';
import type { FileFacts } from './facts';

/**
 * Facts that crossed from a worker (structured clone) carry one copy of the file path per origin — hundreds per
 * file. Points every origin's `file` equal to the path at the facts' own path string, so a file's path is stored
 * once. Walks only the places origins live (a generic walk cost more main-thread time than it saved). In place.
 */
export function compactFacts(facts: FileFacts): FileFacts {
  const file = facts.file;
  const o = (origin: Origin | undefined): void => {
    if (origin && origin.file === file) origin.file = file;
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
  for (const t of facts.dbtTests) o(t.test.origin);
  for (const d of facts.diagnostics) if (d.file === file) d.file = file;
  return facts;
}
