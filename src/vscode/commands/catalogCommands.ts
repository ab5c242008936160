import * as vscode from 'vscode';
import { isWarehouseRelation, type TableDef } from '../../core/catalog/model';
import { qualifiedName, renderCreateTable } from '../../core/catalog/ddlWriter';
import { showVerb } from '../../core/catalog/showDdl';
import { compileDbtQuery } from '../../core/sql/dbtQuery';
import { formatGeneratedSql } from '../../core/sql/format';
import { resolveAtCursor } from '../../core/sql/cursorResolution';
import type { Container } from '../container';
import { columnCount, describeTableKind } from '../explorer/catalogTree';
import type { ExplorerNode } from '../explorer/schemaExplorer';
import { formatOptions } from '../language/sqlFormatter';
import { originLocation, qualified } from '../language/catalogLinks';
import { UserFacingError } from './registry';

/** A table argument as commands receive it: from the explorer, a CodeLens/hover link, or nothing (ask). */
export type TableArg = { schema?: string; name: string } | ExplorerNode | TableDef | undefined;

export function tableFromArg(c: Container, arg: TableArg): TableDef | undefined {
  const catalog = c.index.catalogIndex;
  if (!arg || !catalog) return undefined;
  if ('type' in arg && typeof arg.type === 'string') {
    if (arg.type === 'table' || arg.type === 'column') return arg.table;
    return undefined;
  }
  const t = arg as { schema?: string; name: string };
  return catalog.resolve({ schema: t.schema, name: t.name }).table;
}

/** The table under the cursor of the active SQL editor, if any. */
export function tableAtCursor(c: Container): TableDef | undefined {
  const editor = vscode.window.activeTextEditor;
  const catalog = c.index.catalogIndex;
  if (!editor || !catalog) return undefined;
  const doc = editor.document;
  const target = resolveAtCursor(doc.getText(), doc.offsetAt(editor.selection.active), catalog);
  if (target?.kind === 'table' || target?.kind === 'column') return target.table;
  // On a CREATE TABLE line of a DDL file: the table it defines.
  const rel = vscode.workspace.asRelativePath(doc.uri, false);
  const line = editor.selection.active.line + 1;
  return catalog.tables().find((t) => t.origin.file === rel && t.origin.line === line);
}

export async function pickTable(c: Container, title: string): Promise<TableDef | undefined> {
  await c.index.whenReady();
  const tables = c.index.catalog?.tables ?? [];
  if (tables.length === 0) throw new UserFacingError('The workspace catalog is empty: no DDL, dbt models or seeds were found.', ['Show Log']);
  const items = tables.map((table) => ({
    label: table.name,
    description: `${table.schema} · ${describeTableKind(table)}`,
    detail: `${table.origin.file ? `${table.origin.file}${table.origin.line ? `:${table.origin.line}` : ''} · ` : ''}${columnCount(table)}`,
    table,
  }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Type a table, schema or file name', matchOnDescription: true, matchOnDetail: true });
  return pick?.table;
}

/**
 * The relation's DDL as the catalog knows it. A dbt model dbt builds as a view is its CREATE VIEW when its query
 * (`viewQuery`, compiled) is at hand; else its columns, said to be so. A type the workspace does not tell is marked.
 */
export function ddlText(table: TableDef, viewQuery?: { sql: string } | { error: string }): string {
  const ephemeral = isWarehouseRelation(table) ? '' : "\n-- ephemeral: dbt builds no table or view for it (its SQL is inlined where it is ref()'d); the columns it would have";
  const header = `-- ${qualified(table)} (${describeTableKind(table)}) rebuilt by Quarry from the workspace catalog${table.origin.file ? `\n-- defined in ${table.origin.file}${table.origin.line ? `:${table.origin.line}` : ''}` : ''}${ephemeral}\n`;
  if (viewQuery && 'sql' in viewQuery) {
    const view = `CREATE VIEW ${qualifiedName(table.schema, table.name)} AS\n${viewQuery.sql.trim().replace(/;\s*$/, '')};`;
    return header + formatGeneratedSql(view, formatOptions()).trimEnd() + '\n';
  }
  const asView = viewQuery ? `-- dbt builds it as a view; its query could not be compiled here (${viewQuery.error}): its columns as the catalog knows them\n` : '';
  return header + asView + formatGeneratedSql(renderCreateTable(table, 'redshift', { markUnknownTypes: true }), formatOptions()).trimEnd() + '\n';
}

/** A dbt model's query compiled (see compileDbtQuery), when dbt builds the model as a view. */
async function dbtViewQuery(c: Container, table: TableDef): Promise<{ sql: string } | { error: string } | undefined> {
  const index = c.index.catalogIndex;
  if (table.kind !== 'dbtModel' || showVerb(table) !== 'VIEW' || !index) return undefined;
  const file = originLocation(c.index, table.origin)?.uri;
  if (!file) return { error: 'its file is not known' };
  try {
    return compileDbtQuery(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)), index, table);
  } catch {
    return { error: `${table.origin.file} could not be read` };
  }
}

export async function showTableDdl(c: Container, arg: TableArg): Promise<vscode.TextEditor | undefined> {
  const table = tableFromArg(c, arg) ?? tableAtCursor(c) ?? await pickTable(c, 'Show Table DDL');
  if (!table) return undefined;
  const live = await c.liveDdl?.(table);
  return c.ddlDocuments.show(qualified(table), live ?? ddlText(table, await dbtViewQuery(c, table)));
}

export async function revealInExplorer(c: Container, arg: TableArg): Promise<void> {
  await c.index.whenReady();
  const table = tableFromArg(c, arg) ?? tableAtCursor(c) ?? await pickTable(c, 'Reveal in Schema Explorer');
  if (!table) return;
  if (c.explorer.currentFilter) c.explorer.setFilter(undefined);
  const node = c.explorer.tableNode(table.schema, table.name);
  if (!node) throw new UserFacingError(`${qualified(table)} is not in the Schema Explorer.`);
  await vscode.commands.executeCommand('quarry.schemaExplorer.focus');
  await c.explorerView.reveal(node, { select: true, focus: true, expand: true });
}

export async function goToTable(c: Container): Promise<void> {
  const table = await pickTable(c, 'Go to Table');
  if (!table) return;
  await revealInExplorer(c, table);
  const loc = originLocation(c.index, table.origin);
  if (loc) {
    await vscode.window.showTextDocument(loc.uri, { selection: loc.range, preview: true });
  } else {
    await showTableDdl(c, table);
  }
}

export async function searchIndex(c: Container): Promise<void> {
  const query = await vscode.window.showInputBox({ title: 'Search Workspace Index', prompt: 'Words, identifiers or a question (ranked with BM25 over SQL, dbt and code)' });
  if (!query) return;
  const hits = await c.index.search(query, 30);
  if (hits.length === 0) { void vscode.window.showInformationMessage(`Quarry: nothing in the index matches “${query}”.`); return; }
  const pick = await vscode.window.showQuickPick(hits.map((h) => ({
    label: `${h.file}:${h.startLine}`, description: `score ${h.score.toFixed(2)}`, detail: `matches: ${h.terms.join(', ')}`, hit: h,
  })), { title: `Passages for “${query}”`, matchOnDescription: true });
  if (!pick) return;
  const uri = c.index.uriFor(pick.hit.folder, pick.hit.file);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pick.hit.startLine - 1, 0, pick.hit.startLine - 1, 0) });
}
