/**
 * RFC 4180 CSV reading: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes.
 * Stops after `maxRows` records but still counts the rest cheaply when asked.
 */

export interface CsvRead {
  rows: string[][];
  /** Total records in the text (including the ones not returned), header included. */
  recordCount: number;
  /** True when a quoted field was not closed before the end of the text. */
  unterminatedQuote: boolean;
  /** 1-based line where the unterminated quote opened. */
  unterminatedLine?: number;
}

export function detectDelimiter(firstLine: string): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestCount = 0;
  for (const d of candidates) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

export function readCsv(text: string, delimiter = ',', maxRows = Number.POSITIVE_INFINITY): CsvRead {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteLine = 0;
  let line = 1;
  let recordCount = 0;
  let fieldStarted = false;
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = (): void => {
    row.push(field);
    recordCount++;
    if (rows.length < maxRows) rows.push(row);
    row = [];
    field = '';
    fieldStarted = false;
  };
  for (; i < n; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
      // past the sample: only count records from here on
      if (rows.length >= maxRows) {
        recordCount += countRemainingRecords(text, i + 1);
        return { rows, recordCount, unterminatedQuote: false };
      }
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (field !== '' || row.length > 0 || fieldStarted) endRecord();
  return { rows, recordCount, unterminatedQuote: inQuotes, unterminatedLine: inQuotes ? quoteLine : undefined };
}

/** Counts records from `from` on, honouring quotes, without building fields. */
function countRemainingRecords(text: string, from: number): number {
  let count = 0;
  let inQuotes = false;
  let nonEmpty = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    if (!inQuotes && (c === 10 || c === 13)) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (nonEmpty) count++;
      nonEmpty = false;
    } else nonEmpty = true;
  }
  if (nonEmpty) count++;
  return count;
}
