import * as vscode from 'vscode';
import { AuthExpiredError, isMissingCredentials } from '../../adapters/aws/authErrors';
import type { QueryEngine, QueryParameter, StatementOutcome } from '../../core/ports';
import type { CatalogIndex } from '../../core/catalog/catalogIndex';
import { outcomeLine } from '../../core/queryLog';
import { compileDbtQuery, holdsJinja } from '../../core/sql/dbtQuery';
import { splitStatements, statementAt } from '../../core/sql/splitter';
import { parameterNames, statementKind } from '../../core/sql/statementKind';
import { UserFacingError } from '../commands/registry';
import { enginePages, PagedResultSource } from '../webviews/resultSource';
import { ResultsPanel, type ResultsContent, type ResultSetInput } from '../webviews/resultsPanel';
import type { OutputLogger } from '../util/log';
import type { ConnectionService } from './connectionService';
import type { QueryHistory } from './queryHistory';

export type RunScope = 'cursor' | 'selection' | 'file';

/** What a results panel keeps in its webview state to be rebuilt after a reload (statement ids, never rows). */
interface ResultsRestoreKey {
  connection: string;
  title: string;
  sets: Array<{ id: string; label: string }>;
}

export interface QueryRun {
  outcome: StatementOutcome;
  panel?: ResultsPanel;
  engine: QueryEngine;
}

/** The SQL to run from an editor: the selection, the statement at the cursor, or the whole file. */
export function sqlToRun(editor: vscode.TextEditor, scope: RunScope): { text: string; startOffset: number } | undefined {
  const doc = editor.document;
  const all = doc.getText();
  if (scope === 'file') return { text: all, startOffset: 0 };
  if (!editor.selection.isEmpty) {
    return { text: doc.getText(editor.selection), startOffset: doc.offsetAt(editor.selection.start) };
  }
  const stmt = statementAt(all, doc.offsetAt(editor.selection.active));
  return stmt ? { text: stmt.text, startOffset: stmt.start } : undefined;
}

/**
 * Runs SQL on the active engine: prompts for `:name` parameters, asks before writes on production connections,
 * shows progress with a Cancel that cancels on the server, marks the failing line, and opens the results panel.
 */
export class QueryRunner implements vscode.Disposable {
  private readonly errors = vscode.languages.createDiagnosticCollection('quarry-query');
  private lastParams = new Map<string, string>();
  private readonly running = new Set<AbortController>();
  /** The results panel of each SQL document: a run again replaces its results instead of opening one more tab. */
  private readonly panels = new Map<string, ResultsPanel>();

  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly connections: ConnectionService,
    private readonly history: QueryHistory,
    private readonly log: OutputLogger,
    /** The catalog that dbt Jinja in a query is compiled against. */
    private readonly catalogIndex: () => CatalogIndex | undefined = () => undefined,
  ) {
    // a failed run's mark belongs to the text that ran: an edit makes it stale
    this.subscriptions.push(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) this.errors.delete(e.document.uri);
    }));
  }

  async runEditor(editor: vscode.TextEditor | undefined, scope: RunScope): Promise<QueryRun | undefined> {
    if (!editor) throw new UserFacingError('Open a SQL file to run a query.');
    const picked = sqlToRun(editor, scope);
    if (!picked || picked.text.trim() === '') throw new UserFacingError('There is no SQL statement at the cursor.');
    return this.run(picked.text, { document: editor.document, startOffset: picked.startOffset });
  }

  async run(text: string, source?: { document: vscode.TextDocument; startOffset: number }, title?: string): Promise<QueryRun | undefined> {
    if (source) this.errors.delete(source.document.uri);
    const sql = this.compiled(text, source?.document);
    // compiled SQL no longer lines up with the document: a failure is reported, not marked at a position
    const markAt = sql === text ? source : undefined;
    const parts = splitStatements(sql).filter((s) => s.text.trim() !== '');
    const statements = parts.map((s) => s.text);
    if (statements.length === 0) throw new UserFacingError('There is no SQL statement to run.');
    // the first run waits for the index and the engine: say so at once rather than seem to do nothing
    const engine = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Quarry: preparing the query engine' },
      () => this.connections.engine(),
    );
    if (!engine.isLocal && statements.length > MAX_BATCH_STATEMENTS) {
      throw new UserFacingError(
        `This runs ${statements.length} statements, and the Data API takes at most ${MAX_BATCH_STATEMENTS} in one batch (run as one transaction). Run a selection, or split the file.`,
      );
    }
    const profile = this.connections.activeProfile();
    if (profile?.production && statements.some((s) => statementKind(s) !== 'read')) {
      const go = await vscode.window.showWarningMessage(
        `“${profile.name}” is a production connection and this SQL changes data or schema. Run it?`, { modal: true }, 'Run');
      if (go !== 'Run') return undefined;
    }
    const parameters = await this.askParameters(statements.join('\n'), engine.isLocal);
    if (parameters === undefined) return undefined;

    const started = Date.now();
    const outcome = await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: `Quarry: running on ${engine.label}`,
      cancellable: true,
    }, async (progress, token) => {
      const abort = new AbortController();
      this.running.add(abort);
      token.onCancellationRequested(() => abort.abort());
      let status = 'SUBMITTED';
      const tick = setInterval(() => progress.report({ message: `${status} · ${((Date.now() - started) / 1000).toFixed(1)} s` }), 500);
      try {
        return await engine.execute(statements.length === 1 ? statements[0] : statements, {
          parameters, signal: abort.signal, onProgress: (p) => { status = p.status; },
        });
      } catch (err) {
        // a statement that never reached the warehouse is history too (what was tried, and why it failed)
        if (!isCancellation(err)) {
          await this.history.add({ sql: text, engine: engine.label, connection: this.connections.activeName(), status: 'FAILED', startedAt: started, durationMs: Date.now() - started, error: errorMessage(err) });
        }
        if (err instanceof AuthExpiredError) {
          const pick = await vscode.window.showErrorMessage(`Quarry: ${err.message}`, 'Copy Command');
          if (pick === 'Copy Command') await vscode.env.clipboard.writeText(err.hint.replace(/^run `|`$/g, ''));
          throw new vscode.CancellationError();
        }
        if (!engine.isLocal && isMissingCredentials(errorMessage(err))) {
          this.noCredentials(engine.label);
          throw new vscode.CancellationError();
        }
        if (!engine.isLocal && /region is missing/i.test(errorMessage(err))) {
          throw new UserFacingError(`No AWS region for “${engine.label}”: set quarry.aws.region or the connection's region, AWS_REGION, or a region in the AWS profile (~/.aws/config).`, ['Open Settings']);
        }
        throw err;
      } finally {
        clearInterval(tick);
        this.running.delete(abort);
      }
    });

    await this.history.add({
      sql: text, engine: engine.label, connection: this.connections.activeName(), status: outcome.status, startedAt: started,
      durationMs: outcome.durationMs, rows: outcome.resultRows, error: outcome.error, statementId: outcome.id,
    });
    this.log.info(outcomeLine(outcome, engine.label));

    if (outcome.status === 'ABORTED') {
      void vscode.window.showInformationMessage(`Quarry: the query was cancelled on ${engine.label}.`);
      return { outcome, engine };
    }
    if (outcome.status === 'FAILED') {
      if (!engine.isLocal && isMissingCredentials(outcome.error ?? '')) {
        this.noCredentials(engine.label);
        return { outcome, engine };
      }
      this.markError(outcome, markAt, parts.map((p) => p.start));
      void vscode.window.showErrorMessage(`Quarry: ${engine.label} says: ${outcome.error ?? 'the statement failed'}`, 'Show Log')
        .then((p) => { if (p === 'Show Log') this.log.show(); });
      return { outcome, engine };
    }
    const panel = await this.showResults(engine, outcome, statements, title ?? this.titleFor(source), source?.document.uri.toString());
    if (!panel) {
      void vscode.window.showInformationMessage(`Quarry: done on ${engine.label}${outcome.resultRows !== undefined ? ` (${outcome.resultRows} rows affected)` : ''}.`);
    }
    return { outcome, panel, engine };
  }

  /** Cancels every running query (on the server for the Data API). Returns how many were running. */
  cancelAll(): number {
    const n = this.running.size;
    for (const a of this.running) a.abort();
    return n;
  }

  private titleFor(source?: { document: vscode.TextDocument }): string {
    if (!source) return 'Results';
    const name = source.document.isUntitled ? 'Untitled' : vscode.workspace.asRelativePath(source.document.uri).split('/').pop();
    return `Results: ${name}`;
  }

  private async showResults(engine: QueryEngine, outcome: StatementOutcome, statements: string[], title: string, document?: string): Promise<ResultsPanel | undefined> {
    const parts = outcome.subStatements?.length ? outcome.subStatements : [outcome];
    const sources: ResultSetInput[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (!part.hasResultSet) continue;
      const source = await PagedResultSource.fromResultPages(enginePages(engine, part.id), { eager: true });
      const label = parts.length > 1 ? `${i + 1}: ${firstLine(statements[i] ?? '')}` : firstLine(statements[0] ?? 'Result');
      sources.push({ label, source });
    }
    if (sources.length === 0) return undefined;
    const key: ResultsRestoreKey = {
      connection: this.connections.activeName(), title,
      sets: sources.map((s, i) => ({ id: parts.filter((p) => p.hasResultSet)[i].id, label: s.label })),
    };
    const meta = {
      engineLabel: engine.isLocal ? 'Embedded engine (local)' : engine.label,
      isLocal: engine.isLocal,
      durationMs: outcome.durationMs,
      restoreKey: JSON.stringify(key),
    };
    const open = document ? this.panels.get(document) : undefined;
    if (open) {
      open.update({ title, sources, meta });
      open.reveal();
      return open;
    }
    const panel = ResultsPanel.show(this.context, title, sources, meta);
    if (document) {
      this.panels.set(document, panel);
      panel.onDidDispose(() => { if (this.panels.get(document) === panel) this.panels.delete(document); });
    }
    return panel;
  }

  /**
   * Results for a panel VS Code restored after a reload. The Data API keeps a statement's result for 24 hours, so a
   * warehouse result is fetched again by statement id; the embedded engine's results died with its worker.
   */
  async restore(restoreKey: string | undefined): Promise<ResultsContent | undefined> {
    if (!restoreKey || !vscode.workspace.isTrusted) return undefined;
    let key: ResultsRestoreKey;
    try { key = JSON.parse(restoreKey) as ResultsRestoreKey; } catch { return undefined; }
    if (!key.connection || !Array.isArray(key.sets) || !this.connections.profiles().some((p) => p.name === key.connection)) return undefined;
    const engine = await this.connections.engine(key.connection);
    const sources: ResultSetInput[] = [];
    for (const set of key.sets) {
      sources.push({ label: set.label, source: await PagedResultSource.fromResultPages(enginePages(engine, set.id), { eager: true }) });
    }
    return { title: key.title, sources, meta: { engineLabel: engine.label, isLocal: false, restoreKey } };
  }

  /** The SQL with its dbt Jinja compiled (see compileDbtQuery); the text itself when it holds none. */
  private compiled(text: string, document?: vscode.TextDocument): string {
    if (!holdsJinja(text)) return text;
    const index = this.catalogIndex();
    if (!index) throw new UserFacingError('This SQL holds dbt Jinja, and the workspace index is not ready to compile it yet. Try again in a moment.');
    // the model whose file this is, by its workspace-relative path as the catalog writes origins (see tableAtCursor)
    const file = document?.uri.scheme === 'file' ? vscode.workspace.asRelativePath(document.uri, false) : undefined;
    const model = file ? index.snapshot.tables.find((t) => t.kind === 'dbtModel' && t.origin.file === file) : undefined;
    const result = compileDbtQuery(text, index, model);
    if ('error' in result) {
      throw new UserFacingError(`Quarry compiles dbt Jinja as \`dbt compile\` would before running, and cannot compile this: ${result.error}. Run \`dbt compile\` and run the compiled SQL from target/compiled instead.`);
    }
    this.log.info(`Compiled dbt Jinja before running${model ? ` (model ${model.schema}.${model.name})` : ''}.`);
    return result.sql;
  }

  /** The provider chain found no credentials: say where they come from and how to go on. */
  private noCredentials(engineLabel: string): void {
    void vscode.window.showErrorMessage(
      `Quarry: no AWS credentials for “${engineLabel}”. Quarry takes them from the standard AWS chain (environment variables, ~/.aws profiles, SSO, instance roles): run \`aws configure\` or \`aws sso login\`, or set quarry.aws.profile. Or run on the embedded engine.`,
      'Select Connection', 'Open Settings', 'Show Log').then((pick) => {
      if (pick === 'Select Connection') void vscode.commands.executeCommand('quarry.selectConnection');
      else if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'quarry.aws');
      else if (pick === 'Show Log') this.log.show();
    });
  }

  private async askParameters(sql: string, local: boolean): Promise<QueryParameter[] | undefined> {
    const names = parameterNames(sql);
    const out: QueryParameter[] = [];
    for (const name of names) {
      const value = await vscode.window.showInputBox({
        title: `Query parameter :${name}`, prompt: `Value for :${name} (${local ? 'bound as a query parameter' : 'sent as a Data API parameter'}, never interpolated)`,
        value: this.lastParams.get(name) ?? '', ignoreFocusOut: true,
        // the Data API refuses an empty parameter value (at least one character)
        validateInput: (v) => (!local && v === '' ? 'The Data API takes no empty value: give one, or write NULL or \'\' in the SQL instead of the parameter.' : undefined),
      });
      if (value === undefined) return undefined;
      this.lastParams.set(name, value);
      out.push({ name, value });
    }
    return out;
  }

  /** Marks where the run failed: the failing statement of a batch (`starts`: each statement's offset in the run's text), at the position the engine gives in it. */
  private markError(outcome: StatementOutcome, source: { document: vscode.TextDocument; startOffset: number } | undefined, starts: number[]): void {
    if (!source) return;
    const index = outcome.subStatements?.findIndex((s) => s.status === 'FAILED') ?? -1;
    const failing = index >= 0 ? outcome.subStatements![index]! : outcome;
    const pos = failing.errorPosition ?? (index < 0 ? outcome.errorPosition : undefined);
    const lineMatch = /line (\d+)/i.exec(failing.error ?? outcome.error ?? '');
    const start = source.document.positionAt(source.startOffset + (index >= 0 ? (starts[index] ?? 0) : (starts[0] ?? 0)));
    let line = start.line;
    if (pos) line = start.line + pos.line - 1;
    else if (lineMatch) line = start.line + Number(lineMatch[1]) - 1;
    line = Math.min(Math.max(0, line), source.document.lineCount - 1);
    const whole = source.document.lineAt(line).range;
    // from the column the engine points at (on the statement's first line, counted from where the statement starts)
    const column = pos ? (pos.line === 1 ? start.character : 0) + pos.column - 1 : whole.start.character;
    const range = column > whole.start.character && column < whole.end.character ? whole.with(whole.start.with(undefined, column)) : whole;
    const diag = new vscode.Diagnostic(range, outcome.error ?? 'The statement failed', vscode.DiagnosticSeverity.Error);
    diag.source = 'Quarry query';
    this.errors.set(source.document.uri, [diag]);
  }

  dispose(): void {
    this.errors.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

/** BatchExecuteStatement's limit on Sqls. */
const MAX_BATCH_STATEMENTS = 40;

/** A run the user stopped before the warehouse had it (not a failure to keep in history). */
function isCancellation(err: unknown): boolean {
  return err instanceof vscode.CancellationError || (err as { name?: string } | undefined)?.name === 'StatementCancelledError';
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(sql: string): string {
  const line = sql.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('--')) ?? sql.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
