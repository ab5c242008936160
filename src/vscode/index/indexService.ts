import * as vscode from 'vscode';
import type { CatalogSnapshot } from '../../core/catalog/model';
import type { OutputLogger } from '../util/log';

/** Keeps the workspace index current and tells listeners when the catalog changed. */
export class IndexService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: CatalogSnapshot | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: OutputLogger) {}

  get catalog(): CatalogSnapshot | undefined { return this.current; }

  async start(): Promise<void> {
    this.log.info('Workspace index: not yet wired');
  }

  dispose(): void { this.changed.dispose(); }
}
