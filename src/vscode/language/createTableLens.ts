import * as vscode from 'vscode';
import { joinsTouching } from '../../core/catalog/joinUsage';
import type { JoinPair } from '../../core/sql/types';
import { columnCount } from '../explorer/catalogTree';
import { CatalogLensProvider } from './catalogLens';
import { originLocation } from './catalogLinks';

/** CodeLens over each CREATE TABLE / VIEW of a SQL file: size, where it is joined, and quick actions. */
export class CreateTableLensProvider extends CatalogLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const snapshot = this.index.catalog;
    if (!snapshot) return [];
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return [];
    const rel = vscode.workspace.asRelativePath(document.uri, false);
    const joins = this.index.joins();
    const lenses: vscode.CodeLens[] = [];
    for (const table of snapshot.tables) {
      if (table.origin.file !== rel || !table.origin.line || table.kind.startsWith('dbt')) continue;
      const line = table.origin.line - 1;
      if (line >= document.lineCount) continue;
      const range = new vscode.Range(line, 0, line, 0);
      const arg = { schema: table.schema, name: table.name };
      const joined = joinsTouching(joins, table);
      lenses.push(new vscode.CodeLens(range, {
        title: columnCount(table),
        command: 'quarry.revealInExplorer', arguments: [arg], tooltip: 'Reveal in the Schema Explorer',
      }));
      // where each join is written is found when the lens shows (resolveCodeLens): a file may define 10k tables
      lenses.push(joined.length ? new JoinSitesLens(range, document.uri, joined) : new vscode.CodeLens(range, { title: 'joined nowhere in the workspace', command: '' }));
      lenses.push(new vscode.CodeLens(range, {
        title: 'Preview ERD', command: 'quarry.previewErd', arguments: [arg], tooltip: 'This table and its neighbours as an entity-relationship diagram',
      }));
    }
    return lenses;
  }

  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    if (!(lens instanceof JoinSitesLens)) return lens;
    const sites = lens.joins.flatMap((j) => originLocation(this.index, j.origin) ?? []);
    lens.command = {
      title: `joined in ${sites.length} place${sites.length === 1 ? '' : 's'}`,
      command: 'editor.action.showReferences', arguments: [lens.uri, lens.range.start, sites], tooltip: 'The joins the workspace makes with this table',
    };
    return lens;
  }
}

/** "joined in N places", its places found when it shows. */
class JoinSitesLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly joins: readonly JoinPair[]) {
    super(range);
  }
}
