import * as vscode from 'vscode';
import {
  ERD_FOCUS_THRESHOLD, ERD_VIEW_TYPE, isErdWebviewMessage,
  type ErdExportFormat, type ErdHostMessage, type ErdInput, type ErdWebviewState,
} from '../../shared/protocol/erd';
import { ERD_EXPORT_EXTENSIONS, erdExportBytes, erdExportFileName } from './erdExport';
import { buildWebviewHtml, configureWebview, webviewOptions } from './html';

/** Writes an ERD export (SVG/Mermaid/Markdown text, or base64 PNG) to `target`. */
export async function saveErdExport(format: ErdExportFormat, content: string, target: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.writeFile(target, erdExportBytes(format, content));
}

export interface ErdPanelOptions {
  /** Called when the user clicks a table in the diagram (the lead shows its DDL). */
  onOpenTable?: (tableId: string) => void;
}

export interface ErdRenderInfo { mode: 'all' | 'focus'; tables: number; ms: number }

/** Rebuilds a diagram for a panel revived after a reload; undefined when it can no longer be built. */
export type ErdRestorer = (restoreKey: string | undefined) => Promise<ErdInput | undefined>;

/** The ERD viewer panel: Mermaid rendering, pan/zoom, search, focus view for large schemas, exports. */
export class ErdPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  private readonly openTableEmitter = new vscode.EventEmitter<string>();
  private readonly renderEmitter = new vscode.EventEmitter<ErdRenderInfo>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  private isReady = false;
  private disposed = false;
  /** Fires on every `ready` from the webview (again after the webview reloads). */
  readonly onDidReceiveReady = this.readyEmitter.event;
  readonly onDidOpenTable = this.openTableEmitter.event;
  /** Fires after each Mermaid render with what is shown and how long it took. */
  readonly onDidRender = this.renderEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;
  lastRender: ErdRenderInfo | undefined;

  static show(context: vscode.ExtensionContext, input: ErdInput, options: ErdPanelOptions = {}): ErdPanel {
    const panel = vscode.window.createWebviewPanel(ERD_VIEW_TYPE, `ERD: ${input.title}`, vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    return new ErdPanel(context, panel, input, options);
  }

  /** Re-attaches a panel VS Code restored after a reload. */
  static async revive(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, state: unknown, restore: ErdRestorer, options: ErdPanelOptions = {}): Promise<ErdPanel> {
    configureWebview(panel.webview, context.extensionUri);
    const key = typeof state === 'object' && state !== null ? (state as Partial<ErdWebviewState>).restoreKey : undefined;
    const input = await restore(typeof key === 'string' ? key : undefined).catch(() => undefined);
    return new ErdPanel(context, panel, input, options);
  }

  private constructor(
    context: vscode.ExtensionContext,
    readonly panel: vscode.WebviewPanel,
    private input: ErdInput | undefined,
    private readonly options: ErdPanelOptions,
  ) {
    panel.webview.html = buildWebviewHtml(panel.webview, context.extensionUri, { name: 'erd', title: 'ERD', allowInlineStyles: true });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Resolves once the webview has said `ready`. */
  get ready(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve) => { const d = this.onDidReceiveReady(() => { d.dispose(); resolve(); }); });
  }

  update(input: ErdInput): void {
    this.input = input;
    this.panel.title = `ERD: ${input.title}`;
    if (this.isReady) this.sendInit();
  }

  reveal(): void { this.panel.reveal(); }

  private post(message: ErdHostMessage): void {
    if (this.isReady && !this.disposed) void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    if (this.input) this.post({ type: 'init', input: this.input, focusThreshold: ERD_FOCUS_THRESHOLD });
    else this.post({ type: 'unavailable', message: 'This diagram is no longer available. Generate the ERD again.' });
  }

  private onMessage(message: unknown): void {
    if (!isErdWebviewMessage(message)) return;
    switch (message.type) {
      case 'ready':
        this.isReady = true;
        this.sendInit();
        this.readyEmitter.fire();
        break;
      case 'openTable':
        if (this.input && !this.input.tables.some((t) => t.id === message.table)) return;
        this.openTableEmitter.fire(message.table);
        this.options.onOpenTable?.(message.table);
        break;
      case 'export':
        void this.exportTo(message.format, message.content);
        break;
      case 'rendered':
        this.lastRender = { mode: message.mode, tables: message.tables, ms: message.ms };
        this.renderEmitter.fire(this.lastRender);
        break;
    }
  }

  private async exportTo(format: ErdExportFormat, content: string): Promise<void> {
    const { filterName, extension } = ERD_EXPORT_EXTENSIONS[format];
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = erdExportFileName(this.input?.title ?? 'erd', format);
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [filterName]: [extension] },
      saveLabel: 'Export',
    });
    if (!target) return;
    try {
      await saveErdExport(format, content, target);
      this.post({ type: 'exported', ok: true, message: `Saved ${vscode.workspace.asRelativePath(target)}` });
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.post({ type: 'exported', ok: false, message: text });
      void vscode.window.showErrorMessage(`Quarry: could not save the ERD export: ${text}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    for (const e of [this.readyEmitter, this.openTableEmitter, this.renderEmitter, this.disposeEmitter]) e.dispose();
  }
}

/** Lets VS Code restore ERD panels after a reload (needs `onWebviewPanel:quarry.erd` in activationEvents). */
export function registerErdPanelSerializer(context: vscode.ExtensionContext, restore: ErdRestorer, options: ErdPanelOptions = {}): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(ERD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel, state) {
      await ErdPanel.revive(context, panel, state, restore, options);
    },
  });
}
