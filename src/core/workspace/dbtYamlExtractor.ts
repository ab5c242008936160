import type { ColumnDef, ConstraintDef, DbtTest, Origin, SemanticEntity, TableDef } from '../catalog/model';
import { typeFamilyOf } from '../sql/dataTypes';
import { dbtRelationIn } from '../sql/jinja';
import type { DdlOperation, ParseDiagnostic } from '../sql/types';
import { plainConfigValue as plainValue } from './dbtConfigCall';
import { configuredKeys, readPathConfigs, type DbtResourceConfig } from './dbtProjectConfig';
import { DEFAULT_SNAPSHOT_PATHS } from './classify';
import { emptyFacts, type FileFacts } from './facts';
import { addSnapshotColumns, mergeSnapshotConfigs, snapshotConfigOf } from './dbtSnapshotConfig';
import { readYamlTree, yGet, yItems, yJs, yStr, type YNode } from './yamlTree';
import { dbtSchemaOf, type DbtSchemaNaming } from './dbtSchemaNaming';

export interface DbtYamlOptions {
  /** Name of the dbt project the file belongs to (for unique ids). */
  project?: string;
  /** Always parse with the `yaml` package (tests compare it with the fast reader). */
  libraryParser?: boolean;
  /** What dbt_project.yml configures for a snapshot this file defines, by its name. */
  snapshotConfig?: (name: string) => DbtResourceConfig | undefined;
  /** Where dbt builds the project's relations, when its profiles.yml tells. */
  schemaNaming?: DbtSchemaNaming;
}

export type DbtProjectInfo = NonNullable<FileFacts['dbtProject']>;

type Json = Record<string, unknown>;

/** A parsed YAML document with a way to find the line of any sub-node. */
interface YamlDoc {
  root: YNode | null;
  line(node: unknown): number;
  diagnostics: ParseDiagnostic[];
}

function loadYaml(text: string, file: string, libraryParser = false): YamlDoc {
  const tree = readYamlTree(text, file, { library: libraryParser });
  return { root: tree.root, diagnostics: tree.diagnostics, line: (node) => (node as YNode | undefined)?.line ?? 1 };
}

const isMap = (node: unknown): node is YNode & { t: 'map' } => (node as YNode | undefined)?.t === 'map';
const get = (node: unknown, key: string): YNode | undefined => yGet(node as YNode | undefined, key);
const str = (node: unknown): string | undefined => yStr(node as YNode | undefined);
const items = (node: unknown): YNode[] => yItems(node as YNode | undefined);
const toJs = (node: unknown): unknown => yJs(node as YNode | undefined);

/** schema.yml / _sources.yml / properties files: models, sources, seeds with columns, descriptions and tests. */
export function extractDbtYaml(file: string, text: string, options: DbtYamlOptions = {}): FileFacts {
  const facts = emptyFacts(file, 'dbt-yaml');
  const doc = loadYaml(text, file, options.libraryParser);
  facts.diagnostics.push(...doc.diagnostics);
  if (!isMap(doc.root)) return facts;
  const project = options.project ?? 'project';
  const ctx = { doc, file, facts };

  for (const m of items(get(doc.root, 'models'))) {
    const name = str(get(m, 'name'));
    if (!name) continue;
    const config = get(m, 'config');
    const schema = plainValue(str(get(config, 'schema')));
    const materialized = plainValue(str(get(config, 'materialized')));
    const versions = items(get(m, 'versions'));
    if (versions.length) {
      facts.ddl.push(...modelVersions(ctx, m, name, project, versions, { schema, materialized }, options.schemaNaming));
      continue;
    }
    const alias = plainValue(str(get(config, 'alias')));
    const table = relation(ctx, m, {
      schema: dbtSchemaOf(options.schemaNaming, schema),
      name: alias ?? name,
      kind: 'dbtModel',
      dbt: { uniqueId: `model.${project}.${name}`, resourceType: 'model', materialized },
    });
    const configured = configuredKeys({ schema, materialized, alias });
    if (configured) table.dbt!.configured = configured;
    if (disabled(m)) table.dbt!.disabled = true;
    // an enforced contract builds the table with the declared column types
    if (toJs(get(get(config, 'contract'), 'enforced')) === true) {
      const typed = table.columns.filter((c) => c.dataType !== undefined).map((c) => c.name.toLowerCase());
      if (typed.length) table.dbt!.declaredTypes = typed;
    }
    const entities = modelEntities(ctx, m, str(get(get(m, 'semantic_model'), 'name')) ?? name);
    if (entities.length) table.semanticEntities = entities;
    facts.ddl.push({ op: 'createTable', table });
  }

  for (const s of items(get(doc.root, 'sources'))) {
    const sourceName = str(get(s, 'name'));
    // `config: {enabled: false}` on a source or one of its tables: dbt lists it as disabled, no relation
    if (!sourceName || disabled(s)) continue;
    const schema = renderedName(str(get(s, 'schema')), options.schemaNaming) ?? sourceName;
    for (const t of items(get(s, 'tables'))) {
      const tableName = str(get(t, 'name'));
      if (!tableName || disabled(t)) continue;
      const identifier = renderedName(str(get(t, 'identifier')), options.schemaNaming) ?? tableName;
      const table = relation(ctx, t, {
        schema,
        name: identifier,
        kind: 'dbtSource',
        dbt: { uniqueId: `source.${project}.${sourceName}.${tableName}`, resourceType: 'source', sourceName },
      });
      facts.ddl.push({ op: 'createTable', table });
    }
  }

  for (const s of items(get(doc.root, 'snapshots'))) {
    const name = str(get(s, 'name'));
    if (!name) continue;
    const config = get(s, 'config');
    const target = plainValue(str(get(config, 'target_schema')));
    const schema = plainValue(str(get(config, 'schema')));
    // dbt 1.9+: a snapshot defined here, of all the columns of `relation: ref('x')` / `source('a', 'b')`; the
    // snapshots configs of dbt_project.yml apply to it as to one in a .sql file
    const of = dbtRelationIn(str(get(s, 'relation')));
    const projectConfig = of ? options.snapshotConfig?.(name) : undefined;
    const projectTarget = projectConfig?.targetSchema;
    const alias = plainValue(str(get(config, 'alias')));
    const table = relation(ctx, s, {
      schema: target ?? projectTarget ?? dbtSchemaOf(options.schemaNaming, schema ?? projectConfig?.schema),
      name: alias ?? name,
      kind: 'dbtSnapshot',
      dbt: { uniqueId: `snapshot.${project}.${name}`, resourceType: 'snapshot', materialized: 'snapshot' },
    });
    const configured = configuredKeys({ target_schema: target, schema, alias });
    if (configured) table.dbt!.configured = configured;
    if (target !== undefined || projectTarget !== undefined) table.dbt!.schemaIsTarget = true;
    const ownSnapshotConfig = snapshotConfigOf(toJs(config) as Json | undefined);
    if (of) {
      const snapshotConfig = mergeSnapshotConfigs(projectConfig?.snapshot, ownSnapshotConfig);
      table.starsFrom = [{ from: of, at: 0 }];
      addSnapshotColumns(table.columns, table.origin, snapshotConfig);
      if (snapshotConfig) table.dbt!.snapshot = snapshotConfig;
    } else if (ownSnapshotConfig) {
      // the properties of a snapshot defined in a .sql file: the catalog puts these between dbt_project.yml's and its config()'s
      table.dbt!.snapshot = ownSnapshotConfig;
    }
    if (disabled(s)) table.dbt!.disabled = true;
    facts.ddl.push({ op: 'createTable', table });
  }

  for (const s of items(get(doc.root, 'seeds'))) {
    const name = str(get(s, 'name'));
    if (!name) continue;
    const config = get(s, 'config');
    const columnTypes = toJs(get(config, 'column_types')) as Json | undefined;
    const schema = plainValue(str(get(config, 'schema')));
    const alias = plainValue(str(get(config, 'alias')));
    const table = relation(ctx, s, {
      schema: dbtSchemaOf(options.schemaNaming, schema),
      name: alias ?? name,
      kind: 'dbtSeed',
      dbt: { uniqueId: `seed.${project}.${name}`, resourceType: 'seed' },
    });
    const configured = configuredKeys({ schema, alias });
    if (configured) table.dbt!.configured = configured;
    if (disabled(s)) table.dbt!.disabled = true;
    if (columnTypes && typeof columnTypes === 'object') {
      for (const [col, type] of Object.entries(columnTypes)) {
        const c = table.columns.find((x) => x.name.toLowerCase() === col.toLowerCase());
        const dataType = String(type);
        if (c) {
          c.dataType = dataType;
          c.typeFamily = typeFamilyOf(dataType);
        } else table.columns.push({ name: col, dataType, typeFamily: typeFamilyOf(dataType), origin: table.origin });
        (table.dbt!.declaredTypes ??= []).push(col.toLowerCase());
      }
    }
    facts.ddl.push({ op: 'createTable', table });
  }

  // dbt semantic models (MetricFlow): their entities, on the models they are built on (described in other files too)
  for (const sm of items(get(doc.root, 'semantic_models'))) {
    const name = str(get(sm, 'name'));
    const of = dbtRelationIn(str(get(sm, 'model')));
    if (!name || !of || of.dbtRef.kind !== 'ref' || of.dbtRef.version !== undefined) continue;
    const semanticEntities: SemanticEntity[] = [];
    for (const e of items(get(sm, 'entities'))) {
      const entity = semanticEntity(ctx, e, str(get(e, 'type')), name);
      if (entity) semanticEntities.push(entity);
    }
    if (!semanticEntities.length) continue;
    // properties of the model, as its own schema.yml entry gives them: the catalog lays them on the relation it builds
    const origin: Origin = { kind: 'dbt-yaml', file, line: doc.line(sm) };
    const dbt = { uniqueId: `model.${project}.${of.name}`, resourceType: 'model' as const };
    const table: TableDef = { schema: dbtSchemaOf(options.schemaNaming, undefined), name: of.name, kind: 'dbtModel', dbt, columns: [], constraints: [], origin, semanticEntities };
    facts.ddl.push({ op: 'createTable', table });
  }
  return facts;
}

const ENTITY_TYPES = new Set<string>(['primary', 'unique', 'foreign', 'natural']);

/**
 * An entity `{name, type, expr}` of type `type`: its column is `expr`, else its name (an expression that is no column
 * gives none); `column` names them both, for an entity a model's column declares.
 */
function semanticEntity(ctx: Ctx, node: YNode, type: string | undefined, semanticModel: string, column?: string): SemanticEntity | undefined {
  const kind = type?.toLowerCase();
  const name = str(get(node, 'name')) ?? column;
  const expr = get(node, 'expr');
  const on = column ?? (expr === undefined ? name : str(expr)?.trim());
  if (!name || !kind || !ENTITY_TYPES.has(kind) || !on || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(on)) return undefined;
  return { name, type: kind as SemanticEntity['type'], column: on, semanticModel, origin: { kind: 'dbt-yaml', file: ctx.file, line: ctx.doc.line(node) } };
}

/**
 * The entities a model entry declares itself (dbt's newer semantic layer spec): a column's `entity: primary` (named
 * for the column) or `entity: { type: foreign, name: customer }`, and `derived_semantics: { entities: [...] }`.
 */
function modelEntities(ctx: Ctx, model: YNode, semanticModel: string): SemanticEntity[] {
  const out: SemanticEntity[] = [];
  for (const c of items(get(model, 'columns'))) {
    const node = get(c, 'entity');
    if (node === undefined) continue;
    const column = str(get(c, 'name'));
    const entity = column && semanticEntity(ctx, node, str(node) ?? str(get(node, 'type')), semanticModel, column);
    if (entity) out.push(entity);
  }
  for (const e of items(get(get(model, 'derived_semantics'), 'entities'))) {
    const entity = semanticEntity(ctx, e, str(get(e, 'type')), semanticModel);
    if (entity) out.push(entity);
  }
  return out;
}

interface Ctx {
  doc: YamlDoc;
  file: string;
  facts: FileFacts;
}

/** Builds the overlay TableDef of one model/source table/seed entry, collecting its tests. */
/**
 * A versioned model (`versions:`): one relation per version, named `<model>_v<v>` (or the version's alias), built
 * from `<model>_v<v>.sql` (or its `defined_in`), with the model's description, columns and tests, the model's configs
 * under the version's own; the latest (`latest_version`, else the highest) also answers to `ref('<model>')`.
 */
function modelVersions(ctx: Ctx, m: YNode, name: string, project: string, versions: YNode[], model: { schema?: string; materialized?: string }, naming: DbtSchemaNaming | undefined): DdlOperation[] {
  const vs = versions.map((v) => str(get(v, 'v'))).filter((v): v is string => v !== undefined);
  const latest = str(get(m, 'latest_version')) ?? [...vs].sort((a, b) => Number(b) - Number(a) || (a < b ? 1 : -1))[0];
  const ops: DdlOperation[] = [];
  for (const version of versions) {
    const v = str(get(version, 'v'));
    if (v === undefined) continue;
    const config = get(version, 'config');
    const schema = plainValue(str(get(config, 'schema'))) ?? model.schema;
    const materialized = plainValue(str(get(config, 'materialized'))) ?? model.materialized;
    const table = relation(ctx, m, {
      schema: dbtSchemaOf(naming, schema),
      name: plainValue(str(get(config, 'alias'))) ?? `${name}_v${v}`,
      kind: 'dbtModel',
      dbt: {
        uniqueId: `model.${project}.${name}.v${v}`,
        resourceType: 'model',
        materialized,
        version: { of: name, v, latest: v === latest, file: str(get(version, 'defined_in')) ?? `${name}_v${v}` },
      },
    });
    withVersionProperties(ctx, table, version);
    const configured = configuredKeys({ schema, materialized });
    if (configured) table.dbt!.configured = configured;
    ops.push({ op: 'createTable', table });
  }
  return ops;
}

/**
 * A version's own properties over the model's, as dbt applies them: its `columns:` keep the model's columns that
 * `include` (all when it says nothing) and do not `exclude`, and describe, test and constrain theirs further (a
 * model's column tests stay); its `description`, and its `data_tests:` in place of the model's own tests.
 */
function withVersionProperties(ctx: Ctx, table: TableDef, version: YNode): void {
  const own = relation(ctx, version, { schema: table.schema, name: table.name, kind: table.kind, dbt: table.dbt });
  if (own.comment !== undefined) table.comment = own.comment;
  const selection = items(get(version, 'columns')).find((c) => get(c, 'include') !== undefined || get(c, 'exclude') !== undefined);
  const listed = (key: string): Set<string> | 'all' | undefined => {
    const v = toJs(get(selection, key));
    if (v === undefined || v === null) return undefined;
    if (v === 'all' || v === '*') return 'all';
    return new Set((Array.isArray(v) ? v : [v]).map((x) => String(x).toLowerCase()));
  };
  const include = listed('include') ?? 'all';
  const exclude = listed('exclude');
  const kept = (name: string | undefined): boolean => {
    if (name === undefined) return true;
    const lower = name.toLowerCase();
    return (include === 'all' || include.has(lower)) && !(exclude instanceof Set && exclude.has(lower));
  };
  const redefined = new Set(own.columns.map((c) => c.name.toLowerCase()));
  table.columns = table.columns.filter((c) => kept(c.name) || redefined.has(c.name.toLowerCase()));
  const ownModelTests = items(get(version, 'data_tests')).length > 0 || items(get(version, 'tests')).length > 0;
  table.tests = (table.tests ?? []).filter((t) => (t.column === undefined ? !ownModelTests : kept(t.column) || redefined.has(t.column.toLowerCase())));
  table.constraints = table.constraints.filter((k) => k.columns.every((c) => kept(c) || redefined.has(c.toLowerCase())));
  for (const column of own.columns) {
    const known = table.columns.find((c) => c.name.toLowerCase() === column.name.toLowerCase());
    if (!known) table.columns.push(column);
    else {
      if (column.comment !== undefined) known.comment = column.comment;
      if (column.dataType !== undefined) {
        known.dataType = column.dataType;
        known.typeFamily = column.typeFamily;
      }
      if (column.nullable !== undefined) known.nullable = column.nullable;
    }
  }
  table.tests.push(...(own.tests ?? []));
  table.constraints.push(...own.constraints);
}

function relation(ctx: Ctx, node: unknown, base: Pick<TableDef, 'schema' | 'name' | 'kind' | 'dbt'>): TableDef {
  const origin: Origin = { kind: 'dbt-yaml', file: ctx.file, line: ctx.doc.line(node) };
  // field by field: on Node 20 a spread followed by more properties took ~5 µs per table
  const table: TableDef = {
    schema: base.schema,
    name: base.name,
    kind: base.kind,
    dbt: base.dbt,
    columns: [],
    constraints: [],
    tests: [],
    origin,
    comment: str(get(node, 'description')),
  };
  for (const test of readTests(ctx, node, undefined)) table.tests!.push(test);
  for (const c of readConstraints(ctx, node, undefined)) table.constraints.push(c);
  for (const colNode of items(get(node, 'columns'))) {
    const name = str(get(colNode, 'name'));
    if (!name) continue;
    const colOrigin: Origin = { kind: 'dbt-yaml', file: ctx.file, line: ctx.doc.line(colNode) };
    const dataType = str(get(colNode, 'data_type'));
    const column: ColumnDef = { name, comment: str(get(colNode, 'description')), origin: colOrigin };
    if (dataType) {
      column.dataType = dataType;
      column.typeFamily = typeFamilyOf(dataType);
    }
    for (const k of readConstraints(ctx, colNode, name)) {
      if (k.kind === 'check' && k.expression === 'not_null') column.nullable = false;
      else table.constraints.push(k);
    }
    table.columns.push(column);
    for (const test of readTests(ctx, colNode, name)) table.tests!.push(test);
  }
  return table;
}

/** `tests:` and `data_tests:`; each entry a name, `{name: {args}}`, `{name: {arguments: {...}, config: {...}}}` or a custom-named test. */
function readTests(ctx: Ctx, node: unknown, column: string | undefined): DbtTest[] {
  const out: DbtTest[] = [];
  for (const key of ['data_tests', 'tests']) {
    for (const t of items(get(node, key))) {
      const origin: Origin = { kind: 'dbt-yaml', file: ctx.file, line: ctx.doc.line(t) };
      const plain = str(t);
      if (plain) {
        out.push({ name: plain, column, arguments: {}, origin });
        continue;
      }
      if (!isMap(t)) continue;
      const js = (toJs(t) ?? {}) as Json;
      const keys = Object.keys(js);
      if ('test_name' in js) {
        // custom-named form: - name: my_name / test_name: accepted_values / values: [...]
        const { test_name: testName, ...body } = js;
        out.push(testOf(String(testName), column, body, origin));
        continue;
      }
      if (keys.length !== 1) continue;
      const name = keys[0]!;
      const value = js[name];
      out.push(testOf(name, column, isObject(value) ? value : {}, origin));
    }
  }
  return out;
}

/** Keys of a test's body that dbt takes as its config when written beside the arguments (the older form). */
const TEST_CONFIG_KEYS = new Set(['severity', 'where', 'tags', 'enabled', 'limit', 'warn_if', 'error_if', 'store_failures', 'store_failures_as', 'fail_calc', 'meta', 'alias', 'database', 'schema', 'group']);

/** A test from its body: `arguments:` (or the keys beside it), `config:` (and the config keys beside it), `name:`. */
function testOf(name: string, column: string | undefined, body: Json, origin: Origin): DbtTest {
  const { arguments: args, config, name: customName, ...rest } = body;
  const besideArgs: Json = {};
  const besideConfig: Json = {};
  for (const [k, v] of Object.entries(rest)) (TEST_CONFIG_KEYS.has(k) ? besideConfig : besideArgs)[k] = v;
  const test: DbtTest = { name, column, arguments: isObject(args) ? { ...besideArgs, ...args } : besideArgs, origin };
  const allConfig = { ...besideConfig, ...(isObject(config) ? config : {}) };
  if (Object.keys(allConfig).length) test.config = allConfig;
  if (typeof customName === 'string') test.customName = customName;
  return test;
}

/** dbt model contracts: `constraints: [{type: primary_key, columns: [...]}, {type: not_null}]`. */
function readConstraints(ctx: Ctx, node: unknown, column: string | undefined): ConstraintDef[] {
  const out: ConstraintDef[] = [];
  for (const c of items(get(node, 'constraints'))) {
    const type = str(get(c, 'type'));
    const origin: Origin = { kind: 'dbt-yaml', file: ctx.file, line: ctx.doc.line(c) };
    const cols = (toJs(get(c, 'columns')) as string[] | undefined) ?? (column ? [column] : []);
    const name = str(get(c, 'name'));
    if (type === 'primary_key') out.push({ kind: 'primaryKey', name, columns: cols, origin });
    else if (type === 'unique') out.push({ kind: 'unique', name, columns: cols, origin });
    else if (type === 'not_null') out.push({ kind: 'check', name, columns: cols, expression: 'not_null', origin });
    else if (type === 'check') out.push({ kind: 'check', name, columns: cols, expression: str(get(c, 'expression')), origin });
    else if (type === 'foreign_key') {
      const to = str(get(c, 'to')) ?? str(get(c, 'expression'));
      // dbt 1.9+: `to: ref('x')` with `to_columns`; before: `expression: "schema.x (id)"`
      const listed = /\(([^()]*)\)\s*$/.exec(str(get(c, 'expression')) ?? '')?.[1];
      const toColumns = (toJs(get(c, 'to_columns')) as string[] | undefined) ?? (listed ? listed.split(',').map((x) => x.trim()).filter(Boolean) : []);
      const ref = to ? /ref\(\s*['"]([^'"]+)['"]\s*\)/.exec(to)?.[1] ?? to.split('(')[0]!.trim() : undefined;
      if (ref) out.push({ kind: 'foreignKey', name, columns: cols, references: { table: ref.split('.').pop()!, schema: ref.includes('.') ? ref.split('.')[0] : undefined, columns: toColumns }, origin });
    }
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** dbt_project.yml: name, model-paths (or legacy source-paths), seed-paths (or data-paths), require-dbt-version, profile. */
export function extractDbtProject(file: string, text: string): FileFacts {
  const facts = emptyFacts(file, 'dbt-project');
  const doc = loadYaml(text, file);
  facts.diagnostics.push(...doc.diagnostics);
  facts.dbtProject = readDbtProject(doc.root);
  return facts;
}

function readDbtProject(root: YNode | null): DbtProjectInfo {
  const js = (isMap(root) ? toJs(root) : {}) as Json;
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : undefined);
  const req = js['require-dbt-version'];
  const name = typeof js.name === 'string' ? js.name : undefined;
  return {
    name,
    modelPaths: list(js['model-paths']) ?? list(js['source-paths']) ?? ['models'],
    seedPaths: list(js['seed-paths']) ?? list(js['data-paths']) ?? ['seeds'],
    snapshotPaths: list(js['snapshot-paths']) ?? DEFAULT_SNAPSHOT_PATHS,
    macroPaths: list(js['macro-paths']) ?? ['macros'],
    requireDbtVersion: typeof req === 'string' ? req : Array.isArray(req) ? req.map(String) : undefined,
    profile: typeof js.profile === 'string' ? js.profile : undefined,
    modelConfigs: readPathConfigs(js.models, name),
    seedConfigs: readPathConfigs(js.seeds, name),
    snapshotConfigs: readPathConfigs(js.snapshots, name),
  };
}

/** `config: {enabled: false}` (YAML's false, or the string dbt also takes). */
function disabled(node: YNode | undefined): boolean {
  const v = get(get(node, 'config'), 'enabled');
  const js = v === undefined ? undefined : toJs(v);
  return js === false || (typeof js === 'string' && js.trim().toLowerCase() === 'false');
}

/**
 * A source's `schema:` or `identifier:` as dbt renders it: plain text; `{{ target.schema }}` as the profile's target
 * schema (or, without one, the schema models are given here); `{{ var('x', 'd') }}` / `{{ env_var('X', 'd') }}` as their defaults; string literals. Undefined when it is not
 * written, or holds other Jinja (then dbt's default stands: the source's name, the table's name).
 */
export function renderedName(value: string | undefined, naming: DbtSchemaNaming | undefined): string | undefined {
  if (value === undefined || !value.includes('{{')) return value?.trim() || undefined;
  let unknown = false;
  const out = value.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (_, expr: string) => {
    // without a profile, where this index puts the models (the profile's target schema stands in for it)
    if (expr === 'target.schema') return dbtSchemaOf(naming, undefined);
    const literal = /^(['"])([^'"]*)\1$/.exec(expr) ?? /^(?:var|env_var)\(\s*(['"])[^'"]+\1\s*,\s*(['"])([^'"]*)\2\s*\)$/.exec(expr);
    if (literal) return literal[literal.length - 1]!;
    unknown = true;
    return '';
  });
  return unknown || out.trim() === '' ? undefined : out.trim();
}
