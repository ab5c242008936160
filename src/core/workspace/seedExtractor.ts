import type { ColumnDef, TableDef } from '../catalog/model';
import { typeFamilyOf } from '../sql/dataTypes';
import { detectDelimiter, readCsv } from './csv';
import { emptyFacts, type DataFileFacts, type FileFacts } from './facts';
import { inferSeedColumns } from './seedTypes';
import { dbtSchemaOf, type DbtSchemaNaming } from './dbtSchemaNaming';

/**
 * Rows used to infer the types of a CSV data file, and rows kept as a value sample. A dbt seed's types come from all
 * its rows, as dbt's own do (see seedTypes).
 */
const INFER_ROWS = 500;
const SAMPLE_ROWS = 5;

export interface SeedOptions {
  /** When set, the file is a dbt seed and adds a relation to the Catalog. */
  dbtSeed?: {
    project?: string;
    /** The seed's custom schema from dbt_project.yml. */
    schema?: string;
    /** The seed's `+alias` from dbt_project.yml: the relation's name (the file's stays its dbt name). */
    alias?: string;
    /** `+column_types` from dbt_project.yml: these columns get that type instead of an inferred one. */
    columnTypes?: Record<string, string>;
    /** Where dbt builds the project's relations, when its profiles.yml tells. */
    schemaNaming?: DbtSchemaNaming;
  };
}

/** CSV header, inferred column types and a small value sample; dbt seeds also become a `dbtSeed` relation. */
export function extractSeed(file: string, text: string, options: SeedOptions = {}): FileFacts {
  const facts = emptyFacts(file, options.dbtSeed ? 'dbt-seed' : 'csv');
  const firstLineEnd = text.search(/\r?\n/);
  const firstLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  if (!firstLine.trim()) {
    facts.diagnostics.push({ severity: 'warning', message: 'CSV file has no header row', file, line: 1, column: 1 });
    return facts;
  }
  const delimiter = detectDelimiter(firstLine);
  const csv = readCsv(text, delimiter, options.dbtSeed ? Infinity : INFER_ROWS + 1);
  if (csv.unterminatedQuote) {
    facts.diagnostics.push({ severity: 'warning', message: 'Unterminated quoted field', file, line: csv.unterminatedLine ?? 1, column: 1 });
  }
  const header = (csv.rows[0] ?? []).map((h, i) => h.trim() || `column_${i + 1}`);
  const body = csv.rows.slice(1);
  const types = inferSeedColumns(header.length, body);
  const columns = header.map((name, i) => {
    const { dataType, typeFamily, nullable } = types[i]!;
    return { name, dataType, typeFamily, nullable };
  });
  const data: DataFileFacts = { columns, sampleRows: body.slice(0, SAMPLE_ROWS), rowCount: Math.max(0, csv.recordCount - 1), delimiter };
  facts.data = data;
  if (options.dbtSeed) {
    const name = baseName(file);
    const origin = { kind: 'dbt-seed' as const, file, line: 1 };
    const declared = lowerKeys(options.dbtSeed.columnTypes);
    const cols: ColumnDef[] = columns.map((c) => {
      const type = declared?.get(c.name.toLowerCase());
      return type ? { name: c.name, dataType: type, typeFamily: typeFamilyOf(type), origin } : { name: c.name, dataType: c.dataType, typeFamily: c.typeFamily, origin };
    });
    const table: TableDef = {
      schema: dbtSchemaOf(options.dbtSeed.schemaNaming, options.dbtSeed.schema),
      name: options.dbtSeed.alias ?? name,
      kind: 'dbtSeed',
      columns: cols,
      constraints: [],
      dbt: { resourceType: 'seed', uniqueId: `seed.${options.dbtSeed.project ?? 'project'}.${name}` },
      origin,
    };
    facts.ddl.push({ op: 'createTable', table });
  }
  return facts;
}

function lowerKeys(map: Record<string, string> | undefined): Map<string, string> | undefined {
  return map && new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}

function baseName(file: string): string {
  return file.split('/').pop()!.replace(/\.csv$/i, '');
}
