import * as vscode from 'vscode';
import type { Container } from '../container';
import { CommandIds } from './ids';
import { addConnection, selectConnection, selectTop100, showHistory } from '../query/queryCommands';
import { exportErd, previewErd, exportRelationships, insertJoinSql, openCardinalitySql, proposeJoins, verifyJoin } from '../modeling/modelingCommands';
import { goToTable, revealInExplorer, searchIndex, showTableDdl, type TableArg } from './catalogCommands';

/** The one table of command registrations. Feature modules add their commands here. */
export function registerCommands(c: Container): void {
  const r = c.commands;
  r.register(CommandIds.showLog, () => c.log.show());
  r.register(CommandIds.openSettings, (query?: string) =>
    vscode.commands.executeCommand('workbench.action.openSettings', typeof query === 'string' ? query : '@ext:quarrylabs.quarry'));
  r.register(CommandIds.refreshExplorer, (arg?: { showMore?: string }) => {
    if (arg && typeof arg.showMore === 'string') c.explorer.showMore(arg.showMore);
    else c.explorer.refresh();
  });
  r.register(CommandIds.filterExplorer, async () => {
    const value = await vscode.window.showInputBox({
      title: 'Filter Schema Explorer', prompt: 'Show tables whose schema, name or columns contain…', value: c.explorer.currentFilter,
    });
    if (value !== undefined) c.explorer.setFilter(value);
  });
  r.register(CommandIds.clearExplorerFilter, () => c.explorer.setFilter(undefined));
  r.register(CommandIds.reindexWorkspace, () => c.index.reindex(true));
  r.register(CommandIds.goToTable, () => goToTable(c));
  r.register(CommandIds.revealInExplorer, (arg?: TableArg) => revealInExplorer(c, arg));
  r.register(CommandIds.showTableDdl, (arg?: TableArg) => showTableDdl(c, arg));
  r.register(CommandIds.searchIndex, () => searchIndex(c));
  r.register(CommandIds.runQuery, () => c.queries.runEditor(vscode.window.activeTextEditor, 'cursor'));
  r.register(CommandIds.runFile, () => c.queries.runEditor(vscode.window.activeTextEditor, 'file'));
  r.register(CommandIds.cancelQuery, () => {
    if (c.queries.cancelAll() === 0) void vscode.window.showInformationMessage('Quarry: no query is running.');
  });
  r.register(CommandIds.selectConnection, () => selectConnection(c));
  r.register(CommandIds.addConnection, () => addConnection(c));
  r.register(CommandIds.showHistory, () => showHistory(c));
  r.register(CommandIds.selectTop100, (arg?: TableArg) => selectTop100(c, arg));
  r.register(CommandIds.proposeJoins, (arg?: TableArg, multi?: TableArg[]) => proposeJoins(c, arg, Array.isArray(multi) ? multi : undefined));
  r.register(CommandIds.verifyJoin, (arg?) => verifyJoin(c, arg));
  r.register(CommandIds.insertJoinSql, (arg?) => insertJoinSql(c, arg));
  r.register(CommandIds.openCardinalitySql, (arg?) => openCardinalitySql(c, arg));
  r.register(CommandIds.exportRelationships, () => exportRelationships(c));
  r.register(CommandIds.previewErd, (arg?) => previewErd(c, arg));
  r.register(CommandIds.exportErd, (arg?) => exportErd(c, arg));
  r.register(CommandIds.openDocument, (uri: vscode.Uri) => vscode.commands.executeCommand('vscode.open', uri));
  r.register(CommandIds.refreshDocuments, () => c.documents.refresh());
}
