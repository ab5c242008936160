import * as vscode from 'vscode';

export const DDL_SCHEME = 'quarry-ddl';

/**
 * Read-only documents for rebuilt or live DDL, one per relation (`quarry-ddl:/sales.orders.sql`): shown in one preview
 * tab beside the editor, never an unsaved buffer that asks to be saved on close.
 */
export class DdlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(DDL_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '-- This DDL is no longer available: show it again from the Schema Explorer.\n';
  }

  /** Opens (or refreshes) the relation's DDL document in the column beside the editor, reusing a DDL tab already open. */
  async show(relation: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: DDL_SCHEME, path: `/${relation}.sql` });
    const known = this.texts.get(uri.toString());
    this.texts.set(uri.toString(), text);
    if (known !== undefined && known !== text) this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'sql') await vscode.languages.setTextDocumentLanguage(doc, 'sql');
    const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === DDL_SCHEME);
    return vscode.window.showTextDocument(doc, { preview: true, preserveFocus: false, viewColumn: open?.viewColumn ?? vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
