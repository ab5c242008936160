import * as path from 'node:path';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { CatalogIndex } from '../../core/catalog/catalogIndex';
import { documentedOnlyColumns } from '../../core/catalog/documentedColumns';
import { resolveUnqualifiedSides } from '../../core/catalog/joinUsage';
import type { CatalogConflict, CatalogSnapshot, Origin } from '../../core/catalog/model';
import type { JoinPair } from '../../core/sql/types';
import { classifyFile } from '../../core/workspace/classify';
import type { SearchHit } from '../../core/workspace/search';
import { IndexCancelledError, WorkspaceIndexer, type IndexSnapshot } from '../../core/workspace/indexer';
import type { OutputLogger } from '../util/log';
import { affectsIndexSettings, dbtTargetSchemaFor, discoveryOptionsFor } from './indexSettings';

interface FolderIndex {
  folder: vscode.WorkspaceFolder;
  indexer: WorkspaceIndexer;
}

/**
 * Keeps one WorkspaceIndexer per workspace folder current (full index with progress, then incremental updates from
 * file events), publishes parse diagnostics to the Problems panel and tells listeners when the catalog changed.
 */
export class IndexService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('quarry');
  private readonly disposables: vscode.Disposable[] = [];
  private folders: FolderIndex[] = [];
  private merged: { catalog: CatalogSnapshot; index: CatalogIndex; joins?: JoinPair[] } | undefined;
  private pending = new Map<string, 'update' | 'remove'>();
  private flushTimer: NodeJS.Timeout | undefined;
  private ready: Promise<void> | undefined;
  private skipNoticeShown = false;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: OutputLogger) {}

  get catalog(): CatalogSnapshot | undefined { return this.merged?.catalog; }
  get catalogIndex(): CatalogIndex | undefined { return this.merged?.index; }
  /** Resolves when the first full index has finished (or failed). */
  whenReady(): Promise<void> { return this.ready ?? Promise.resolve(); }

  /**
   * The join pairs of every folder's queries, unqualified sides placed through the merged catalog (a query in one
   * folder may read a table another folder defines), for hovers and CodeLens. Computed once per published catalog.
   */
  joins(): JoinPair[] {
    const merged = this.merged;
    if (!merged) return this.snapshots().flatMap((s) => s.snapshot.joins);
    return (merged.joins ??= resolveUnqualifiedSides(this.snapshots().flatMap((s) => s.snapshot.joins), (q) => merged.index.resolveRef(q).table));
  }

  snapshots(): Array<{ folder: vscode.WorkspaceFolder; snapshot: IndexSnapshot }> {
    return this.folders.map((f) => ({ folder: f.folder, snapshot: f.indexer.snapshot() }));
  }

  /** Whether a file is a model of one of the workspace's dbt projects (by where it is, indexed yet or not). */
  isDbtModel(uri: vscode.Uri): boolean {
    const f = this.folders.find((x) => uri.fsPath.startsWith(x.folder.uri.fsPath + path.sep));
    if (!f || uri.scheme !== 'file') return false;
    const rel = path.relative(f.folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return classifyFile(rel, { dbtProjects: [...f.indexer.dbtProjects] }) === 'dbt-model';
  }

  /** Absolute file URI of an indexed path relative to its folder. */
  uriFor(folder: vscode.WorkspaceFolder, relPath: string): vscode.Uri {
    return vscode.Uri.joinPath(folder.uri, ...relPath.split('/'));
  }

  /** The folder whose index holds a relative path (first folder when single-root). */
  folderOf(relPath: string): vscode.WorkspaceFolder | undefined {
    return this.folders.find((f) => f.indexer.factsFor(relPath))?.folder ?? this.folders[0]?.folder;
  }

  start(): Promise<void> {
    this.ready ??= this.startNow();
    return this.ready;
  }

  private async startNow(): Promise<void> {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reindex(false)),
      vscode.workspace.onDidChangeConfiguration((e) => { if (affectsIndexSettings(e)) void this.reindex(false); }),
      vscode.workspace.onDidRenameFiles((e) => void this.renamed(e)),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(watcher,
      watcher.onDidCreate((u) => this.queue(u, 'update')),
      watcher.onDidChange((u) => this.queue(u, 'update')),
      watcher.onDidDelete((u) => this.queue(u, 'remove')));
    await this.reindex(false);
  }

  /** Builds the indexers for the current folders and runs a full index; `force` drops the on-disk cache first. */
  async reindex(force: boolean): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    await Promise.all(this.folders.map((f) => f.indexer.dispose().catch(() => undefined)));
    this.folders = folders.map((folder) => ({ folder, indexer: this.createIndexer(folder) }));
    if (force) await Promise.all(this.folders.map((f) => this.clearCache(f.folder)));
    if (this.folders.length === 0) { this.publish(); return; }
    const started = Date.now();
    await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: 'Quarry: indexing workspace',
      cancellable: true,
    }, async (progress, token) => {
      const signal = { get aborted() { return token.isCancellationRequested; } };
      for (const f of this.folders) {
        let last = 0;
        try {
          await f.indexer.indexAll({
            signal,
            onProgress: (p) => {
              if (p.phase !== 'extract' || p.total === 0) return;
              const pct = Math.floor((p.done / p.total) * 100);
              if (pct > last) { progress.report({ message: `${f.folder.name}: ${p.done}/${p.total} files`, increment: (pct - last) / this.folders.length }); last = pct; }
            },
          });
        } catch (err) {
          if (err instanceof IndexCancelledError) { this.log.warn('Workspace index cancelled'); break; }
          throw err;
        }
      }
    });
    this.publish();
    const s = this.folders.map((f) => f.indexer.snapshot().stats);
    this.log.info(`Workspace index: ${s.reduce((n, x) => n + x.files, 0)} files (${s.reduce((n, x) => n + x.parsed, 0)} parsed, ${s.reduce((n, x) => n + x.fromCache, 0)} from cache), ${this.catalog?.tables.length ?? 0} relations in ${Date.now() - started} ms`);
    this.noticeSkipped();
  }

  private createIndexer(folder: vscode.WorkspaceFolder): WorkspaceIndexer {
    const indexer = new WorkspaceIndexer({
      root: folder.uri.fsPath,
      cacheDir: this.cacheDirFor(folder),
      workerScript: path.join(this.context.extensionPath, 'dist', 'indexWorker.js'),
      discovery: discoveryOptionsFor(folder),
      cacheKey: String(this.context.extension.packageJSON.version),
      dbtTargetSchema: dbtTargetSchemaFor(folder),
    });
    return indexer;
  }

  private cacheDirFor(folder: vscode.WorkspaceFolder): string | undefined {
    const base = this.context.storageUri ?? this.context.globalStorageUri;
    const id = createHash('sha1').update(folder.uri.toString()).digest('hex').slice(0, 12);
    return path.join(base.fsPath, `index-${id}`);
  }

  private async clearCache(folder: vscode.WorkspaceFolder): Promise<void> {
    const dir = this.cacheDirFor(folder);
    if (dir) await vscode.workspace.fs.delete(vscode.Uri.file(dir), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  }

  private queue(uri: vscode.Uri, action: 'update' | 'remove'): void {
    if (uri.scheme !== 'file') return;
    this.pending.set(uri.fsPath, action);
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => void this.flush(), 150);
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.entries()];
    this.pending.clear();
    let changed = false;
    for (const f of this.folders) {
      const inFolder = (p: string) => p === f.folder.uri.fsPath || p.startsWith(f.folder.uri.fsPath + path.sep);
      const updates = batch.filter(([p, a]) => a === 'update' && inFolder(p)).map(([p]) => p);
      const removals = batch.filter(([p, a]) => a === 'remove' && inFolder(p)).map(([p]) => p);
      try {
        for (const change of [removals.length ? await f.indexer.remove(removals) : undefined, updates.length ? await f.indexer.update(updates) : undefined]) {
          if (change && (change.updated.length > 0 || change.removed.length > 0)) changed = true;
        }
      } catch (err) {
        this.log.error('Incremental index update failed', err);
        changed = true;
      }
    }
    // Events for files the index ignores (build output, node_modules…) must not rebuild views.
    if (changed) this.publish();
  }

  private async renamed(e: vscode.FileRenameEvent): Promise<void> {
    for (const { oldUri, newUri } of e.files) {
      const f = this.folders.find((x) => newUri.fsPath.startsWith(x.folder.uri.fsPath + path.sep));
      if (f) await f.indexer.rename(oldUri.fsPath, newUri.fsPath).catch((err) => this.log.error('Rename in index failed', err));
    }
    this.publish();
  }

  private publish(): void {
    const snapshots = this.folders.map((f) => ({ folder: f.folder, snap: f.indexer.snapshot() }));
    const catalog: CatalogSnapshot = snapshots.length === 1
      ? snapshots[0].snap.catalog
      : { tables: snapshots.flatMap((s) => s.snap.catalog.tables), conflicts: snapshots.flatMap((s) => s.snap.catalog.conflicts) };
    this.merged = { catalog, index: new CatalogIndex(catalog) };
    this.publishDiagnostics(snapshots);
    this.changed.fire();
  }

  private publishDiagnostics(snapshots: Array<{ folder: vscode.WorkspaceFolder; snap: IndexSnapshot }>): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const { folder, snap } of snapshots) {
      for (const d of snap.diagnostics) {
        if (!d.file) continue;
        const key = this.uriFor(folder, d.file).toString();
        const line = Math.max(0, d.line - 1);
        const col = Math.max(0, d.column - 1);
        const range = new vscode.Range(line, col, Math.max(line, (d.endLine ?? d.line) - 1), d.endColumn ? d.endColumn - 1 : col + 1);
        const diag = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error
          : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
        diag.source = 'Quarry';
        const list = byFile.get(key) ?? [];
        list.push(diag);
        byFile.set(key, list);
      }
    }
    for (const { folder, snap } of snapshots) for (const c of snap.catalog.conflicts) this.conflictDiagnostic(folder, c, byFile);
    for (const { folder, snap } of snapshots) this.documentedOnlyDiagnostics(folder, snap.catalog, byFile);
    for (const [key, list] of byFile) this.diagnostics.set(vscode.Uri.parse(key), list);
  }

  /**
   * A relation defined differently in two files: a warning at each later definition (the one the catalog does not
   * keep), pointing at the first.
   */
  private conflictDiagnostic(folder: vscode.WorkspaceFolder, c: CatalogConflict, byFile: Map<string, vscode.Diagnostic[]>): void {
    const [kept, ...others] = c.origins;
    const nameLength = c.table.slice(c.table.lastIndexOf('.') + 1).length;
    const rangeOf = (o: Origin): vscode.Range => {
      const line = Math.max(0, (o.line ?? 1) - 1);
      const col = Math.max(0, (o.column ?? 1) - 1);
      return new vscode.Range(line, col, line, col + (o.column ? nameLength : 0));
    };
    for (const o of others) {
      if (!o.file) continue;
      const uri = this.uriFor(folder, o.file);
      const diag = new vscode.Diagnostic(rangeOf(o), c.message, vscode.DiagnosticSeverity.Warning);
      diag.source = 'Quarry';
      if (kept?.file) diag.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(this.uriFor(folder, kept.file), rangeOf(kept)), 'the definition the catalog keeps')];
      const key = uri.toString();
      const list = byFile.get(key) ?? [];
      list.push(diag);
      byFile.set(key, list);
    }
  }

  /** A warning at each column a properties file documents for a dbt model that the model's SQL does not select. */
  private documentedOnlyDiagnostics(folder: vscode.WorkspaceFolder, catalog: CatalogSnapshot, byFile: Map<string, vscode.Diagnostic[]>): void {
    for (const table of catalog.tables) {
      for (const column of documentedOnlyColumns(table)) {
        const o = column.origin;
        if (!o.file) continue;
        const line = Math.max(0, (o.line ?? 1) - 1);
        const col = Math.max(0, (o.column ?? 1) - 1);
        const diag = new vscode.Diagnostic(
          new vscode.Range(line, col, line, col + (o.column ? column.name.length : 0)),
          `${column.name} is documented for ${table.name}, but ${table.origin.file ?? 'the model'} does not select it: queries, docs and tests of it refer to a column the model lacks`,
          vscode.DiagnosticSeverity.Warning,
        );
        diag.source = 'Quarry';
        const key = this.uriFor(folder, o.file).toString();
        const list = byFile.get(key) ?? [];
        list.push(diag);
        byFile.set(key, list);
      }
    }
  }

  private noticeSkipped(): void {
    if (this.skipNoticeShown) return;
    const tooLarge = this.folders.reduce((n, f) => n + (f.indexer.snapshot().stats.skipped.counts.tooLarge ?? 0), 0);
    if (tooLarge === 0) return;
    this.skipNoticeShown = true;
    void vscode.window.showInformationMessage(
      `Quarry skipped ${tooLarge} file${tooLarge === 1 ? '' : 's'} larger than the index size limit.`, 'Open Settings', 'Show Log',
    ).then((pick) => {
      if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'quarry.index.maxFileSizeMB');
      if (pick === 'Show Log') this.log.show();
    });
    for (const f of this.folders) {
      for (const ex of f.indexer.snapshot().stats.skipped.examples.tooLarge ?? []) this.log.info(`Skipped (too large): ${ex}`);
    }
  }

  /** BM25 passages across folders, best first. */
  async search(query: string, limit = 20): Promise<Array<SearchHit & { folder: vscode.WorkspaceFolder }>> {
    const all: Array<SearchHit & { folder: vscode.WorkspaceFolder }> = [];
    for (const f of this.folders) {
      const idx = await f.indexer.searchIndex().catch(() => undefined); // a folder being re-indexed: its old index is closed
      if (!idx) continue;
      for (const hit of idx.search(query, limit)) all.push({ ...hit, folder: f.folder });
    }
    return all.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    for (const f of this.folders) void f.indexer.dispose().catch(() => undefined);
    for (const d of this.disposables) d.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
