import * as vscode from 'vscode';
import type { Origin, TableDef } from '../../core/catalog/model';
import type { IndexService } from '../index/indexService';
import { plain } from './markdownText';

/** The editor location of a catalog fact's origin, when it comes from a workspace file. */
export function originLocation(index: IndexService, origin: Origin): vscode.Location | undefined {
  if (!origin.file) return undefined;
  const folder = index.folderOf(origin.file);
  if (!folder) return undefined;
  const line = Math.max(0, (origin.line ?? 1) - 1);
  const col = Math.max(0, (origin.column ?? 1) - 1);
  return new vscode.Location(index.uriFor(folder, origin.file), new vscode.Position(line, col));
}

/** A markdown link to a file:line that opens the file at that line. */
export function originLink(index: IndexService, origin: Origin): string | undefined {
  const loc = originLocation(index, origin);
  if (!loc || !origin.file) return undefined;
  const target = loc.uri.with({ fragment: `L${loc.range.start.line + 1}` });
  // a path may hold parentheses: encoded, they cannot end the link early
  const href = target.toString().replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `[${plain(origin.file)}${origin.line ? `:${origin.line}` : ''}](${href})`;
}

export function qualified(table: TableDef): string {
  return `${table.schema}.${table.name}`;
}
