import * as vscode from 'vscode';
import { danglingDbtRelations } from '../../core/sql/dbtRefCheck';
import type { IndexService } from '../index/indexService';
import { SQL_SELECTOR } from './sqlDocuments';

/** Editing waits this long before the open file's refs are checked again. */
const SETTLE_MS = 300;

/**
 * Warnings in the open SQL files for `{{ ref() }}` / `{{ source() }}` calls naming nothing the workspace's dbt projects
 * build or declare — a model deleted or renamed elsewhere, a typo — where `dbt compile` would stop. Open files only:
 * they are what the user is working on, and checking them costs a tokenize per edit, not a pass over the workspace.
 */
export class DbtRefDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('quarry-dbt-refs');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly index: IndexService) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.later(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      // a model created, deleted or renamed changes what every open file's refs find
      index.onDidChange(() => { for (const d of vscode.workspace.textDocuments) this.check(d); }),
    );
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  private later(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.check(doc); }, SETTLE_MS));
  }

  private check(doc: vscode.TextDocument): void {
    if (doc.isClosed || !vscode.languages.match(SQL_SELECTOR, doc)) return;
    const index = this.index.catalogIndex;
    const text = doc.getText();
    if (!index || !/\b(?:ref|source)\s*\(/.test(text)) {
      this.collection.delete(doc.uri);
      return;
    }
    this.collection.set(doc.uri, danglingDbtRelations(text, index).map((d) => {
      const diag = new vscode.Diagnostic(new vscode.Range(doc.positionAt(d.offset), doc.positionAt(d.end)), d.message, vscode.DiagnosticSeverity.Warning);
      diag.source = 'Quarry';
      return diag;
    }));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
