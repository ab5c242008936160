/** Data API ColumnMetadata / Field / DescribeStatement shapes → the QueryEngine port's types. */
import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { CellValue, ResultColumn, StatementOutcome, StatementStatus } from '../../../core/ports';

const INTEGER = new Set(['int2', 'int4', 'int8', 'smallint', 'integer', 'bigint', 'oid']);
const DECIMAL = new Set(['numeric', 'decimal']);
const FLOAT = new Set(['float4', 'float8', 'real', 'double precision', 'float']);
const TEXT = new Set(['varchar', 'bpchar', 'char', 'text', 'name', 'character varying', 'character', 'character_data']);
const TIMESTAMP = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);

export function columnKind(typeName: string): ResultColumn['kind'] {
  const t = typeName.toLowerCase();
  if (INTEGER.has(t)) return 'integer';
  if (DECIMAL.has(t)) return 'decimal';
  if (FLOAT.has(t)) return 'float';
  if (t === 'bool' || t === 'boolean') return 'boolean';
  if (TEXT.has(t)) return 'text';
  if (t === 'date') return 'date';
  if (TIMESTAMP.has(t)) return 'timestamp';
  return 'other';
}

export function toResultColumn(meta: ColumnMetadata): ResultColumn {
  const typeName = meta.typeName ?? 'unknown';
  return { name: meta.label ?? meta.name ?? '', typeName, kind: columnKind(typeName) };
}

/**
 * One Field → CellValue. Integers outside ±2^53 stay strings (they reach us as stringValue through
 * exactLongValues); NUMERIC is always a string; bytes become lowercase hex.
 */
export function toCell(field: Field): CellValue {
  if (field.isNull) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('hex');
  return null;
}

export function toRows(records: Field[][] | undefined): CellValue[][] {
  if (!records) return [];
  const rows: CellValue[][] = new Array(records.length);
  for (let r = 0; r < records.length; r++) {
    const rec = records[r];
    const row: CellValue[] = new Array(rec.length);
    for (let c = 0; c < rec.length; c++) row[c] = toCell(rec[c]);
    rows[r] = row;
  }
  return rows;
}

/** The subset of DescribeStatement output an outcome is built from (the parent and SubStatementData alike). */
export interface DescribedStatement {
  Id?: string;
  Status?: string;
  Error?: string;
  ResultRows?: number;
  HasResultSet?: boolean;
  Duration?: number;
  SubStatements?: DescribedStatement[];
}

function terminal(status: string | undefined): StatementOutcome['status'] {
  return status === 'FINISHED' || status === 'ABORTED' ? status : 'FAILED';
}

export function toOutcome(d: DescribedStatement): StatementOutcome {
  const outcome: StatementOutcome = {
    id: d.Id ?? '',
    status: terminal(d.Status),
    hasResultSet: d.HasResultSet ?? false,
    durationMs: d.Duration !== undefined && d.Duration >= 0 ? d.Duration / 1e6 : 0,
  };
  if (d.Error) outcome.error = d.Error;
  if (d.ResultRows !== undefined && d.ResultRows >= 0) outcome.resultRows = d.ResultRows;
  if (d.SubStatements?.length) outcome.subStatements = d.SubStatements.map((s) => toOutcome(s));
  return outcome;
}

/** Unknown statuses the live service sometimes reports (e.g. UNKNOWN) are shown as STARTED. */
export function toProgressStatus(status: string | undefined): StatementStatus {
  switch (status) {
    case 'SUBMITTED':
    case 'PICKED':
    case 'STARTED':
    case 'FINISHED':
    case 'FAILED':
    case 'ABORTED':
      return status;
    default:
      return 'STARTED';
  }
}
