import * as vscode from 'vscode';
import { resolveAtCursor } from '../../core/sql/cursorResolution';
import type { IndexService } from '../index/indexService';
import { originLocation } from './catalogLinks';

/** Go to Definition: the DDL, dbt YAML or seed that defines a table or column. */
export class CatalogDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly index: IndexService) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Definition | undefined {
    const catalog = this.index.catalogIndex;
    if (!catalog) return undefined;
    const target = resolveAtCursor(document.getText(), document.offsetAt(position), catalog);
    if (!target) return undefined;
    if (target.kind === 'table') return originLocation(this.index, target.table.origin);
    if (target.kind === 'column') return originLocation(this.index, target.column.origin) ?? originLocation(this.index, target.table.origin);
    return target.hits.map((h) => originLocation(this.index, h.column.origin)).filter((l): l is vscode.Location => l !== undefined);
  }
}
