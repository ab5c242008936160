import * as vscode from 'vscode';
import { Container } from './container';
import { registerCommands } from './commands/registerAll';
import { registerLanguageFeatures } from './language/registerLanguage';
import { mermaidMarkdownPlugin } from './modeling/markdownMermaid';
import { ProposalsProvider } from './modeling/proposalsView';
import { liveDdlProvider } from './query/liveDdl';
import { registerResultsPanelSerializer } from './webviews/resultsPanel';
import { registerErdPanelSerializer } from './webviews/erdPanel';
import { restoreErd } from './modeling/modelingCommands';

let container: Container | undefined;

/** Public API returned from activate(); integration tests use it to observe state without poking at internals. */
export interface QuarryApi {
  readonly container: Container;
  /** VS Code's Markdown preview calls this to add Quarry's ```mermaid rendering. */
  extendMarkdownIt<T>(md: T): T;
}

export async function activate(context: vscode.ExtensionContext): Promise<QuarryApi> {
  const c = new Container(context);
  container = c;
  context.subscriptions.push(c);
  c.log.info(`Quarry ${context.extension.packageJSON.version} activating (VS Code ${vscode.version})`);
  registerCommands(c);
  c.track(vscode.window.registerTreeDataProvider('quarry.documents', c.documents));
  c.track(vscode.window.registerTreeDataProvider('quarry.joinProposals', c.track(new ProposalsProvider(c.joins, (file) => {
    const folder = c.index.folderOf(file);
    return folder ? c.index.uriFor(folder, file) : undefined;
  }))));
  void c.explorerView;
  void c.engineStatus;
  c.track(c.index.onDidChange(() => c.explorer.refresh()));
  registerLanguageFeatures(c);
  c.track(c.connections.onDidChange(() => c.explorer.refresh()));
  c.liveDdl = liveDdlProvider(c.connections, c.log);
  c.track(registerResultsPanelSerializer(context, (key) => c.queries.restore(key)));
  c.track(registerErdPanelSerializer(context, (key) => restoreErd(c, key), {
    onOpenTable: (id) => { const [schema, ...rest] = id.split('.'); void vscode.commands.executeCommand('quarry.showTableDdl', { schema, name: rest.join('.') }); },
  }));
  void c.index.start().catch((err) => c.log.error('Workspace index failed', err));
  return { container: c, extendMarkdownIt: mermaidMarkdownPlugin };
}

export function deactivate(): void {
  container?.dispose();
  container = undefined;
}
