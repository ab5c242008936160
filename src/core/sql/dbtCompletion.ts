/**
 * Completion inside dbt's `{{ ref('…') }}` and `{{ source('…', '…') }}`: the names dbt accepts there, from the catalog.
 */
import { dbtPackageOf, dbtResourceName, type TableDef } from '../catalog/model';

export interface DbtNameCompletion {
  name: string;
  /** A relation the name stands for (the source's first table, for a source name). */
  table: TableDef;
  resource: 'model' | 'seed' | 'snapshot' | 'source' | 'source table';
}

const REF_FIRST = /\bref\s*\(\s*['"][^'"]*$/;
const REF_SECOND = /\bref\s*\(\s*(['"])([^'"]+)\1\s*,\s*['"][^'"]*$/;
const SOURCE_FIRST = /\bsource\s*\(\s*['"][^'"]*$/;
const SOURCE_SECOND = /\bsource\s*\(\s*(['"])([^'"]+)\1\s*,\s*['"][^'"]*$/;

/**
 * What may be written at `offset` when it is inside the quotes of a ref() or source() argument in `{{ }}`; undefined
 * anywhere else. `ref('` offers models, seeds and snapshots (a versioned model once, by its name); `ref('pkg', '`
 * those of that package; `source('` the sources; `source('s', '` the tables of source s.
 */
export function dbtCompletionsAt(text: string, offset: number, tables: readonly TableDef[]): DbtNameCompletion[] | undefined {
  const before = text.slice(Math.max(0, offset - 400), offset);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return undefined;
  const call = before.slice(open);
  const byName = new Map<string, DbtNameCompletion>();
  const offer = (name: string, table: TableDef, resource: DbtNameCompletion['resource']): void => {
    if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), { name, table, resource });
  };
  const refPackage = REF_SECOND.exec(call)?.[2]?.toLowerCase();
  if (refPackage !== undefined || REF_FIRST.test(call)) {
    for (const t of tables) {
      const type = t.dbt?.resourceType;
      if (type !== 'model' && type !== 'seed' && type !== 'snapshot') continue;
      if (refPackage !== undefined && dbtPackageOf(t)?.toLowerCase() !== refPackage) continue;
      offer(t.dbt?.version?.of ?? dbtResourceName(t), t, type);
    }
    return [...byName.values()];
  }
  const source = SOURCE_SECOND.exec(call)?.[2]?.toLowerCase();
  if (source !== undefined || SOURCE_FIRST.test(call)) {
    for (const t of tables) {
      const name = t.dbt?.resourceType === 'source' ? t.dbt.sourceName : undefined;
      if (name === undefined) continue;
      if (source === undefined) offer(name, t, 'source');
      else if (name.toLowerCase() === source) offer(dbtResourceName(t), t, 'source table');
    }
    return [...byName.values()];
  }
  return undefined;
}
