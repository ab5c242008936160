import * as vscode from 'vscode';
import type { CatalogSnapshot, ColumnDef, TableDef } from '../../core/catalog/model';
import { columnBadges, columnCount, describeColumn, describeTableKind } from './catalogTree';
import { showMoreLabel, type Paging } from './paging';
import { schemaPageKey, WorkspaceTree } from './workspaceTree';
import { describesInMarkdown } from '../language/markdownText';

export type ExplorerNode =
  | { type: 'workspace' }
  | { type: 'schema'; schema: string }
  | { type: 'table'; table: TableDef }
  | { type: 'column'; table: TableDef; column: ColumnDef }
  /** “Show 200 more of 9,800…” after the page of a schema's tables shown. */
  | { type: 'more'; schema: string; shown: number; hidden: number }
  | { type: 'live'; id: string; label: string; children: () => Promise<ExplorerNode[]>; item: vscode.TreeItem };

/** A source of the live catalog of one connection; the query-engine layer registers these. */
export interface LiveCatalogSource {
  roots(): Promise<ExplorerNode[]>;
  /** The tree's paging, which the source's own long lists use too (one “Show more…” command serves them all). */
  usePaging?(paging: Paging): void;
}

/**
 * Schema Explorer: the workspace catalog (and, when connections exist, their live catalogs) as a tree. The catalog is
 * grouped once per snapshot and filter (WorkspaceTree), schemas start collapsed when there are many, a schema shows
 * its tables a page at a time, and tooltips are built when VS Code shows one (resolveTreeItem).
 */
export class SchemaExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** What the tree shows of the workspace catalog; vscode-free, so unit tests count what it computes. */
  readonly tree: WorkspaceTree;
  private readonly tableNodes = new Map<string, ExplorerNode & { type: 'table' }>();
  private readonly schemaNodes = new Map<string, ExplorerNode & { type: 'schema' }>();
  private readonly workspaceNode: ExplorerNode = { type: 'workspace' };
  private liveSource: LiveCatalogSource | undefined;

  constructor(catalog: () => CatalogSnapshot | undefined) {
    this.tree = new WorkspaceTree(catalog);
  }

  setLiveSource(source: LiveCatalogSource | undefined): void {
    this.liveSource = source;
    source?.usePaging?.(this.tree.paging);
    this.refresh();
  }

  setFilter(filter: string | undefined): void {
    this.tree.filter = filter?.trim() || undefined;
    void vscode.commands.executeCommand('setContext', 'quarry.explorerFiltered', this.tree.filter !== undefined);
    this.refresh();
  }

  get currentFilter(): string | undefined { return this.tree.filter; }

  /** Shows one more page of a list of the tree (`workspace:<schema>`'s or `live:<connection>.<schema>`'s tables). */
  showMore(key: string): void {
    this.tree.paging.more(key);
    this.refresh();
  }

  refresh(): void {
    this.tableNodes.clear();
    this.schemaNodes.clear();
    this.changed.fire(undefined);
  }

  /**
   * The node for a table, for reveal(); undefined when the catalog (under the filter) does not hold it. A table past
   * the page of its schema shown makes the schema show pages up to it, so that reveal() finds it among the children.
   */
  tableNode(schema: string, name: string): ExplorerNode | undefined {
    const found = this.tree.reveal(schema, name);
    if (!found) return undefined;
    if (found.paged) this.changed.fire(this.schemaNode(found.table.schema));
    return this.table(found.table);
  }

  private schemaNode(schema: string): ExplorerNode & { type: 'schema' } {
    let node = this.schemaNodes.get(schema);
    if (!node) { node = { type: 'schema', schema }; this.schemaNodes.set(schema, node); }
    return node;
  }

  private table(table: TableDef): ExplorerNode & { type: 'table' } {
    const key = `${table.schema}.${table.name}`.toLowerCase();
    let node = this.tableNodes.get(key);
    if (!node || node.table !== table) { node = { type: 'table', table }; this.tableNodes.set(key, node); }
    return node;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      // With no catalog and no connection, return nothing so the view shows its welcome content.
      const live = this.liveSource ? await this.liveSource.roots() : [];
      if (this.tree.total() === 0 && live.length === 0) return [];
      return [this.workspaceNode, ...live];
    }
    switch (node.type) {
      case 'workspace':
        return this.tree.schemas().map((schema) => this.schemaNode(schema));
      case 'schema': {
        const page = this.tree.tables(node.schema);
        const nodes: ExplorerNode[] = page.items.map((t) => this.table(t));
        if (page.hidden > 0) nodes.push({ type: 'more', schema: node.schema, shown: page.items.length, hidden: page.hidden });
        return nodes;
      }
      case 'table':
        return node.table.columns.map((column) => ({ type: 'column', table: node.table, column }));
      case 'live':
        return node.children();
      default:
        return [];
    }
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    switch (node.type) {
      case 'schema': return this.workspaceNode;
      case 'table': return node.table.kind ? this.schemaNode(node.table.schema) : undefined;
      case 'column': return this.table(node.table);
      case 'more': return this.schemaNode(node.schema);
      default: return undefined;
    }
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.type) {
      case 'workspace': {
        const item = new vscode.TreeItem('Workspace', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'quarry.workspace';
        item.iconPath = new vscode.ThemeIcon('folder-library');
        const count = this.tree.total();
        const filter = this.tree.filter;
        // with a filter: how many of them it keeps (none: the tree under it is empty, and says so here)
        const kept = filter ? this.tree.kept() : count;
        item.description = filter
          ? `${kept === 0 ? 'nothing' : `${kept} of ${count}`} matching “${filter}”`
          : `${count} relation${count === 1 ? '' : 's'}`;
        item.contextValue = 'quarry.workspaceRoot';
        return item;
      }
      case 'schema': {
        const state = this.tree.schemasStartExpanded() ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
        const item = new vscode.TreeItem(node.schema, state);
        item.id = `quarry.schema.${node.schema}`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'quarry.schema';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(showMoreLabel(node.hidden, this.tree.paging.size), vscode.TreeItemCollapsibleState.None);
        item.id = `quarry.schema.${node.schema}.more.${node.shown}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'quarry.refreshExplorer', title: 'Show more', arguments: [{ showMore: schemaPageKey(node.schema) }] };
        return item;
      }
      case 'table': return this.tableItem(node.table);
      case 'column': return this.columnItem(node.table, node.column);
      case 'live': return node.item;
    }
  }

  /** The tooltips of tables and columns, built when VS Code is about to show one rather than for every row. */
  resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem {
    if (item.tooltip !== undefined) return item;
    if (node.type === 'table') item.tooltip = tableTooltip(node.table);
    else if (node.type === 'column') item.tooltip = columnTooltip(node.table, node.column);
    return item;
  }

  private tableItem(table: TableDef): vscode.TreeItem {
    const item = new vscode.TreeItem(table.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `quarry.table.${table.schema}.${table.name}`;
    item.description = describeTableKind(table);
    item.iconPath = new vscode.ThemeIcon(tableIcon(table));
    item.contextValue = `quarry.table.${table.kind}`;
    if (table.origin.file) {
      item.command = { command: 'quarry.showTableDdl', title: 'Show Table DDL', arguments: [{ schema: table.schema, name: table.name }] };
    }
    return item;
  }

  private columnItem(table: TableDef, column: ColumnDef): vscode.TreeItem {
    const item = new vscode.TreeItem(column.name, vscode.TreeItemCollapsibleState.None);
    item.id = `quarry.column.${table.schema}.${table.name}.${column.name}`;
    item.description = describeColumn(table, column);
    const badges = columnBadges(table, column);
    item.iconPath = new vscode.ThemeIcon(badges.primaryKey ? 'key' : badges.foreignKey ? 'references' : 'symbol-field');
    item.contextValue = 'quarry.column';
    return item;
  }

  dispose(): void { this.changed.dispose(); }
}

function tableTooltip(table: TableDef): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${table.schema}.${table.name}** — ${describeTableKind(table)}\n\n`);
  if (table.comment) appendDescription(md, table, table.comment);
  md.appendText(columnCount(table));
  if (table.origin.file) md.appendText(` · defined in ${table.origin.file}${table.origin.line ? `:${table.origin.line}` : ''}`);
  return md;
}

function columnTooltip(table: TableDef, column: ColumnDef): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${table.name}.${column.name}** \`${column.dataType ?? '?'}\`\n\n`);
  if (column.typeFrom) md.appendText(`Type taken from ${column.typeFrom}\n\n`);
  if (column.comment) appendDescription(md, table, column.comment);
  if (column.origin.file) md.appendText(`${column.origin.file}${column.origin.line ? `:${column.origin.line}` : ''}`);
  return md;
}

/** A description in a tooltip (which runs no command and no HTML): Markdown for dbt's, text for a COMMENT ON. */
function appendDescription(md: vscode.MarkdownString, table: TableDef, text: string): void {
  if (describesInMarkdown(table)) md.appendMarkdown(text);
  else md.appendText(text);
  md.appendMarkdown('\n\n');
}

function tableIcon(table: TableDef): string {
  switch (table.kind) {
    case 'view': case 'materializedView': return 'eye';
    case 'dbtModel': return 'layers';
    case 'dbtSource': return 'database';
    case 'dbtSeed': return 'file-text';
    case 'dbtSnapshot': return 'history';
    case 'externalTable': return 'cloud';
    default: return 'table';
  }
}
