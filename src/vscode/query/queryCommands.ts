import * as vscode from 'vscode';
import { qualifiedName } from '../../core/catalog/ddlWriter';
import { isWarehouseRelation } from '../../core/catalog/model';
import { UserFacingError } from '../commands/registry';
import type { Container } from '../container';
import { tableFromArg, pickTable, type TableArg } from '../commands/catalogCommands';
import { EMBEDDED } from './connectionService';
import { formatGeneratedSql } from '../../core/sql/format';
import { formatOptions } from '../language/sqlFormatter';
import { RedshiftDataEngine } from '../../adapters/aws/redshiftDataEngine';

export async function selectConnection(c: Container): Promise<void> {
  const active = c.connections.activeName();
  const items: Array<vscode.QuickPickItem & { name?: string; add?: boolean }> = [
    { label: '$(server-process) Embedded (local)', description: active === EMBEDDED ? 'active' : undefined, detail: 'PGlite in-process, loaded from the workspace DDL and CSV files', name: EMBEDDED },
    ...c.connections.profiles().map((p) => ({
      label: `${p.production ? '$(shield)' : '$(database)'} ${p.name}`,
      description: [p.name === active ? 'active' : '', p.production ? 'production' : ''].filter(Boolean).join(' · ') || undefined,
      detail: `${p.workgroupName ? `Serverless ${p.workgroupName}` : `cluster ${p.clusterIdentifier}`} · ${p.database} · ${p.region || 'region from the AWS profile'}${p.profile ? ` · profile ${p.profile}` : ''}`,
      name: p.name,
    })),
    { label: '$(add) Add Connection…', add: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Quarry: Select Connection' });
  if (!pick) return;
  if (pick.add) { await addConnection(c); return; }
  await c.connections.select(pick.name ?? EMBEDDED);
}

/** Guided creation of a connection profile, written to the user's settings (no secrets are asked for). */
export async function addConnection(c: Container): Promise<void> {
  const ask = (title: string, prompt: string, value = '', optional = false) => vscode.window.showInputBox({
    title: `Add Connection: ${title}`, prompt, value, ignoreFocusOut: true,
    validateInput: (v) => (optional || v.trim() ? undefined : 'Required'),
  });
  const kind = await vscode.window.showQuickPick([
    { label: 'Redshift Serverless workgroup', value: 'serverless' },
    { label: 'Provisioned cluster, temporary credentials (DbUser)', value: 'dbuser' },
    { label: 'Provisioned cluster or Serverless, Secrets Manager secret', value: 'secret' },
  ], { title: 'Add Connection: kind of warehouse', ignoreFocusOut: true });
  if (!kind) return;
  const name = await ask('name', 'A name for this connection'); if (!name) return;
  const profile: Record<string, unknown> = { name: name.trim() };
  if (kind.value === 'serverless') {
    const wg = await ask('workgroup', 'Redshift Serverless workgroup name'); if (!wg) return;
    profile.workgroupName = wg.trim();
  } else {
    const id = await ask(kind.value === 'secret' ? 'cluster or workgroup' : 'cluster', kind.value === 'secret' ? 'Cluster identifier (or prefix the workgroup name with "wg:")' : 'Cluster identifier'); if (!id) return;
    if (id.startsWith('wg:')) profile.workgroupName = id.slice(3).trim(); else profile.clusterIdentifier = id.trim();
  }
  const database = await ask('database', 'Database name', 'dev'); if (!database) return;
  profile.database = database.trim();
  if (kind.value === 'dbuser') {
    const user = await ask('database user', 'Database user for temporary credentials'); if (!user) return;
    profile.dbUser = user.trim();
  }
  if (kind.value === 'secret') {
    const arn = await ask('secret ARN', 'ARN of the Secrets Manager secret holding the database credentials'); if (!arn) return;
    profile.secretArn = arn.trim();
  }
  const region = await ask('region', 'AWS Region', process.env.AWS_REGION ?? 'us-east-1'); if (!region) return;
  profile.region = region.trim();
  const awsProfile = await ask('AWS profile', 'AWS shared-config profile (empty: the default credential chain)', process.env.AWS_PROFILE ?? '', true);
  if (awsProfile === undefined) return;
  if (awsProfile.trim()) profile.profile = awsProfile.trim();
  const prod = await vscode.window.showQuickPick(['No', 'Yes — ask before writes'], { title: 'Add Connection: is this a production warehouse?', ignoreFocusOut: true });
  if (!prod) return;
  profile.production = prod.startsWith('Yes');
  const cfg = vscode.workspace.getConfiguration('quarry');
  const existing = (cfg.inspect<unknown[]>('connections')?.globalValue ?? []).filter((p) => (p as { name?: string }).name !== profile.name);
  await cfg.update('connections', [...existing, profile], vscode.ConfigurationTarget.Global);
  await c.connections.select(String(profile.name));
  void vscode.window.showInformationMessage(`Quarry: connection “${profile.name}” added and selected. Credentials come from ${profile.profile ? `AWS profile ${profile.profile}` : 'the default AWS credential chain'}.`);
}

type HistoryPick = vscode.QuickPickItem & { sql?: string };

/** Local history plus, on a Redshift connection, the service's own recent statements (ListStatements). */
export async function showHistory(c: Container): Promise<void> {
  const items: HistoryPick[] = c.history.entries().map((e) => ({
    label: `${e.status === 'FINISHED' ? '$(pass)' : e.status === 'FAILED' ? '$(error)' : '$(circle-slash)'} ${e.sql.replace(/\s+/g, ' ').slice(0, 90)}`,
    description: `${e.engine} · ${new Date(e.startedAt).toLocaleString()} · ${e.durationMs} ms${e.rows !== undefined ? ` · ${e.rows} rows` : ''}`,
    detail: e.error, sql: e.sql,
  }));
  if (c.connections.activeProfile() && vscode.workspace.isTrusted) {
    const engine = await c.connections.engine();
    if (engine instanceof RedshiftDataEngine) {
      const remote = await engine.recentStatements(50).catch((err) => { c.log.error('ListStatements failed', err); return []; });
      if (remote.length) items.push({ label: `Data API statements on ${engine.connection.name}`, kind: vscode.QuickPickItemKind.Separator });
      items.push(...remote.map((s) => ({
        label: `$(cloud) ${s.sql.replace(/\s+/g, ' ').slice(0, 90)}`,
        description: `${s.status}${s.createdAt ? ` · ${new Date(s.createdAt).toLocaleString()}` : ''} · ${s.id}`,
        sql: s.sql,
      })));
    }
  }
  if (items.length === 0) { void vscode.window.showInformationMessage('Quarry: no queries run yet in this workspace.'); return; }
  const pick = await vscode.window.showQuickPick(items, { title: 'Quarry: Query History', matchOnDescription: true, matchOnDetail: true });
  if (!pick?.sql) return;
  const action = await vscode.window.showQuickPick(['Run Again', 'Open SQL'], { title: 'Query History' });
  if (action === 'Open SQL') {
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: pick.sql });
    await vscode.window.showTextDocument(doc);
  } else if (action === 'Run Again') {
    await c.queries.run(pick.sql, undefined, 'Results: history');
  }
}

export async function selectTop100(c: Container, arg: TableArg): Promise<void> {
  const table = tableFromArg(c, arg) ?? await pickTable(c, 'Select Top 100');
  if (!table) return;
  const profile = c.connections.activeProfile();
  if (profile && !isWarehouseRelation(table)) {
    throw new UserFacingError(`${table.name} is an ephemeral dbt model: dbt builds no table or view for it in “${profile.name}” (its SQL is inlined where it is ref()'d). Select from a model that refs it, or switch to the embedded engine, which builds it as a view.`);
  }
  const sql = formatGeneratedSql(`SELECT * FROM ${qualifiedName(table.schema, table.name)} LIMIT 100`, formatOptions());
  await c.queries.run(sql, undefined, `${table.name}: top 100`);
}
