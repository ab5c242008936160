import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * The python of the dbt the tests compare Quarry against (scripts/ensure-dbt.sh installs it; QUARRY_DBT_PYTHON names
 * it). Where it is missing, the suite fails when QUARRY_REQUIRE_DBT is set (scripts/test.sh sets it), else it skips.
 */
export function dbtPythonOrSkip(suite: Mocha.Context): string {
  const cache = process.env.QUARRY_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'quarry');
  const python = process.env.QUARRY_DBT_PYTHON ?? path.join(cache, 'dbt-1.11', 'bin', 'python');
  if (existsSync(python)) return python;
  if (process.env.QUARRY_REQUIRE_DBT) throw new Error('dbt is required here: run scripts/ensure-dbt.sh and set QUARRY_DBT_PYTHON to the python it prints');
  suite.skip();
}
