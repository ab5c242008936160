/**
 * PostgreSQL result columns → Data API ColumnMetadata and Field JSON. Rows arrive as raw PostgreSQL text so
 * int8 and numeric stay exact; Records JSON is written by hand so `longValue` keeps every digit on the wire,
 * exactly as the real service sends it.
 */
export interface PgField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
  tableID: number;
  columnID: number;
}

export type RawRow = (string | null)[];

type FieldKind = 'long' | 'double' | 'bool' | 'blob' | 'string';

const LONG_OIDS = new Set([20, 21, 23, 26]);
const DOUBLE_OIDS = new Set([700, 701]);
const TEXT_OIDS = new Set([25, 1042, 1043, 18, 19]);

function kindOf(oid: number): FieldKind {
  if (LONG_OIDS.has(oid)) return 'long';
  if (DOUBLE_OIDS.has(oid)) return 'double';
  if (oid === 16) return 'bool';
  if (oid === 17) return 'blob';
  return 'string';
}

const NULL_FIELD = '{"isNull":true}';

export type FieldEncoder = (v: string | null) => string;

function encoderFor(oid: number): FieldEncoder {
  switch (kindOf(oid)) {
    case 'long':
      return (v) => (v === null ? NULL_FIELD : `{"longValue":${v}}`);
    case 'double':
      return (v) =>
        v === null ? NULL_FIELD : Number.isFinite(Number(v)) ? `{"doubleValue":${v}}` : `{"stringValue":${JSON.stringify(v)}}`;
    case 'bool':
      return (v) => (v === null ? NULL_FIELD : `{"booleanValue":${v === 't' ? 'true' : 'false'}}`);
    case 'blob':
      return (v) =>
        v === null ? NULL_FIELD : `{"blobValue":"${Buffer.from(v.startsWith('\\x') ? v.slice(2) : v, 'hex').toString('base64')}"}`;
    default:
      return (v) => (v === null ? NULL_FIELD : `{"stringValue":${JSON.stringify(v)}}`);
  }
}

/** JSON text of `Records` for one page. */
export function encodeRecords(fields: PgField[], rows: RawRow[]): string {
  const enc = fields.map((f) => encoderFor(f.dataTypeID));
  const parts: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let s = '[';
    for (let c = 0; c < enc.length; c++) s += (c ? ',' : '') + enc[c](row[c]);
    parts[r] = s + ']';
  }
  return '[' + parts.join(',') + ']';
}

function csvCell(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text of one page for GetStatementResultV2 (no header row; names are in ColumnMetadata). */
export function encodeCsv(rows: RawRow[]): string {
  let s = '';
  for (const row of rows) s += row.map(csvCell).join(',') + '\n';
  return s;
}

export interface ColumnMetadataJson {
  isCaseSensitive: boolean;
  isCurrency: boolean;
  isSigned: boolean;
  label: string;
  name: string;
  nullable: number;
  precision: number;
  scale: number;
  schemaName: string;
  tableName: string;
  typeName: string;
  length: number;
  columnDefault?: string;
}

/** Redshift reports TEXT as varchar. */
export function redshiftTypeName(pgTypeName: string): string {
  return pgTypeName === 'text' ? 'varchar' : pgTypeName;
}

function precisionScale(oid: number, mod: number): [number, number] {
  switch (oid) {
    case 21:
      return [5, 0];
    case 23:
      return [10, 0];
    case 20:
      return [19, 0];
    case 700:
      return [8, 8];
    case 701:
      return [17, 17];
    case 16:
      return [1, 0];
    case 1082:
      return [13, 0];
    case 1114:
    case 1184:
      return [29, mod >= 0 ? mod : 6];
    case 1700:
      return mod >= 4 ? [((mod - 4) >> 16) & 0xffff, (mod - 4) & 0xffff] : [0, 0];
    case 1042:
    case 1043:
      return [mod >= 4 ? mod - 4 : 65535, 0];
    case 25:
      return [256, 0];
    default:
      return [0, 0];
  }
}

export function columnMetadata(
  field: PgField,
  typeNames: Map<number, string>,
  tables: Map<number, { schema: string; table: string }>,
): ColumnMetadataJson {
  const [precision, scale] = precisionScale(field.dataTypeID, field.dataTypeModifier);
  const kind = kindOf(field.dataTypeID);
  const table = tables.get(field.tableID);
  return {
    isCaseSensitive: TEXT_OIDS.has(field.dataTypeID),
    isCurrency: field.dataTypeID === 790,
    isSigned: kind === 'long' || kind === 'double' || field.dataTypeID === 1700,
    label: field.name,
    name: field.name,
    nullable: 1,
    precision,
    scale,
    schemaName: table?.schema ?? '',
    tableName: table?.table ?? '',
    typeName: redshiftTypeName(typeNames.get(field.dataTypeID) ?? String(field.dataTypeID)),
    length: 0,
  };
}
