import type { DbtPathConfig } from './dbtProjectConfig';
import type { FileKind } from './facts';
import type { DbtSchemaNaming } from './dbtSchemaNaming';

/** Where a dbt project lives and which of its folders hold models, seeds and snapshots (from dbt_project.yml). */
export interface DbtProjectLayout {
  /** Workspace-relative folder holding dbt_project.yml ('' for the workspace root). */
  root: string;
  name?: string;
  modelPaths: string[];
  seedPaths: string[];
  /** Folders of snapshots (dbt's default, `snapshots`, when left out). */
  snapshotPaths?: string[];
  /** dbt_project.yml configs by resource path (left out when there are none, as in most tests). */
  modelConfigs?: DbtPathConfig[];
  seedConfigs?: DbtPathConfig[];
  snapshotConfigs?: DbtPathConfig[];
  /** Where dbt builds the project's relations, when the project's profiles.yml tells (see dbtSchemaNaming.ts). */
  schemaNaming?: DbtSchemaNaming;
}

export const DEFAULT_SNAPSHOT_PATHS = ['snapshots'];

/** What an extractor needs to know beyond the file itself. Plain data: it crosses to worker threads. */
export interface ExtractContext {
  dbtProjects: DbtProjectLayout[];
}

export const EMPTY_CONTEXT: ExtractContext = { dbtProjects: [] };

const NOT_PROPERTIES = new Set(['dbt_project.yml', 'packages.yml', 'dependencies.yml', 'profiles.yml', 'selectors.yml', 'package-lock.yml']);
const LOOSE_PROPERTIES = /(^|\/)(schema|sources|properties|_?[\w-]*__?(sources|models|schema|properties|seeds))\.ya?ml$/i;

/** The deepest dbt project containing a path, and the path relative to that project's root. */
export function dbtProjectOf(relPath: string, ctx: ExtractContext): { project: DbtProjectLayout; inner: string } | undefined {
  let best: DbtProjectLayout | undefined;
  for (const p of ctx.dbtProjects) {
    if (p.root === '' || relPath.startsWith(p.root + '/')) {
      if (!best || p.root.length > best.root.length) best = p;
    }
  }
  if (!best) return undefined;
  return { project: best, inner: best.root === '' ? relPath : relPath.slice(best.root.length + 1) };
}

/** Each folder list as prefixes (`models/`, or '' for the project root), computed once per list. */
const folderPrefixes = new WeakMap<string[], string[]>();

function prefixesOf(folders: string[]): string[] {
  let prefixes = folderPrefixes.get(folders);
  if (!prefixes) {
    prefixes = folders.map((f) => {
      const clean = f.replace(/^\.\//, '').replace(/\/+$/, '');
      return clean === '' ? '' : clean + '/';
    });
    folderPrefixes.set(folders, prefixes);
  }
  return prefixes;
}

function under(inner: string, folders: string[]): boolean {
  for (const p of prefixesOf(folders)) if (p === '' || inner.startsWith(p)) return true;
  return false;
}

/**
 * A resource's path as dbt_project.yml configs name it: `models/staging/stg_orders.sql` → `staging/stg_orders`
 * (inside the first of `folders` holding it, without the extension); undefined when no folder holds it.
 */
export function dbtResourcePath(inner: string, folders: string[]): string | undefined {
  for (const p of prefixesOf(folders)) {
    if (p === '' || inner.startsWith(p)) return inner.slice(p.length).replace(/\.[^./]+$/, '');
  }
  return undefined;
}

/** Decides a file's kind from its path and the dbt project layout. */
export function classifyFile(relPath: string, ctx: ExtractContext): FileKind {
  const lower = relPath.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  if (base === 'dbt_project.yml') return 'dbt-project';
  const dbt = dbtProjectOf(relPath, ctx);
  switch (ext) {
    case 'sql':
      if (!dbt) return 'sql';
      if (under(dbt.inner, dbt.project.modelPaths)) return 'dbt-model';
      return under(dbt.inner, dbt.project.snapshotPaths ?? DEFAULT_SNAPSHOT_PATHS) ? 'dbt-snapshot' : 'sql';
    case 'yml':
    case 'yaml':
      if (NOT_PROPERTIES.has(base)) return 'other';
      if (dbt && !dbt.inner.startsWith('target/') && !dbt.inner.startsWith('dbt_packages/')) return 'dbt-yaml';
      return LOOSE_PROPERTIES.test(lower) ? 'dbt-yaml' : 'other';
    case 'json':
      return dbt && (dbt.inner === 'target/manifest.json' || dbt.inner === 'target/catalog.json') ? 'dbt-artifact' : 'other';
    case 'csv':
      return dbt && under(dbt.inner, dbt.project.seedPaths) ? 'dbt-seed' : 'csv';
    case 'php':
    case 'phtml':
    case 'inc':
      return 'php';
    case 'py':
      return 'python';
    case 'ts':
    case 'tsx':
    case 'mts':
    case 'cts':
      return base.endsWith('.d.ts') ? 'other' : 'typescript';
    case 'js':
    case 'jsx':
    case 'mjs':
    case 'cjs':
      return 'javascript';
    case 'java':
      return 'java';
    case 'kt':
    case 'kts':
      return 'kotlin';
    case 'go':
      return 'go';
    case 'cs':
      return 'csharp';
    case 'rb':
    case 'rake':
      return 'ruby';
    case 'prisma':
      return 'prisma';
    case 'xml':
      if (base.endsWith('.hbm.xml')) return 'hibernate';
      // MyBatis mappers and iBATIS SQL maps, as projects name them: OrderMapper.xml, resources/mappers/…
      return /mapper|sqlmap|dao/.test(base) || /(^|\/)(mappers?|sqlmaps?|mybatis|ibatis)\//.test(lower) ? 'mybatis' : 'other';
    case 'md':
    case 'markdown':
      return 'markdown';
    case 'pdf':
      return 'pdf';
    default:
      return 'other';
  }
}

/** Kinds whose text the indexer reads and extracts facts from. */
export function isExtractedKind(kind: FileKind): boolean {
  return kind !== 'other' && kind !== 'pdf';
}
