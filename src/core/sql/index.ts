/** Public surface of the SQL foundation: tokenizer, splitter, file parser and query analysis. */
export { tokenize, stringValue, isTrivia, isKeyword, type Token, type TokenKind, type TokenizeOptions } from './tokenizer';
export { splitStatements, statementAt, type SqlStatement } from './splitter';
export { parseSql, type ParseSqlOptions, type SqlParseResult } from './ddlParser';
export { analyzeQuery, analyzeTokens, type AnalyzeOptions, type OutputColumn, type QueryAnalysis } from './queryAnalysis';
export { dbtRelationOf } from './jinja';
export { typeFamilyOf } from './dataTypes';
export type * from './types';
