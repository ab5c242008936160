import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { qualifiedName, quoteIdent } from '../../core/catalog/ddlWriter';
import { dbtPackageOf, dbtResourceName, relationKey, type DbtSnapshotConfig, type SnapshotMetaColumn, type TableDef } from '../../core/catalog/model';
import { compileDbtModel } from '../../core/sql/dbtCompile';
import { translateRedshiftToPostgres } from '../../core/sql/redshiftToPostgres';
import { tokenize } from '../../core/sql/tokenizer';
import { snapshotMetaColumns } from '../../core/workspace/dbtSnapshotConfig';
import { snapshotBlocks } from '../../core/workspace/sqlExtractor';
import type { EmbeddedRelationReport } from './loadReport';

export interface DbtModelBuildInput {
  /** The models to create as views (lower-case names). */
  models: TableDef[];
  /** Every catalog relation (lower-case names): what `ref()` and `source()` resolve against. */
  catalog: TableDef[];
  /** Folders a model's workspace-relative `origin.file` is tried against, in order. */
  roots: string[];
  ensureSchema(schema: string): Promise<void>;
  report(r: EmbeddedRelationReport): void;
}

interface Planned {
  model: TableDef;
  key: string;
  sql?: string;
  /** Keys of other models to build that this one refers to. */
  deps: Set<string>;
  error?: string;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readModelFile(model: TableDef, roots: string[]): Promise<{ text: string } | { error: string }> {
  const file = model.origin.file;
  if (!file) return { error: 'model file unknown' };
  if (roots.length === 0) return { error: `cannot read ${file}: no workspace root given` };
  for (const root of roots) {
    try {
      return { text: await fs.readFile(path.resolve(root, file), 'utf8') };
    } catch {
      // try the next root
    }
  }
  return { error: `cannot read ${file}` };
}


function plan(model: TableDef, fileText: string, input: DbtModelBuildInput, modelKeys: Set<string>): Planned {
  const key = relationKey(model.schema, model.name);
  const snapshot = model.kind === 'dbtSnapshot' ? snapshotQuery(model, fileText) : undefined;
  if (snapshot && 'error' in snapshot) return { model, key, deps: new Set(), error: snapshot.error };
  const text = snapshot ? snapshot.text : fileText;
  const deps = new Set<string>();
  const refable = input.catalog.filter((t) => t.kind === 'dbtModel' || t.kind === 'dbtSeed' || t.kind === 'dbtSnapshot');
  // what ref() and source() name, as the catalog has them
  const refTarget = (args: string[], version?: string): TableDef | undefined => {
    const name = args[args.length - 1].toLowerCase();
    const pkg = args.length > 1 ? args[0].toLowerCase() : undefined;
    // a versioned model: ref('m', v=2) is that version, ref('m') the latest
    const candidates = refable.filter((t) => {
      const v = t.dbt?.version;
      if (v) return v.of.toLowerCase() === name && (version === undefined ? v.latest : v.v === version);
      // by its dbt name, which an alias does not change
      return version === undefined && dbtResourceName(t).toLowerCase() === name;
    });
    return candidates.find((t) => pkg === undefined || dbtPackageOf(t)?.toLowerCase() === pkg) ?? candidates[0];
  };
  const sourceTarget = (source: string, table: string): TableDef | undefined => {
    const s = source.toLowerCase();
    const t = table.toLowerCase();
    return input.catalog.find((x) => x.dbt?.sourceName?.toLowerCase() === s && x.name === t);
  };
  const compiled = compileDbtModel(text, {
    ref(args, version) {
      const target = refTarget(args, version);
      if (!target) return undefined;
      const targetKey = relationKey(target.schema, target.name);
      if (modelKeys.has(targetKey)) deps.add(targetKey);
      return qualifiedName(target.schema, target.name);
    },
    source(source, table) {
      const target = sourceTarget(source, table);
      return target ? qualifiedName(target.schema, target.name) : qualifiedName(source.toLowerCase(), table.toLowerCase());
    },
    columnsOf(relation) {
      const { kind, args, version } = relation.dbtRef;
      const target = kind === 'ref' ? refTarget(args, version) : sourceTarget(args[0]!, args[1]!);
      return target?.columns.map((c) => c.name);
    },
    self: qualifiedName(model.schema, model.name),
  });
  if ('error' in compiled) return { model, key, deps, error: compiled.error };
  try {
    const sql = translateRedshiftToPostgres(compiled.sql).sql.replace(/[\s;]+$/, '');
    return { model, key, deps, sql: snapshot ? asFirstSnapshot(sql, model.dbt?.snapshot) : sql };
  } catch (err) {
    return { model, key, deps, error: `translating to PostgreSQL: ${errorMessage(err)}` };
  }
}

/**
 * What a snapshot selects, as a model's text to compile: its `{% snapshot %}` block in its file, or for one defined in
 * YAML (dbt 1.9+), `select *` from its `relation:`.
 */
function snapshotQuery(model: TableDef, fileText: string): { text: string } | { error: string } {
  if (model.origin.kind === 'dbt-yaml') {
    const ref = model.starsFrom?.[0]?.from.dbtRef;
    if (!ref) return { error: 'snapshot has no relation: to select from' };
    const args = ref.args.map((a) => `'${a.replace(/'/g, "\\'")}'`).join(', ');
    return { text: `select * from {{ ${ref.kind}(${args}) }}` };
  }
  const name = model.dbt?.uniqueId?.split('.').pop() ?? model.name;
  const block = snapshotBlocks(fileText, tokenize(fileText, { skipWhitespace: true, skipComments: true })).find((b) => b.name.toLowerCase() === name.toLowerCase());
  return block ? { text: block.body } : { error: `no {% snapshot ${name} %} block in ${model.origin.file}` };
}

/**
 * The snapshot as its first `dbt snapshot` leaves it: every row current (valid from now, or from `updated_at` under
 * the timestamp strategy, to null), with dbt's columns after the query's, named as its configs name them.
 */
function asFirstSnapshot(sql: string, config: DbtSnapshotConfig | undefined): string {
  const at = config?.strategy === 'timestamp' && config.updatedAt ? `cast(${config.updatedAt} as timestamp)` : 'cast(current_timestamp as timestamp)';
  const key = config?.uniqueKey?.length ? `${config.uniqueKey.map((k) => `coalesce(cast(${k} as varchar), '')`).join(" || '|' || ")} || '|' || ` : '';
  const values: Record<SnapshotMetaColumn, string> = {
    dbt_scd_id: `md5(${key}coalesce(cast(${at} as varchar), ''))`,
    dbt_updated_at: at,
    dbt_valid_from: at,
    dbt_valid_to: 'cast(null as timestamp)',
    dbt_is_deleted: "cast('False' as text)",
  };
  const columns = snapshotMetaColumns(config).map((c) => `  ${values[c.column]} as ${quoteIdent(c.name)}`);
  return ['select snapshot_query.*,', columns.join(',\n'), `from (\n${sql}\n) as snapshot_query`].join('\n');
}

/**
 * Creates each dbt model as a view over the relations it refers to, models after the models they `ref()`.
 * A model that cannot be compiled, translated or created, or whose dependencies failed, is skipped and reported.
 */
export async function buildDbtModels(db: PGlite, input: DbtModelBuildInput): Promise<void> {
  const modelKeys = new Set(input.models.map((m) => relationKey(m.schema, m.name)));
  const pending = new Map<string, Planned>();
  const done = new Map<string, boolean>();
  const skip = (m: TableDef, message: string) =>
    input.report({ schema: m.schema, name: m.name, kind: 'view', status: 'skipped', source: 'dbt', message: `dbt model ${m.origin.file ?? ''}: ${message}` });

  for (const model of input.models) {
    const read = await readModelFile(model, input.roots);
    const planned = 'error' in read ? { model, key: relationKey(model.schema, model.name), deps: new Set<string>(), error: read.error } : plan(model, read.text, input, modelKeys);
    if (planned.error) {
      skip(model, planned.error);
      done.set(planned.key, false);
    } else pending.set(planned.key, planned);
  }

  let progressed = true;
  while (pending.size && progressed) {
    progressed = false;
    for (const [key, p] of pending) {
      if ([...p.deps].some((d) => d !== key && pending.has(d))) continue;
      pending.delete(key);
      progressed = true;
      const failedDeps = [...p.deps].filter((d) => done.get(d) === false);
      if (p.deps.has(key)) {
        skip(p.model, 'refers to itself');
        done.set(key, false);
      } else if (failedDeps.length) {
        skip(p.model, `depends on ${failedDeps.join(', ')}, which was not created`);
        done.set(key, false);
      } else done.set(key, await createView(db, p, input));
    }
  }
  for (const p of pending.values()) {
    skip(p.model, `dependency cycle among ${[...pending.keys()].join(', ')}`);
  }
}

async function createView(db: PGlite, p: Planned, input: DbtModelBuildInput): Promise<boolean> {
  const { schema, name } = p.model;
  const base = { schema, name, kind: 'view' as const, source: 'dbt' as const };
  try {
    await input.ensureSchema(schema);
    // The newline keeps a trailing `--` comment from swallowing the terminator.
    await db.exec(`BEGIN; CREATE VIEW ${qualifiedName(schema, name)} AS\n${p.sql}\n; COMMIT;`);
    input.report({ ...base, status: 'created', message: `dbt model ${p.model.origin.file ?? ''}` });
    return true;
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    input.report({ ...base, status: 'failed', message: `dbt model ${p.model.origin.file ?? ''}: ${errorMessage(err)}` });
    return false;
  }
}
