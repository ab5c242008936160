import type { DbtRefCall } from '../sql/types';
import type { TableDef } from './model';

/** The name `ref()` / `source()` give a catalog relation dbt builds or declares: its unique id's last part (a version's model). */
export function dbtNodeName(t: TableDef): string | undefined {
  if (t.dbt?.version) return t.dbt.version.of;
  return t.dbt?.uniqueId?.split('.').pop();
}

/** `ref:<model>` for a model, seed or snapshot (each version of a versioned model), `source:<source>.<table>`; lower case. */
export function dbtNodeKey(t: TableDef): string | undefined {
  const dbt = t.dbt;
  if (!dbt?.uniqueId) return undefined;
  if (dbt.resourceType === 'source') {
    const [, , source, table] = dbt.uniqueId.split('.');
    return source !== undefined && table !== undefined ? `source:${source}.${table}`.toLowerCase() : undefined;
  }
  if (dbt.resourceType !== 'model' && dbt.resourceType !== 'seed' && dbt.resourceType !== 'snapshot') return undefined;
  return `ref:${dbt.version?.of ?? dbt.uniqueId.split('.').slice(2).join('.')}`.toLowerCase();
}

/** The dbtNodeKey a `ref()` / `source()` call looks for. */
export function dbtCallKey(ref: DbtRefCall): string {
  const args = ref.args;
  return (ref.kind === 'ref' ? `ref:${args[args.length - 1]}` : `source:${args[0]}.${args[1]}`).toLowerCase();
}

/** A relation with the call's key answers it: a version to `ref('m', v=N)`, the latest to `ref('m')`, others unversioned. */
export function answersCall(t: TableDef, ref: DbtRefCall): boolean {
  if (ref.kind !== 'ref') return true;
  const version = t.dbt?.version;
  return version ? (ref.version === undefined ? version.latest : version.v === ref.version) : ref.version === undefined;
}

/**
 * How a dbt model reads a relation dbt builds or declares: `ref('m')` (with `v=` for a version not the latest) or
 * `source('s', 't')`, and the name a list shows for it. Undefined for what dbt neither builds nor declares.
 */
export function dbtReference(t: TableDef): { call: string; name: string } | undefined {
  const name = dbtNodeName(t);
  const dbt = t.dbt;
  if (!name || !dbt) return undefined;
  if (dbt.resourceType === 'source') return dbt.sourceName ? { call: `source('${dbt.sourceName}', '${name}')`, name: `${dbt.sourceName}.${name}` } : undefined;
  if (dbt.resourceType !== 'model' && dbt.resourceType !== 'seed' && dbt.resourceType !== 'snapshot') return undefined;
  if (!dbt.version || dbt.version.latest) return { call: `ref('${name}')`, name };
  // a version that is not a number is a string to Jinja
  const v = /^\d+(\.\d+)?$/.test(dbt.version.v) ? dbt.version.v : `'${dbt.version.v}'`;
  return { call: `ref('${name}', v=${v})`, name: `${name} v${dbt.version.v}` };
}

