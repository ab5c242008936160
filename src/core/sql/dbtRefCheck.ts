import type { CatalogIndex } from '../catalog/catalogIndex';
import { dbtRelationOf } from './jinja';
import { tokenize } from './tokenizer';
import type { DbtRefCall } from './types';

/** A `{{ ref() }}` / `{{ source() }}` in a file that names nothing the workspace's dbt projects build or declare. */
export interface DanglingDbtRelation {
  call: DbtRefCall;
  /** The `{{ … }}` block: 1-based line and column of its start, 0-based offsets. */
  line: number;
  column: number;
  offset: number;
  end: number;
  message: string;
}

/**
 * The ref() and source() calls of a SQL file that resolve to no model, seed, snapshot or source of the catalog: a
 * deleted or renamed model, a typo. `dbt compile` would refuse them; the editor says so where they are written.
 */
export function danglingDbtRelations(text: string, index: CatalogIndex): DanglingDbtRelation[] {
  const out: DanglingDbtRelation[] = [];
  for (const tok of tokenize(text)) {
    const rel = tok.kind === 'jinja' ? dbtRelationOf(tok) : undefined;
    if (!rel) continue;
    const resolved = index.resolveRef({ name: rel.name, dbtRef: rel.dbtRef });
    if (resolved.table || resolved.candidates.length) continue;
    const args = rel.dbtRef.args.map((a) => `'${a}'`).join(', ');
    const what = rel.dbtRef.kind === 'ref' ? 'no model, seed or snapshot' : 'no source table';
    out.push({ call: rel.dbtRef, line: tok.line, column: tok.column, offset: tok.offset, end: tok.end, message: `${rel.dbtRef.kind}(${args}) names ${what} of the workspace's dbt projects` });
  }
  return out;
}
