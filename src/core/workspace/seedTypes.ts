import type { TypeFamily } from '../catalog/model';

/**
 * The column types `dbt seed` gives a CSV column without `+column_types`, as dbt-core and dbt-postgres do it: agate's
 * type tester with dbt's own types, tried in order, the first that reads every value winning —
 *
 *   number (integer when no value has decimals, else float8) → date `%Y-%m-%d` → timestamp `%Y-%m-%d %H:%M:%S`
 *   → ISO 8601 timestamp (`T` separator, optional fraction and zone) → boolean (`true`/`false` only) → text.
 *
 * Empty and `null` (any case) are nulls. Numbers are read the way agate reads them: `-`, `%`, currency symbols and
 * `,` group separators are stripped, so `$1,200` and `5%` are numbers (1200 and 5); `t`/`f`, `yes`/`no` and `1`/`0`
 * are not booleans; `2024-01-02 03:04` (no seconds) is text. Checked against dbt-core 1.11 with dbt-postgres 1.11
 * (test/unit/workspace/seedTypes.dbt.test.ts).
 *
 * Where dbt's own load would fail, the type here is one a load that works needs: a column dbt declares `integer` is
 * `bigint` when a value is beyond integer's range (`numeric` beyond bigint's), and `float8` when it holds NaN or
 * Infinity.
 */
export interface SeedColumnType {
  dataType: string;
  typeFamily: TypeFamily;
  nullable: boolean;
  /**
   * A number column with values a database does not read as numbers (`$1,200`, `5%`): dbt loads the numbers agate
   * made of them, so a loader must write `normalizeSeedValue(value, dataType)` instead of the text.
   */
  needsNormalizing: boolean;
}

const INT4_MAX = 2147483647;
const INT8_MAX = 9223372036854775807;
const PLAIN_INTEGER = /^[+-]?\d+$/;
const PLAIN_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(nan|infinity|inf)$/i;
const CURRENCY = '؋$ƒ៛¥₡₱£€¢﷼₪₩₭₮₦฿₤₫';

/** What agate's Number makes of a value: the plain decimal text, or undefined when it is not a number. */
export function normalizeSeedNumber(raw: string): string | undefined {
  let d = raw.trim();
  d = stripChars(d, '%');
  let sign = '';
  if (d.startsWith('-')) {
    d = d.slice(1);
    sign = '-';
  }
  d = stripChars(d, CURRENCY).replaceAll(',', '');
  // Python's Decimal(): optional sign, digits with `_` between them, a fraction, an exponent; or NaN/Infinity
  const m = /^\s*([+-]?)((?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?)(?:[eE]([+-]?\d(?:_?\d)*))?\s*$/.exec(d);
  if (!m || !/\d/.test(m[2]!)) {
    const special = /^\s*([+-]?)(nan|snan|inf|infinity)\s*$/i.exec(d);
    if (!special) return undefined;
    if (/nan/i.test(special[2]!)) return 'NaN';
    return (sign === '-') !== (special[1] === '-') ? '-Infinity' : 'Infinity';
  }
  const innerSign = m[1] === '-' ? '-' : '';
  const body = m[2]!.replaceAll('_', '');
  const exponent = m[3] ? `e${m[3].replaceAll('_', '')}` : '';
  const negative = (sign === '-') !== (innerSign === '-');
  return `${negative ? '-' : ''}${body.startsWith('.') ? '0' : ''}${body}${exponent}`;
}

/**
 * The value a loader writes for `raw` in a number column of type `dataType` (see needsNormalizing): the number dbt
 * would load, written as PostgreSQL reads it; nulls and text that is no number are returned as they are.
 */
export function normalizeSeedValue(raw: string, dataType: string): string {
  const n = normalizeSeedNumber(raw);
  if (n === undefined) return raw;
  if (dataType === 'float8' || dataType === 'numeric' || n === 'NaN' || n.endsWith('Infinity') || /^-?\d+$/.test(n)) return n;
  // integer columns: `1e3` and `1.0` are 1000 and 1 (dbt's decimals were 0)
  const value = Number(n);
  return Number.isSafeInteger(value) ? String(value) : BigInt(Math.trunc(value)).toString();
}

function stripChars(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start]!)) start++;
  while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** Digits after the decimal point once trailing zeros are dropped (agate's MaxPrecision): `1.50` → 1, `1.0` → 0, `1e-3` → 3. */
function decimalPlaces(normalized: string): number {
  const [mantissa, exp] = normalized.replace(/^-/, '').split(/e/i);
  const [, fraction = ''] = mantissa!.split('.');
  const digits = fraction.replace(/0+$/, '').length;
  return Math.max(0, digits - Number(exp ?? 0));
}

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/;
// isodate.parse_datetime: a full date, `T`, hh[:mm[:ss[.fff]]] (or compact hhmm[ss]), and an optional Z / ±hh[:mm]
const ISO_DATETIME = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return day <= days;
}

function validTime(h: string, min: string, s = '0'): boolean {
  return Number(h) < 24 && Number(min) < 60 && Number(s) < 60;
}

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  return !!m && validDate(m[1]!, m[2]!, m[3]!);
}

function isDateTime(v: string): boolean {
  const m = DATETIME.exec(v);
  return !!m && validDate(m[1]!, m[2]!, m[3]!) && validTime(m[4]!, m[5]!, m[6]!);
}

function isIsoDateTime(v: string): boolean {
  const m = ISO_DATETIME.exec(v);
  return !!m && validDate(m[1]!, m[2]!, m[3]!) && validTime(m[4]!, m[5] ?? '0', m[6]);
}

/** Feeds values one at a time (a CSV is read row by row), then tells the column's type. */
class SeedTypeTester {
  private number = true;
  private date = true;
  private dateTime = true;
  private isoDateTime = true;
  private boolean = true;
  private decimals = 0;
  private beyondInt4 = false;
  private beyondInt8 = false;
  /** Every number written as PostgreSQL reads an integer, or a float8. */
  private plainInteger = true;
  private plainFloat = true;
  private nullable = false;

  add(raw: string | null | undefined): void {
    const v = (raw ?? '').trim();
    if (v === '' || v.toLowerCase() === 'null') {
      this.nullable = true;
      return;
    }
    if (this.number) {
      const n = normalizeSeedNumber(v);
      if (n === undefined) this.number = false;
      else {
        // NaN and ±Infinity are numbers to dbt too, but only a float column holds them
        if (n === 'NaN' || n.endsWith('Infinity')) this.decimals = Math.max(this.decimals, 1);
        else this.decimals = Math.max(this.decimals, decimalPlaces(n));
        const magnitude = Math.abs(Number(n));
        if (magnitude > INT4_MAX) this.beyondInt4 = true;
        if (magnitude > INT8_MAX) this.beyondInt8 = true;
        if (this.plainInteger && !PLAIN_INTEGER.test(v)) this.plainInteger = false;
        if (this.plainFloat && !PLAIN_FLOAT.test(v)) this.plainFloat = false;
      }
    }
    if (this.date && !isDate(v)) this.date = false;
    if (this.dateTime && !isDateTime(v)) this.dateTime = false;
    if (this.isoDateTime && !isIsoDateTime(v)) this.isoDateTime = false;
    if (this.boolean) {
      const b = v.replaceAll(',', '').trim().toLowerCase();
      if (b !== 'true' && b !== 'false') this.boolean = false;
    }
  }

  result(): SeedColumnType {
    const nullable = this.nullable;
    const plain = (dataType: string, typeFamily: TypeFamily): SeedColumnType => ({ dataType, typeFamily, nullable, needsNormalizing: false });
    if (this.number) {
      if (this.decimals > 0) return { dataType: 'float8', typeFamily: 'float', nullable, needsNormalizing: !this.plainFloat };
      if (this.beyondInt8) return { dataType: 'numeric', typeFamily: 'numeric', nullable, needsNormalizing: !this.plainFloat };
      return { dataType: this.beyondInt4 ? 'bigint' : 'integer', typeFamily: 'integer', nullable, needsNormalizing: !this.plainInteger };
    }
    if (this.date) return plain('date', 'date');
    if (this.dateTime || this.isoDateTime) return plain('timestamp without time zone', 'timestamp');
    if (this.boolean) return plain('boolean', 'boolean');
    return plain('text', 'text');
  }
}

/** The type of each of `columnCount` columns of CSV records (a missing field is a null). */
export function inferSeedColumns(columnCount: number, records: Iterable<ReadonlyArray<string | null | undefined>>): SeedColumnType[] {
  const testers = Array.from({ length: columnCount }, () => new SeedTypeTester());
  for (const record of records) for (let i = 0; i < columnCount; i++) testers[i]!.add(record[i]);
  return testers.map((t) => t.result());
}

/** The type of a column of values (see SeedTypeTester). */
export function inferSeedType(values: Iterable<string | null | undefined>): SeedColumnType {
  const tester = new SeedTypeTester();
  for (const v of values) tester.add(v);
  return tester.result();
}
