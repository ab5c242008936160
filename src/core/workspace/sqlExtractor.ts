import { DEFAULT_SCHEMA, type ColumnDef, type Origin, type StarSource, type TableDef } from '../catalog/model';
import { columnFromOutput, starsOfTable } from '../sql/createStatements';
import { analyzeTokens } from '../sql/queryAnalysis';
import { splitStatements } from '../sql/splitter';
import { tokenize } from '../sql/tokenizer';
import { configuredKeys, type DbtResourceConfig } from './dbtProjectConfig';
import { emptyFacts, type FileFacts } from './facts';
import { parseSqlFile } from './sqlParser';

/** Plain SQL files: DDL operations, referenced tables and join pairs. */
export function extractSql(file: string, text: string): FileFacts {
  const facts = emptyFacts(file, 'sql');
  const parsed = parseSqlFile(text, file);
  facts.ddl = parsed.ddl;
  facts.tableRefs = parsed.tableRefs;
  facts.joins = parsed.joins;
  facts.diagnostics = parsed.diagnostics;
  return facts;
}

export interface DbtModelOptions {
  project?: string;
  /** What dbt_project.yml configures for this model (a `config()` in the model wins). */
  projectConfig?: DbtResourceConfig;
}

/**
 * A dbt model: a `dbtModel` relation named after the file (or its `alias`), with columns from the final select when
 * they can be read, plus the model's ref()/source() relations and join pairs.
 */
export function extractDbtModel(file: string, text: string, options: DbtModelOptions = {}): FileFacts {
  const facts = emptyFacts(file, 'dbt-model');
  const modelName = file.split('/').pop()!.replace(/\.sql$/i, '');
  const own = readModelConfig(text);
  const config = Object.assign({}, options.projectConfig, own);
  const origin: Origin = { kind: 'dbt-model', file, line: 1 };
  const columns: ColumnDef[] = [];
  let starsFrom: StarSource[] | undefined;
  try {
    // whitespace and comments: the splitter skips them, so they are not made (an unterminated comment still is)
    const statements = splitStatements(text, tokenize(text, { skipWhitespace: true, skipComments: true }));
    for (const stmt of statements) {
      if (stmt.unterminated) {
        const u = stmt.unterminated;
        facts.diagnostics.push({ severity: 'warning', message: `Unterminated ${u.kind}`, file, line: u.line, column: u.column });
      }
    }
    // the model's query is the last statement (earlier ones are pre-hooks written inline, rare)
    const stmt = statements[statements.length - 1];
    if (stmt) {
      const a = analyzeTokens(stmt.tokens, 0, stmt.tokens.length, file, 0, { originKind: 'dbt-model' });
      facts.tableRefs = a.tables;
      facts.joins = a.joins;
      const keptBefore: number[] = [];
      for (const c of a.outputColumns) {
        keptBefore.push(columns.length);
        if (!c.name || columns.some((x) => x.name.toLowerCase() === c.name.toLowerCase())) continue;
        columns.push(columnFromOutput(c, c.name, origin));
      }
      starsFrom = starsOfTable(a.starsFrom, a.outputColumns.length, (i) => keptBefore[i]!);
    }
  } catch (err) {
    facts.diagnostics.push({ severity: 'warning', message: `Could not analyze model SQL: ${(err as Error).message}`, file, line: 1, column: 1 });
  }
  const table: TableDef = {
    schema: config.schema ?? DEFAULT_SCHEMA,
    name: config.alias ?? modelName,
    kind: 'dbtModel',
    columns,
    constraints: [],
    dbt: { uniqueId: `model.${options.project ?? 'project'}.${modelName}`, resourceType: 'model', materialized: config.materialized },
    origin,
  };
  if (starsFrom) table.starsFrom = starsFrom;
  const configured = configuredKeys(own);
  if (configured) table.dbt!.configured = configured;
  facts.ddl.push({ op: 'createTable', table });
  return facts;
}

/** `{{ config(materialized='table', schema='marts', alias='x') }}` — string-valued keys only. */
export function readModelConfig(text: string): { materialized?: string; schema?: string; alias?: string } {
  const out: { materialized?: string; schema?: string; alias?: string } = {};
  const m = /\{\{-?\s*config\s*\(([\s\S]*?)\)\s*-?\}\}/.exec(text);
  if (!m) return out;
  const re = /\b(materialized|schema|alias)\s*=\s*(['"])([^'"]*)\2/g;
  for (let k = re.exec(m[1]!); k; k = re.exec(m[1]!)) out[k[1] as 'materialized' | 'schema' | 'alias'] = k[3];
  return out;
}
