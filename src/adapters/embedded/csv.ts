/**
 * A small RFC 4180 reader for type inference and headers. Loading itself goes through PostgreSQL's COPY,
 * which applies the same rules: an empty unquoted field is NULL, a quoted empty field ("") is the empty string.
 */

export type CsvField = string | null;

/** Removes a UTF-8 byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses CSV text into records; `limit` stops after that many records (header included). */
export function parseCsv(text: string, limit = Infinity): CsvField[][] {
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let i = 0;
  const n = text.length;
  let atRecordStart = true;
  while (i < n && records.length < limit) {
    let value: CsvField;
    if (text[i] === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          out += text.slice(j);
          j = n;
          break;
        }
        out += text.slice(j, q);
        if (text[q + 1] === '"') {
          out += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept, as PostgreSQL would reject it anyway.
      let k = j;
      while (k < n && text[k] !== ',' && text[k] !== '\n' && text[k] !== '\r') k++;
      value = out + text.slice(j, k);
      i = k;
    } else {
      let k = i;
      while (k < n && text[k] !== ',' && text[k] !== '\n' && text[k] !== '\r') k++;
      const raw = text.slice(i, k);
      value = raw === '' ? null : raw;
      i = k;
    }
    record.push(value);
    atRecordStart = false;
    if (text[i] === ',') {
      i++;
      if (i >= n) record.push(null);
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    records.push(record);
    record = [];
    atRecordStart = true;
    // Skip blank lines between records.
    while (i < n && (text[i] === '\n' || text[i] === '\r')) i++;
  }
  if (!atRecordStart && record.length) records.push(record);
  return records;
}

/** CSV text of records as parseCsv reads them back: null as an empty unquoted field, every string quoted. */
export function writeCsv(records: CsvField[][]): string {
  const field = (v: CsvField): string => (v === null ? '' : `"${v.replaceAll('"', '""')}"`);
  return records.map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/** The header record only, without reading the rest of the file. */
export function readCsvHeader(text: string): string[] {
  const [header] = parseCsv(stripBom(text), 1);
  return (header ?? []).map((h) => (h ?? '').trim());
}
