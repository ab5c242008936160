import * as vscode from 'vscode';
import { completionsAt } from '../../core/sql/cursorResolution';
import { dbtCompletionsAt } from '../../core/sql/dbtCompletion';
import { columnCount, describeColumn, describeTableKind } from '../explorer/catalogTree';
import type { IndexService } from '../index/indexService';

/** Characters that open completion: `alias.` for columns, a quote for dbt's ref('…') and source('…'). */
export const COMPLETION_TRIGGERS = ['.', "'", '"'];

/** Completion of schemas, tables and columns from the workspace catalog, and of dbt names inside ref() and source(). */
export class CatalogCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly index: IndexService) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, _token?: vscode.CancellationToken, context?: vscode.CompletionContext): vscode.CompletionItem[] {
    const catalog = this.index.catalogIndex;
    if (!catalog) return [];
    const text = document.getText();
    const offset = document.offsetAt(position);
    const dbt = dbtCompletionsAt(text, offset, catalog.tables());
    if (dbt) {
      return dbt.map((c) => {
        const item = new vscode.CompletionItem({ label: c.name, description: `${c.table.schema}.${c.table.name}` }, c.resource === 'source' ? vscode.CompletionItemKind.Module : vscode.CompletionItemKind.Class);
        item.detail = c.resource === 'source' ? 'dbt source' : `dbt ${c.resource} · ${columnCount(c.table)}`;
        return item;
      });
    }
    // a quote elsewhere opens a string, not a name
    if (context?.triggerCharacter === "'" || context?.triggerCharacter === '"') return [];
    const seen = new Set<string>();
    const items: vscode.CompletionItem[] = [];
    for (const c of completionsAt(text, offset, catalog)) {
      let item: vscode.CompletionItem;
      if (c.kind === 'schema') {
        item = new vscode.CompletionItem(c.name, vscode.CompletionItemKind.Module);
        item.detail = 'schema';
      } else if (c.kind === 'table') {
        item = new vscode.CompletionItem({ label: c.table.name, description: c.table.schema }, vscode.CompletionItemKind.Class);
        item.detail = `${describeTableKind(c.table)} · ${columnCount(c.table)}`;
        item.sortText = `1_${c.table.name}`;
        if (c.qualified) {
          // outside the default search path the bare name resolves to nothing: insert it with its schema
          item.insertText = `${sqlName(c.table.schema)}.${sqlName(c.table.name)}`;
          item.filterText = c.table.name;
        }
      } else if (c.kind === 'cte') {
        item = new vscode.CompletionItem({ label: c.cte.name, description: 'CTE' }, vscode.CompletionItemKind.Class);
        item.detail = `CTE of this query · ${c.cte.columns.length}${c.cte.partial ? '+' : ''} column${c.cte.columns.length === 1 ? '' : 's'}`;
        item.sortText = `1_${c.cte.name}`;
      } else if (c.kind === 'queryColumn') {
        const base = c.column.base;
        item = new vscode.CompletionItem({ label: c.column.name, description: c.of }, vscode.CompletionItemKind.Field);
        item.detail = base ? `${describeColumn(base.table, base.column)} · from ${base.table.name}` : `computed in ${c.of}`;
        item.sortText = `0_${c.column.name}`;
      } else {
        item = new vscode.CompletionItem({ label: c.column.name, description: `${c.table.name}` }, vscode.CompletionItemKind.Field);
        item.detail = describeColumn(c.table, c.column);
        item.sortText = `0_${c.column.name}`;
      }
      const key = `${item.kind}:${typeof item.label === 'string' ? item.label : `${item.label.label}/${item.label.description}`}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
    return items;
  }
}

/** A name as SQL writes it: quoted unless it is lower case letters, digits and underscores. */
function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
