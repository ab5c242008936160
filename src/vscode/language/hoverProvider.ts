import * as vscode from 'vscode';
import { describeJoin, joinsTouching } from '../../core/catalog/joinUsage';
import type { ColumnDef, TableDef } from '../../core/catalog/model';
import { resolveAtCursor } from '../../core/sql/cursorResolution';
import { columnBadges, describeTableKind } from '../explorer/catalogTree';
import type { IndexService } from '../index/indexService';
import { originLink, qualified } from './catalogLinks';
import { code, plain } from './markdownText';

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
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['quarry.revealInExplorer', 'quarry.showTableDdl', 'quarry.previewErd'] };
    if (target.kind === 'table') this.describeTable(md, target.table);
    else if (target.kind === 'column') this.describeColumn(md, target.table, target.column);
    else {
      md.appendMarkdown(`**${plain(target.hits[0].column.name)}** is ambiguous here — it exists in:\n\n`);
      for (const h of target.hits) md.appendMarkdown(`- ${code(qualified(h.table))} (${plain(h.column.dataType ?? '?')})\n`);
    }
    return new vscode.Hover(md, range);
  }

  private joins(table: TableDef, column?: string): string[] {
    return joinsTouching(this.index.joins(), table, column)
      .map((j) => `- ${code(describeJoin(j))}${j.origin.file ? ` — ${originLink(this.index, j.origin) ?? j.origin.file}` : ''}`);
  }

  private describeTable(md: vscode.MarkdownString, table: TableDef): void {
    md.appendMarkdown(`$(table) **${plain(qualified(table))}** — ${describeTableKind(table)}, ${table.columns.length} columns\n\n`);
    if (table.comment) { md.appendText(table.comment); md.appendMarkdown('\n\n'); }
    const pk = table.constraints.find((c) => c.kind === 'primaryKey');
    if (pk) md.appendMarkdown(`Primary key: ${code(pk.columns.join(', '))}\n\n`);
    if (table.distKey || table.sortKey) {
      md.appendMarkdown(`${table.distKey ? `DISTKEY ${code(table.distKey)} ` : ''}${table.sortKey ? `${table.sortKey.style.toUpperCase()} SORTKEY ${code(table.sortKey.columns.join(', '))}` : ''}\n\n`);
    }
    const link = originLink(this.index, table.origin);
    if (link) md.appendMarkdown(`Defined in ${link}\n\n`);
    const joins = this.joins(table);
    if (joins.length) md.appendMarkdown(`Joined in workspace queries (${joins.length}):\n${joins.slice(0, MAX_JOINS).join('\n')}\n\n`);
    const arg = encodeURIComponent(JSON.stringify([{ schema: table.schema, name: table.name }]));
    md.appendMarkdown(`[Show DDL](command:quarry.showTableDdl?${arg}) · [Preview ERD](command:quarry.previewErd?${arg}) · [Reveal in Schema Explorer](command:quarry.revealInExplorer?${arg})`);
  }

  private describeColumn(md: vscode.MarkdownString, table: TableDef, column: ColumnDef): void {
    const b = columnBadges(table, column);
    md.appendMarkdown(`$(symbol-field) **${plain(table.name)}.${plain(column.name)}** ${code(column.dataType ?? 'unknown type')}\n\n`);
    if (column.typeFrom) md.appendMarkdown(`Type taken from ${code(column.typeFrom)}${column.derivedFrom && !column.derivedFrom.functions ? ', the column it passes on' : ''}\n\n`);
    const facts = [b.primaryKey && 'primary key', b.foreignKey && `foreign key → ${code(b.foreignKey)}`, b.unique && 'unique',
      b.notNull && 'NOT NULL', column.identity && 'IDENTITY', column.encoding && `ENCODE ${plain(column.encoding)}`,
      column.defaultExpr && `DEFAULT ${code(column.defaultExpr)}`].filter(Boolean);
    if (facts.length) md.appendMarkdown(`${facts.join(' · ')}\n\n`);
    if (column.comment) { md.appendText(column.comment); md.appendMarkdown('\n\n'); }
    const tests = (table.tests ?? []).filter((t) => t.column?.toLowerCase() === column.name.toLowerCase());
    if (tests.length) md.appendMarkdown(`dbt tests: ${tests.map((t) => code(t.name)).join(', ')}\n\n`);
    const link = originLink(this.index, column.origin) ?? originLink(this.index, table.origin);
    if (link) md.appendMarkdown(`Defined in ${link}\n\n`);
    const joins = this.joins(table, column.name);
    if (joins.length) md.appendMarkdown(`Joined in workspace queries (${joins.length}):\n${joins.slice(0, MAX_JOINS).join('\n')}`);
  }
}
