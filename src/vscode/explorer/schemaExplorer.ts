import * as vscode from 'vscode';
import type { CatalogSnapshot, ColumnDef, TableDef } from '../../core/catalog/model';
import { columnBadges, columnCount, describeColumn, describeTableKind, groupBySchema } from './catalogTree';
import { describesInMarkdown } from '../language/markdownText';

export type ExplorerNode =
  | { type: 'workspace' }
  | { type: 'schema'; schema: string }
  | { type: 'table'; table: TableDef }
  | { type: 'column'; table: TableDef; column: ColumnDef }
  | { type: 'live'; id: string; label: string; children: () => Promise<ExplorerNode[]>; item: vscode.TreeItem };

/** A source of the live catalog of one connection; the query-engine layer registers these. */
export interface LiveCatalogSource {
  roots(): Promise<ExplorerNode[]>;
}

/** Schema Explorer: the workspace catalog (and, when connections exist, their live catalogs) as a tree. */
export class SchemaExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filter: string | undefined;
  private readonly tableNodes = new Map<string, ExplorerNode & { type: 'table' }>();
  private readonly schemaNodes = new Map<string, ExplorerNode & { type: 'schema' }>();
  private readonly workspaceNode: ExplorerNode = { type: 'workspace' };
  private liveSource: LiveCatalogSource | undefined;

  constructor(private readonly catalog: () => CatalogSnapshot | undefined) {}

  setLiveSource(source: LiveCatalogSource | undefined): void {
    this.liveSource = source;
    this.refresh();
  }

  setFilter(filter: string | undefined): void {
    this.filter = filter?.trim() || undefined;
    void vscode.commands.executeCommand('setContext', 'quarry.explorerFiltered', this.filter !== undefined);
    this.refresh();
  }

  get currentFilter(): string | undefined { return this.filter; }

  refresh(): void {
    this.tableNodes.clear();
    this.schemaNodes.clear();
    this.changed.fire(undefined);
  }

  /** The node for a table, for reveal(); undefined when the catalog does not hold it. */
  tableNode(schema: string, name: string): ExplorerNode | undefined {
    const key = `${schema}.${name}`.toLowerCase();
    if (this.tableNodes.size === 0) this.populate();
    return this.tableNodes.get(key);
  }

  private populate(): void {
    const snapshot = this.catalog();
    if (!snapshot) return;
    for (const group of groupBySchema(snapshot, this.filter)) {
      this.schemaNode(group.schema);
      for (const table of group.tables) this.table(table);
    }
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
    const snapshot = this.catalog();
    if (!node) {
      // With no catalog and no connection, return nothing so the view shows its welcome content.
      const live = this.liveSource ? await this.liveSource.roots() : [];
      if ((!snapshot || snapshot.tables.length === 0) && live.length === 0) return [];
      return [this.workspaceNode, ...live];
    }
    switch (node.type) {
      case 'workspace':
        return snapshot ? groupBySchema(snapshot, this.filter).map((g) => this.schemaNode(g.schema)) : [];
      case 'schema': {
        const group = snapshot ? groupBySchema(snapshot, this.filter).find((g) => g.schema === node.schema) : undefined;
        return group ? group.tables.map((t) => this.table(t)) : [];
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
      default: return undefined;
    }
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.type) {
      case 'workspace': {
        const snapshot = this.catalog();
        const item = new vscode.TreeItem('Workspace', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'quarry.workspace';
        item.iconPath = new vscode.ThemeIcon('folder-library');
        const count = snapshot?.tables.length ?? 0;
        // with a filter: how many of them it keeps (none: the tree under it is empty, and says so here)
        const kept = this.filter && snapshot ? groupBySchema(snapshot, this.filter).reduce((n, g) => n + g.tables.length, 0) : count;
        item.description = this.filter
          ? `${kept === 0 ? 'nothing' : `${kept} of ${count}`} matching “${this.filter}”`
          : `${count} relation${count === 1 ? '' : 's'}`;
        item.contextValue = 'quarry.workspaceRoot';
        return item;
      }
      case 'schema': {
        const item = new vscode.TreeItem(node.schema, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `quarry.schema.${node.schema}`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'quarry.schema';
        return item;
      }
      case 'table': return this.tableItem(node.table);
      case 'column': return this.columnItem(node.table, node.column);
      case 'live': return node.item;
    }
  }

  private tableItem(table: TableDef): vscode.TreeItem {
    const item = new vscode.TreeItem(table.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `quarry.table.${table.schema}.${table.name}`;
    item.description = describeTableKind(table);
    item.iconPath = new vscode.ThemeIcon(tableIcon(table));
    item.contextValue = `quarry.table.${table.kind}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${table.schema}.${table.name}** — ${describeTableKind(table)}\n\n`);
    if (table.comment) appendDescription(md, table, table.comment);
    md.appendText(columnCount(table));
    if (table.origin.file) md.appendText(` · defined in ${table.origin.file}${table.origin.line ? `:${table.origin.line}` : ''}`);
    item.tooltip = md;
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
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${table.name}.${column.name}** \`${column.dataType ?? '?'}\`\n\n`);
    if (column.typeFrom) md.appendText(`Type taken from ${column.typeFrom}\n\n`);
    if (column.comment) appendDescription(md, table, column.comment);
    if (column.origin.file) md.appendText(`${column.origin.file}${column.origin.line ? `:${column.origin.line}` : ''}`);
    item.tooltip = md;
    return item;
  }

  dispose(): void { this.changed.dispose(); }
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
