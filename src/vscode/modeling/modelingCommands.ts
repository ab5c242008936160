import * as vscode from 'vscode';
import type { TableDef } from '../../core/catalog/model';
import { formatGeneratedSql } from '../../core/sql/format';
import type { JoinProposal } from '../../core/modeling/types';
import { relationshipsProperties, toDbtRelationshipTests } from '../../core/modeling/dbtRelationships';
import { parseDbtTarget } from '../../core/modeling/workspaceEvidence';
import { stringify } from 'yaml';
import type { Container } from '../container';
import { UserFacingError } from '../commands/registry';
import { showTableDdl, tableFromArg, type TableArg } from '../commands/catalogCommands';
import { formatOptions } from '../language/sqlFormatter';
import type { ProposalNode } from './proposalsView';
import { proposalPicks, proposalTitle } from './proposalsTree';
import { renderMermaidErd, type ErdOptions } from '../../core/modeling/erd';
import { ErdPanel, saveErdExport } from '../webviews/erdPanel';
import { erdExportFileName } from '../webviews/erdExport';
import { buildErdInput } from './erdInput';
import type { ErdInput } from '../../shared/protocol/erd';

type ProposalArg = ProposalNode | JoinProposal | undefined;

function proposalFrom(c: Container, arg: ProposalArg): JoinProposal | undefined {
  if (!arg) return undefined;
  if ('proposal' in arg) return c.joins.proposals.find((p) => p.id === arg.proposal.id) ?? arg.proposal;
  if ('id' in arg && 'fromColumns' in arg) return arg;
  return undefined;
}

async function pickProposal(c: Container, title: string): Promise<JoinProposal | undefined> {
  if (c.joins.proposals.length === 0) throw new UserFacingError('No join proposals yet: run “Quarry: Propose Joins” first.');
  const { picks, hidden } = proposalPicks(c.joins.proposals);
  const pick = await vscode.window.showQuickPick(picks, {
    title: hidden ? `${title}: the ${picks.length.toLocaleString('en-US')} strongest of ${(picks.length + hidden).toLocaleString('en-US')} proposals` : title,
    placeHolder: hidden ? 'Run “Quarry: Propose Joins” on a table or a file to narrow the list' : undefined,
  });
  return pick?.proposal;
}

/** Tables of the current SQL file: those it defines, else those it references. */
function tablesOfActiveFile(c: Container): TableDef[] {
  const editor = vscode.window.activeTextEditor;
  const catalog = c.index.catalogIndex;
  if (!editor || !catalog) return [];
  const rel = vscode.workspace.asRelativePath(editor.document.uri, false);
  const defined = catalog.tables().filter((t) => t.origin.file === rel);
  if (defined.length) return defined;
  for (const { snapshot } of c.index.snapshots()) {
    const facts = snapshot.facts.find((f) => f.file === rel);
    if (!facts) continue;
    return facts.tableRefs.map((r) => catalog.resolve(r).table).filter((t): t is TableDef => t !== undefined);
  }
  return [];
}

export async function proposeJoins(c: Container, arg?: TableArg, multi?: TableArg[]): Promise<JoinProposal[]> {
  await c.index.whenReady();
  const catalog = c.index.catalogIndex;
  if (!catalog || catalog.size === 0) throw new UserFacingError('The workspace catalog is empty: Quarry found no tables to join.');
  let tables: TableDef[] = (multi ?? (arg ? [arg] : [])).map((a) => tableFromArg(c, a)).filter((t): t is TableDef => t !== undefined);
  let label = tables.map((t) => t.name).join(', ');
  if (tables.length === 0) {
    tables = tablesOfActiveFile(c);
    label = tables.length ? vscode.workspace.asRelativePath(vscode.window.activeTextEditor!.document.uri) : '';
  }
  if (tables.length === 0) {
    const picks = await vscode.window.showQuickPick(catalog.tables().map((t) => ({ label: t.name, description: t.schema, table: t })), {
      title: 'Propose Joins: pick tables (none = the whole catalog)', canPickMany: true, matchOnDescription: true,
    });
    if (!picks) return [];
    tables = picks.map((p) => p.table);
    label = tables.length ? tables.map((t) => t.name).join(', ') : 'the whole catalog';
  }
  const proposals = c.joins.propose({ tables, label });
  await vscode.commands.executeCommand('quarry.joinProposals.focus');
  if (proposals.length === 0) void vscode.window.showInformationMessage(`Quarry found no join candidates for ${label}.`);
  return proposals;
}

export async function verifyJoin(c: Container, arg?: ProposalArg): Promise<JoinProposal | undefined> {
  const p = proposalFrom(c, arg) ?? await pickProposal(c, 'Verify Join');
  if (!p) return undefined;
  const engine = await c.connections.engine();
  const result = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, title: `Quarry: verifying ${proposalTitle(p)} on ${engine.label}`, cancellable: true,
  }, async (_progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return c.joins.verify([p], abort.signal);
  });
  if (result.errors.length) throw new UserFacingError(`Verification failed on ${engine.label}: ${result.errors[0].error}`);
  const verified = result.verified[0];
  if (verified?.verification) {
    void vscode.window.showInformationMessage(`${proposalTitle(verified)}: ${verified.cardinality} (measured on ${engine.label}). ${verified.verification.reading}`);
  }
  return verified;
}

export async function insertJoinSql(c: Container, arg?: ProposalArg): Promise<void> {
  const p = proposalFrom(c, arg) ?? await pickProposal(c, 'Insert Join SQL');
  if (!p) return;
  const sql = formatGeneratedSql(p.joinSql, formatOptions());
  const editor = vscode.window.activeTextEditor;
  if (editor && (editor.document.languageId === 'sql' || editor.document.languageId === 'jinja-sql')) {
    await editor.edit((b) => b.insert(editor.selection.active, sql));
  } else {
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: sql });
    await vscode.window.showTextDocument(doc);
  }
}

export async function openCardinalitySql(c: Container, arg?: ProposalArg): Promise<void> {
  const p = proposalFrom(c, arg) ?? await pickProposal(c, 'Open Cardinality Test SQL');
  if (!p) return;
  const header = `-- Cardinality test for ${proposalTitle(p)}\n-- Distinct vs total vs null counts on both sides, orphans and the largest fan-out.\n`;
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: header + formatGeneratedSql(p.cardinalitySql, formatOptions()) });
  await vscode.window.showTextDocument(doc, { preview: true });
}

/** Writes proposals as dbt `relationships` tests with dbterd's `meta.relationship_type` into a new YAML document. */
export async function exportRelationships(c: Container): Promise<void> {
  const proposals = c.joins.proposals.length ? c.joins.proposals : c.joins.allProposals();
  const index = c.index.catalogIndex;
  const relation = (ref: { schema: string; table: string }) => index?.get(ref.schema, ref.table);
  const targetOf = (to: string) => {
    const q = parseDbtTarget(to);
    return q && index?.resolveRef(q).table;
  };
  const { tests, outsideDbt, alreadyTested } = toDbtRelationshipTests(proposals, relation, targetOf);
  if (tests.length === 0) {
    throw new UserFacingError(`There are no join proposals to export as dbt tests${outsideDbt ? `: ${outsideDbt} join tables no dbt model, seed, snapshot or source declares` : ''}${alreadyTested ? `${outsideDbt ? ', and' : ':'} ${alreadyTested} already tested` : ''}.`);
  }
  const notes = [
    outsideDbt ? `# Left out: ${outsideDbt} ${outsideDbt === 1 ? 'proposal joins a table' : 'proposals join tables'} that no dbt model, seed, snapshot or source declares.` : '',
    alreadyTested ? `# Left out: ${alreadyTested} ${alreadyTested === 1 ? 'relationship the project already tests' : 'relationships the project already tests'}.` : '',
  ].filter(Boolean);
  const header = ['# Relationships proposed by Quarry, as dbt relationships tests with meta.relationship_type (dbterd).', "# Review, then merge into your models', seeds', snapshots' and sources' properties files.", ...notes].join('\n') + '\n';
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: header + stringify(relationshipsProperties(tests)) });
  await vscode.window.showTextDocument(doc);
}

export interface ErdArgs {
  tables?: string[];
  depth?: number;
  columns?: 'keys' | 'all';
}

function erdScopeFor(c: Container, arg: TableArg | ErdArgs | undefined): { title: string; options: ErdOptions } {
  if (arg && 'tables' in arg && Array.isArray(arg.tables)) {
    return { title: arg.tables.join(', '), options: { tables: arg.tables, depth: arg.depth ?? 1, columns: arg.columns ?? 'keys' } };
  }
  const table = tableFromArg(c, arg as TableArg);
  if (table) return { title: `${table.name} and neighbours`, options: { tables: [`${table.schema}.${table.name}`], depth: 1, columns: 'keys' } };
  const fileTables = tablesOfActiveFile(c);
  if (fileTables.length) return { title: fileTables.map((t) => t.name).join(', '), options: { tables: fileTables.map((t) => `${t.schema}.${t.name}`), depth: 1, columns: 'keys' } };
  return { title: 'Workspace catalog', options: { columns: 'keys' } };
}

/** Opens the ERD panel for a table's neighbourhood, the current file's tables, or the whole catalog. */
export async function previewErd(c: Container, arg?: TableArg | ErdArgs): Promise<ErdPanel> {
  await c.index.whenReady();
  const catalog = c.index.catalog;
  if (!catalog || catalog.tables.length === 0) throw new UserFacingError('The workspace catalog is empty: there is nothing to draw.');
  const { title, options } = erdScopeFor(c, arg);
  const input = { ...buildErdInput(title, catalog, c.joins.allProposals(), options), restoreKey: JSON.stringify({ title, options }) };
  const panel = ErdPanel.show(c.context, input, {
    onOpenTable: (id) => { const [schema, ...rest] = id.split('.'); void showTableDdl(c, { schema, name: rest.join('.') }); },
  });
  c.erdPanels.add(panel);
  panel.onDidDispose(() => c.erdPanels.delete(panel));
  return panel;
}

/** Saves an ERD as Mermaid source or a Markdown snippet; SVG and PNG come from the ERD panel's Export buttons. */
export async function exportErd(c: Container, arg?: TableArg | ErdArgs): Promise<vscode.Uri | undefined> {
  await c.index.whenReady();
  const catalog = c.index.catalog;
  if (!catalog || catalog.tables.length === 0) throw new UserFacingError('The workspace catalog is empty: there is nothing to draw.');
  const format = await vscode.window.showQuickPick([
    { label: 'Mermaid source (.mmd)', value: 'mermaid' as const },
    { label: 'Markdown snippet (.md)', value: 'markdown' as const },
    { label: 'SVG or PNG image…', description: 'opens the ERD viewer, then use its Export buttons', value: 'image' as const },
  ], { title: 'Export ERD' });
  if (!format) return undefined;
  if (format.value === 'image') { await previewErd(c, arg); return undefined; }
  const { title, options } = erdScopeFor(c, arg);
  const mermaid = renderMermaidErd(catalog, c.joins.allProposals(), options);
  const content = format.value === 'markdown' ? `## ${title}\n\n\`\`\`mermaid\n${mermaid.trimEnd()}\n\`\`\`\n` : mermaid;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, erdExportFileName(title, format.value)) : undefined,
    filters: format.value === 'markdown' ? { Markdown: ['md'] } : { Mermaid: ['mmd'] },
  });
  if (!target) return undefined;
  await saveErdExport(format.value, content, target);
  void vscode.window.showInformationMessage(`Quarry: ERD saved to ${vscode.workspace.asRelativePath(target)}.`);
  return target;
}

/** Rebuilds an ERD for a panel that VS Code restored after a reload, from the key kept in the webview state. */
export async function restoreErd(c: Container, key: string | undefined): Promise<ErdInput | undefined> {
  if (!key) return undefined;
  const { title, options } = JSON.parse(key) as { title: string; options: ErdOptions };
  await c.index.whenReady();
  const catalog = c.index.catalog;
  return catalog ? { ...buildErdInput(title, catalog, c.joins.allProposals(), options), restoreKey: key } : undefined;
}
