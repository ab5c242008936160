import * as vscode from 'vscode';
import { describeJoin, joinsTouching } from '../../core/catalog/joinUsage';
import type { ColumnDef, TableDef } from '../../core/catalog/model';
import type { CteInfo, QueryColumn, TextSpan } from '../../core/sql/cursorQuery';
import { resolveAtCursor } from '../../core/sql/cursorResolution';
import { columnBadges, columnCount, describeTableKind } from '../explorer/catalogTree';
import type { IndexService } from '../index/indexService';
import { originLink, qualified } from './catalogLinks';
import { code, describesInMarkdown, plain } from './markdownText';

const MAX_JOINS = 6;
const MAX_CTE_COLUMNS = 20;

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
    } else if (target.kind === 'cte') {
      describeCte(head, body, target.cte, document);
    } else if (target.kind === 'cteColumn') {
      const base = target.column.base;
      this.describeCteColumn(head, body, target.cte, target.column, document);
      description = base && descriptionOf(base.table, base.column.comment);
    } else {
      head.appendMarkdown(`**${plain(target.hits[0].column.name)}** is ambiguous here — it exists in:\n\n`);
      for (const h of target.hits) head.appendMarkdown(`- ${code(qualified(h.table))} (${plain(h.column.dataType ?? '?')})\n`);
    }
    return new vscode.Hover([head, ...(description ? [description] : []), ...(body.value ? [body] : [])], range);
  }

  /** Where the workspace joins the table (or column): the first few with links, and how many there are. */
  private joins(table: TableDef, column?: string): string | undefined {
    const joins = joinsTouching(this.index.joins(), table, column);
    if (!joins.length) return undefined;
    // only the joins shown are described and linked (a table may be joined at 40k places)
    const shown = joins.slice(0, MAX_JOINS).map((j) => `- ${code(describeJoin(j))}${j.origin.file ? ` — ${originLink(this.index, j.origin) ?? j.origin.file}` : ''}`);
    const more = joins.length - shown.length;
    return `Joined in the workspace (${joins.length}):\n${shown.join('\n')}${more > 0 ? `\n- …and ${more} more` : ''}`;
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
    if (joins) md.appendMarkdown(`${joins}\n\n`);
    const arg = encodeURIComponent(JSON.stringify([{ schema: table.schema, name: table.name }]));
    md.appendMarkdown(`[Show DDL](command:quarry.showTableDdl?${arg}) · [Preview ERD](command:quarry.previewErd?${arg}) · [Reveal in Schema Explorer](command:quarry.revealInExplorer?${arg})`);
  }

  private describeColumn(head: vscode.MarkdownString, md: vscode.MarkdownString, table: TableDef, column: ColumnDef): void {
    head.appendMarkdown(`$(symbol-field) **${plain(table.name)}.${plain(column.name)}** ${code(column.dataType ?? 'unknown type')}`);
    this.columnDetails(md, table, column);
  }

  /** A column of a CTE of the query: where the CTE is, and the catalog column it passes on (all about it) if any. */
  private describeCteColumn(head: vscode.MarkdownString, md: vscode.MarkdownString, cte: CteInfo, column: QueryColumn, document: vscode.TextDocument): void {
    const type = column.base ? ` ${code(column.base.column.dataType ?? 'unknown type')}` : '';
    const where = cte.site ? ` (line ${lineOf(document, cte.site)})` : '';
    const of = cte.subquery ? 'subquery' : 'CTE';
    head.appendMarkdown(`$(symbol-field) **${plain(cte.name)}.${plain(column.name)}**${type} — column of the ${of} ${code(cte.name)}${where}`);
    if (!column.base) {
      const by = column.from ? `Brought by a \`*\` from ${code(column.from)}, computed by its select list` : `Computed by the ${of}'s select list`;
      md.appendMarkdown(column.site ? `${by}, line ${lineOf(document, column.site)}` : 'Brought by a `*`, from no column the catalog knows');
      return;
    }
    const { table, column: baseColumn } = column.base;
    md.appendMarkdown(`Passes on ${code(`${qualified(table)}.${baseColumn.name}`)}\n\n`);
    this.columnDetails(md, table, baseColumn);
  }

  private columnDetails(md: vscode.MarkdownString, table: TableDef, column: ColumnDef): void {
    const b = columnBadges(table, column);
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
    if (joins) md.appendMarkdown(joins);
  }
}

/** A CTE of the query under the cursor: where it is defined, what it reads, its columns. */
function describeCte(head: vscode.MarkdownString, md: vscode.MarkdownString, cte: CteInfo, document: vscode.TextDocument): void {
  const what = cte.subquery ? `subquery of this query${cte.site ? `, named on line ${lineOf(document, cte.site)}` : ''}` : `CTE of this query${cte.site ? `, defined on line ${lineOf(document, cte.site)}` : ''}`;
  head.appendMarkdown(`$(symbol-namespace) **${plain(cte.name)}** — ${what}`);
  const reads = cte.reads.map((r) => (r.table ? `${code(qualified(r.table))} (${describeTableKind(r.table)})` : `${code(r.name)}${r.cte ? ' (CTE)' : ''}`));
  if (reads.length) md.appendMarkdown(`Reads ${reads.join(', ')}\n\n`);
  const names = cte.columns.slice(0, MAX_CTE_COLUMNS).map((c) => code(c.name));
  const more = cte.columns.length - names.length;
  if (names.length) md.appendMarkdown(`Columns (${cte.columns.length}${cte.partial ? '+' : ''}): ${names.join(', ')}${more > 0 ? `, …and ${more} more` : ''}`);
  else if (cte.partial) md.appendMarkdown('Columns: not known (a `*` over a relation the catalog lacks)');
}

/** The line (1-based) a span of the document starts on. */
function lineOf(document: vscode.TextDocument, site: TextSpan): number {
  return document.positionAt(site.start).line + 1;
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
