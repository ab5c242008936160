import * as vscode from 'vscode';
import type { TextSpan } from '../../core/sql/cursorQuery';
import { resolveAtCursor } from '../../core/sql/cursorResolution';
import type { IndexService } from '../index/indexService';
import { originLocation } from './catalogLinks';

/** Go to Definition: the DDL, dbt YAML or seed that defines a table or column, the WITH clause that defines a CTE. */
export class CatalogDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly index: IndexService) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Definition | undefined {
    const catalog = this.index.catalogIndex;
    if (!catalog) return undefined;
    const target = resolveAtCursor(document.getText(), document.offsetAt(position), catalog);
    if (!target) return undefined;
    if (target.kind === 'table') return originLocation(this.index, target.table.origin);
    if (target.kind === 'column') return originLocation(this.index, target.column.origin) ?? originLocation(this.index, target.table.origin);
    // a CTE is defined in this query: its name; its column where the select list names it, else the column it passes on
    if (target.kind === 'cte') return target.cte.site && here(document, target.cte.site);
    if (target.kind === 'cteColumn') {
      const { site, base } = target.column;
      if (site) return here(document, site);
      return base && (originLocation(this.index, base.column.origin) ?? originLocation(this.index, base.table.origin));
    }
    return target.hits.map((h) => originLocation(this.index, h.column.origin)).filter((l): l is vscode.Location => l !== undefined);
  }
}

function here(document: vscode.TextDocument, site: TextSpan): vscode.Location {
  return new vscode.Location(document.uri, new vscode.Range(document.positionAt(site.start), document.positionAt(site.end)));
}
