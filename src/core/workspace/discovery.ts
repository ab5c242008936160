import { promises as fsp, readdirSync, readFileSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export interface DiscoveryOptions {
  /** Globs of workspace-relative paths to leave out (VS Code `files.exclude` / `search.exclude` keys that are true). */
  exclude?: string[];
  /** When non-empty, only files matching one of these globs are kept. */
  include?: string[];
  /** Files larger than this are skipped (default 5 MB). dbt artifacts get `maxArtifactSize`. */
  maxFileSize?: number;
  /** Limit for target/manifest.json and target/catalog.json (default 256 MB). */
  maxArtifactSize?: number;
  /** Honour .gitignore files (default true). */
  useGitignore?: boolean;
  /** Replace the built-in excludes (.git, node_modules, virtualenvs, dbt_packages). */
  defaultExcludes?: string[];
  signal?: { readonly aborted: boolean };
  /**
   * Blocking file-system calls: several times faster than the asynchronous ones over thousands of files, so used where
   * blocking costs nothing (an index worker thread). Never on the extension host's thread.
   */
  syncIo?: boolean;
  /**
   * Called with the files kept in each folder as the walk leaves it (before its subfolders), so work can start before
   * the walk ends. A folder's files arrive together, and always after those of every folder above it: a dbt project's
   * dbt_project.yml comes before, or with, every file the project holds.
   */
  onFiles?: (files: DiscoveredFile[]) => void;
}

/** The file-system calls discovery makes. */
interface DiscoveryIo {
  realpath(p: string): Promise<string>;
  stat(p: string): Promise<Stats>;
  readdir(p: string): Promise<Dirent[]>;
  readText(p: string): Promise<string>;
}

const ASYNC_IO: DiscoveryIo = {
  realpath: (p) => fsp.realpath(p),
  stat: (p) => fsp.stat(p),
  readdir: (p) => fsp.readdir(p, { withFileTypes: true }),
  readText: (p) => fsp.readFile(p, 'utf8'),
};

const SYNC_IO: DiscoveryIo = {
  realpath: async (p) => realpathSync(p),
  stat: async (p) => statSync(p),
  readdir: async (p) => readdirSync(p, { withFileTypes: true }),
  readText: async (p) => readFileSync(p, 'utf8'),
};

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
export const DEFAULT_EXCLUDES = ['**/.git', '**/node_modules', '**/.venv', '**/venv', '**/__pycache__', '**/dbt_packages', '**/.quarry'];

export interface DiscoveredFile {
  /** Workspace-relative path with forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
}

export type SkipReason = 'gitignored' | 'excluded' | 'notIncluded' | 'tooLarge' | 'symlinkOutside' | 'symlinkDir' | 'unreadable' | 'binary';

export interface SkipSummary {
  counts: Partial<Record<SkipReason, number>>;
  /** A few example paths per reason, for a readable report. */
  examples: Partial<Record<SkipReason, string[]>>;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  skipped: SkipSummary;
}

const EXAMPLES_PER_REASON = 5;

export function newSkipSummary(): SkipSummary {
  return { counts: {}, examples: {} };
}

export function recordSkip(summary: SkipSummary, reason: SkipReason, relPath: string): void {
  summary.counts[reason] = (summary.counts[reason] ?? 0) + 1;
  const ex = (summary.examples[reason] ??= []);
  if (ex.length < EXAMPLES_PER_REASON) ex.push(relPath);
}

/** Adds the skips of `more` to `summary` (examples up to the usual few). */
export function mergeSkips(summary: SkipSummary, more: SkipSummary): SkipSummary {
  for (const [reason, n] of Object.entries(more.counts) as Array<[SkipReason, number]>) {
    summary.counts[reason] = (summary.counts[reason] ?? 0) + n;
    const ex = (summary.examples[reason] ??= []);
    for (const p of more.examples[reason] ?? []) if (ex.length < EXAMPLES_PER_REASON) ex.push(p);
  }
  return summary;
}

interface IgnoreScope {
  /** Folder (workspace-relative, '' for root) the .gitignore lives in. */
  dir: string;
  rules: Ignore;
}

const ARTIFACTS = ['manifest.json', 'catalog.json'];

/**
 * Walks `root` and returns the files worth indexing, sorted by path. Honours nested .gitignore files, exclude and
 * include globs and a size limit; never follows a symlink out of the root; dbt `target/` artifacts are kept even
 * when .gitignore hides `target/`.
 */
export async function discoverFiles(root: string, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const io = options.syncIo ? SYNC_IO : ASYNC_IO;
  const realRoot = await io.realpath(root);
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const maxArtifact = options.maxArtifactSize ?? 256 * 1024 * 1024;
  const excludeGlobs = [...(options.defaultExcludes ?? DEFAULT_EXCLUDES), ...(options.exclude ?? [])];
  const isExcluded = excludeGlobs.length ? picomatch(excludeGlobs, { dot: true }) : () => false;
  const isIncluded = options.include?.length ? picomatch(options.include, { dot: true }) : () => true;
  const useGitignore = options.useGitignore !== false;
  const skipped = newSkipSummary();
  const files: DiscoveredFile[] = [];

  const gitignored = (scopes: IgnoreScope[], rel: string, isDir: boolean): boolean => {
    for (const s of scopes) {
      const inner = s.dir === '' ? rel : rel.slice(s.dir.length + 1);
      if (inner && s.rules.ignores(isDir ? inner + '/' : inner)) return true;
    }
    return false;
  };

  const keep = (st: Stats, rel: string, limit: number): void => {
    if (!st.isFile()) return;
    if (st.size > limit) return recordSkip(skipped, 'tooLarge', rel);
    files.push({ path: rel, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
  };
  const addFile = async (abs: string, rel: string, limit: number, quietIfMissing = false): Promise<void> => {
    try {
      keep(await io.stat(abs), rel, limit);
    } catch {
      if (!quietIfMissing) recordSkip(skipped, 'unreadable', rel);
    }
  };
  // blocking I/O needs no promise per file (ten thousand of them were a third of a walk's time)
  const addFileNow = (abs: string, rel: string, limit: number): void => {
    try {
      keep(statSync(abs), rel, limit);
    } catch {
      recordSkip(skipped, 'unreadable', rel);
    }
  };

  const walk = async (dirRel: string, scopes: IgnoreScope[]): Promise<void> => {
    if (options.signal?.aborted) return;
    const dirAbs = dirRel ? path.join(realRoot, dirRel) : realRoot;
    let entries: Dirent[];
    try {
      entries = await io.readdir(dirAbs);
    } catch {
      recordSkip(skipped, 'unreadable', dirRel || '.');
      return;
    }
    let here = scopes;
    if (useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = await io.readText(path.join(dirAbs, '.gitignore'));
        here = [...scopes, { dir: dirRel, rules: ignore().add(text) }];
      } catch {
        /* unreadable .gitignore: ignore it */
      }
    }
    const isDbtProject = entries.some((e) => e.name === 'dbt_project.yml');
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const fileJobs: Array<Promise<void>> = [];
    const subdirs: string[] = [];
    const firstHere = files.length;
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      const abs = path.join(dirAbs, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const real = await io.realpath(abs);
          if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
            recordSkip(skipped, 'symlinkOutside', rel);
            continue;
          }
          const st = await io.stat(real);
          if (st.isDirectory()) {
            // its contents are reached through the real path; following it could loop
            recordSkip(skipped, 'symlinkDir', rel);
            continue;
          }
          isFile = st.isFile();
          isDir = false;
        } catch {
          recordSkip(skipped, 'unreadable', rel);
          continue;
        }
      }
      if (isExcluded(rel)) {
        recordSkip(skipped, 'excluded', rel);
        continue;
      }
      if (isDir) {
        if (gitignored(here, rel, true)) {
          if (isDbtProject && e.name === 'target') {
            for (const a of ARTIFACTS) {
              const artRel = `${rel}/${a}`;
              if (!isExcluded(artRel) && isIncluded(artRel)) fileJobs.push(addFile(path.join(abs, a), artRel, maxArtifact, true));
            }
          } else recordSkip(skipped, 'gitignored', rel);
          continue;
        }
        subdirs.push(rel);
        continue;
      }
      if (!isFile) continue;
      if (gitignored(here, rel, false)) {
        recordSkip(skipped, 'gitignored', rel);
        continue;
      }
      if (!isIncluded(rel)) {
        recordSkip(skipped, 'notIncluded', rel);
        continue;
      }
      const limit = /(^|\/)target\/(manifest|catalog)\.json$/.test(rel) ? maxArtifact : maxSize;
      if (options.syncIo) addFileNow(abs, rel, limit);
      else fileJobs.push(addFile(abs, rel, limit));
    }
    await Promise.all(fileJobs);
    // in path order: asynchronous stats finish in any order (a project's target/manifest.json before its dbt_project.yml)
    if (options.onFiles && files.length > firstHere) options.onFiles(files.slice(firstHere).sort(byPath));
    for (const d of subdirs) await walk(d, here);
  };

  await walk('', []);
  files.sort(byPath);
  return { files, skipped };
}

const byPath = (a: DiscoveredFile, b: DiscoveredFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
