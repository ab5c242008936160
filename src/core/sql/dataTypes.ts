import type { TypeFamily } from '../catalog/model';

const FAMILIES: Record<string, TypeFamily> = {
  smallint: 'integer', integer: 'integer', int: 'integer', int2: 'integer', int4: 'integer', int8: 'integer', bigint: 'integer',
  serial: 'integer', serial4: 'integer', serial8: 'integer', bigserial: 'integer', smallserial: 'integer', serial2: 'integer',
  numeric: 'numeric', decimal: 'numeric', money: 'numeric',
  real: 'float', float: 'float', float4: 'float', float8: 'float', 'double precision': 'float', double: 'float',
  char: 'text', character: 'text', varchar: 'text', 'character varying': 'text', nchar: 'text', nvarchar: 'text', bpchar: 'text',
  text: 'text', string: 'text', citext: 'text', name: 'text', 'national character': 'text', 'national character varying': 'text',
  boolean: 'boolean', bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp', timestamptz: 'timestamp', datetime: 'timestamp',
  'timestamp without time zone': 'timestamp', 'timestamp with time zone': 'timestamp',
  time: 'time', timetz: 'time', 'time without time zone': 'time', 'time with time zone': 'time',
  bytea: 'binary', varbyte: 'binary', varbinary: 'binary', 'binary varying': 'binary', binary: 'binary',
  json: 'json', jsonb: 'json', super: 'json',
};

/**
 * Canonical family of a type as written (`character varying(256)`, `NUMERIC(12,2)`, `int[]`, `pg_catalog.int4`).
 * Arrays are 'other'; unknown names are 'other'.
 */
export function typeFamilyOf(dataType: string): TypeFamily {
  // a workspace spells few distinct types (INTEGER, VARCHAR(256)…) many thousands of times
  let family = familyCache.get(dataType);
  if (family === undefined) {
    if (familyCache.size >= FAMILY_CACHE_LIMIT) familyCache.clear();
    familyCache.set(dataType, (family = computeTypeFamily(dataType)));
  }
  return family;
}

const familyCache = new Map<string, TypeFamily>();
const FAMILY_CACHE_LIMIT = 4096;

function computeTypeFamily(dataType: string): TypeFamily {
  let t = dataType.trim().toLowerCase();
  if (t.endsWith(']') || /\barray\b/.test(t)) return 'other';
  const paren = t.indexOf('(');
  if (paren >= 0) {
    // `timestamp(3) without time zone` keeps the words after the modifier
    const close = t.indexOf(')', paren);
    t = (t.slice(0, paren) + ' ' + (close >= 0 ? t.slice(close + 1) : '')).trim();
  }
  t = t.replace(/"/g, '').replace(/\s+/g, ' ');
  const dot = t.lastIndexOf('.');
  if (dot >= 0 && !t.slice(0, dot).includes(' ')) t = t.slice(dot + 1);
  return FAMILIES[t] ?? 'other';
}
