import * as vscode from 'vscode';

/**
 * Documents view: the PDFs of the workspace (protocols, consent forms, scans), ready for the document-analysis
 * capability to attach classification and extraction results to each node.
 */
export class DocumentsProvider implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private cache: vscode.Uri[] | undefined;

  constructor() {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.pdf', false, true, false);
    this.watcher.onDidCreate(() => this.refresh());
    this.watcher.onDidDelete(() => this.refresh());
  }

  refresh(): void {
    this.cache = undefined;
    this.changed.fire();
  }

  async getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> {
    if (element) return [];
    this.cache ??= (await vscode.workspace.findFiles('**/*.pdf', '**/node_modules/**', 2000))
      .sort((a, b) => a.path.localeCompare(b.path));
    return this.cache;
  }

  getTreeItem(uri: vscode.Uri): vscode.TreeItem {
    const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
    item.description = vscode.workspace.asRelativePath(uri.with({ path: uri.path.replace(/\/[^/]*$/, '') }), false);
    item.iconPath = new vscode.ThemeIcon('file-pdf');
    item.contextValue = 'quarry.document';
    item.command = { command: 'quarry.openDocument', title: 'Open Document', arguments: [uri] };
    return item;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
