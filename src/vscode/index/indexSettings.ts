import * as vscode from 'vscode';
import type { DiscoveryOptions } from '../../core/workspace/discovery';

/** Discovery options for one folder from Quarry's settings plus VS Code's files.exclude and search.exclude. */
export function discoveryOptionsFor(folder: vscode.WorkspaceFolder): DiscoveryOptions {
  const quarry = vscode.workspace.getConfiguration('quarry.index', folder.uri);
  const excludes = new Set<string>(quarry.get<string[]>('exclude', []));
  for (const section of ['files.exclude', 'search.exclude']) {
    const map = vscode.workspace.getConfiguration(undefined, folder.uri).get<Record<string, unknown>>(section, {});
    for (const [glob, on] of Object.entries(map)) if (on === true) excludes.add(glob);
  }
  const maxMb = quarry.get<number>('maxFileSizeMB', 5);
  return {
    include: quarry.get<string[]>('include', []),
    exclude: [...excludes],
    maxFileSize: Math.round(Math.max(0.1, maxMb) * 1024 * 1024),
  };
}

/** The dbt target schema the user set for projects that carry no profiles.yml; undefined when none. */
export function dbtTargetSchemaFor(folder: vscode.WorkspaceFolder): string | undefined {
  return vscode.workspace.getConfiguration('quarry.dbt', folder.uri).get<string>('targetSchema', '').trim() || undefined;
}

export function affectsIndexSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('quarry.index') || e.affectsConfiguration('quarry.dbt') || e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude');
}
