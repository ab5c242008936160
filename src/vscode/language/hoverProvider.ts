import * as vscode from 'vscode';
import { describeJoin, joinsTouching } from '../../core/catalog/joinUsage';
import type { ColumnDef, TableDef } from '../../core/catalog/model';
import { resolveAtCursor } from '../../core/sql/cursorResolution';
import { columnBadges, columnCount, describeTableKind } from '../explorer/catalogTree';
import type { IndexService } from '../index/indexService';
import { originLink, qualified } from './catalogLinks';
import { code, describesInMarkdown, plain } from './markdownText';

const MAX_JOINS = 6;

/** Hover for tables and columns: type, constraints, comment, where defined and where joined. */
export class CatalogHoverProvider implements vscode.HoverProvider {
  constructor(private readonly index: IndexService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const catalog = this.index.catalogIndex;
    if (!catalog) return undefined;
    const target = resolveAtCursor(document.getText(), document.offsetAt(position), catalog);
    if (!target) return undefined;
    const range = new vscode.Range(document.positionAt(target.start), document.positionAt(target.end));
    const head = trusted();
    const body = trusted();
    let description: vscode.MarkdownString | undefined;
    if (target.kind === 'table') {
      this.describeTable(head, body, target.table);
      description = descriptionOf(target.table, target.table.comment);
    } else if (target.kind === 'column') {
      this.describeColumn(head, body, target.table, target.column);
      description = descriptionOf(target.table, target.column.comment);
    } else {
      head.appendMarkdown(`**${plain(target.hits[0].column.name)}** is ambiguous here — it exists in:\n\n`);
      for (const h of target.hits) head.appendMarkdown(`- ${code(qualified(h.table))} (${plain(h.column.dataType ?? '?')})\n`);
    }
    return new vscode.Hover([head, ...(description ? [description] : []), ...(body.value ? [body] : [])], range);
  }

  private joins(table: TableDef, column?: string): string[] {
    return joinsTouching(this.index.joins(), table, column)
      .map((j) => `- ${code(describeJoin(j))}${j.origin.file ? ` — ${originLink(this.index, j.origin) ?? j.origin.file}` : ''}`);
  }

  private describeTable(head: vscode.MarkdownString, md: vscode.MarkdownString, table: TableDef): void {
    head.appendMarkdown(`$(table) **${plain(qualified(table))}** — ${describeTableKind(table)}, ${columnCount(table)}`);
    const pk = table.constraints.find((c) => c.kind === 'primaryKey');
    if (pk) md.appendMarkdown(`Primary key: ${code(pk.columns.join(', '))}\n\n`);
    const fks = table.constraints.filter((c) => c.kind === 'foreignKey' && c.references);
    if (fks.length) {
      const target = (k: (typeof fks)[number]) => `${k.references!.schema ? `${k.references!.schema}.` : ''}${k.references!.table}${k.references!.columns.length ? ` (${k.references!.columns.join(', ')})` : ''}`;
      md.appendMarkdown(`Foreign key${fks.length === 1 ? '' : 's'}: ${fks.map((k) => code(`${k.columns.join(', ')} → ${target(k)}`)).join(' · ')}\n\n`);
    }
    if (table.distKey || table.sortKey) {
      md.appendMarkdown(`${table.distKey ? `DISTKEY ${code(table.distKey)} ` : ''}${table.sortKey ? `${table.sortKey.style.toUpperCase()} SORTKEY ${code(table.sortKey.columns.join(', '))}` : ''}\n\n`);
    }
    const link = originLink(this.index, table.origin);
    if (link) md.appendMarkdown(`Defined in ${link}\n\n`);
    const joins = this.joins(table);
    if (joins.length) md.appendMarkdown(`Joined in the workspace (${joins.length}):\n${joinList(joins)}\n\n`);
    const arg = encodeURIComponent(JSON.stringify([{ schema: table.schema, name: table.name }]));
    md.appendMarkdown(`[Show DDL](command:quarry.showTableDdl?${arg}) · [Preview ERD](command:quarry.previewErd?${arg}) · [Reveal in Schema Explorer](command:quarry.revealInExplorer?${arg})`);
  }

  private describeColumn(head: vscode.MarkdownString, md: vscode.MarkdownString, table: TableDef, column: ColumnDef): void {
    const b = columnBadges(table, column);
    head.appendMarkdown(`$(symbol-field) **${plain(table.name)}.${plain(column.name)}** ${code(column.dataType ?? 'unknown type')}`);
    if (column.typeFrom) md.appendMarkdown(`Type taken from ${code(column.typeFrom)}${column.derivedFrom && !column.derivedFrom.functions ? ', the column it passes on' : ''}\n\n`);
    const facts = [b.primaryKey && 'primary key', b.foreignKey && `foreign key → ${code(b.foreignKey)}`, b.unique && 'unique',
      b.notNull && 'NOT NULL', column.identity && 'IDENTITY', column.encoding && `ENCODE ${plain(column.encoding)}`,
      column.defaultExpr && `DEFAULT ${code(column.defaultExpr)}`].filter(Boolean);
    if (facts.length) md.appendMarkdown(`${facts.join(' · ')}\n\n`);
    const tests = (table.tests ?? []).filter((t) => t.column?.toLowerCase() === column.name.toLowerCase());
    if (tests.length) md.appendMarkdown(`dbt tests: ${tests.map((t) => code(t.name)).join(', ')}\n\n`);
    const link = originLink(this.index, column.origin) ?? originLink(this.index, table.origin);
    if (link) md.appendMarkdown(`Defined in ${link}\n\n`);
    const joins = this.joins(table, column.name);
    if (joins.length) md.appendMarkdown(`Joined in the workspace (${joins.length}):\n${joinList(joins)}`);
  }
}

/** The first joins, and how many more there are. */
function joinList(joins: string[]): string {
  const more = joins.length - MAX_JOINS;
  return joins.slice(0, MAX_JOINS).join('\n') + (more > 0 ? `\n- …and ${more} more` : '');
}

/** Quarry's own hover text: it may link to the few commands it names. */
function trusted(): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['quarry.revealInExplorer', 'quarry.showTableDdl', 'quarry.previewErd'] };
  return md;
}

/** A relation's or column's description, in a section of its own that runs no command and no HTML: it comes from the workspace. */
function descriptionOf(table: TableDef, text: string | undefined): vscode.MarkdownString | undefined {
  if (!text) return undefined;
  if (describesInMarkdown(table)) return new vscode.MarkdownString(text);
  return new vscode.MarkdownString().appendText(text);
}
