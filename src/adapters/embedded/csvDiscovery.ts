import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A CSV file and the relation it fills. Names are folded to lower case, as Redshift folds identifiers. */
export interface CsvTarget {
  file: string;
  schema: string;
  table: string;
  /** How the target was chosen, for the load report. */
  rule: 'schema.table.csv' | 'schema folder' | 'catalog match' | 'default schema' | 'dbt seed';
}

export interface CsvDiscoveryInput {
  dataDirs: string[];
  seedDirs: string[];
  seedSchema: string;
  /** Lower-case `schema.table` keys known from the catalog. */
  knownTables: Set<string>;
  /** dbt seeds the catalog knows: seed (file) name → where its relation is (its schema, and its `+alias` name). */
  knownSeeds: Map<string, { schema: string; table: string }>;
  defaultSchema: string;
}

const MAX_DEPTH = 4;
// Folders that hold build output, dependencies or tool state, never workspace data.
const SKIPPED_DIRS = new Set(['node_modules', 'target', 'dbt_packages', 'dist', 'out', 'venv', '__pycache__', 'logs']);

async function listCsvFiles(dir: string, exclude: Set<string>, depth = 0): Promise<string[]> {
  if (exclude.has(path.resolve(dir))) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  // A folder's own files come before its subfolders', so the shallower copy of a file wins.
  const sorted = entries.sort((a, b) => a.name.localeCompare(b.name));
  const out = sorted.filter((e) => e.isFile() && /\.csv$/i.test(e.name)).map((e) => path.join(dir, e.name));
  for (const e of sorted) {
    if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) out.push(...(await listCsvFiles(path.join(dir, e.name), exclude, depth + 1)));
  }
  return out;
}

function tablesNamed(name: string, known: Set<string>): string[] {
  return [...known].filter((k) => k.endsWith(`.${name}`));
}

/** Finds CSV files and decides which table each one fills. */
export async function discoverCsvTargets(input: CsvDiscoveryInput): Promise<CsvTarget[]> {
  const targets: CsvTarget[] = [];
  const knownSchemas = new Set([...input.knownTables].map((k) => k.split('.')[0]));
  // A workspace root given as a data folder contains the dbt seed folders: those files are seeds, not data files.
  const seedDirs = new Set(input.seedDirs.map((d) => path.resolve(d)));
  for (const dir of input.dataDirs) {
    for (const file of await listCsvFiles(dir, seedDirs)) {
      const base = path.basename(file).replace(/\.csv$/i, '').toLowerCase();
      const parts = base.split('.');
      if (parts.length >= 2) {
        targets.push({ file, schema: parts[parts.length - 2], table: parts[parts.length - 1], rule: 'schema.table.csv' });
        continue;
      }
      const parent = path.basename(path.dirname(file)).toLowerCase();
      if (path.resolve(path.dirname(file)) !== path.resolve(dir) && knownSchemas.has(parent)) {
        targets.push({ file, schema: parent, table: base, rule: 'schema folder' });
        continue;
      }
      const matches = tablesNamed(base, input.knownTables);
      if (matches.length === 1) targets.push({ file, schema: matches[0].split('.')[0], table: base, rule: 'catalog match' });
      else targets.push({ file, schema: input.defaultSchema, table: base, rule: 'default schema' });
    }
  }
  for (const dir of input.seedDirs) {
    for (const file of await listCsvFiles(dir, new Set())) {
      const base = path.basename(file).replace(/\.csv$/i, '').toLowerCase();
      const known = input.knownSeeds.get(base);
      targets.push({ file, schema: (known?.schema ?? input.seedSchema).toLowerCase(), table: known?.table.toLowerCase() ?? base, rule: 'dbt seed' });
    }
  }
  return targets;
}
