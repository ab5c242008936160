import * as path from 'node:path';
import type { RedshiftConnectionProfile } from '../adapters/aws/redshiftData/connectionProfile';
import { RedshiftDataEngine } from '../adapters/aws/redshiftDataEngine';
import { EmbeddedEngine } from '../adapters/embedded/embeddedEngine';
import type { QueryEngine } from '../core/ports';
import { WorkspaceIndexer } from '../core/workspace/indexer';
import { loadConnections, type EngineSpec } from './commands/query';
import type { JoinsEngineSpec } from './commands/joins';

/** The embedded engine over a workspace folder: its catalog's DDL, its CSV files and its dbt seeds. */
export async function openEmbeddedEngine(dir: string): Promise<EmbeddedEngine> {
  const root = path.resolve(dir);
  const indexer = new WorkspaceIndexer({ root });
  try {
    const snapshot = await indexer.indexAll();
    const seedDirs = snapshot.facts.filter((f) => f.dbtProject).flatMap((f) => {
      const projectDir = path.dirname(path.join(root, f.file));
      return (f.dbtProject?.seedPaths ?? ['seeds']).map((p) => path.join(projectDir, p));
    });
    return new EmbeddedEngine({ catalog: snapshot.catalog, dataDirs: [root], seedDirs });
  } finally {
    await indexer.dispose();
  }
}

/**
 * A CLI run keeps no Data API session: its statements run and the process ends, and a session would stay open idle
 * on the warehouse for its keep-alive (a script running many queries could reach the warehouse's session limit).
 */
function oneShot(connection: RedshiftConnectionProfile): RedshiftConnectionProfile {
  return { ...connection, sessionKeepAliveSeconds: 0 };
}

/** Engines for the CLI: Redshift Data API connections, or the embedded engine over a folder. */
export function cliEngineFactory(spec: EngineSpec): QueryEngine | Promise<QueryEngine> {
  return spec.kind === 'redshift' ? new RedshiftDataEngine(oneShot(spec.connection)) : openEmbeddedEngine(spec.dir);
}

/** Engines for `quarry joins --verify`: a named connection (from QUARRY_CONNECTIONS or .vscode/settings.json) or a folder. */
export function joinsEngineFactory(spec: JoinsEngineSpec): QueryEngine | Promise<QueryEngine> {
  if (spec.kind === 'embedded') return openEmbeddedEngine(spec.dir);
  const connections = loadConnections(undefined, process.cwd(), process.env);
  const connection = spec.connection ? connections.find((c) => c.name === spec.connection) : connections[0];
  if (!connection) throw new Error(`no connection named "${spec.connection ?? ''}" in QUARRY_CONNECTIONS or .vscode/settings.json`);
  return new RedshiftDataEngine(oneShot(connection));
}
