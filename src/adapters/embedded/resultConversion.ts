import type { CellValue, ResultColumn } from '../../core/ports';

/** PostgreSQL type OIDs the engine treats specially. */
export const PG_OID = {
  bool: 16,
  bytea: 17,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  jsonb: 3802,
} as const;

const raw = (value: string) => value;

/**
 * Parsers handed to PGlite: exact text for int8/numeric and Redshift-like text for dates, times and JSON,
 * instead of JS numbers, Dates and objects.
 */
export const RAW_TEXT_PARSERS: Record<number, (value: string) => unknown> = {
  [PG_OID.int8]: raw,
  [PG_OID.numeric]: raw,
  [PG_OID.date]: raw,
  [PG_OID.time]: raw,
  [PG_OID.timetz]: raw,
  [PG_OID.timestamp]: raw,
  [PG_OID.timestamptz]: raw,
  [PG_OID.interval]: raw,
  [PG_OID.json]: raw,
  [PG_OID.jsonb]: raw,
};

const KIND_BY_OID = new Map<number, ResultColumn['kind']>([
  [PG_OID.int2, 'integer'],
  [PG_OID.int4, 'integer'],
  [PG_OID.int8, 'integer'],
  [PG_OID.oid, 'integer'],
  [PG_OID.numeric, 'decimal'],
  [PG_OID.float4, 'float'],
  [PG_OID.float8, 'float'],
  [PG_OID.bool, 'boolean'],
  [PG_OID.text, 'text'],
  [PG_OID.varchar, 'text'],
  [PG_OID.bpchar, 'text'],
  [PG_OID.name, 'text'],
  [PG_OID.date, 'date'],
  [PG_OID.timestamp, 'timestamp'],
  [PG_OID.timestamptz, 'timestamp'],
]);

const KIND_BY_TYPNAME: Record<string, ResultColumn['kind']> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  numeric: 'decimal',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
};

/** Redshift spells JSON as SUPER; everything else keeps its PostgreSQL internal name (int4, varchar, …). */
export function redshiftTypeName(pgTypname: string): string {
  return pgTypname === 'jsonb' ? 'super' : pgTypname;
}

export function kindForTypname(typname: string): ResultColumn['kind'] {
  return KIND_BY_TYPNAME[typname] ?? 'other';
}

export function resultColumn(name: string, oid: number, typnames: Map<number, string>): ResultColumn {
  const typname = typnames.get(oid) ?? `oid:${oid}`;
  return { name, typeName: redshiftTypeName(typname), kind: KIND_BY_OID.get(oid) ?? kindForTypname(typname) };
}

function hex(bytes: Uint8Array): string {
  let s = '\\x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** One PGlite value → a CellValue: int8 stays exact (string beyond 2^53), NUMERIC as text. */
export function toCell(value: unknown, oid: number): CellValue {
  if (value === null || value === undefined) return null;
  if (oid === PG_OID.int8) {
    const text = String(value);
    const asNumber = Number(text);
    return Number.isSafeInteger(asNumber) ? asNumber : text;
  }
  if (oid === PG_OID.numeric) return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return hex(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
