import type { ColumnDef } from './model';

/** Base-name aliases so `int4` and `integer`, `varchar` and `character varying` compare equal. */
const ALIASES: Record<string, string> = {
  int: 'integer', int4: 'integer', integer: 'integer',
  int2: 'smallint', smallint: 'smallint',
  int8: 'bigint', bigint: 'bigint',
  varchar: 'varchar', 'character varying': 'varchar', nvarchar: 'varchar', text: 'varchar',
  char: 'char', character: 'char', nchar: 'char', bpchar: 'char',
  numeric: 'numeric', decimal: 'numeric',
  float8: 'double precision', 'double precision': 'double precision', float: 'double precision',
  float4: 'real', real: 'real',
  bool: 'boolean', boolean: 'boolean',
  timestamp: 'timestamp', 'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz', 'timestamp with time zone': 'timestamptz',
};

/** Normalised type text for equality checks; undefined when the type is unknown. */
export function normalizeType(dataType: string | undefined): string | undefined {
  if (!dataType) return undefined;
  const t = dataType.toLowerCase().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')').trim();
  const m = /^([a-z ]+?)\s*(\(.*\))?$/.exec(t);
  if (!m) return t;
  const base = ALIASES[m[1]!] ?? m[1]!;
  return base + (m[2] ?? '');
}

/**
 * Describes how two column lists disagree, or returns undefined when they agree.
 * Types are compared only when both sides state one (dbt YAML and views often do not).
 */
export function describeColumnDifference(a: ColumnDef[], b: ColumnDef[]): string | undefined {
  const mapA = new Map(a.map((c) => [c.name.toLowerCase(), c]));
  const mapB = new Map(b.map((c) => [c.name.toLowerCase(), c]));
  const onlyA = [...mapA.keys()].filter((k) => !mapB.has(k));
  const onlyB = [...mapB.keys()].filter((k) => !mapA.has(k));
  const parts: string[] = [];
  if (onlyA.length) parts.push(`only in first: ${onlyA.join(', ')}`);
  if (onlyB.length) parts.push(`only in second: ${onlyB.join(', ')}`);
  for (const [k, ca] of mapA) {
    const cb = mapB.get(k);
    if (!cb) continue;
    const ta = normalizeType(ca.dataType);
    const tb = normalizeType(cb.dataType);
    if (ta && tb && ta !== tb) parts.push(`${k}: ${ca.dataType} vs ${cb.dataType}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}
