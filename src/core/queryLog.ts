import type { StatementOutcome } from './ports';

/** The log's line for a query: its status and time, rows, each statement of a batch, and the error. */
export function outcomeLine(outcome: StatementOutcome, engine: string): string {
  const rows = (o: StatementOutcome): string => (o.resultRows !== undefined ? `, ${o.resultRows} ${o.resultRows === 1 ? 'row' : 'rows'}` : '');
  const subs = outcome.subStatements ?? [];
  const parts = subs.length > 1 ? subs.map((o, i) => `statement ${i + 1} ${o.status}${rows(o)}${o.error ? `: ${o.error}` : ''}`).join('; ') : '';
  const error = outcome.error && !parts ? `: ${outcome.error}` : '';
  return `Query ${outcome.id} ${outcome.status} on ${engine} in ${outcome.durationMs} ms${subs.length > 1 ? ` (${parts})` : rows(outcome)}${error}`;
}
