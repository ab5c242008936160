/**
 * Text formats for copying cells (and, in the host, for exporting). Pure: no DOM, no vscode.
 * NULL and the empty string stay distinct wherever the format allows it.
 */
import type { CellValue } from '../../src/core/ports';

export type CopyFormat = 'tsv' | 'csv' | 'json' | 'markdown';

export interface CopyColumn { name: string }

/** How a cell reads in the grid and in plain-text formats. */
export function cellText(v: CellValue): string {
  if (v === null) return 'NULL';
  return typeof v === 'string' ? v : String(v);
}

/**
 * One CSV field (RFC 4180): quoted when it holds the delimiter, a quote, CR/LF or leading/trailing blanks.
 * NULL is an empty unquoted field and the empty string is `""`, as PostgreSQL's COPY … CSV reads them.
 */
export function csvField(v: CellValue, delimiter = ','): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? v : String(v);
  if (s === '') return '""';
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || /^\s|\s$/.test(s)) {
    return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

export function csvLine(values: readonly CellValue[], delimiter = ','): string {
  let out = '';
  for (let i = 0; i < values.length; i++) out += (i > 0 ? delimiter : '') + csvField(values[i], delimiter);
  return out;
}

/** Unique JSON keys for the columns: a repeated name gets a suffix (`id`, `id_2`). */
export function jsonKeys(columns: readonly CopyColumn[]): string[] {
  const seen = new Map<string, number>();
  const used = new Set(columns.map((c) => c.name));
  return columns.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    if (n === 1) return c.name;
    let k = n;
    while (used.has(`${c.name}_${k}`)) k++;
    const key = `${c.name}_${k}`;
    used.add(key);
    return key;
  });
}

/** A JSON value for a cell: numbers stay numbers (non-finite ones become strings), exact decimal strings stay strings. */
export function jsonValue(v: CellValue): string | number | boolean | null {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

export function jsonRecord(keys: readonly string[], row: readonly CellValue[]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) obj[keys[i]] = jsonValue(row[i] ?? null);
  return obj;
}

function tsvField(v: CellValue): string {
  // Spreadsheet convention: NULL pastes as an empty cell; fields with tabs, newlines or quotes are quoted.
  if (v === null) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function markdownCell(v: CellValue): string {
  if (v === null) return '*NULL*';
  const s = typeof v === 'string' ? v : String(v);
  if (s === '') return '';
  return s
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\*/g, '\\*')
    .replace(/_/g, '\\_')
    .replace(/`/g, '\\`')
    .replace(/\r\n|\r|\n/g, '<br>');
}

export interface FormatOptions {
  /** Include a header line (TSV only; the other formats always name the columns). */
  headers?: boolean;
}

/** Formats a block of rows (already cut to the selected columns) as text to put on the clipboard. */
export function formatRows(format: CopyFormat, columns: readonly CopyColumn[], rows: readonly CellValue[][], options: FormatOptions = {}): string {
  switch (format) {
    case 'tsv': {
      const lines = rows.map((r) => r.map(tsvField).join('\t'));
      if (options.headers) lines.unshift(columns.map((c) => tsvField(c.name)).join('\t'));
      return lines.join('\n');
    }
    case 'csv': {
      const lines = [csvLine(columns.map((c) => c.name)), ...rows.map((r) => csvLine(r))];
      return lines.join('\n') + '\n';
    }
    case 'json': {
      const keys = jsonKeys(columns);
      return JSON.stringify(rows.map((r) => jsonRecord(keys, r)), null, 2);
    }
    case 'markdown': {
      const head = `| ${columns.map((c) => markdownCell(c.name)).join(' | ')} |`;
      const rule = `|${columns.map(() => ' --- ').join('|')}|`;
      const body = rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`);
      return [head, rule, ...body].join('\n') + '\n';
    }
  }
}
