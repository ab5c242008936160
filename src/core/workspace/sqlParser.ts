import { parseSql } from '../sql/ddlParser';
import type { DdlOperation, JoinPair, ParseDiagnostic, TableRef } from '../sql/types';

/** The one place the workspace layer calls the SQL parser, so a parser change touches one file. */
export interface ParsedSqlFile {
  ddl: DdlOperation[];
  tableRefs: TableRef[];
  joins: JoinPair[];
  diagnostics: ParseDiagnostic[];
}

export function parseSqlFile(text: string, file: string): ParsedSqlFile {
  try {
    // statements/tokens are not kept: facts are cached and cross threads
    const r = parseSql(text, file);
    return { ddl: r.ddl, tableRefs: r.queries.tables, joins: r.queries.joins, diagnostics: r.diagnostics };
  } catch (err) {
    return { ddl: [], tableRefs: [], joins: [], diagnostics: [{ severity: 'error', message: `SQL parser failed: ${(err as Error).message}`, file, line: 1, column: 1 }] };
  }
}
