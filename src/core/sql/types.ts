import type { ColumnDef, ConstraintDef, Origin, TableDef, TypeFamily } from '../catalog/model';

/** A position in a source text: 0-based offset plus 1-based line/column. */
export interface SourcePos {
  offset: number;
  line: number;
  column: number;
}

export interface ParseDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  file?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface QualifiedName {
  schema?: string;
  name: string;
  /**
   * Set when the relation was written as dbt Jinja: `{{ ref('pkg', 'model') }}` gives name = 'model', no schema;
   * `{{ source('src', 'tbl') }}` gives schema = 'src', name = 'tbl'. Resolve through the dbt project/YAML.
   */
  dbtRef?: DbtRefCall;
}

/** A dbt `ref(...)` / `source(...)` call with its positional string arguments as written. */
export interface DbtRefCall {
  kind: 'ref' | 'source';
  args: string[];
  /** `ref('m', v=2)` / `version=2`: the version of a versioned model. */
  version?: string;
}

/** A relation referenced by a query, with where it was referenced. */
export type TableRef = QualifiedName & { origin: Origin };

/**
 * Catalog operations produced by the DDL parser, applied in order by the Catalog.
 * Keeping them as operations (not a finished catalog) lets ALTER/COMMENT/DROP in one file
 * act on tables created in another.
 */
export type DdlOperation =
  | {
      op: 'createTable';
      table: TableDef;
      /** CREATE TABLE ... (LIKE other) */ likeTable?: QualifiedName;
      ifNotExists?: boolean;
      /** CREATE TEMP TABLE / `#name`: session-scoped; the schema is `public` when unqualified. */
      temporary?: boolean;
      /** CREATE OR REPLACE VIEW. */
      orReplace?: boolean;
    }
  | { op: 'addColumn'; table: QualifiedName; column: ColumnDef }
  | { op: 'dropColumn'; table: QualifiedName; column: string; origin: Origin }
  | { op: 'renameColumn'; table: QualifiedName; from: string; to: string; origin: Origin }
  /** RENAME TO (`to`), or SET SCHEMA (`toSchema`, the name kept) */
  | { op: 'renameTable'; table: QualifiedName; to: string; toSchema?: string; origin: Origin }
  | { op: 'addConstraint'; table: QualifiedName; constraint: ConstraintDef }
  | { op: 'dropConstraint'; table: QualifiedName; name: string; origin: Origin }
  | { op: 'alterColumn'; table: QualifiedName; column: string; change: ColumnChange; origin: Origin }
  | { op: 'alterTable'; table: QualifiedName; change: TableChange; origin: Origin }
  | { op: 'comment'; target: { kind: 'table' | 'column'; table: QualifiedName; column?: string }; text: string | null; origin: Origin }
  | { op: 'drop'; table: QualifiedName; origin: Origin }
  /** A dbt docs block (`{% docs name %}` in a project's Markdown) that descriptions render with `{{ doc('name') }}`. */
  | { op: 'docBlock'; project: string; name: string; text: string; origin: Origin };

/** ALTER [COLUMN] c TYPE … / SET|DROP NOT NULL / SET|DROP DEFAULT / ENCODE …: only what the statement changes. */
export interface ColumnChange {
  dataType?: string;
  typeFamily?: TypeFamily;
  /** false: SET NOT NULL; true: DROP NOT NULL. */
  nullable?: boolean;
  /** null: DROP DEFAULT. */
  defaultExpr?: string | null;
  encoding?: string;
}

/** Redshift ALTER DISTSTYLE / DISTKEY / SORTKEY: only what the statement changes. */
export interface TableChange {
  distStyle?: string;
  /** null: no distribution key any more (DISTSTYLE ALL / EVEN / AUTO). */
  distKey?: string | null;
  /** null: SORTKEY AUTO / NONE. */
  sortKey?: { style: 'compound' | 'interleaved'; columns: string[] } | null;
}

/** A relation an unqualified column may belong to, and its name there when it is not the one written. */
export type ColumnCandidate = QualifiedName & { column?: string };

/** One side of an equality seen in a query, resolved through aliases and CTEs to a physical relation when possible. */
export interface ColumnRef {
  /** Resolved relation; undefined when the qualifier could not be resolved (e.g. unqualified column with several tables). */
  table?: QualifiedName;
  column: string;
  /**
   * When `table` is undefined because an unqualified column had several relations in scope: those relations, each with
   * the column it would be there when that differs from `column` (one reached through a CTE or subquery that renames it).
   */
  candidates?: ColumnCandidate[];
  /**
   * An unqualified column of a correlated subquery, put on the subquery's only relation (`table`): the relations of the
   * queries around it, where it is instead when the catalog says `table` has no such column.
   */
  outer?: ColumnCandidate[];
  /** `table` was not written: it is the only one of `candidates` the catalog gives this column (resolveUnqualifiedSides). */
  placedByCatalog?: true;
}

/** `a.x = b.y` seen in JOIN ... ON / USING / WHERE. */
export interface JoinPair {
  left: ColumnRef;
  right: ColumnRef;
  /** How the pair was written. */
  /** `in`: `x IN (SELECT y …)` in a WHERE clause (`NOT IN` too, without a join type). */
  clause: 'on' | 'using' | 'where' | 'in';
  joinType?: 'inner' | 'left' | 'right' | 'full' | 'cross';
  origin: Origin;
  /**
   * Where the condition it is one conjunct of starts (its ON, WHERE or USING), in the origin's file: pairs that share
   * it join the same two relations together, as a composite key does.
   */
  condition?: { line: number; column: number };
  /** A declared composite key's pair: how many columns the key has (its pairs share `condition`). */
  keyColumns?: number;
  /**
   * Not written in SQL: a query builder's join call (Laravel, knex, Doctrine…), or a relationship an ORM model
   * declares, or a schema migration (`left` the referencing column, `right` the referenced one; a one-to-one field
   * says so).
   */
  via?: 'query-builder' | 'orm-foreign-key' | 'orm-one-to-one' | 'migration-foreign-key';
  /**
   * The ORM entity class `right` references, when its table is declared elsewhere: `right.table` then holds the class
   * name and `right.column` may be empty (the entity's id) until resolveOrmEntities places them.
   */
  toEntity?: string;
  /** Likewise for `left`, when the key is on the table of an entity declared elsewhere (Eloquent's `hasMany`). */
  fromEntity?: string;
  /**
   * The key a JPA subclass's table has to its parent's (`left` the subclass's id): there only when the hierarchy is
   * mapped `JOINED`, which the root may declare in another file; resolveOrmEntities leaves it out otherwise.
   */
  joinedSubclass?: true;
  /**
   * Its entity classes were read from navigations' names (Entity Framework's fluent API): resolveOrmEntities leaves the
   * pair out unless some file maps both.
   */
  mappedOnly?: true;
  /**
   * The navigation property whose class is the entity of side `side` (`toEntity` or `fromEntity`, guessed from the
   * navigation's name until resolveOrmEntities finds the class of `of` that declares it).
   */
  navigation?: { of: string; property: string; side: 'left' | 'right' };
  /**
   * The navigations (`Class.property`) whose relationship this key was configured for (Entity Framework's fluent API):
   * a key guessed by convention for one of them (`byConvention`) gives way to it.
   */
  covers?: string[];
  /** A key the ORM's naming conventions guess for navigation `Class.property`, with no mapping that says so. */
  byConvention?: string;
}

export interface QueryFacts {
  /** Physical relations referenced (CTE names are resolved away). For dbt, ref()/source() appear as the model/source name. */
  tables: TableRef[];
  joins: JoinPair[];
}
