import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { qualifiedName, quoteIdent, renderCreateTable } from '../../core/catalog/ddlWriter';
import { dbtResourceName, relationKey, type ColumnDef, type RelationKind, type TableDef } from '../../core/catalog/model';
import { parseCsv, readCsvHeader, stripBom, writeCsv } from './csv';
import { discoverCsvTargets, type CsvTarget } from './csvDiscovery';
import { buildDbtModels } from './dbtModels';
import { inferSeedColumns, normalizeSeedValue, type SeedColumnType } from '../../core/workspace/seedTypes';
import type { EmbeddedFileReport, EmbeddedLoadReport, EmbeddedRelationReport } from './loadReport';

export interface EmbeddedLoadInput {
  tables: TableDef[];
  dataDirs: string[];
  seedDirs: string[];
  seedSchema: string;
  defaultSchema: string;
  /** Folder catalog origins are relative to (dbt model files are read from it); else each data dir is tried. */
  workspaceRoot?: string;
}

// When several catalog entries describe one relation, the physical definition wins.
const KIND_PRIORITY: RelationKind[] = ['table', 'view', 'materializedView', 'externalTable', 'dbtSeed', 'dbtSource', 'dbtModel', 'dbtSnapshot'];
const isView = (t: TableDef) => t.kind === 'view' || t.kind === 'materializedView';

/** Redshift folds unquoted and (by default) quoted identifiers to lower case; the local copy does the same. */
function folded(table: TableDef): TableDef {
  return {
    ...table,
    schema: table.schema.toLowerCase(),
    name: table.name.toLowerCase(),
    columns: table.columns.map((c) => ({ ...c, name: c.name.toLowerCase() })),
    constraints: table.constraints.map((c) => ({
      ...c,
      name: c.name?.toLowerCase(),
      columns: c.columns.map((x) => x.toLowerCase()),
      references: c.references && { schema: c.references.schema?.toLowerCase(), table: c.references.table.toLowerCase(), columns: c.references.columns.map((x) => x.toLowerCase()) },
    })),
    distKey: table.distKey?.toLowerCase(),
  };
}

function dedupe(tables: TableDef[]): Map<string, TableDef> {
  const byKey = new Map<string, TableDef>();
  for (const raw of tables) {
    const t = folded(raw);
    const key = relationKey(t.schema, t.name);
    const existing = byKey.get(key);
    if (!existing || KIND_PRIORITY.indexOf(t.kind) < KIND_PRIORITY.indexOf(existing.kind)) byKey.set(key, t);
    else if (existing.kind === t.kind && existing.columns.length === 0 && t.columns.length > 0) byKey.set(key, t);
  }
  return byKey;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

class Loader {
  private readonly report: EmbeddedLoadReport = { durationMs: 0, relations: [], files: [], warnings: [] };
  private readonly fileText = new Map<string, string>();
  private readonly schemas = new Set<string>();
  /** Per table created from inferred types: its columns typed as numbers, with their types. */
  private readonly inferredNumbers = new Map<string, Map<string, string>>();

  constructor(
    private readonly db: PGlite,
    private readonly input: EmbeddedLoadInput,
  ) {}

  async run(): Promise<EmbeddedLoadReport> {
    const started = Date.now();
    const defs = dedupe(this.input.tables);
    const physical = [...defs.values()].filter((t) => !isView(t));
    const targets = await discoverCsvTargets({
      dataDirs: this.input.dataDirs,
      seedDirs: this.input.seedDirs,
      seedSchema: this.input.seedSchema,
      defaultSchema: this.input.defaultSchema,
      knownTables: new Set(physical.map((t) => relationKey(t.schema, t.name))),
      knownSeeds: new Map(physical.filter((t) => t.kind === 'dbtSeed').map((t) => [dbtResourceName(t).toLowerCase(), { schema: t.schema, table: t.name }])),
    });
    const filesByKey = new Map<string, CsvTarget[]>();
    for (const target of targets) {
      const key = relationKey(target.schema, target.table);
      if (defs.get(key) && isView(defs.get(key)!)) {
        this.report.files.push({ ...this.fileBase(target), status: 'skipped', message: 'target is a view' });
        continue;
      }
      // One file per table: a second file with the same target (a copy elsewhere in the workspace) would duplicate rows.
      const first = filesByKey.get(key)?.[0];
      if (first) {
        this.report.files.push({ ...this.fileBase(target), status: 'skipped', message: `${first.file} already fills ${key}` });
        continue;
      }
      filesByKey.set(key, [target]);
    }

    // A dbt model with a CSV of its own is a table filled from that file; the others are built from their SQL.
    const models = physical.filter((t) => (t.kind === 'dbtModel' || t.kind === 'dbtSnapshot') && !filesByKey.has(relationKey(t.schema, t.name)));
    const modelKeys = new Set(models.map((t) => relationKey(t.schema, t.name)));
    const keys = new Set([...physical.map((t) => relationKey(t.schema, t.name)).filter((k) => !modelKeys.has(k)), ...filesByKey.keys()]);
    for (const key of keys) {
      const def = defs.get(key);
      const files = filesByKey.get(key) ?? [];
      const created = await this.createTable(key, def && !isView(def) ? def : undefined, files);
      for (const target of files) {
        if (created) await this.loadFile(target);
        else this.report.files.push({ ...this.fileBase(target), status: 'skipped', message: 'table could not be created' });
      }
    }
    await this.createViews([...defs.values()].filter(isView));
    await this.createDbtModels(models, targets);
    this.report.durationMs = Date.now() - started;
    return this.report;
  }

  private fileBase(t: CsvTarget): Pick<EmbeddedFileReport, 'file' | 'schema' | 'table' | 'rule'> {
    return { file: t.file, schema: t.schema, table: t.table, rule: t.rule };
  }

  private async readFile(file: string): Promise<string> {
    let text = this.fileText.get(file);
    if (text === undefined) {
      text = stripBom(await fs.readFile(file, 'utf8'));
      this.fileText.set(file, text);
    }
    return text;
  }

  private async ensureSchema(schema: string): Promise<void> {
    if (this.schemas.has(schema)) return;
    await this.db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    this.schemas.add(schema);
  }

  private relation(r: Omit<EmbeddedRelationReport, 'kind'> & { kind?: EmbeddedRelationReport['kind'] }): void {
    this.report.relations.push({ kind: 'table', ...r });
  }

  /** Column types a CSV implies, by lower-case header name: the types `dbt seed` gives it (see seedTypes). */
  private async inferredTypes(file: string): Promise<Map<string, SeedColumnType>> {
    const rows = parseCsv(await this.readFile(file));
    const header = (rows.shift() ?? []).map((h) => (h ?? '').trim().toLowerCase());
    const types = inferSeedColumns(header.length, rows);
    return new Map(header.map((h, i) => [h, types[i]!]));
  }

  private async createTable(key: string, def: TableDef | undefined, files: CsvTarget[]): Promise<boolean> {
    const [schema, name] = key.split('.');
    let table: TableDef;
    try {
      table = await this.tableToCreate(schema, name, def, files);
    } catch (err) {
      this.relation({ schema, name, status: 'failed', source: def ? 'catalog' : 'csv', message: `reading ${files[0]?.file}: ${errorMessage(err)}` });
      return false;
    }
    if (table.columns.length === 0) {
      this.relation({ schema, name, status: 'skipped', source: 'catalog', message: 'no columns known' });
      return false;
    }
    await this.ensureSchema(schema);
    const attempts: Array<{ note?: string; table: TableDef; keys: boolean }> = [
      { table, keys: true },
      { table, keys: false, note: 'created without PRIMARY KEY/UNIQUE/CHECK constraints' },
      { table: { ...table, columns: table.columns.map((c) => ({ ...c, defaultExpr: undefined })) }, keys: false, note: 'created without constraints and DEFAULT expressions' },
    ];
    let lastError = '';
    for (const attempt of attempts) {
      const ddl = renderCreateTable(attempt.table, 'postgres', { includeForeignKeys: false, includeKeys: attempt.keys, includeChecks: attempt.keys });
      try {
        await this.db.exec(`BEGIN; ${ddl} COMMIT;`);
        if (attempt.note) this.report.warnings.push(`${key}: ${attempt.note} (${lastError})`);
        this.relation({ schema, name, status: 'created', source: def ? 'catalog' : 'csv', message: attempt.note });
        return true;
      } catch (err) {
        lastError = errorMessage(err);
        await this.db.exec('ROLLBACK').catch(() => undefined);
      }
    }
    this.relation({ schema, name, status: 'failed', source: def ? 'catalog' : 'csv', message: lastError });
    return false;
  }

  private async tableToCreate(schema: string, name: string, def: TableDef | undefined, files: CsvTarget[]): Promise<TableDef> {
    const needsInference = files.length > 0 && (!def || def.columns.length === 0 || def.columns.some((c) => !c.dataType && !c.typeFamily));
    const inferred = needsInference ? await this.inferredTypes(files[0].file) : new Map<string, SeedColumnType>();
    const origin = { kind: 'inference' as const, file: files[0]?.file };
    // columns typed here as numbers are read the way dbt reads them when loaded ($1,200 is 1200)
    const numbers = new Map<string, string>();
    const inferredType = (column: string): string => {
      const t = inferred.get(column);
      if (t && (t.typeFamily === 'integer' || t.typeFamily === 'float' || t.typeFamily === 'numeric')) numbers.set(column, t.dataType);
      return t?.dataType ?? 'text';
    };
    this.inferredNumbers.set(relationKey(schema, name), numbers);
    if (def && def.columns.length > 0) {
      return { ...def, columns: def.columns.map((c): ColumnDef => (c.dataType || c.typeFamily ? c : { ...c, dataType: inferredType(c.name) })) };
    }
    return {
      schema,
      name,
      kind: 'table',
      columns: [...inferred.keys()].filter((h) => h !== '').map((h) => ({ name: h, dataType: inferredType(h), origin })),
      constraints: def?.constraints ?? [],
      comment: def?.comment,
      origin: def?.origin ?? origin,
    };
  }

  private async tableColumns(schema: string, name: string): Promise<Set<string>> {
    const res = await this.db.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [schema, name],
    );
    return new Set(res.rows.map((r) => r.column_name));
  }

  private async loadFile(target: CsvTarget): Promise<void> {
    const started = Date.now();
    const base = this.fileBase(target);
    try {
      const text = await this.readFile(target.file);
      const header = readCsvHeader(text).map((h) => h.toLowerCase());
      if (header.length === 0 || header.every((h) => h === '')) {
        this.report.files.push({ ...base, status: 'skipped', message: 'empty file' });
        return;
      }
      const columns = await this.tableColumns(target.schema, target.table);
      const unknown = header.filter((h) => !columns.has(h));
      if (unknown.length) {
        this.report.files.push({ ...base, status: 'failed', message: `CSV columns not in ${target.schema}.${target.table}: ${unknown.join(', ')}` });
        return;
      }
      const rows = await this.copy(target, header, this.withNumbersNormalized(target, header, text));
      this.report.files.push({ ...base, status: 'loaded', rows, durationMs: Date.now() - started });
    } catch (err) {
      this.report.files.push({ ...base, status: 'failed', message: errorMessage(err), durationMs: Date.now() - started });
    }
  }

  /**
   * The CSV with the values of columns typed here as numbers written as PostgreSQL reads them, when any is not
   * (`$1,200`, `5%`, `1e3` in an integer column, `null`); else the text as it is.
   */
  private withNumbersNormalized(target: CsvTarget, header: string[], text: string): string {
    const numbers = this.inferredNumbers.get(relationKey(target.schema, target.table));
    const columns = header.map((h) => numbers?.get(h));
    if (!columns.some((t) => t)) return text;
    const records = parseCsv(text);
    let changed = false;
    for (let r = 1; r < records.length; r++) {
      const record = records[r]!;
      for (let i = 0; i < columns.length; i++) {
        const type = columns[i];
        const value = record[i];
        if (!type || value === null || value === undefined) continue;
        const trimmed = value.trim();
        const next = trimmed === '' || trimmed.toLowerCase() === 'null' ? null : normalizeSeedValue(value, type);
        if (next !== value) {
          record[i] = next;
          changed = true;
        }
      }
    }
    return changed ? writeCsv(records) : text;
  }

  private async copy(target: CsvTarget, header: string[], text: string): Promise<number> {
    const table = qualifiedName(target.schema, target.table);
    const sql = `COPY ${table} (${header.map(quoteIdent).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`;
    const run = async () => (await this.db.query(sql, [], { blob: new Blob([text]) })).affectedRows ?? 0;
    try {
      return await run();
    } catch (err) {
      // Redshift does not enforce PRIMARY KEY/UNIQUE/CHECK, so real data may violate them: drop them locally and retry.
      const code = errorCode(err);
      if (code !== '23505' && code !== '23514') throw err;
      const dropped = await this.dropUnenforcedConstraints(target.schema, target.table);
      this.report.warnings.push(`${target.schema}.${target.table}: data violates ${dropped.join(', ')} (${errorMessage(err)}); constraints dropped locally, as Redshift does not enforce them`);
      return run();
    }
  }

  private async dropUnenforcedConstraints(schema: string, table: string): Promise<string[]> {
    const res = await this.db.query<{ conname: string }>(
      `SELECT c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = $1 AND t.relname = $2 AND c.contype IN ('p', 'u', 'c')`,
      [schema, table],
    );
    for (const { conname } of res.rows) await this.db.exec(`ALTER TABLE ${qualifiedName(schema, table)} DROP CONSTRAINT ${quoteIdent(conname)}`);
    return res.rows.map((r) => r.conname);
  }

  private async createDbtModels(models: TableDef[], targets: CsvTarget[]): Promise<void> {
    if (models.length === 0) return;
    const catalog = this.input.tables.map(folded);
    const known = new Set(catalog.map((t) => relationKey(t.schema, t.name)));
    // Seeds the catalog does not know still load from their CSV, so ref() may name them.
    for (const t of targets) {
      if (t.rule !== 'dbt seed' || known.has(relationKey(t.schema, t.table))) continue;
      catalog.push({ schema: t.schema, name: t.table, kind: 'dbtSeed', columns: [], constraints: [], origin: { kind: 'dbt-seed', file: t.file } });
    }
    const roots = this.input.workspaceRoot ? [this.input.workspaceRoot] : this.input.dataDirs;
    await buildDbtModels(this.db, {
      models,
      catalog,
      roots: roots.map((r) => path.resolve(r)),
      ensureSchema: (schema) => this.ensureSchema(schema),
      report: (r) => this.report.relations.push(r),
    });
  }

  /** Views may depend on each other: retry until a pass makes no progress. */
  private async createViews(views: TableDef[]): Promise<void> {
    let pending = views;
    const errors = new Map<TableDef, string>();
    while (pending.length) {
      const next: TableDef[] = [];
      for (const view of pending) {
        if (!view.definitionSql) {
          this.relation({ schema: view.schema, name: view.name, kind: 'view', status: 'skipped', source: 'catalog', message: 'definition unknown' });
          continue;
        }
        try {
          await this.ensureSchema(view.schema);
          await this.db.exec(`BEGIN; ${renderCreateTable(view, 'postgres')} COMMIT;`);
          this.relation({ schema: view.schema, name: view.name, kind: 'view', status: 'created', source: 'catalog' });
        } catch (err) {
          await this.db.exec('ROLLBACK').catch(() => undefined);
          errors.set(view, errorMessage(err));
          next.push(view);
        }
      }
      if (next.length === pending.length) break;
      pending = next;
    }
    for (const view of pending) {
      if (!view.definitionSql) continue;
      this.relation({ schema: view.schema, name: view.name, kind: 'view', status: 'failed', source: 'catalog', message: errors.get(view) });
    }
  }
}

/** Creates schemas, tables and views from the catalog and loads CSV files. Never throws for one bad table or file. */
export function loadEmbeddedDatabase(db: PGlite, input: EmbeddedLoadInput): Promise<EmbeddedLoadReport> {
  return new Loader(db, input).run();
}
