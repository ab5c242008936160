import type { ColumnDef, DbtSnapshotConfig, Origin, StarSource, TableDef } from '../catalog/model';
import { columnFromOutput, starsOfTable } from '../sql/createStatements';
import { analyzeTokens } from '../sql/queryAnalysis';
import { splitStatements, type SqlStatement } from '../sql/splitter';
import { renderStaticJinja } from '../sql/jinjaRender';
import { tokenize, type Token } from '../sql/tokenizer';
import { plainConfigValue, readConfigCall, type ConfigLiteral } from './dbtConfigCall';
import { configuredKeys, type DbtResourceConfig } from './dbtProjectConfig';
import { addSnapshotColumns, mergeSnapshotConfigs, snapshotConfigOf } from './dbtSnapshotConfig';
import { emptyFacts, type FileFacts } from './facts';
import { parseSqlFile } from './sqlParser';
import { dbtSchemaOf, type DbtSchemaNaming } from './dbtSchemaNaming';

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
  /** Where dbt builds the project's relations, when its profiles.yml tells. */
  schemaNaming?: DbtSchemaNaming;
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
  let query: ModelQuery = { columns: [] };
  try {
    // whitespace and comments: the splitter skips them, so they are not made (an unterminated comment still is)
    // read as dbt renders it: `{% set %}` lists and `{% for %}` loops over them unrolled (a pivot's columns named)
    const model = renderedModel(text);
    const statements = splitStatements(model.text, model.tokens);
    for (const stmt of statements) {
      if (stmt.unterminated) {
        const u = stmt.unterminated;
        facts.diagnostics.push({ severity: 'warning', message: `Unterminated ${u.kind}`, file, line: u.line, column: u.column });
      }
    }
    const { query: selectTokens, captured } = separateCaptured(model.tokens, statements);
    // what `{% set %}` / `{% call statement() %}` bodies join is evidence, though it names no column
    for (const body of captured) {
      const a = analyzeTokens(body.tokens, 0, body.tokens.length, file, 0, { originKind: 'dbt-model' });
      // dbt renders a set body when it parses the project, so its refs are parents; a call body renders only when the
      // model runs (dbt then asks for a `-- depends_on:` comment), so they are not
      if (body.parsed) facts.tableRefs.push(...a.tables);
      facts.joins.push(...a.joins);
    }
    if (selectTokens) query = modelQuery(selectTokens, 0, selectTokens.length, facts, origin);
  } catch (err) {
    facts.diagnostics.push({ severity: 'warning', message: `Could not analyze model SQL: ${(err as Error).message}`, file, line: 1, column: 1 });
  }
  const { columns, starsFrom } = query;
  const table: TableDef = {
    schema: dbtSchemaOf(options.schemaNaming, config.schema),
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
  // a disabled model is no relation (dbt lists it apart); what its SQL reads and joins is still evidence
  if (config.enabled !== false) facts.ddl.push({ op: 'createTable', table });
  return facts;
}

/**
 * A model's text with its static Jinja rendered (see renderStaticJinja), tokenized; each token carries the line and
 * column it comes from in the file (a rendered value, those of its `{{ }}`), its offsets staying the rendered text's.
 */
export function renderedModel(text: string): { text: string; tokens: Token[] } {
  const rendered = renderStaticJinja(text);
  const tokens = tokenize(rendered.text, { skipWhitespace: true, skipComments: true });
  if (!rendered.changed) return { text, tokens };
  for (const tok of tokens) {
    const at = rendered.sourcePosition(tok.offset);
    tok.line = at.line;
    tok.column = at.column;
  }
  return { text: rendered.text, tokens };
}

/** `{% set x %}` (no `=`) opening a block whose body Jinja captures, `{% call … %}` one whose body a macro may render. */
const CAPTURE_OPEN = /^\{%[-+]?\s*(?:(set)\s+[A-Za-z_]\w*\s*(?:\|[^=]*)?|call\b[\s\S]*?)\s*[-+]?%\}$/;
const CAPTURE_CLOSE = /^\{%[-+]?\s*end(?:set|call)\s*[-+]?%\}$/;

/** The tokens of one capture block's body; `parsed` when dbt renders it while parsing (a set body, not a call body). */
interface CapturedBody {
  tokens: Token[];
  parsed: boolean;
}

/**
 * A model's select apart from the SQL its capture blocks hold. `{% set q %} select … {% endset %}` (for
 * `run_query(q)`) and `{% call statement('x') %} … {% endcall %}` are queries dbt runs while compiling; they render into
 * no output, so they name no column of the model. The select is the last statement with anything outside those blocks
 * (earlier statements are pre-hooks written inline, rare); each outermost block's tokens come back on their own.
 */
function separateCaptured(all: Token[], statements: SqlStatement[]): { query?: Token[]; captured: CapturedBody[] } {
  const regions: Array<{ from: number; to: number; parsed: boolean }> = [];
  let depth = 0;
  let open = { from: 0, parsed: true };
  for (const t of all) {
    if (t.kind !== 'jinja') continue;
    const opening = CAPTURE_OPEN.exec(t.text);
    if (opening) {
      if (depth++ === 0) open = { from: t.end, parsed: opening[1] === 'set' };
    } else if (depth > 0 && CAPTURE_CLOSE.test(t.text) && --depth === 0) regions.push({ ...open, to: t.offset });
  }
  if (depth > 0) regions.push({ ...open, to: Infinity }); // never closed: dbt fails to compile; the rest is no select either
  if (!regions.length) return { query: statements[statements.length - 1]?.tokens, captured: [] };
  const captured: CapturedBody[] = regions.map((r) => ({ tokens: [], parsed: r.parsed }));
  let query: Token[] | undefined;
  for (const stmt of statements) {
    const outside: Token[] = [];
    let r = 0;
    for (const t of stmt.tokens) {
      while (r < regions.length && regions[r]!.to <= t.offset) r++;
      if (r < regions.length && t.offset >= regions[r]!.from) captured[r]!.tokens.push(t);
      else outside.push(t);
    }
    if (outside.length) query = outside;
  }
  return { query, captured: captured.filter((c) => c.tokens.length > 0) };
}

interface ModelQuery {
  columns: ColumnDef[];
  starsFrom?: StarSource[];
}

/**
 * The select of a model or snapshot (tokens [from, to) of its file): its relations and joins go to `facts`; its output
 * columns (each named once) and the relations its stars read are returned.
 */
function modelQuery(tokens: Token[], from: number, to: number, facts: FileFacts, origin: Origin): ModelQuery {
  const a = analyzeTokens(tokens, from, to, facts.file, 0, { originKind: 'dbt-model' });
  facts.tableRefs.push(...a.tables);
  facts.joins.push(...a.joins);
  const columns: ColumnDef[] = [];
  const keptBefore: number[] = [];
  for (const c of a.outputColumns) {
    keptBefore.push(columns.length);
    if (!c.name || columns.some((x) => x.name.toLowerCase() === c.name.toLowerCase())) continue;
    // where the select list names it: hover and go to definition lead there, not to the model's first line
    columns.push(columnFromOutput(c, c.name, c.token ? { ...origin, line: c.token.line, column: c.token.column } : origin));
  }
  return { columns, starsFrom: starsOfTable(a.starsFrom, a.outputColumns.length, (i) => keptBefore[i]!) };
}

export interface DbtSnapshotOptions {
  project?: string;
  /** What dbt_project.yml configures for the snapshot of this name in the file (`+target_schema`, `+schema`…). */
  projectConfig?: (snapshot: string) => DbtResourceConfig | undefined;
  /** Where dbt builds the project's relations, when its profiles.yml tells. */
  schemaNaming?: DbtSchemaNaming;
}

/** A `{% snapshot name %} … {% endsnapshot %}` block of a file: its name and the tokens of its body. */
export interface SnapshotBlock {
  name: string;
  /** Tokens of the body: [from, to) of `tokens` (the file's, without whitespace and comments). */
  from: number;
  to: number;
  /** The body as written (its config() call and its select). */
  body: string;
  line: number;
  /** False when the file ends before `{% endsnapshot %}`. */
  closed: boolean;
}

const SNAPSHOT_TAG = /^\{%-?\s*(?:snapshot\s+([A-Za-z_][\w]*)|(endsnapshot))\s*-?%\}$/;

/** The snapshot blocks of a file, in order (tokens as `tokenize(text, { skipWhitespace: true, skipComments: true })`). */
export function snapshotBlocks(text: string, tokens: Token[]): SnapshotBlock[] {
  const blocks: SnapshotBlock[] = [];
  let open: { name: string; at: number; token: Token } | undefined;
  const close = (to: number, end: number, closed: boolean): void => {
    blocks.push({ name: open!.name, from: open!.at + 1, to, body: text.slice(open!.token.end, end), line: open!.token.line, closed });
    open = undefined;
  };
  tokens.forEach((t, i) => {
    if (t.kind !== 'jinja') return;
    const tag = SNAPSHOT_TAG.exec(t.text);
    if (!tag) return;
    if (tag[1]) {
      if (open) close(i, t.offset, false);
      open = { name: tag[1], at: i, token: t };
    } else if (open) close(i, t.offset, true);
  });
  if (open) close(tokens.length, text.length, false);
  return blocks;
}

/**
 * A snapshot file: a `dbtSnapshot` relation per `{% snapshot %}` block, in the schema its config (or dbt_project.yml)
 * gives, with the columns of its select and dbt's four `dbt_*` columns after them, plus its relations and joins.
 */
export function extractDbtSnapshots(file: string, text: string, options: DbtSnapshotOptions = {}): FileFacts {
  const facts = emptyFacts(file, 'dbt-snapshot');
  const tokens = tokenize(text, { skipWhitespace: true, skipComments: true });
  for (const t of tokens) {
    if (t.unterminated) facts.diagnostics.push({ severity: 'warning', message: `Unterminated ${t.kind}`, file, line: t.line, column: t.column });
  }
  for (const block of snapshotBlocks(text, tokens)) {
    const origin: Origin = { kind: 'dbt-snapshot', file, line: block.line };
    if (!block.closed) {
      facts.diagnostics.push({ severity: 'warning', message: `{% snapshot ${block.name} %} is not closed by {% endsnapshot %}`, file, line: block.line, column: 1 });
    }
    let query: ModelQuery = { columns: [] };
    try {
      query = modelQuery(tokens, block.from, block.to, facts, origin);
    } catch (err) {
      facts.diagnostics.push({ severity: 'warning', message: `Could not analyze snapshot SQL: ${(err as Error).message}`, file, line: block.line, column: 1 });
    }
    const call = readConfigCall(block.body);
    const own = readSnapshotConfig(call);
    const projectConfig = options.projectConfig?.(block.name);
    if ((configEnabledIn(call) ?? projectConfig?.enabled) === false) continue; // disabled: no relation
    // as dbt places snapshots: a target_schema (the block's, else dbt_project.yml's) wins over any schema
    const target = own.target_schema ?? projectConfig?.targetSchema;
    const schema = target ?? dbtSchemaOf(options.schemaNaming, own.schema ?? projectConfig?.schema);
    const columns = [...query.columns];
    // a star ending the select goes before dbt's columns, which a snapshot table has last
    const starsFrom = query.starsFrom?.map((st) => (st.at === undefined ? Object.assign({}, st, { at: columns.length }) : st));
    const ownSnapshotConfig = snapshotConfigOf(call);
    const snapshotConfig = mergeSnapshotConfigs(projectConfig?.snapshot, ownSnapshotConfig);
    addSnapshotColumns(columns, origin, snapshotConfig);
    const table: TableDef = {
      schema,
      name: own.alias ?? projectConfig?.alias ?? block.name,
      kind: 'dbtSnapshot',
      columns,
      constraints: [],
      dbt: { uniqueId: `snapshot.${options.project ?? 'project'}.${block.name}`, resourceType: 'snapshot', materialized: 'snapshot' },
      origin,
    };
    if (starsFrom) table.starsFrom = starsFrom;
    const configured = configuredKeys(own);
    if (configured) table.dbt!.configured = configured;
    if (target !== undefined) table.dbt!.schemaIsTarget = true;
    if (snapshotConfig) table.dbt!.snapshot = snapshotConfig;
    if (ownSnapshotConfig) table.dbt!.snapshotOwn = Object.keys(ownSnapshotConfig) as Array<keyof DbtSnapshotConfig>;
    facts.ddl.push({ op: 'createTable', table });
  }
  return facts;
}

/** Where a snapshot's `config(...)` puts it (string-valued keys only). */
function readSnapshotConfig(call: Record<string, ConfigLiteral> | undefined): Partial<Record<'target_schema' | 'schema' | 'alias', string>> {
  return plainKeys(call, ['target_schema', 'schema', 'alias']);
}

/** The keys of a `config(...)` call's arguments whose values are plain strings. */
function plainKeys<K extends string>(call: Record<string, ConfigLiteral> | undefined, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = plainConfigValue(call?.[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** `{{ config(materialized='table', schema='marts', alias='x') }}` — string-valued keys only, and `enabled`. */
export function readModelConfig(text: string): { materialized?: string; schema?: string; alias?: string; enabled?: boolean } {
  const call = readConfigCall(text);
  const config: { materialized?: string; schema?: string; alias?: string; enabled?: boolean } = plainKeys(call, ['materialized', 'schema', 'alias']);
  const enabled = configEnabledIn(call);
  if (enabled !== undefined) config.enabled = enabled;
  return config;
}

/** `enabled=false` (or `true`) in a `config(...)` call. */
function configEnabledIn(call: Record<string, ConfigLiteral> | undefined): boolean | undefined {
  const v = call?.['enabled'];
  return typeof v === 'boolean' ? v : undefined;
}
