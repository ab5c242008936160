import * as vscode from 'vscode';
import type { EngineCatalogTable } from '../../core/ports';
import type { ConnectionService } from '../query/connectionService';
import type { OutputLogger } from '../util/log';
import { Paging, showMoreLabel } from './paging';
import type { ExplorerNode, LiveCatalogSource } from './schemaExplorer';

/**
 * The live catalog of each configured Redshift connection, read lazily through the Data API
 * (ListSchemas → ListTables → DescribeTable) only when the user expands a node; long table lists are paged.
 */
export class LiveCatalogProvider implements LiveCatalogSource {
  /** The tree's paging once the explorer shares it (usePaging): its “Show more…” pages the live lists too. */
  private paging = new Paging();

  constructor(private readonly connections: ConnectionService, private readonly log: OutputLogger) {}

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

  usePaging(paging: Paging): void {
    this.paging = paging;
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
      const page = this.paging.page(livePageKey(key), tables);
      const nodes = page.items.map((t) => this.tableNode(connection, t));
      if (page.hidden > 0) {
        const more = new vscode.TreeItem(showMoreLabel(page.hidden, this.paging.size), vscode.TreeItemCollapsibleState.None);
        more.id = `quarry.live.${key}.more.${page.items.length}`;
        more.iconPath = new vscode.ThemeIcon('ellipsis');
        more.command = { command: 'quarry.refreshExplorer', title: 'Show more', arguments: [{ showMore: livePageKey(key) }] };
        nodes.push(this.node(`more:${key}`, more, async () => []));
      }
      return nodes;
    });
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

/** The key of a live schema's list of tables in the tree's Paging (`connection.schema`, apart from workspace lists). */
function livePageKey(key: string): string {
  return `live:${key}`;
}
