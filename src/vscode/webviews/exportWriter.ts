/**
 * Streams a whole ResultSource to a file as CSV, JSON or JSON Lines, with backpressure, progress and cancellation.
 * No `vscode` import: the panel passes its progress reporter and cancellation token in through these small shapes.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { csvLine, jsonKeys, jsonRecord } from '../../../webview-ui/results/copyFormats';
import type { ExportFormat } from '../../shared/protocol/results';
import type { ResultSource } from './resultSource';

export interface ExportCancellation { readonly isCancellationRequested: boolean }
export type ExportProgress = (rowsWritten: number) => void;
export interface ExportOutcome { rows: number; cancelled: boolean }

/** Anything with the ResultSource read API (a ResultView exports the sorted/filtered rows). */
export type ExportableRows = Pick<ResultSource, 'columns' | 'getRows'>;

const CHUNK_ROWS = 5_000;

function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    stream.once('error', onError);
    const flushed = stream.write(text, 'utf8');
    const done = () => { stream.off('error', onError); resolve(); };
    if (flushed) done();
    else stream.once('drain', done);
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Writes every row (waiting for rows still streaming in) to `file`. On cancellation the partial file is removed.
 * CSV: header line, RFC 4180 quoting, NULL as an empty field, '' as `""`. JSON: one array of objects.
 * JSON Lines: one object per line. Exact BIGINT/NUMERIC strings are written as strings.
 */
export async function exportResultSource(
  source: ExportableRows,
  file: string,
  format: ExportFormat,
  progress?: ExportProgress,
  token?: ExportCancellation,
): Promise<ExportOutcome> {
  const stream = createWriteStream(file, { encoding: 'utf8' });
  const keys = jsonKeys(source.columns);
  let written = 0;
  try {
    if (format === 'csv') await write(stream, csvLine(source.columns.map((c) => c.name)) + '\n');
    if (format === 'json') await write(stream, '[');
    for (;;) {
      if (token?.isCancellationRequested) {
        await close(stream);
        await unlink(file).catch(() => undefined);
        return { rows: written, cancelled: true };
      }
      const rows = await source.getRows(written, CHUNK_ROWS);
      if (rows.length === 0) break;
      let text = '';
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (format === 'csv') text += csvLine(row) + '\n';
        else if (format === 'jsonl') text += JSON.stringify(jsonRecord(keys, row)) + '\n';
        else text += (written + i === 0 ? '\n' : ',\n') + JSON.stringify(jsonRecord(keys, row));
      }
      await write(stream, text);
      written += rows.length;
      progress?.(written);
      if (rows.length < CHUNK_ROWS) break;
    }
    if (format === 'json') await write(stream, written === 0 ? ']\n' : '\n]\n');
    await close(stream);
    return { rows: written, cancelled: false };
  } catch (err) {
    stream.destroy();
    throw err;
  }
}
