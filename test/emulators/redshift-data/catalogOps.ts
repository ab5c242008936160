/** ListDatabases / ListSchemas / ListTables / DescribeTable answered from the PostgreSQL catalog, with offset paging. */
import type pg from 'pg';
import { validation } from './serviceError';
import { redshiftTypeName, type ColumnMetadataJson } from './wireTypes';

type Input = Record<string, unknown>;

export function encodeOffsetToken(kind: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: kind, o: offset })).toString('base64url');
}

export function decodeOffsetToken(kind: string, token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { k?: string; o?: number };
    if (parsed.k === kind && Number.isInteger(parsed.o) && (parsed.o as number) >= 0) return parsed.o as number;
  } catch {
    // fall through
  }
  throw validation('Invalid NextToken.');
}

function pageOf<T>(kind: string, items: T[], input: Input, defaultMax: number): { items: T[]; NextToken?: string } {
  const offset = decodeOffsetToken(kind, input.NextToken);
  const raw = input.MaxResults;
  const max = typeof raw === 'number' && raw > 0 ? Math.min(raw, 1000) : defaultMax;
  const slice = items.slice(offset, offset + max);
  const next = offset + max < items.length ? encodeOffsetToken(kind, offset + max) : undefined;
  return { items: slice, NextToken: next };
}

function likeToRegExp(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string' || pattern === '') return undefined;
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}

export async function listDatabases(pool: pg.Pool, input: Input): Promise<object> {
  const res = await pool.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname',
  );
  const page = pageOf('db', res.rows.map((r) => r.datname), input, 1000);
  return { Databases: page.items, NextToken: page.NextToken };
}

export async function listSchemas(pool: pg.Pool, input: Input): Promise<object> {
  const res = await pool.query<{ nspname: string }>(
    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%' ORDER BY nspname",
  );
  const re = likeToRegExp(input.SchemaPattern);
  const names = res.rows.map((r) => r.nspname).filter((n) => !re || re.test(n));
  const page = pageOf('schema', names, input, 1000);
  return { Schemas: page.items, NextToken: page.NextToken };
}

function tableType(schema: string, pgType: string): string {
  if (schema === 'pg_catalog' || schema === 'information_schema') return 'SYSTEM TABLE';
  if (pgType === 'VIEW') return 'VIEW';
  if (pgType === 'LOCAL TEMPORARY') return 'LOCAL TEMPORARY';
  return 'TABLE';
}

export async function listTables(pool: pg.Pool, input: Input): Promise<object> {
  const res = await pool.query<{ table_schema: string; table_name: string; table_type: string }>(
    'SELECT table_schema, table_name, table_type FROM information_schema.tables ORDER BY table_schema, table_name',
  );
  const sre = likeToRegExp(input.SchemaPattern);
  const tre = likeToRegExp(input.TablePattern);
  const tables = res.rows
    .filter((r) => (!sre || sre.test(r.table_schema)) && (!tre || tre.test(r.table_name)))
    .map((r) => ({ name: r.table_name, schema: r.table_schema, type: tableType(r.table_schema, r.table_type) }));
  const page = pageOf('table', tables, input, 1000);
  return { Tables: page.items, NextToken: page.NextToken };
}

export async function describeTable(pool: pg.Pool, input: Input): Promise<object> {
  const schema = typeof input.Schema === 'string' && input.Schema ? input.Schema : 'public';
  const table = typeof input.Table === 'string' ? input.Table : '';
  const res = await pool.query<{
    column_name: string;
    udt_name: string;
    is_nullable: string;
    numeric_precision: number | null;
    numeric_scale: number | null;
    character_maximum_length: number | null;
    datetime_precision: number | null;
    column_default: string | null;
  }>(
    `SELECT column_name, udt_name, is_nullable, numeric_precision, numeric_scale, character_maximum_length,
            datetime_precision, column_default
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  const columns: ColumnMetadataJson[] = res.rows.map((r) => ({
    isCaseSensitive: ['text', 'varchar', 'bpchar', 'name'].includes(r.udt_name),
    isCurrency: r.udt_name === 'money',
    isSigned: ['int2', 'int4', 'int8', 'float4', 'float8', 'numeric'].includes(r.udt_name),
    label: r.column_name,
    name: r.column_name,
    nullable: r.is_nullable === 'YES' ? 1 : 0,
    precision: r.character_maximum_length ?? r.numeric_precision ?? (r.datetime_precision !== null ? 29 : 0),
    scale: r.numeric_scale ?? r.datetime_precision ?? 0,
    schemaName: schema,
    tableName: table,
    typeName: redshiftTypeName(r.udt_name),
    length: 0,
    ...(r.column_default !== null ? { columnDefault: r.column_default } : {}),
  }));
  const page = pageOf('column', columns, input, 1000);
  return { TableName: table, ColumnList: page.items, NextToken: page.NextToken };
}
