import { DdlDocuments } from './commands/ddlDocuments';
import * as vscode from 'vscode';
import { CommandRegistry } from './commands/registry';
import { DocumentsProvider } from './documents/documentsView';
import { SchemaExplorerProvider } from './explorer/schemaExplorer';
import { EngineStatusItem } from './status/engineStatus';
import { OutputLogger } from './util/log';
import { IndexService } from './index/indexService';
import type { TableDef } from '../core/catalog/model';
import type { ErdPanel } from './webviews/erdPanel';
import { LiveCatalogProvider } from './explorer/liveCatalog';
import { JoinService } from './modeling/joinService';
import { ConnectionService } from './query/connectionService';
import { QueryHistory } from './query/queryHistory';
import { QueryRunner } from './query/queryRunner';

/**
 * The one composition root: services are built lazily on first use, with plain constructors,
 * and every disposable is tied to the extension context.
 */
export class Container implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly cache = new Map<string, unknown>();

  /** Set by the query layer when a warehouse connection can answer SHOW TABLE / SHOW VIEW. */
  liveDdl?: (table: TableDef) => Promise<string | undefined>;
  /** Open ERD panels (tests and exports look at them). */
  readonly erdPanels = new Set<ErdPanel>();

  constructor(readonly context: vscode.ExtensionContext) {}

  private lazy<T>(key: string, create: () => T): T {
    if (!this.cache.has(key)) {
      const value = create();
      if (value && typeof (value as Partial<vscode.Disposable>).dispose === 'function') this.disposables.push(value as unknown as vscode.Disposable);
      this.cache.set(key, value);
    }
    return this.cache.get(key) as T;
  }

  get log(): OutputLogger { return this.lazy('log', () => new OutputLogger()); }
  get commands(): CommandRegistry { return this.lazy('commands', () => new CommandRegistry(this.log)); }
  get engineStatus(): EngineStatusItem { return this.lazy('engineStatus', () => new EngineStatusItem()); }
  get documents(): DocumentsProvider { return this.lazy('documents', () => new DocumentsProvider()); }
  get ddlDocuments(): DdlDocuments { return this.lazy('ddlDocuments', () => new DdlDocuments()); }
  get index(): IndexService { return this.lazy('index', () => new IndexService(this.context, this.log)); }
  get connections(): ConnectionService {
    return this.lazy('connections', () => new ConnectionService(this.index, this.engineStatus, this.log, this.context.globalStorageUri.fsPath, this.context.extensionPath));
  }
  get history(): QueryHistory { return this.lazy('history', () => new QueryHistory(this.context.workspaceState)); }
  get queries(): QueryRunner {
    return this.lazy('queries', () => new QueryRunner(this.context, this.connections, this.history, this.log, () => this.index.catalogIndex));
  }
  get joins(): JoinService { return this.lazy('joins', () => new JoinService(this.index, this.connections, this.log)); }
  get explorer(): SchemaExplorerProvider {
    return this.lazy('explorer', () => {
      const explorer = new SchemaExplorerProvider(() => this.index.catalog);
      explorer.setLiveSource(this.liveCatalog);
      return explorer;
    });
  }
  get liveCatalog(): LiveCatalogProvider {
    return this.lazy('liveCatalog', () => new LiveCatalogProvider(this.connections, this.log));
  }
  get explorerView(): vscode.TreeView<unknown> {
    return this.lazy('explorerView', () => vscode.window.createTreeView('quarry.schemaExplorer', {
      treeDataProvider: this.explorer, showCollapseAll: true,
    })) as vscode.TreeView<unknown>;
  }

  track<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) {
      try { d.dispose(); } catch { /* keep disposing the rest */ }
    }
    this.disposables.length = 0;
  }
}
