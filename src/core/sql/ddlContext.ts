import type { Origin } from '../catalog/model';
import type { QueryAnalysis } from './queryAnalysis';
import type { Token } from './tokenizer';
import type { DdlOperation, ParseDiagnostic, QualifiedName, QueryFacts } from './types';
import { DEFAULT_SCHEMA } from '../catalog/model';

/** What the DDL statement parsers need from the file-level driver. */
export interface DdlContext {
  readonly text: string;
  readonly file: string;
  readonly tokens: Token[];
  origin(tok: Token | undefined): Origin;
  diagnostic(severity: ParseDiagnostic['severity'], message: string, tok: Token | undefined): void;
  /** Analyze a query body inside a DDL statement (view, CTAS); its facts join the file's query facts. */
  analyzeBody(from: number, to: number): QueryAnalysis;
  /** Query facts found some other way (a query inside a string), added to the file's. */
  queryFacts(facts: QueryFacts): void;
  emit(op: DdlOperation): void;
}

/** Source text covering tokens[from, to). */
export function sourceText(ctx: DdlContext, from: number, to: number): string {
  if (from >= to) return '';
  return ctx.text.slice(ctx.tokens[from].offset, ctx.tokens[to - 1].end);
}

/** DDL names default to the `public` schema. */
export function withDefaultSchema(q: QualifiedName): QualifiedName & { schema: string } {
  return { schema: q.schema ?? DEFAULT_SCHEMA, name: q.name };
}
