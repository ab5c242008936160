import * as vscode from 'vscode';
import { CatalogLensProvider } from './catalogLens';

const MODEL_LINE = /^(\s*)-\s*name:\s*["']?([A-Za-z_][\w]*)["']?\s*$/;

/** CodeLens "Preview ERD" over each model, seed or snapshot of a dbt properties file (schema.yml) that the catalog knows. */
export class DbtYamlLensProvider extends CatalogLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const catalog = this.index.catalogIndex;
    if (!catalog) return [];
    const models = new Map(catalog.tables().filter((t) => t.kind === 'dbtModel' || t.kind === 'dbtSeed' || t.kind === 'dbtSnapshot').map((t) => [t.name.toLowerCase(), t]));
    if (models.size === 0) return [];
    const lenses: vscode.CodeLens[] = [];
    let inModels = false;
    for (let i = 0; i < document.lineCount; i++) {
      const text = document.lineAt(i).text;
      if (/^[A-Za-z_]+:/.test(text)) inModels = /^(models|seeds|snapshots):/.test(text);
      if (!inModels) continue;
      const m = MODEL_LINE.exec(text);
      if (!m || m[1].length > 4) continue;
      const table = models.get(m[2].toLowerCase());
      if (!table) continue;
      lenses.push(new vscode.CodeLens(new vscode.Range(i, 0, i, 0), {
        title: 'Preview ERD', command: 'quarry.previewErd', arguments: [{ schema: table.schema, name: table.name }],
        tooltip: `${table.name} and its neighbours as an entity-relationship diagram`,
      }));
    }
    return lenses;
  }

}
