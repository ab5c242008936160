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
  /** dbt seeds the catalog knows: seed name → schema. */
  knownSeeds: Map<string, string>;
  defaultSchema: string;
}

const MAX_DEPTH = 4;

async function listCsvFiles(dir: string, depth = 0): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && e.name !== 'node_modules') out.push(...(await listCsvFiles(full, depth + 1)));
    else if (e.isFile() && /\.csv$/i.test(e.name)) out.push(full);
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
  for (const dir of input.dataDirs) {
    for (const file of await listCsvFiles(dir)) {
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
    for (const file of await listCsvFiles(dir)) {
      const base = path.basename(file).replace(/\.csv$/i, '').toLowerCase();
      targets.push({ file, schema: (input.knownSeeds.get(base) ?? input.seedSchema).toLowerCase(), table: base, rule: 'dbt seed' });
    }
  }
  return targets;
}
