import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { formatSql, type FormatOptions } from '../../core/sql/format';

export function formatOptions(): FormatOptions {
  const c = vscode.workspace.getConfiguration('quarry.format');
  return {
    keywordCase: c.get<'upper' | 'lower' | 'preserve'>('keywordCase', 'upper'),
    indent: c.get<number>('indent', 2),
    lineWidth: c.get<number>('lineWidth', 100),
  };
}

/** Document and range formatter for SQL (Redshift dialect) that leaves dbt Jinja byte-identical. */
export class SqlFormattingProvider implements vscode.DocumentFormattingEditProvider, vscode.DocumentRangeFormattingEditProvider {
  /** The last reason each document was left unformatted for: with format on save, it is said once, not at every save. */
  private readonly told = new Map<string, string>();

  constructor(private readonly log?: Logger) {}

  provideDocumentFormattingEdits(document: vscode.TextDocument): vscode.TextEdit[] {
    const full = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    return this.edit(document, full);
  }

  provideDocumentRangeFormattingEdits(document: vscode.TextDocument, range: vscode.Range): vscode.TextEdit[] {
    const whole = new vscode.Range(range.start.with(undefined, 0), document.lineAt(range.end.line).range.end);
    return this.edit(document, whole);
  }

  private edit(document: vscode.TextDocument, range: vscode.Range): vscode.TextEdit[] {
    const text = document.getText(range);
    const result = formatSql(text, formatOptions());
    if (!result.ok) {
      const message = `Quarry left ${vscode.workspace.asRelativePath(document.uri)} unformatted: ${result.reason}.`;
      this.log?.warn(message);
      const key = document.uri.toString();
      if (this.told.get(key) !== result.reason) void vscode.window.showWarningMessage(message);
      this.told.set(key, result.reason);
      return [];
    }
    this.told.delete(document.uri.toString());
    return result.text === text ? [] : [vscode.TextEdit.replace(range, result.text)];
  }
}
