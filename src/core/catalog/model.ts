/**
 * The one model of tables and columns. Plain data, so it can cross worker threads,
 * be persisted in the index cache and be handed to modeling/ERD code unchanged.
 * Every fact carries its Origin so any view can answer "why do you think so?".
 */

import type { NumericFunction, TypeTerm } from '../sql/columnExpressions';
import type { QualifiedName } from '../sql/types';

export type OriginKind = 'ddl' | 'query' | 'dbt-yaml' | 'dbt-docs' | 'dbt-model' | 'dbt-snapshot' | 'dbt-seed' | 'dbt-manifest' | 'warehouse' | 'code' | 'inference';

export interface Origin {
  kind: OriginKind;
  /** Workspace-relative path (forward slashes) when the fact comes from a file. */
  file?: string;
  /** 1-based line and column. */
  line?: number;
  column?: number;
  /** Connection name when the fact comes from a live warehouse. */
  connection?: string;
}

export interface ColumnDef {
  name: string;
  /** Type as written, e.g. `character varying(256)`; undefined when unknown (views, seeds without inference). */
  dataType?: string;
  /** Lower-case canonical family used for compatibility checks. */
  typeFamily?: TypeFamily;
  /** false = NOT NULL declared; true = explicitly NULL; undefined = not stated. */
  nullable?: boolean;
  defaultExpr?: string;
  identity?: boolean;
  /** IDENTITY(seed, step) arguments when written. */
  identitySeed?: number;
  identityStep?: number;
  encoding?: string;
  distKey?: boolean;
  comment?: string;
  /**
   * Views, CTAS and dbt models: the column this one passes on unchanged, when the query makes that certain; or, with
   * `functions` (`sum(x)`, outermost first), the column whose type theirs follows from.
   */
  derivedFrom?: { table: QualifiedName; column: string; functions?: NumericFunction[] };
  /** Views, CTAS and dbt models: arithmetic over other columns (`quantity * unit_price`) whose types give this one's. */
  typeTerm?: CatalogTypeTerm;
  /**
   * Set when the type was not written but taken from the column `derivedFrom` leads to (through views and models):
   * that column as `schema.table.column`. The catalog works it out again whenever it changes.
   */
  typeFrom?: string;
  /** Filled in by the catalog from the table's `starsFrom` (true), or listed and given its source there ('merged'). */
  fromStar?: true | 'merged';
  origin: Origin;
}

/** A type term (see TypeTerm) over catalog columns. */
export type CatalogTypeTerm = TypeTerm<{ table: QualifiedName; column: string }>;

export type TypeFamily = 'integer' | 'numeric' | 'float' | 'text' | 'boolean' | 'date' | 'timestamp' | 'time' | 'binary' | 'json' | 'other';

export type ConstraintKind = 'primaryKey' | 'unique' | 'foreignKey' | 'check';

export interface ConstraintDef {
  kind: ConstraintKind;
  name?: string;
  columns: string[];
  /** For foreign keys. */
  references?: { schema?: string; table: string; columns: string[] };
  /** For CHECK constraints: the expression text. */
  expression?: string;
  origin: Origin;
}

export type RelationKind = 'table' | 'view' | 'materializedView' | 'externalTable' | 'dbtModel' | 'dbtSource' | 'dbtSeed' | 'dbtSnapshot';

export interface DbtTest {
  /** e.g. unique, not_null, accepted_values, relationships, dbt_utils.unique_combination_of_columns */
  name: string;
  column?: string;
  arguments: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** The name the YAML gives the test (`name:`), when it gives one. */
  customName?: string;
  origin: Origin;
}

/**
 * An entity of a dbt semantic model on this model (MetricFlow's join keys): semantic models join where one's `foreign`
 * entity has the name of another's `primary`, `unique` or `natural` one.
 */
export interface SemanticEntity {
  name: string;
  type: 'primary' | 'unique' | 'foreign' | 'natural';
  /** The column it is (its `expr`, else its name). */
  column: string;
  /** The semantic model that declares it (its name, or the model's). */
  semanticModel: string;
  origin: Origin;
}

export interface TableDef {
  schema: string;
  name: string;
  kind: RelationKind;
  columns: ColumnDef[];
  constraints: ConstraintDef[];
  comment?: string;
  distStyle?: string;
  distKey?: string;
  sortKey?: { style: 'compound' | 'interleaved'; columns: string[] };
  tests?: DbtTest[];
  /** dbt semantic models' entities on this model. */
  semanticEntities?: SemanticEntity[];
  /** dbt: the unique id / package and materialization when known. */
  dbt?: {
    uniqueId?: string;
    resourceType?: 'model' | 'source' | 'seed' | 'snapshot';
    materialized?: string;
    sourceName?: string;
    /**
     * Configs this file itself sets: a model's `config()` (which wins over schema.yml), or the `config:` of its
     * schema.yml entry (which wins over dbt_project.yml).
     */
    configured?: DbtConfigKey[];
    /**
     * Columns (lower case) whose type a schema.yml entry declares as the one dbt builds: a seed's `column_types`, an
     * enforced contract's `data_type`. They win over a type read off the model's SQL or the seed's values.
     */
    declaredTypes?: string[];
    /** A schema.yml entry's `config: {enabled: false}`: dbt lists what it describes as disabled (out of the catalog). */
    disabled?: true;
    /** A snapshot whose schema is a `target_schema` (its own or dbt_project.yml's): no `schema` moves it. */
    schemaIsTarget?: boolean;
    /** One version of a versioned model (schema.yml `versions:`), answering to `ref('of', v=…)`, and to `ref('of')` when latest. */
    version?: DbtModelVersion;
    /** A snapshot's configs that shape its table (set only when any is). */
    snapshot?: DbtSnapshotConfig;
    /** Which of them the snapshot's own `config()` sets: a schema.yml entry's cannot change those. */
    snapshotOwn?: Array<keyof DbtSnapshotConfig>;
  };
  /** SQL that defines a view / CTAS / dbt model, when known. */
  definitionSql?: string;
  /**
   * The relations whose columns a `*` in the select list of a view, CTAS or dbt model brings (`select * from x`,
   * `select o.*, c.name from orders o join customers c`): the catalog fills them in, each star's in its place (the
   * columns listed here, e.g. from schema.yml, keep what they say).
   */
  starsFrom?: StarSource[];
  origin: Origin;
}

/** The columns dbt adds to a snapshot, by dbt's default names. */
export type SnapshotMetaColumn = 'dbt_scd_id' | 'dbt_updated_at' | 'dbt_valid_from' | 'dbt_valid_to' | 'dbt_is_deleted';

/** How dbt tracks a snapshot's changes, and what it calls the columns it adds. */
export interface DbtSnapshotConfig {
  /** `timestamp` or `check`. */
  strategy?: string;
  uniqueKey?: string[];
  updatedAt?: string;
  /** `hard_deletes`: `ignore` (dbt's default), `invalidate`, or `new_record`, which adds `dbt_is_deleted`. */
  hardDeletes?: string;
  /** `snapshot_meta_column_names`: a dbt column → its name in this snapshot. */
  metaColumnNames?: Partial<Record<SnapshotMetaColumn, string>>;
}

/** A version of a versioned dbt model. */
export interface DbtModelVersion {
  /** The model's name (`dim_customers`). */
  of: string;
  v: string;
  latest: boolean;
  /** The name of the .sql file that defines it, without extension (`dim_customers_v2`, or its `defined_in`). */
  file: string;
}

/**
 * The dbt configs whose precedence the catalog follows (see TableDef.dbt.configured). A snapshot's `target_schema`,
 * from wherever it is set, wins over any `schema`.
 */
export type DbtConfigKey = 'schema' | 'target_schema' | 'materialized' | 'alias';

/**
 * A dbt resource's name: the last part of its unique id (`model.project.name`), else its relation's name. A `+alias`
 * renames the relation, not the resource (`ref()` names the resource).
 */
/** The dbt project or package a resource belongs to, from its unique id (`model.jaffle_shop.orders` → jaffle_shop). */
export function dbtPackageOf(t: Pick<TableDef, 'dbt'>): string | undefined {
  const id = t.dbt?.uniqueId;
  if (!id) return undefined;
  const dot = id.indexOf('.');
  const next = id.indexOf('.', dot + 1);
  return dot < 0 || next < 0 ? undefined : id.slice(dot + 1, next);
}

export function dbtResourceName(t: Pick<TableDef, 'name' | 'dbt'>): string {
  const id = t.dbt?.uniqueId;
  return id ? id.slice(id.lastIndexOf('.') + 1) : t.name;
}

/** A relation a `*` reads, and where its columns go among the relation's own. */
export interface StarSource {
  from: QualifiedName;
  /** How many of the relation's own columns come before the star's; absent: all of them (a star ending the list). */
  at?: number;
  /** dbt_utils.star(except=[…]): columns left out (compared case-insensitively). */
  except?: string[];
  /** dbt_utils.star(prefix=…, suffix=…): each column comes out as prefix + name + suffix. */
  prefix?: string;
  suffix?: string;
}

/** Two definitions of one relation that disagree. Reported, never silently merged. */
export interface CatalogConflict {
  table: string;
  message: string;
  origins: Origin[];
}

export interface CatalogSnapshot {
  tables: TableDef[];
  conflicts: CatalogConflict[];
}

export const DEFAULT_SCHEMA = 'public';

/**
 * Whether the warehouse holds the relation: an ephemeral dbt model is no table or view (dbt inlines its SQL as a CTE
 * where it is `ref()`'d), so nothing can select from it or join to it, though its columns still flow downstream.
 */
export function isWarehouseRelation(t: TableDef): boolean {
  return !(t.kind === 'dbtModel' && t.dbt?.materialized?.toLowerCase() === 'ephemeral');
}

/** Identifiers compare case-insensitively unless quoted; we fold to lower case for lookup keys. */
export function relationKey(schema: string | undefined, name: string): string {
  return `${(schema ?? DEFAULT_SCHEMA).toLowerCase()}.${name.toLowerCase()}`;
}
