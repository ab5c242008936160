import * as vscode from 'vscode';
import { completionsAt } from '../../core/sql/cursorResolution';
import { dbtCompletionsAt } from '../../core/sql/dbtCompletion';
import { isWrittenDown, joinCompletionsAt, type JoinCompletion } from '../../core/sql/joinCompletion';
import { qualifiedName } from '../../core/catalog/ddlWriter';
import { unlistedCount } from '../../core/modeling/candidates';
import type { EvidenceKind, JoinProposal } from '../../core/modeling/types';
import { columnCount, describeColumn, describeTableKind } from '../explorer/catalogTree';
import type { IndexService } from '../index/indexService';

/**
 * Characters that open completion: `alias.` for columns, a quote for dbt's ref('…') and source('…'), a space after
 * JOIN or ON for the joins the workspace's evidence knows.
 */
export const COMPLETION_TRIGGERS = ['.', "'", '"', ' '];

const JOIN_OR_ON = /\b(join|on)\s$/i;
/** Where a relation is named: tables and CTEs come before columns there. */
const RELATION_POSITION = /\b(from|join|update|into)\s+[\w$."]*$/i;

/** Completion of schemas, tables and columns from the workspace catalog, and of dbt names inside ref() and source(). */
export class CatalogCompletionProvider implements vscode.CompletionItemProvider {
  /** `joinProposals`: every join proposal over the catalog (computed once per catalog by its owner). */
  constructor(private readonly index: IndexService, private readonly joinProposals: () => readonly JoinProposal[] = () => []) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, _token?: vscode.CancellationToken, context?: vscode.CompletionContext): vscode.CompletionItem[] {
    const catalog = this.index.catalogIndex;
    if (!catalog) return [];
    // a space opens completion after JOIN and ON only, and only with joins to offer
    const bySpace = context?.triggerCharacter === ' ';
    const lineBefore = document.lineAt(position.line).text.slice(0, position.character);
    if (bySpace && !JOIN_OR_ON.test(lineBefore)) return [];
    const text = document.getText();
    const offset = document.offsetAt(position);
    const joins = this.joinsAt(text, offset, this.index.isDbtModel(document.uri));
    // with them, the names a prefix typed next may be the start of (the list is filtered, not asked for again)
    if (bySpace && joins.length === 0) return [];
    const relationFirst = RELATION_POSITION.test(lineBefore);
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
    const items: vscode.CompletionItem[] = [...joins];
    for (const c of completionsAt(text, offset, catalog)) {
      let item: vscode.CompletionItem;
      if (c.kind === 'schema') {
        item = new vscode.CompletionItem(c.name, vscode.CompletionItemKind.Module);
        item.detail = 'schema';
      } else if (c.kind === 'table') {
        item = new vscode.CompletionItem({ label: c.table.name, description: c.table.schema }, vscode.CompletionItemKind.Class);
        item.detail = `${describeTableKind(c.table)} · ${columnCount(c.table)}`;
        item.sortText = `${relationFirst ? '0' : '1'}_${c.table.name}`;
        if (c.qualified) {
          // outside the default search path the bare name resolves to nothing: insert it with its schema
          item.insertText = qualifiedName(c.table.schema, c.table.name);
          item.filterText = c.table.name;
        }
      } else if (c.kind === 'cte') {
        item = new vscode.CompletionItem({ label: c.cte.name, description: 'CTE' }, vscode.CompletionItemKind.Class);
        item.detail = `CTE of this query · ${c.cte.columns.length}${c.cte.partial ? '+' : ''} column${c.cte.columns.length === 1 ? '' : 's'}`;
        item.sortText = `${relationFirst ? '0' : '1'}_${c.cte.name}`;
      } else if (c.kind === 'queryColumn') {
        const base = c.column.base;
        item = new vscode.CompletionItem({ label: c.column.name, description: c.of }, vscode.CompletionItemKind.Field);
        item.detail = base ? `${describeColumn(base.table, base.column)} · from ${base.table.name}` : `computed in ${c.of}`;
        item.sortText = `${relationFirst ? '2' : '0'}_${c.column.name}`;
      } else {
        item = new vscode.CompletionItem({ label: c.column.name, description: `${c.table.name}` }, vscode.CompletionItemKind.Field);
        item.detail = describeColumn(c.table, c.column);
        item.sortText = `${relationFirst ? '2' : '0'}_${c.column.name}`;
      }
      const key = `${item.kind}:${typeof item.label === 'string' ? item.label : `${item.label.label}/${item.label.description}`}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
    return items;
  }

  private joinsAt(text: string, offset: number, dbtModel: boolean): vscode.CompletionItem[] {
    const catalog = this.index.catalogIndex;
    if (!catalog) return [];
    try {
      const found = joinCompletionsAt(text, offset, catalog, this.joinProposals, { dbtModel });
      return (found ?? []).map((c, i) => joinItem(c, i));
    } catch {
      return []; // the other completions stand without them
    }
  }
}

const EVIDENCE_NAMES: Partial<Record<EvidenceKind, string>> = {
  'declared-fk': 'declared foreign key', 'dbt-relationships': 'dbt relationships test', 'dbt-semantic': 'dbt semantic entities',
  'orm-relationship': 'ORM relationship', 'query-join': 'joined in workspace queries', 'name-match': 'names match', model: 'language model',
};
const EVIDENCE_SHORT: Partial<Record<EvidenceKind, string>> = {
  'declared-fk': 'foreign key', 'dbt-relationships': 'dbt test', 'dbt-semantic': 'dbt entities', 'orm-relationship': 'ORM', 'query-join': 'queries',
};
const MAX_EVIDENCE_LINES = 8;

/** A join completion: the relation and its alias, its condition beside, the evidence behind it and whether it fans out. */
function joinItem(c: JoinCompletion, rank: number): vscode.CompletionItem {
  const p = c.proposal;
  const kinds = [...new Set(p.evidence.filter((e) => e.weight > 0).map((e) => e.kind))];
  const short = isWrittenDown(p) ? kinds.map((k) => EVIDENCE_SHORT[k]).filter(Boolean).join(', ') : 'names only';
  const label: vscode.CompletionItemLabel = c.kind === 'join' && c.relation
    ? { label: `${c.relation.name}${c.relation.alias ? ` ${c.relation.alias}` : ''}`, detail: ` on ${c.condition}`, description: c.viaCte ? `CTE · ${short}` : short }
    : { label: c.condition, description: short };
  const item = new vscode.CompletionItem(label, c.kind === 'join' ? vscode.CompletionItemKind.Reference : vscode.CompletionItemKind.Snippet);
  item.insertText = c.text;
  item.filterText = c.filterText;
  // before columns and tables, in the order the evidence ranks them
  item.sortText = `00_${String(rank).padStart(3, '0')}`;
  item.preselect = rank === 0;
  const fansOut = c.cardinality === 'one-to-many' || c.cardinality === 'many-to-many';
  item.detail = `${kinds.map((k) => EVIDENCE_NAMES[k]).filter(Boolean).join(', ') || 'join evidence'} · ${c.cardinality}${fansOut ? ': may multiply the rows' : ''}`;
  const doc = new vscode.MarkdownString();
  doc.appendMarkdown(`**${p.from.schema}.${p.from.table}** (${p.fromColumns.join(', ')}) → **${p.to.schema}.${p.to.table}** (${p.toColumns.join(', ')})  \n`);
  const shown = p.evidence.filter((x) => x.weight !== 0);
  for (const e of shown.slice(0, MAX_EVIDENCE_LINES)) {
    doc.appendMarkdown('- ');
    // the detail names its file and line already where it has one
    doc.appendText(e.file && !e.detail.includes(e.file) ? `${e.detail} (${e.file}${e.line ? `:${e.line}` : ''})` : e.detail);
    doc.appendMarkdown('\n');
  }
  // a join written at thousands of places keeps a few of them and counts the rest (CandidateSet)
  const more = Math.max(0, shown.length - MAX_EVIDENCE_LINES) + p.evidence.reduce((n, e) => n + unlistedCount(e), 0);
  if (more > 0) doc.appendMarkdown(`- …and ${more.toLocaleString('en-US')} more\n`);
  item.documentation = doc;
  return item;
}
