/**
 * Rebuilds CREATE statements from the Catalog model: "Show Table DDL" without a warehouse (redshift dialect)
 * and the embedded engine's schema (postgres dialect: Redshift types translated, no ENCODE/DIST/SORT).
 */
import { translateRedshiftToPostgres } from '../sql/redshiftToPostgres';
import type { ColumnDef, ConstraintDef, TableDef, TypeFamily } from './model';

export type DdlDialect = 'redshift' | 'postgres';

export interface RenderDdlOptions {
  /** Default true. The embedded engine leaves foreign keys out so load order and dirty data cannot break loading. */
  includeForeignKeys?: boolean;
  /** Default true: PRIMARY KEY / UNIQUE. */
  includeKeys?: boolean;
  /** Default true. */
  includeChecks?: boolean;
  /** Default true: COMMENT ON statements after the CREATE. */
  includeComments?: boolean;
  /** postgres only: translates DEFAULT/CHECK expressions and view bodies. Defaults to the Redshift→PostgreSQL translator. */
  translateSql?: (sql: string) => string;
  /** For a reader: a column whose type the workspace does not tell gets its placeholder type marked so. Default false. */
  markUnknownTypes?: boolean;
}

/** Columns may carry IDENTITY(seed, step) explicitly; the model's `identity` flag alone means IDENTITY(1, 1). */
type ColumnWithIdentityArgs = ColumnDef & { identitySeed?: number; identityStep?: number };

const SIMPLE_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/;
// PostgreSQL and Redshift reserved words that must be quoted as identifiers.
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between binary both case cast check collate column ' +
    'constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user ' +
    'default deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in ' +
    'initially inner intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull ' +
    'null offset on only or order outer overlaps placing primary references returning right select session_user similar some ' +
    'symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when where window with ' +
    'timestamp open new off old tag top percent'
  ).split(' '),
);

/** True for words PostgreSQL or Redshift reserve (they must be quoted to serve as names or aliases). */
export function isReservedWord(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}

export function quoteIdent(name: string): string {
  return SIMPLE_IDENTIFIER.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedName(schema: string | undefined, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const FAMILY_TYPES: Record<TypeFamily, { redshift: string; postgres: string }> = {
  integer: { redshift: 'BIGINT', postgres: 'bigint' },
  numeric: { redshift: 'NUMERIC(38,10)', postgres: 'numeric' },
  float: { redshift: 'DOUBLE PRECISION', postgres: 'double precision' },
  text: { redshift: 'VARCHAR(256)', postgres: 'text' },
  boolean: { redshift: 'BOOLEAN', postgres: 'boolean' },
  date: { redshift: 'DATE', postgres: 'date' },
  timestamp: { redshift: 'TIMESTAMP', postgres: 'timestamp' },
  time: { redshift: 'TIME', postgres: 'time' },
  binary: { redshift: 'VARBYTE', postgres: 'bytea' },
  json: { redshift: 'SUPER', postgres: 'jsonb' },
  other: { redshift: 'VARCHAR(256)', postgres: 'text' },
};

/** Redshift type as written → PostgreSQL type. */
export function postgresTypeFor(redshiftType: string): string {
  const t = redshiftType.trim().replace(/\s+/g, ' ').toLowerCase();
  const m = /^([a-z_][a-z0-9_ ]*?)\s*(?:\(\s*([^)]*?)\s*\))?( with(?:out)? time zone)?$/.exec(t);
  if (!m) return t;
  const base = m[1];
  const args = m[2];
  const tz = m[3] ?? '';
  const withArgs = (name: string, a = args) => (a !== undefined && a !== '' ? `${name}(${a})` : name);
  const isMax = args === 'max';
  switch (base) {
    case 'varchar':
    case 'character varying':
    case 'nvarchar':
      return withArgs('varchar', isMax ? '65535' : args);
    case 'char':
    case 'character':
    case 'nchar':
    case 'bpchar':
      return withArgs('char', isMax ? '4096' : args);
    case 'varbyte':
    case 'varbinary':
    case 'binary varying':
      return 'bytea';
    case 'super':
      return 'jsonb';
    case 'hllsketch':
    case 'geometry':
    case 'geography':
      return 'text';
    case 'float':
      return 'double precision';
    case 'timestamp':
    case 'time':
      return `${base}${tz}`;
    default:
      return withArgs(base) + tz;
  }
}

function columnType(col: ColumnDef, dialect: DdlDialect): string {
  if (col.dataType) return dialect === 'postgres' ? postgresTypeFor(col.dataType) : col.dataType.toUpperCase();
  return FAMILY_TYPES[col.typeFamily ?? 'other'][dialect];
}

function identityArgs(col: ColumnWithIdentityArgs): { seed: string; step: string; fromDefault: boolean } | undefined {
  const fromDefault = col.defaultExpr ? /^\s*identity\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\s*$/i.exec(col.defaultExpr) : null;
  if (fromDefault) return { seed: fromDefault[1], step: fromDefault[2], fromDefault: true };
  if (!col.identity) return undefined;
  return { seed: String(col.identitySeed ?? 1), step: String(col.identityStep ?? 1), fromDefault: false };
}

function renderColumn(col: ColumnDef, table: TableDef, dialect: DdlDialect, translate: (sql: string) => string, markUnknown = false): string {
  const parts = [quoteIdent(col.name), columnType(col, dialect)];
  if (markUnknown && !col.dataType && (col.typeFamily ?? 'other') === 'other') parts.push('/* type unknown: a placeholder */');
  const identity = identityArgs(col);
  if (identity) {
    parts.push(
      dialect === 'redshift'
        ? `IDENTITY(${identity.seed}, ${identity.step})`
        : `GENERATED BY DEFAULT AS IDENTITY (START WITH ${identity.seed} INCREMENT BY ${identity.step})`,
    );
  }
  if (col.defaultExpr && !identity?.fromDefault) parts.push(`DEFAULT ${translate(col.defaultExpr)}`);
  if (dialect === 'redshift') {
    if (col.encoding) parts.push(`ENCODE ${col.encoding}`);
    if (col.distKey && !table.distKey) parts.push('DISTKEY');
  }
  if (col.nullable === false) parts.push('NOT NULL');
  else if (col.nullable === true && !identity) parts.push('NULL');
  return parts.join(' ');
}

function renderConstraint(c: ConstraintDef, translate: (sql: string) => string): string {
  const prefix = c.name ? `CONSTRAINT ${quoteIdent(c.name)} ` : '';
  const cols = c.columns.map(quoteIdent).join(', ');
  switch (c.kind) {
    case 'primaryKey':
      return `${prefix}PRIMARY KEY (${cols})`;
    case 'unique':
      return `${prefix}UNIQUE (${cols})`;
    case 'foreignKey': {
      const ref = c.references!;
      const refCols = ref.columns.length ? ` (${ref.columns.map(quoteIdent).join(', ')})` : '';
      return `${prefix}FOREIGN KEY (${cols}) REFERENCES ${qualifiedName(ref.schema, ref.table)}${refCols}`;
    }
    case 'check':
      return `${prefix}CHECK (${translate(c.expression ?? 'true')})`;
  }
}

function keepConstraint(c: ConstraintDef, options: RenderDdlOptions): boolean {
  if (c.kind === 'foreignKey') return options.includeForeignKeys !== false && !!c.references;
  if (c.kind === 'check') return options.includeChecks !== false;
  return options.includeKeys !== false;
}

function renderComments(table: TableDef, objectKind: 'TABLE' | 'VIEW'): string[] {
  const name = qualifiedName(table.schema, table.name);
  const out: string[] = [];
  if (table.comment !== undefined) out.push(`COMMENT ON ${objectKind} ${name} IS ${quoteLiteral(table.comment)};`);
  for (const col of table.columns) {
    if (col.comment !== undefined) out.push(`COMMENT ON COLUMN ${name}.${quoteIdent(col.name)} IS ${quoteLiteral(col.comment)};`);
  }
  return out;
}

/** The view body (the SELECT), whether definitionSql holds the body or a whole CREATE VIEW statement. */
export function viewBody(definitionSql: string): string {
  const trimmed = definitionSql.trim().replace(/;\s*$/, '');
  const m = /^create\s+(?:or\s+replace\s+)?(?:materialized\s+)?view\s+[\s\S]*?\bas\b\s*/i.exec(trimmed);
  return m ? trimmed.slice(m[0].length) : trimmed;
}

function renderView(table: TableDef, dialect: DdlDialect, options: RenderDdlOptions, translate: (sql: string) => string): string {
  const name = qualifiedName(table.schema, table.name);
  if (!table.definitionSql) return `-- ${table.kind} ${name}: definition unknown`;
  const materialized = table.kind === 'materializedView' ? 'MATERIALIZED ' : '';
  let body = viewBody(table.definitionSql);
  if (dialect === 'postgres') body = translate(body).replace(/\bwith\s+no\s+schema\s+binding\s*$/i, '');
  const lines = [`CREATE ${materialized}VIEW ${name} AS\n${body.trim()};`];
  if (options.includeComments !== false) lines.push(...renderComments(table, 'VIEW'));
  return lines.join('\n');
}

function defaultTranslate(dialect: DdlDialect): (sql: string) => string {
  if (dialect === 'redshift') return (sql) => sql;
  return (sql) => translateRedshiftToPostgres(sql).sql;
}

/** Renders CREATE TABLE (or CREATE VIEW) plus COMMENT ON statements, each statement ending with `;`. */
export function renderCreateTable(table: TableDef, dialect: DdlDialect, options: RenderDdlOptions = {}): string {
  const translate = options.translateSql ?? defaultTranslate(dialect);
  if (table.kind === 'view' || table.kind === 'materializedView') return renderView(table, dialect, options, translate);

  const name = qualifiedName(table.schema, table.name);
  const items = table.columns.map((c) => renderColumn(c, table, dialect, translate, options.markUnknownTypes));
  for (const c of table.constraints) if (keepConstraint(c, options)) items.push(renderConstraint(c, translate));

  const header = table.kind === 'externalTable' && dialect === 'redshift' ? `-- external table: location and format are not in the catalog\n` : '';
  let sql = `${header}CREATE TABLE ${name} (\n${items.map((i) => `    ${i}`).join(',\n')}\n)`;
  if (dialect === 'redshift') {
    if (table.distStyle) sql += `\nDISTSTYLE ${table.distStyle.toUpperCase()}`;
    if (table.distKey) sql += `\nDISTKEY (${quoteIdent(table.distKey)})`;
    if (table.sortKey && table.sortKey.columns.length) {
      sql += `\n${table.sortKey.style.toUpperCase()} SORTKEY (${table.sortKey.columns.map(quoteIdent).join(', ')})`;
    }
  }
  const lines = [`${sql};`];
  if (options.includeComments !== false) lines.push(...renderComments(table, 'TABLE'));
  return lines.join('\n');
}
