import type { Origin, TableDef } from '../catalog/model';
import type { DbtRefCall, TableRef } from '../sql/types';
import { textPositions } from '../textPositions';
import { configuredKeys } from './dbtProjectConfig';
import { dbtSchemaOf } from './dbtSchemaNaming';
import type { FileFacts } from './facts';
import type { DbtModelOptions } from './sqlExtractor';

/** `def model(dbt, session):` — what makes a .py file in a model folder a dbt Python model. */
const MODEL_FUNCTION = /^def\s+model\s*\(\s*dbt\s*,\s*session\s*\)/m;
/** `dbt.ref('m')`, `dbt.ref('pkg', 'm')`, `dbt.ref('m', v=2)`, `dbt.source('s', 't')`: string arguments only. */
const RELATION_CALL = /\bdbt\s*\.\s*(ref|source)\s*\(\s*(['"])([^'"\n]*)\2(?:\s*,\s*(['"])([^'"\n]*)\4)?(?:\s*,\s*(?:v|version)\s*=\s*(?:(\d+)|(['"])([^'"\n]*)\7))?\s*\)/g;
/** `dbt.config(materialized="table", schema="x", alias="y", enabled=False)` */
const CONFIG_CALL = /\bdbt\s*\.\s*config\s*\(([^)]*)\)/g;

export function isDbtPythonModel(text: string): boolean {
  return MODEL_FUNCTION.test(text);
}

/**
 * A dbt Python model (`def model(dbt, session)` in a model folder): the relation dbt builds from it (a table unless its
 * config says incremental), in the schema its `dbt.config()` or dbt_project.yml gives, and the relations its
 * `dbt.ref()`/`dbt.source()` calls read, at their place in the file. Its columns are what the code computes: unknown.
 * Adds to `facts` (the file's facts as application code).
 */
export function addDbtPythonModel(facts: FileFacts, text: string, options: DbtModelOptions): FileFacts {
  const file = facts.file;
  const modelName = file.split('/').pop()!.replace(/\.py$/i, '');
  const own = pythonModelConfig(text);
  const config = Object.assign({}, options.projectConfig, own);
  const positionOf = textPositions(text);
  for (const m of text.matchAll(RELATION_CALL)) {
    const [, kind, , first, , second, numericVersion, , quotedVersion] = m;
    const args = second === undefined ? [first!] : [first!, second];
    if (kind === 'source' && args.length !== 2) continue;
    const dbtRef: DbtRefCall = { kind: kind as 'ref' | 'source', args };
    const version = numericVersion ?? quotedVersion;
    if (kind === 'ref' && version !== undefined) dbtRef.version = version;
    const at = positionOf(m.index);
    const ref: TableRef = { name: args[args.length - 1]!, dbtRef, origin: { kind: 'dbt-model', file, line: at.line, column: at.column } };
    if (kind === 'source') ref.schema = args[0];
    facts.tableRefs.push(ref);
  }
  if (config.enabled === false) return facts;
  const origin: Origin = { kind: 'dbt-model', file, line: positionOf(text.search(MODEL_FUNCTION)).line };
  const table: TableDef = {
    schema: dbtSchemaOf(options.schemaNaming, config.schema),
    name: config.alias ?? modelName,
    kind: 'dbtModel',
    columns: [],
    constraints: [],
    dbt: { uniqueId: `model.${options.project ?? 'project'}.${modelName}`, resourceType: 'model', materialized: config.materialized ?? 'table' },
    origin,
  };
  const configured = configuredKeys(own);
  if (configured) table.dbt!.configured = configured;
  facts.ddl.push({ op: 'createTable', table });
  return facts;
}

/** The string (and `enabled`) keywords of the model's `dbt.config()` calls, later ones winning. */
function pythonModelConfig(text: string): { materialized?: string; schema?: string; alias?: string; enabled?: boolean } {
  const config: { materialized?: string; schema?: string; alias?: string; enabled?: boolean } = {};
  for (const call of text.matchAll(CONFIG_CALL)) {
    for (const kw of call[1]!.matchAll(/\b(materialized|schema|alias)\s*=\s*(['"])([^'"\n]*)\2|\benabled\s*=\s*(True|False)\b/g)) {
      if (kw[4] !== undefined) config.enabled = kw[4] === 'True';
      else config[kw[1] as 'materialized' | 'schema' | 'alias'] = kw[3]!;
    }
  }
  return config;
}
