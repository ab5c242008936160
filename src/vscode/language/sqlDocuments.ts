import * as vscode from 'vscode';

/** SQL files and dbt models (often associated with jinja-sql by dbt extensions). */
export const SQL_SELECTOR: vscode.DocumentSelector = [
  { language: 'sql', scheme: 'file' },
  { language: 'sql', scheme: 'untitled' },
  { language: 'jinja-sql', scheme: 'file' },
];

export const FORMAT_SELECTOR: vscode.DocumentSelector = [{ language: 'sql' }, { language: 'jinja-sql' }];
