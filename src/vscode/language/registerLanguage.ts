import * as vscode from 'vscode';
import type { Container } from '../container';
import { CatalogCompletionProvider, COMPLETION_TRIGGERS } from './completionProvider';
import { CreateTableLensProvider } from './createTableLens';
import { DbtRefDiagnostics } from './dbtRefDiagnostics';
import { DbtYamlLensProvider } from './dbtYamlLens';
import { CatalogDefinitionProvider } from './definitionProvider';
import { CatalogHoverProvider } from './hoverProvider';
import { FORMAT_SELECTOR, SQL_SELECTOR } from './sqlDocuments';
import { SqlFormattingProvider } from './sqlFormatter';

export function registerLanguageFeatures(c: Container): void {
  const lens = c.track(new CreateTableLensProvider(c.index));
  const formatter = new SqlFormattingProvider(c.log);
  c.track(vscode.languages.registerHoverProvider(SQL_SELECTOR, new CatalogHoverProvider(c.index)));
  c.track(vscode.languages.registerDefinitionProvider(SQL_SELECTOR, new CatalogDefinitionProvider(c.index)));
  c.track(vscode.languages.registerCompletionItemProvider(SQL_SELECTOR, new CatalogCompletionProvider(c.index, () => c.joins.proposalsForCompletion()), ...COMPLETION_TRIGGERS));
  c.track(vscode.languages.registerCodeLensProvider(SQL_SELECTOR, lens));
  c.track(vscode.languages.registerCodeLensProvider({ language: 'yaml', scheme: 'file' }, c.track(new DbtYamlLensProvider(c.index))));
  c.track(new DbtRefDiagnostics(c.index));
  c.track(vscode.languages.registerDocumentFormattingEditProvider(FORMAT_SELECTOR, formatter));
  c.track(vscode.languages.registerDocumentRangeFormattingEditProvider(FORMAT_SELECTOR, formatter));
}
