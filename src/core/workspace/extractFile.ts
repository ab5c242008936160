import { readDocBlocks } from '../catalog/dbtDocs';
import { extractJavaConstants } from './codeConstants/java';
import { tokenize, type LexLanguage, type Token } from './codeConstants/lexer';
import { extractPhpConstants } from './codeConstants/php';
import { extractPythonConstants } from './codeConstants/python';
import { extractTypeScriptConstants } from './codeConstants/typescript';
import { classifyFile, dbtProjectOf, dbtResourcePath, DEFAULT_SNAPSHOT_PATHS, type DbtProjectLayout, type ExtractContext } from './classify';
import { configFor, type DbtResourceConfig } from './dbtProjectConfig';
import { extractDbtArtifact } from './dbtArtifactsExtractor';
import { extractDbtProject, extractDbtYaml } from './dbtYamlExtractor';
import { emptyFacts, type ConstantMap, type FileFacts, type FileKind } from './facts';
import { extractSeed } from './seedExtractor';
import { extractDbtModel, extractDbtSnapshots, extractSql } from './sqlExtractor';
import { eloquentModels } from './eloquentModels';
import { doctrineEntities } from './doctrineEntities';
import { kotlinJpaEntities } from './kotlinEntities';
import { exposedTables } from './exposedTables';
import { extractKotlinConstants } from './codeConstants/kotlin';
import { extractGoConstants } from './codeConstants/go';
import { gormModels } from './gormModels';
import { extractCSharpConstants } from './codeConstants/csharp';
import { efCoreEntities } from './efCoreEntities';
import { efCoreModel } from './efCoreModel';
import { extractMybatisMapper } from './mybatisMappers';
import { extractHibernateMapping } from './hibernateMappings';
import { sqlalchemyJoins } from './sqlalchemyJoins';
import { dataframeJoins } from './dataframeJoins';
import { jpaEntities } from './jpaEntities';
import { typeormEntities } from './typeormEntities';
import { laravelMigrationKeys } from './laravelMigrations';
import { extractPrismaSchema } from './prismaSchema';
import { extractRubyConstants } from './codeConstants/ruby';
import { railsKeys } from './railsKeys';
import { jsSchemaKeys } from './jsSchemaKeys';
import { sequelizeModels } from './sequelizeModels';
import type { OrmFacts } from './ormEntities';
import { pythonOrmRelationships } from './ormRelationships';
import { queryBuilderJoins } from './queryBuilderJoins';
import { analyzeSqlLiterals } from './sqlLiterals';
import { addDbtPythonModel, isDbtPythonModel } from './dbtPythonModel';

/** True when the first 8 KB hold a NUL byte. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).indexOf(0) >= 0; // native scan, not a JS loop
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const latin1 = new TextDecoder('latin1');

/** UTF-8 text, or Latin-1 with `valid: false` (legacy code is often Windows-1252). */
export function decodeText(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: utf8.decode(bytes), valid: true };
  } catch {
    return { text: latin1.decode(bytes), valid: false };
  }
}

/**
 * The pure per-file step of indexing: bytes in, facts out. Runs in a worker thread or in-process, never throws.
 * `kind` may be passed when the caller already classified the path.
 */
export function extractFile(relPath: string, bytes: Uint8Array, context: ExtractContext, kind: FileKind = classifyFile(relPath, context)): FileFacts {
  if (looksBinary(bytes)) {
    const f = emptyFacts(relPath, kind);
    f.diagnostics.push({ severity: 'info', message: 'Binary file skipped', file: relPath, line: 1, column: 1 });
    return f;
  }
  const { text, valid } = decodeText(bytes);
  let facts: FileFacts;
  try {
    facts = extractText(relPath, text, context, kind);
  } catch (err) {
    facts = emptyFacts(relPath, kind);
    facts.diagnostics.push({ severity: 'error', message: `Extractor failed: ${(err as Error).message}`, file: relPath, line: 1, column: 1 });
  }
  if (!valid) facts.diagnostics.push({ severity: 'warning', message: 'File is not valid UTF-8; read as Latin-1', file: relPath, line: 1, column: 1 });
  return facts;
}

/**
 * What dbt_project.yml configures for the model, seed or snapshot at this path of its project; `name` is a snapshot's,
 * which dbt puts after its file's path (`snapshots: proj: folder: file: snapshot_name:`).
 */
function projectConfigOf(at: { project: DbtProjectLayout; inner: string }, resource: 'model' | 'seed' | 'snapshot', name?: string): DbtResourceConfig | undefined {
  const { project, inner } = at;
  const [configs, folders] =
    resource === 'model'
      ? [project.modelConfigs, project.modelPaths]
      : resource === 'seed'
        ? [project.seedConfigs, project.seedPaths]
        : [project.snapshotConfigs, project.snapshotPaths ?? DEFAULT_SNAPSHOT_PATHS];
  if (!configs) return undefined;
  const path = dbtResourcePath(inner, folders);
  return path === undefined ? undefined : configFor(configs, name === undefined ? path : `${path}/${name}`);
}

/** dbt_project.yml's snapshot configs for a snapshot defined in this YAML file: its path is the file's folder and its name. */
function yamlSnapshotConfigOf(at: { project: DbtProjectLayout; inner: string }, name: string): DbtResourceConfig | undefined {
  const { project, inner } = at;
  if (!project.snapshotConfigs) return undefined;
  const file = dbtResourcePath(inner, project.snapshotPaths ?? DEFAULT_SNAPSHOT_PATHS) ?? '';
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  return configFor(project.snapshotConfigs, folder + name);
}

const CODE_LANG: Partial<Record<FileKind, LexLanguage>> = { php: 'php', python: 'python', typescript: 'typescript', javascript: 'typescript', java: 'java', kotlin: 'kotlin', go: 'go', csharp: 'csharp', ruby: 'ruby' };

function extractText(relPath: string, text: string, context: ExtractContext, kind: FileKind): FileFacts {
  const inProject = dbtProjectOf(relPath, context);
  const project = inProject?.project.name;
  const schemaNaming = inProject?.project.schemaNaming;
  switch (kind) {
    case 'sql':
      return extractSql(relPath, text);
    case 'dbt-model':
      return extractDbtModel(relPath, text, { project, projectConfig: inProject && projectConfigOf(inProject, 'model'), schemaNaming });
    case 'dbt-snapshot':
      return extractDbtSnapshots(relPath, text, { project, projectConfig: inProject && ((name) => projectConfigOf(inProject, 'snapshot', name)), schemaNaming });
    case 'dbt-yaml':
      return extractDbtYaml(relPath, text, { project, snapshotConfig: inProject && ((name) => yamlSnapshotConfigOf(inProject, name)), schemaNaming });
    case 'dbt-project':
      return extractDbtProject(relPath, text);
    case 'dbt-seed': {
      const config = inProject && projectConfigOf(inProject, 'seed');
      // a disabled seed is a CSV file, not a relation
      if (config?.enabled === false) return Object.assign(extractSeed(relPath, text), { kind: 'dbt-seed' as const });
      return extractSeed(relPath, text, { dbtSeed: { project, schema: config?.schema, alias: config?.alias, columnTypes: config?.columnTypes, schemaNaming } });
    }
    case 'csv':
      return extractSeed(relPath, text);
    case 'dbt-artifact':
      return extractDbtArtifact(relPath, text);
    case 'markdown':
      return project !== undefined && inProject && !isBuildOutput(inProject.inner) ? extractDbtDocs(relPath, text, project) : emptyFacts(relPath, kind);
    case 'python':
      // a dbt Python model: a relation dbt builds, besides what its code holds
      if (inProject && dbtResourcePath(inProject.inner, inProject.project.modelPaths) !== undefined && isDbtPythonModel(text)) {
        return addDbtPythonModel(extractCode(relPath, text, kind), text, { project, projectConfig: projectConfigOf(inProject, 'model'), schemaNaming });
      }
      return extractCode(relPath, text, kind);
    case 'php':
    case 'typescript':
    case 'javascript':
    case 'java':
    case 'kotlin':
    case 'go':
    case 'csharp':
    case 'ruby':
      return extractCode(relPath, text, kind);
    case 'prisma':
      return extractPrismaSchema(relPath, text);
    case 'mybatis':
      return extractMybatisMapper(relPath, text);
    case 'hibernate':
      return extractHibernateMapping(relPath, text);
    default:
      return emptyFacts(relPath, kind);
  }
}

/** dbt's own output and installed packages: not the project's docs. */
function isBuildOutput(inner: string): boolean {
  return inner.startsWith('target/') || inner.startsWith('dbt_packages/') || inner.startsWith('logs/');
}

/** A Markdown file of a dbt project: its docs blocks, for the descriptions that use them. */
function extractDbtDocs(relPath: string, text: string, project: string): FileFacts {
  const facts = emptyFacts(relPath, 'markdown');
  const { blocks, unclosed } = readDocBlocks(text);
  for (const b of blocks) facts.ddl.push({ op: 'docBlock', project, name: b.name, text: b.text, origin: { kind: 'dbt-docs', file: relPath, line: b.line } });
  for (const u of unclosed) {
    facts.diagnostics.push({ severity: 'warning', message: `Docs block '${u.name}' has no {% enddocs %}: dbt will not parse the project`, file: relPath, line: u.line, column: 1 });
  }
  return facts;
}

/**
 * The ORM models each language's files may declare (Eloquent, TypeORM, Sequelize, SQLAlchemy and Django, JPA, ActiveRecord), and
 * the keys its schema code declares (Laravel's, Rails's and knex's migrations, Drizzle's tables; Alembic's are read
 * with SQLAlchemy's Core tables).
 */
type OrmReader = (tokens: Token[], text: string, file: string) => OrmFacts;

const ORM_MODELS: Record<LexLanguage, OrmReader[]> = {
  php: [eloquentModels, doctrineEntities, laravelMigrationKeys],
  typescript: [typeormEntities, sequelizeModels, jsSchemaKeys],
  python: [pythonOrmRelationships, sqlalchemyJoins, dataframeJoins],
  java: [jpaEntities],
  kotlin: [kotlinJpaEntities, exposedTables],
  go: [gormModels],
  csharp: [efCoreEntities, efCoreModel],
  ruby: [railsKeys],
};

type CodeKind = 'php' | 'python' | 'typescript' | 'javascript' | 'java' | 'kotlin' | 'go' | 'csharp' | 'ruby';

function constantsOf(kind: CodeKind, text: string, relPath: string, tokens: Token[]): ConstantMap[] {
  switch (kind) {
    case 'php':
      return extractPhpConstants(text, relPath, tokens);
    case 'python':
      return extractPythonConstants(text, relPath, tokens);
    case 'java':
      return extractJavaConstants(text, relPath, tokens);
    case 'kotlin':
      return extractKotlinConstants(text, relPath, tokens);
    case 'go':
      return extractGoConstants(text, relPath, tokens);
    case 'csharp':
      return extractCSharpConstants(text, relPath, tokens);
    case 'ruby':
      return extractRubyConstants(text, relPath, tokens);
    default:
      return extractTypeScriptConstants(text, relPath, kind, tokens);
  }
}

function extractCode(relPath: string, text: string, kind: CodeKind): FileFacts {
  const facts = emptyFacts(relPath, kind);
  const lang = CODE_LANG[kind]!;
  const tokens = tokenize(text, lang); // shared by the constant and SQL-literal passes
  facts.constants = constantsOf(kind, text, relPath, tokens);
  const sql = analyzeSqlLiterals(text, lang, relPath, tokens);
  facts.tableRefs = sql.tableRefs;
  facts.joins = sql.joins;
  facts.diagnostics.push(...sql.diagnostics);
  if (lang === 'php' || lang === 'typescript') {
    const built = queryBuilderJoins(text, tokens, lang, relPath);
    facts.tableRefs.push(...built.tableRefs);
    facts.joins.push(...built.joins);
  }
  for (const read of ORM_MODELS[lang]) {
    const orm = read(tokens, text, relPath);
    if (orm.entities.length) (facts.entities ??= []).push(...orm.entities);
    facts.joins.push(...orm.joins);
  }
  return facts;
}
