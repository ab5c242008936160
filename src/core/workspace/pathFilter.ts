import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDES, type DiscoveryOptions, type SkipReason } from './discovery';

/**
 * The discovery rules applied to one path at a time, for incremental updates (a file created after the full walk).
 * Reads the .gitignore files of the path's ancestors on demand and remembers them.
 */
export class PathFilter {
  private readonly gitignores = new Map<string, Ignore | null>();
  private readonly isExcluded: (p: string) => boolean;
  private readonly isIncluded: (p: string) => boolean;

  constructor(
    private readonly root: string,
    private readonly options: DiscoveryOptions = {},
  ) {
    const ex = [...(options.defaultExcludes ?? DEFAULT_EXCLUDES), ...(options.exclude ?? [])];
    this.isExcluded = ex.length ? picomatch(ex, { dot: true }) : () => false;
    this.isIncluded = options.include?.length ? picomatch(options.include, { dot: true }) : () => true;
  }

  /** Why a workspace-relative file path would be skipped, or undefined when it is indexed. */
  reasonToSkip(rel: string): SkipReason | undefined {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      if (this.isExcluded(parts.slice(0, i).join('/'))) return 'excluded';
    }
    if (this.options.useGitignore !== false && this.gitignored(parts)) {
      if (!/(^|\/)target\/(manifest|catalog)\.json$/.test(rel)) return 'gitignored';
    }
    if (!this.isIncluded(rel)) return 'notIncluded';
    return undefined;
  }

  /** Forgets cached .gitignore rules (call when a .gitignore changes). */
  reset(): void {
    this.gitignores.clear();
  }

  private gitignored(parts: string[]): boolean {
    for (let d = 0; d < parts.length; d++) {
      const dir = parts.slice(0, d).join('/');
      const rules = this.rulesOf(dir);
      if (!rules) continue;
      for (let j = d + 1; j <= parts.length; j++) {
        const inner = parts.slice(d, j).join('/');
        if (rules.ignores(j < parts.length ? inner + '/' : inner)) return true;
      }
    }
    return false;
  }

  private rulesOf(dir: string): Ignore | null {
    if (this.gitignores.has(dir)) return this.gitignores.get(dir)!;
    let rules: Ignore | null = null;
    try {
      rules = ignore().add(readFileSync(path.join(this.root, dir, '.gitignore'), 'utf8'));
    } catch {
      rules = null;
    }
    this.gitignores.set(dir, rules);
    return rules;
  }
}
