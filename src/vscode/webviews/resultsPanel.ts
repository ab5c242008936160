import * as vscode from 'vscode';
import * as path from 'node:path';
import {
  RESULTS_VIEW_TYPE, isResultsWebviewMessage,
  type ExportFormat, type ResultSetInfo, type ResultsHostMessage, type ResultsMeta, type ResultsWebviewMessage, type ResultsWebviewState,
} from '../../shared/protocol/results';
import { exportResultSource } from './exportWriter';
import { buildWebviewHtml, configureWebview, webviewOptions } from './html';
import type { ResultSource, SourceSubscription } from './resultSource';
import { ResultView } from './resultView';

export interface ResultSetInput { label: string; source: ResultSource }

export interface ResultsContent { title: string; sources: ResultSetInput[]; meta: ResultsMeta }

/** Rebuilds results for a panel revived after a reload (e.g. re-runs the query); undefined when it cannot. */
export type ResultsRestorer = (restoreKey: string | undefined) => Promise<ResultsContent | undefined>;

export interface VisibleRows { set: number; first: number; count: number }

const PROGRESS_INTERVAL_MS = 250;

/** One result set as the panel serves it: the source, the host-side sort/filter view and a throttled progress feed. */
class ServedSet {
  readonly view: ResultView;
  private subscription: SourceSubscription | undefined;
  private progressTimer: ReturnType<typeof setTimeout> | undefined;
  private viewQueue: Promise<void> = Promise.resolve();

  constructor(readonly label: string, readonly source: ResultSource) {
    this.view = new ResultView(source);
  }

  info(): ResultSetInfo {
    return {
      label: this.label,
      columns: this.source.columns,
      rowCount: this.view.rowCount(),
      loadedCount: this.source.rowCount(),
      complete: this.source.complete,
      viewVersion: this.view.version,
      view: this.view.spec,
    };
  }

  watch(onProgress: () => void): void {
    this.subscription?.dispose();
    this.subscription = this.source.onDidAppend(() => {
      if (this.progressTimer) return;
      this.progressTimer = setTimeout(() => { this.progressTimer = undefined; onProgress(); }, this.source.complete ? 0 : PROGRESS_INTERVAL_MS);
    });
  }

  /** Serializes sort/filter requests so the last one wins in order. */
  enqueueView(task: () => Promise<void>): Promise<void> {
    this.viewQueue = this.viewQueue.then(task, task);
    return this.viewQueue;
  }

  dispose(): void {
    this.subscription?.dispose();
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.source.dispose?.();
  }
}

/**
 * The query results panel: one webview with a tab per result set. The host keeps the rows; the webview asks for the
 * window it shows. Sorting and filtering run here, over the loaded rows.
 */
export class ResultsPanel implements vscode.Disposable {
  private sets: ServedSet[] = [];
  private meta: ResultsMeta | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  private readonly messageEmitter = new vscode.EventEmitter<ResultsWebviewMessage>();
  private isReady = false;
  private disposed = false;
  private viewport: VisibleRows | undefined;
  /** Fires on every `ready` from the webview (again after it reloads). */
  readonly onDidReceiveReady = this.readyEmitter.event;
  /** Every validated message from the webview (test hook). */
  readonly onDidReceiveMessage = this.messageEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;

  static show(context: vscode.ExtensionContext, title: string, sources: ResultSetInput[], meta: ResultsMeta): ResultsPanel {
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
    return new ResultsPanel(context, panel, { title, sources, meta });
  }

  /** Re-attaches a panel VS Code restored after a reload; shows a notice when the restorer has nothing. */
  static async revive(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, state: unknown, restore: ResultsRestorer): Promise<ResultsPanel> {
    configureWebview(panel.webview, context.extensionUri);
    const key = typeof state === 'object' && state !== null ? (state as Partial<ResultsWebviewState>).restoreKey : undefined;
    const content = await restore(typeof key === 'string' ? key : undefined).catch(() => undefined);
    return new ResultsPanel(context, panel, content);
  }

  private constructor(context: vscode.ExtensionContext, readonly panel: vscode.WebviewPanel, content: ResultsContent | undefined) {
    panel.webview.html = buildWebviewHtml(panel.webview, context.extensionUri, { name: 'results', title: 'Results' });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => { void this.onMessage(m); }),
      panel.onDidDispose(() => this.dispose()),
    );
    if (content) this.update(content);
  }

  /** Resolves once the webview has said `ready`. */
  get ready(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve) => { const d = this.onDidReceiveReady(() => { d.dispose(); resolve(); }); });
  }

  /** The rows the user sees now, as last reported by the webview. */
  visibleRows(): VisibleRows | undefined { return this.viewport; }

  /** Result sets shown, with their current row counts. */
  resultSets(): ResultSetInfo[] { return this.sets.map((s) => s.info()); }

  /** Replaces the content (e.g. the query ran again). */
  update(content: ResultsContent): void {
    for (const s of this.sets) s.dispose();
    this.panel.title = content.title;
    this.meta = content.meta;
    this.sets = content.sources.map((s) => new ServedSet(s.label, s.source));
    this.sets.forEach((s, i) => s.watch(() => this.postProgress(i)));
    if (this.isReady) this.sendInit();
  }

  reveal(): void { this.panel.reveal(undefined, true); }

  private post(message: ResultsHostMessage): void {
    if (this.isReady && !this.disposed) void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    if (!this.meta) {
      this.post({ type: 'unavailable', message: 'These results are no longer available. Run the query again.' });
      return;
    }
    this.post({ type: 'init', sets: this.sets.map((s) => s.info()), meta: this.meta, active: 0 });
  }

  private postProgress(index: number): void {
    const set = this.sets[index];
    if (!set) return;
    this.post({ type: 'progress', set: index, rowCount: set.view.rowCount(), loadedCount: set.source.rowCount(), complete: set.source.complete });
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isResultsWebviewMessage(message)) return;
    this.messageEmitter.fire(message);
    if (message.type === 'ready') {
      this.isReady = true;
      this.sendInit();
      this.readyEmitter.fire();
      return;
    }
    if (message.type === 'copy') {
      await vscode.env.clipboard.writeText(message.text);
      return;
    }
    const set = this.sets[message.set];
    if (!set) return;
    switch (message.type) {
      case 'getRows': {
        if (message.viewVersion !== set.view.version) return;
        const rows = await set.view.getRows(message.offset, message.limit);
        if (message.viewVersion !== set.view.version) return;
        this.post({ type: 'rows', set: message.set, requestId: message.requestId, viewVersion: set.view.version, offset: message.offset, rows });
        if (!set.source.complete) this.postProgress(message.set);
        break;
      }
      case 'setView':
        await set.enqueueView(async () => {
          await set.view.apply(message.view);
          this.post({ type: 'viewChanged', set: message.set, viewVersion: set.view.version, rowCount: set.view.rowCount(), view: set.view.spec });
        });
        break;
      case 'getChartData': {
        const columns = message.columns.filter((c) => c < set.source.columns.length);
        const sample = await set.view.sample(columns, message.maxPoints);
        this.post({ type: 'chartData', set: message.set, requestId: message.requestId, columns, ...sample });
        break;
      }
      case 'export':
        await this.exportSet(set, message.format);
        break;
      case 'viewport':
        this.viewport = { set: message.set, first: message.first, count: message.count };
        break;
    }
  }

  private async exportSet(set: ServedSet, format: ExportFormat): Promise<void> {
    const names: Record<ExportFormat, string> = { csv: 'CSV', json: 'JSON', jsonl: 'JSON Lines' };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const base = (set.label || 'results').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'results';
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${format}`) : undefined,
      filters: { [names[format]]: [format] },
      saveLabel: 'Export',
    });
    if (!target) return;
    if (target.scheme !== 'file') {
      void vscode.window.showErrorMessage('Quarry: results can only be exported to a local file.');
      return;
    }
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(target.fsPath)}`, cancellable: true },
        (progress, token) => {
          let last = 0;
          return exportResultSource(set.view, target.fsPath, format, (rows) => {
            const total = set.view.rowCount();
            const increment = total > 0 ? ((rows - last) / total) * 100 : undefined;
            last = rows;
            progress.report({ message: `${rows.toLocaleString('en-US')} rows`, increment });
          }, token);
        },
      );
      const message = outcome.cancelled ? 'Export cancelled.' : `Exported ${outcome.rows.toLocaleString('en-US')} rows to ${vscode.workspace.asRelativePath(target)}.`;
      this.post({ type: 'notice', level: 'info', message });
      if (!outcome.cancelled) {
        const picked = await vscode.window.showInformationMessage(`Quarry: ${message}`, 'Open');
        if (picked === 'Open') await vscode.window.showTextDocument(target);
      }
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.post({ type: 'notice', level: 'error', message: `Export failed: ${text}` });
      void vscode.window.showErrorMessage(`Quarry: export failed: ${text}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    for (const s of this.sets) s.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    for (const e of [this.readyEmitter, this.disposeEmitter, this.messageEmitter]) e.dispose();
  }
}

/** Lets VS Code restore results panels after a reload (needs `onWebviewPanel:quarry.results` in activationEvents). */
export function registerResultsPanelSerializer(context: vscode.ExtensionContext, restore: ResultsRestorer): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
    async deserializeWebviewPanel(panel, state) {
      await ResultsPanel.revive(context, panel, state, restore);
    },
  });
}
