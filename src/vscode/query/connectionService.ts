import * as path from 'node:path';
import * as vscode from 'vscode';
import { AwsClientFactory } from '../../adapters/aws/clientFactory';
import { connectionProfileProblems, type RedshiftConnectionProfile } from '../../adapters/aws/redshiftData/connectionProfile';
import { RedshiftDataEngine } from '../../adapters/aws/redshiftDataEngine';
import { WorkerEmbeddedEngine } from '../../adapters/embedded/workerEngine';
import type { CatalogSnapshot } from '../../core/catalog/model';
import type { QueryEngine } from '../../core/ports';
import { UserFacingError } from '../commands/registry';
import type { IndexService } from '../index/indexService';
import type { EngineStatusItem } from '../status/engineStatus';
import type { OutputLogger } from '../util/log';

export const EMBEDDED = '';

/**
 * Which engine queries run on: a Redshift Data API connection from `quarry.connections`, or the embedded local
 * engine. Builds engines lazily, rebuilds the embedded one when the catalog changes, and refuses to run anything in
 * an untrusted workspace.
 */
export class ConnectionService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly clients = new AwsClientFactory();
  private engines = new Map<string, QueryEngine>();
  /** The catalog the embedded engine was built from (catalogSignature), while there is one. */
  private embeddedFrom?: string;
  private readonly csvWatcher = vscode.workspace.createFileSystemWatcher('**/*.csv');
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly index: IndexService,
    private readonly status: EngineStatusItem,
    private readonly log: OutputLogger,
    /** Where the embedded engine keeps its start-up snapshot (initdb is the slow part of a cold start). */
    private readonly storageDir: string,
    private readonly extensionPath: string,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('quarry.connections') || e.affectsConfiguration('quarry.activeConnection')
          || e.affectsConfiguration('quarry.aws') || e.affectsConfiguration('quarry.redshift')) {
          void this.resetEngines();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.updateStatus()),
      // the embedded engine holds the catalog's relations and the workspace's CSV rows: rebuilt when either changes
      // (a query file saved changes neither)
      index.onDidChange(() => {
        if (this.embeddedFrom !== undefined && this.embeddedFrom !== catalogSignature(this.index.catalog)) this.retireEmbedded();
      }),
      this.csvWatcher,
      this.csvWatcher.onDidChange(() => this.retireEmbedded()),
      this.csvWatcher.onDidCreate(() => this.retireEmbedded()),
      this.csvWatcher.onDidDelete(() => this.retireEmbedded()),
    );
    this.updateStatus();
  }

  /** Connection profiles from settings, with region/profile defaults applied; invalid ones are logged and left out. */
  profiles(): RedshiftConnectionProfile[] {
    const cfg = vscode.workspace.getConfiguration('quarry');
    const region = cfg.get<string>('aws.region') || process.env.AWS_REGION || '';
    const profile = cfg.get<string>('aws.profile') || undefined;
    const endpoint = vscode.workspace.isTrusted ? cfg.get<string>('redshift.endpoint') || undefined : undefined;
    const sessionKeepAliveSeconds = cfg.get<number>('redshift.sessionKeepAliveSeconds', 900);
    const out: RedshiftConnectionProfile[] = [];
    for (const raw of cfg.get<unknown[]>('connections', [])) {
      const p = { region, profile, endpoint, sessionKeepAliveSeconds, ...(raw as object) } as RedshiftConnectionProfile;
      if (!p.profile) delete p.profile;
      if (!p.endpoint) delete p.endpoint;
      const problems = connectionProfileProblems(p);
      if (problems.length) { this.log.warn(`Ignoring a connection in quarry.connections: ${problems.join('; ')}`); continue; }
      out.push(p);
    }
    return out;
  }

  /** The active connection's name, or EMBEDDED. */
  activeName(): string {
    const name = vscode.workspace.getConfiguration('quarry').get<string>('activeConnection', '');
    return name && this.profiles().some((p) => p.name === name) ? name : EMBEDDED;
  }

  activeProfile(): RedshiftConnectionProfile | undefined {
    const name = this.activeName();
    return name === EMBEDDED ? undefined : this.profiles().find((p) => p.name === name);
  }

  /** The engine of the active connection (or of `name`). Throws for untrusted workspaces. */
  async engine(name = this.activeName()): Promise<QueryEngine> {
    if (!vscode.workspace.isTrusted) {
      throw new UserFacingError('Quarry runs no queries in an untrusted workspace. Trust this folder to run queries.');
    }
    let engine = this.engines.get(name);
    if (!engine) {
      engine = name === EMBEDDED ? await this.createEmbedded() : this.createRedshift(name);
      this.engines.set(name, engine);
    }
    return engine;
  }

  private async createEmbedded(): Promise<QueryEngine> {
    await this.index.whenReady();
    this.embeddedFrom = catalogSignature(this.index.catalog);
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const seedDirs = this.index.snapshots().flatMap(({ folder }) => this.seedDirsOf(folder));
    // PGlite runs synchronously inside WASM: in a worker thread it cannot freeze the extension host, and a cancel
    // really stops the query (the worker is terminated and restarted from its start-up snapshot).
    const engine = new WorkerEmbeddedEngine({
      workerScript: path.join(this.extensionPath, 'dist', 'embeddedWorker.js'),
      catalog: this.index.catalog,
      dataDirs: folders.map((f) => f.uri.fsPath),
      seedDirs,
      logger: this.log,
      cacheDir: path.join(this.storageDir, 'pglite'),
    });
    this.log.info(`Embedded engine: ${folders.length} folder(s), ${seedDirs.length} dbt seed folder(s)`);
    return engine;
  }

  private seedDirsOf(folder: vscode.WorkspaceFolder): string[] {
    const facts = this.index.snapshots().find((s) => s.folder === folder)?.snapshot.facts ?? [];
    return facts.filter((f) => f.dbtProject).flatMap((f) => {
      const projectDir = f.file.includes('/') ? f.file.slice(0, f.file.lastIndexOf('/')) : '';
      return (f.dbtProject?.seedPaths ?? ['seeds']).map((p) => vscode.Uri.joinPath(folder.uri, projectDir, p).fsPath);
    });
  }

  private createRedshift(name: string): QueryEngine {
    const profile = this.profiles().find((p) => p.name === name);
    if (!profile) throw new UserFacingError(`No connection named “${name}” in quarry.connections.`, ['Open Settings']);
    return new RedshiftDataEngine(profile, { clientFactory: this.clients, logger: this.log });
  }

  async select(name: string): Promise<void> {
    await vscode.workspace.getConfiguration('quarry').update('activeConnection', name, vscode.ConfigurationTarget.Workspace);
    this.updateStatus();
  }

  private async dropEngine(name: string): Promise<void> {
    const engine = this.engines.get(name);
    this.engines.delete(name);
    if (name === EMBEDDED) this.embeddedFrom = undefined;
    await engine?.dispose().catch((err) => this.log.error('Disposing an engine failed', err));
  }

  /** The next query gets a fresh embedded engine; the current one finishes what it is running, then stops. */
  private retireEmbedded(): void {
    const engine = this.engines.get(EMBEDDED);
    if (!engine) return;
    this.engines.delete(EMBEDDED);
    this.embeddedFrom = undefined;
    if (engine instanceof WorkerEmbeddedEngine) engine.retire();
    else void engine.dispose().catch((err) => this.log.error('Disposing an engine failed', err));
  }

  private async resetEngines(): Promise<void> {
    const all = [...this.engines.keys()];
    await Promise.all(all.map((n) => this.dropEngine(n)));
    this.updateStatus();
    this.changed.fire();
  }

  updateStatus(): void {
    if (!vscode.workspace.isTrusted) {
      this.status.show('Queries off', 'This workspace is not trusted: Quarry runs no queries and ignores connection settings.', 'workbench.trust.manage');
      return;
    }
    const p = this.activeProfile();
    if (!p) {
      this.status.show('Embedded', 'Queries run on the embedded local engine (PGlite) loaded from the workspace DDL and CSV files. Results are local, not from a warehouse.\nClick to pick a connection.', 'quarry.selectConnection');
    } else {
      const target = p.workgroupName ? `Serverless workgroup ${p.workgroupName}` : `cluster ${p.clusterIdentifier}`;
      this.status.show(`${p.production ? '$(shield) ' : ''}${p.name}`, `Redshift Data API: ${target}, database ${p.database}, ${p.region || 'region from the AWS profile'}${p.profile ? `, AWS profile ${p.profile}` : ''}${p.production ? '\nProduction: writes ask for confirmation.' : ''}\nClick to pick a connection.`, 'quarry.selectConnection');
    }
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    await Promise.all([...this.engines.values()].map((e) => e.dispose().catch(() => undefined)));
    this.engines.clear();
    this.clients.dispose?.();
    this.changed.dispose();
  }
}

/** What the embedded engine is built from in a catalog: each relation, its columns and their types, a view's SQL. */
function catalogSignature(catalog: CatalogSnapshot | undefined): string {
  return (catalog?.tables ?? [])
    .map((t) => `${t.schema}.${t.name}:${t.kind}(${t.columns.map((c) => `${c.name} ${c.dataType ?? ''}`).join(',')})${t.definitionSql ?? ''}`)
    .sort()
    .join(';');
}
