import * as vscode from 'vscode';
import type { EngineCatalogTable } from '../../core/ports';
import type { ConnectionService } from '../query/connectionService';
import type { OutputLogger } from '../util/log';
import type { ExplorerNode, LiveCatalogSource } from './schemaExplorer';

const PAGE = 200;

/**
 * The live catalog of each configured Redshift connection, read lazily through the Data API
 * (ListSchemas → ListTables → DescribeTable) only when the user expands a node; long table lists are paged.
 */
export class LiveCatalogProvider implements LiveCatalogSource {
  private readonly shown = new Map<string, number>();

  constructor(private readonly connections: ConnectionService, private readonly log: OutputLogger, private readonly refresh: () => void) {}

  async roots(): Promise<ExplorerNode[]> {
    if (!vscode.workspace.isTrusted) return [];
    return this.connections.profiles().map((p) => {
      const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `quarry.live.${p.name}`;
      item.description = `Redshift · ${p.workgroupName ? `workgroup ${p.workgroupName}` : `cluster ${p.clusterIdentifier}`} · ${p.database}`;
      item.iconPath = new vscode.ThemeIcon(p.production ? 'shield' : 'database');
      item.contextValue = 'quarry.liveConnection';
      item.tooltip = `Live catalog of ${p.name}, read through the Redshift Data API when expanded.`;
      return this.node(`conn:${p.name}`, item, () => this.schemas(p.name));
    });
  }

  private node(id: string, item: vscode.TreeItem, children: () => Promise<ExplorerNode[]>): ExplorerNode {
    return { type: 'live', id, label: String(item.label), item, children };
  }

  private message(id: string, text: string, icon = 'info'): ExplorerNode {
    const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
    item.id = id;
    item.iconPath = new vscode.ThemeIcon(icon);
    return this.node(id, item, async () => []);
  }

  private async guarded(id: string, load: () => Promise<ExplorerNode[]>): Promise<ExplorerNode[]> {
    try {
      return await load();
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.log.error(`Live catalog (${id})`, err);
      return [this.message(`${id}:error`, `Could not read the catalog: ${text}`, 'error')];
    }
  }

  private schemas(connection: string): Promise<ExplorerNode[]> {
    return this.guarded(connection, async () => {
      const engine = await this.connections.engine(connection);
      const schemas = await engine.listSchemas();
      return schemas.map((schema) => {
        const item = new vscode.TreeItem(schema, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `quarry.live.${connection}.${schema}`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'quarry.liveSchema';
        return this.node(`schema:${connection}:${schema}`, item, () => this.tables(connection, schema));
      });
    });
  }

  private tables(connection: string, schema: string): Promise<ExplorerNode[]> {
    const key = `${connection}.${schema}`;
    return this.guarded(key, async () => {
      const engine = await this.connections.engine(connection);
      const tables = await engine.listTables(schema);
      const limit = this.shown.get(key) ?? PAGE;
      const nodes = tables.slice(0, limit).map((t) => this.tableNode(connection, t));
      if (tables.length > limit) {
        const more = new vscode.TreeItem(`Show ${Math.min(PAGE, tables.length - limit)} more of ${tables.length - limit}…`, vscode.TreeItemCollapsibleState.None);
        more.id = `quarry.live.${key}.more.${limit}`;
        more.iconPath = new vscode.ThemeIcon('ellipsis');
        more.command = { command: 'quarry.refreshExplorer', title: 'Show more', arguments: [{ showMore: key }] };
        nodes.push(this.node(`more:${key}`, more, async () => []));
      }
      return nodes;
    });
  }

  /** Raises the number of tables shown under `connection.schema` by one page. */
  showMore(key: string): void {
    this.shown.set(key, (this.shown.get(key) ?? PAGE) + PAGE);
    this.refresh();
  }

  private tableNode(connection: string, t: EngineCatalogTable): ExplorerNode {
    const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `quarry.live.${connection}.${t.schema}.${t.name}`;
    item.description = t.type.toLowerCase();
    item.iconPath = new vscode.ThemeIcon(t.type === 'VIEW' ? 'eye' : t.type === 'EXTERNAL TABLE' ? 'cloud' : 'table');
    item.contextValue = 'quarry.liveTable';
    return this.node(`table:${connection}:${t.schema}.${t.name}`, item, () => this.guarded(`${t.schema}.${t.name}`, async () => {
      const engine = await this.connections.engine(connection);
      const columns = await engine.describeTable(t.schema, t.name);
      return columns.map((c) => {
        const col = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
        col.id = `quarry.live.${connection}.${t.schema}.${t.name}.${c.name}`;
        col.description = c.typeName;
        col.iconPath = new vscode.ThemeIcon('symbol-field');
        return this.node(`col:${connection}:${t.schema}.${t.name}.${c.name}`, col, async () => []);
      });
    }));
  }
}
