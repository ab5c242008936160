import * as vscode from 'vscode';
import type { IndexService } from '../index/indexService';

/** Base of the CodeLens providers that read the workspace catalog: they refresh whenever the index changes. */
export abstract class CatalogLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(protected readonly index: IndexService) {
    this.sub = index.onDidChange(() => this.changed.fire());
  }

  abstract provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[];

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
