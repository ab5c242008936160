import type { DbtPathConfig } from './dbtProjectConfig';
import type { Origin, TableDef, TypeFamily } from '../catalog/model';
import type { DdlOperation, JoinPair, ParseDiagnostic, QualifiedName } from '../sql/types';

export type FileKind = 'sql' | 'dbt-model' | 'dbt-snapshot' | 'dbt-yaml' | 'dbt-project' | 'dbt-seed' | 'dbt-artifact' | 'php' | 'python' | 'typescript' | 'javascript' | 'java' | 'kotlin' | 'go' | 'csharp' | 'ruby' | 'prisma' | 'mybatis' | 'hibernate' | 'markdown' | 'pdf' | 'other' | 'csv';

/** A map from codes to labels found in application code, e.g. a PHP switch mapping vendor ids to names. */
export interface ConstantMap {
  /** Enum / class / function / variable name that holds the map. */
  name: string;
  language: 'php' | 'python' | 'typescript' | 'javascript' | 'java' | 'kotlin' | 'go' | 'csharp' | 'ruby';
  /** 'switch' | 'match' | 'if-chain' | 'case' | 'enum' | 'class-constants' | 'array' | 'dict' | 'hash' | 'choices' | 'object' */
  shape: string;
  entries: Array<{ code: string | number; label: string; line: number }>;
  origin: Origin;
}

/** Everything one file contributes. Produced by one extractor, in a worker, and cached by content hash. */
export interface FileFacts {
  file: string;
  kind: FileKind;
  /** DDL operations in file order (SQL files), or table definitions synthesised from dbt YAML/seeds/models. */
  ddl: DdlOperation[];
  /** Tables referenced by queries in this file. */
  tableRefs: Array<QualifiedName & { origin: Origin }>;
  joins: JoinPair[];
  constants: ConstantMap[];
  /** dbt project metadata when this file is dbt_project.yml. */
  dbtProject?: {
    name?: string;
    modelPaths: string[];
    seedPaths: string[];
    snapshotPaths: string[];
    macroPaths: string[];
    requireDbtVersion?: string | string[];
    profile?: string;
    /** `models:` / `seeds:` / `snapshots:` configs for this project (schema, materialized, alias, seed column types), by path. */
    modelConfigs: DbtPathConfig[];
    seedConfigs: DbtPathConfig[];
    snapshotConfigs: DbtPathConfig[];
  };
  diagnostics: ParseDiagnostic[];
  /** CSV files (dbt seeds and plain data files): header, inferred types and a small value sample. */
  data?: DataFileFacts;
  /** ORM entity classes this file declares, by which relationships in other files name their tables. */
  entities?: OrmEntity[];
}

/** An ORM entity class and the table it maps (JPA `@Entity`). */
export interface OrmEntity {
  /** The class's simple name. */
  name: string;
  table: QualifiedName;
  /** Its id column, which a relationship to it references by default. */
  idColumn?: string;
  /** A mapped superclass's id field (JPA): an entity extending it may give it another column (`@AttributeOverride`). */
  idField?: string;
  /**
   * Fields whose column is named otherwise (Prisma's `@map`), for relations that name the fields they reference:
   * field name → column.
   */
  fieldColumns?: Record<string, string>;
  /**
   * The entity class this one extends. It shares the table of its hierarchy's root (single-table inheritance: Rails's,
   * JPA's default) unless an ancestor maps its subclasses otherwise (`inheritance`).
   */
  extends?: string;
  /** Python mixins among its bases: mapped superclasses whose columns, and their keys, it has too. */
  mixins?: string[];
  /** `extends` names its class with a guessed module (Python's star imports): another of its simple name may be it. */
  extendsGuessed?: true;
  /**
   * A JPA (or Doctrine) mapped superclass: no table of its own; its id and the keys it declares are each subclass
   * entity's, on that entity's table.
   */
  mappedSuperclass?: true;
  /**
   * How a hierarchy rooted here maps its subclasses: `JOINED` or `TABLE_PER_CLASS` (JPA, Doctrine, EF's TPT and TPC),
   * or `none` (Doctrine's default: each entity its own table), each subclass with a table of its own; or
   * `single-table`, its own (the default of JPA, Rails, SQLAlchemy and EF).
   */
  inheritance?: 'joined' | 'table-per-class' | 'single-table' | 'none';
  /**
   * How surely `table` is the class's, for classes that several files describe and whose records are merged
   * (Entity Framework: 0 the class's name, 1 a DbContext's DbSet, 2 the class's `[Table]`, 3 the fluent `ToTable`).
   * The record that ranks highest gives the table; records without a rank are never merged.
   */
  tableRank?: number;
  /** Its navigation properties (Entity Framework): property → the entity class it holds, or holds a collection of. */
  navigations?: Record<string, string>;
  /**
   * The default schema of the Entity Framework model this record's DbContext configures (`HasDefaultSchema`; '' for
   * none); absent when its file is no DbContext's.
   */
  modelSchema?: string;
  /** Configured with Entity Framework's fluent API, which overrides the class's attributes (its key, its columns). */
  configured?: true;
  line: number;
}

/** Header and sample of a CSV file. `csv` kind files carry this without adding a relation to the Catalog. */
export interface DataFileFacts {
  columns: Array<{ name: string; dataType: string; typeFamily: TypeFamily; nullable: boolean }>;
  /** First rows (at most a handful) as written, for previews and data-containment checks. */
  sampleRows: string[][];
  /** Rows in the file (excluding the header). */
  rowCount: number;
  delimiter: string;
}

export function emptyFacts(file: string, kind: FileKind): FileFacts {
  return { file, kind, ddl: [], tableRefs: [], joins: [], constants: [], diagnostics: [] };
}

export type { TableDef };
