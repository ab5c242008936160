import * as vscode from 'vscode';

/** Status-bar item naming the engine that queries run on (embedded local engine or a Redshift connection). */
export class EngineStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('quarry.engine', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Quarry Engine';
    this.show('Embedded', 'Queries run on the embedded local engine (PGlite) loaded from the workspace DDL and CSV files. No warehouse is configured.');
  }

  show(label: string, tooltip: string, command?: string): void {
    this.item.text = `$(database) ${label}`;
    this.item.tooltip = tooltip;
    this.item.command = command ?? { command: 'quarry.openSettings', title: 'Configure connections', arguments: ['quarry.connections'] };
    this.item.show();
  }

  get text(): string { return this.item.text; }

  dispose(): void { this.item.dispose(); }
}
