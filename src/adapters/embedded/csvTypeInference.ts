import type { CsvField } from './csv';

/** PostgreSQL column types for CSV columns without a declared type, in the spirit of dbt's seed inference. */
export function inferColumnTypes(rows: CsvField[][], columnCount: number): string[] {
  const types: string[] = [];
  for (let c = 0; c < columnCount; c++) types.push(inferOne(rows, c));
  return types;
}

const INT = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOL = /^(true|false|t|f)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const INT4_MAX = 2147483647;

function inferOne(rows: CsvField[][], c: number): string {
  let isInt = true;
  let isBigint = false;
  let isDecimal = true;
  let isBool = true;
  let isDate = true;
  let isTimestamp = true;
  let isTimestamptz = true;
  let seen = 0;
  for (const row of rows) {
    const v = row[c];
    if (v === null || v === undefined) continue;
    const s = v.trim();
    if (s === '') continue;
    seen++;
    if (isInt && INT.test(s)) {
      if (Math.abs(Number(s)) > INT4_MAX) isBigint = true;
      // Leading zeros (zip codes, ids like 007) are text, not numbers.
      if (/^[+-]?0\d/.test(s)) isInt = isDecimal = false;
      if (s.replace(/^[+-]/, '').length > 18) isInt = false;
    } else isInt = false;
    if (isDecimal && !DECIMAL.test(s)) isDecimal = false;
    if (isBool && !BOOL.test(s)) isBool = false;
    if (isDate && !DATE.test(s)) isDate = false;
    if (isTimestamp && !TIMESTAMP.test(s) && !DATE.test(s)) isTimestamp = false;
    if (isTimestamptz && !TIMESTAMPTZ.test(s)) isTimestamptz = false;
    if (!isInt && !isDecimal && !isBool && !isDate && !isTimestamp && !isTimestamptz) return 'text';
  }
  if (seen === 0) return 'text';
  if (isInt) return isBigint ? 'bigint' : 'integer';
  if (isDecimal) return 'numeric';
  if (isBool) return 'boolean';
  if (isDate) return 'date';
  if (isTimestamp) return 'timestamp';
  if (isTimestamptz) return 'timestamptz';
  return 'text';
}
