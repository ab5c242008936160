import * as vscode from 'vscode';
import type { Evidence, JoinProposal } from '../../core/modeling/types';
import type { JoinService } from './joinService';

export type ProposalNode =
  | { type: 'proposal'; proposal: JoinProposal }
  | { type: 'evidence'; proposal: JoinProposal; evidence: Evidence }
  | { type: 'sql'; proposal: JoinProposal; which: 'join' | 'cardinality' }
  | { type: 'reading'; proposal: JoinProposal };

const EVIDENCE_ICONS: Record<Evidence['kind'], string> = {
  'declared-fk': 'key', 'query-join': 'references', 'dbt-relationships': 'beaker', 'dbt-semantic': 'symbol-namespace', 'orm-relationship': 'symbol-class', 'name-match': 'symbol-text',
  'type-check': 'symbol-type-parameter', 'target-key': 'symbol-key', data: 'graph', model: 'sparkle',
};

/** `orders.customer_id → customers.id`, or with schemas (`qualified`) where another proposal would read the same. */
export function proposalTitle(p: JoinProposal, qualified = false): string {
  const side = (r: JoinProposal['from'], columns: string[]) => `${qualified ? `${r.schema}.` : ''}${r.table}.${columns.join(', ')}`;
  return `${side(p.from, p.fromColumns)} → ${side(p.to, p.toColumns)}`;
}

/** Whether another proposal has the same unqualified title (the same tables and columns in other schemas). */
function titleIsShared(p: JoinProposal, all: readonly JoinProposal[]): boolean {
  const title = proposalTitle(p);
  return all.some((o) => o !== p && proposalTitle(o) === title);
}

/** The Join Proposals view: each proposal with its score, cardinality (and where it comes from) and its evidence. */
export class ProposalsProvider implements vscode.TreeDataProvider<ProposalNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly joins: JoinService, private readonly resolveFile: (file: string) => vscode.Uri | undefined) {
    this.sub = joins.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: ProposalNode): ProposalNode[] {
    if (!node) return this.joins.proposals.map((proposal) => ({ type: 'proposal', proposal }));
    if (node.type !== 'proposal') return [];
    const p = node.proposal;
    const out: ProposalNode[] = [];
    if (p.verification) out.push({ type: 'reading', proposal: p });
    // the measurement is also evidence (it moves the score); its reading node already shows it, with the engine
    const shown = (e: Evidence) => e.kind === 'data' && e.detail === p.verification?.reading;
    out.push(...p.evidence.filter((e) => !shown(e)).map((evidence) => ({ type: 'evidence' as const, proposal: p, evidence })));
    out.push({ type: 'sql', proposal: p, which: 'join' }, { type: 'sql', proposal: p, which: 'cardinality' });
    return out;
  }

  getTreeItem(node: ProposalNode): vscode.TreeItem {
    const p = node.proposal;
    switch (node.type) {
      case 'proposal': {
        const item = new vscode.TreeItem(proposalTitle(p, titleIsShared(p, this.joins.proposals)), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `quarry.proposal.${p.id}`;
        item.description = `${p.cardinality} (${p.cardinalitySource}) · ${p.score.toFixed(2)}${p.source === 'model-only' ? ' · model only' : ''}`;
        item.iconPath = new vscode.ThemeIcon(p.verification ? (p.verification.containment >= 0.99 ? 'pass' : 'warning') : 'git-merge');
        item.contextValue = 'quarry.proposal';
        item.tooltip = new vscode.MarkdownString(`**${proposalTitle(p, true)}**\n\n${p.evidence.map((e) => `- ${e.kind}: ${e.detail}`).join('\n')}`);
        return item;
      }
      case 'reading': {
        const item = new vscode.TreeItem(p.verification!.reading, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('graph');
        item.description = p.verification!.engine;
        item.tooltip = p.verification!.reading;
        return item;
      }
      case 'evidence': {
        const e = node.evidence;
        const item = new vscode.TreeItem(e.detail, vscode.TreeItemCollapsibleState.None);
        item.description = `${e.kind}${e.file ? ` · ${e.file}${e.line ? `:${e.line}` : ''}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(EVIDENCE_ICONS[e.kind] ?? 'info');
        const uri = e.file ? this.resolveFile(e.file) : undefined;
        if (uri) {
          const line = Math.max(0, (e.line ?? 1) - 1);
          item.command = { command: 'vscode.open', title: 'Open evidence', arguments: [uri, { selection: new vscode.Range(line, 0, line, 0) }] };
        }
        return item;
      }
      case 'sql': {
        const join = node.which === 'join';
        const item = new vscode.TreeItem(join ? 'JOIN SQL' : 'Cardinality test SQL', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(join ? 'code' : 'beaker');
        item.description = join ? 'insert at the cursor' : 'open as a SQL document';
        item.command = join
          ? { command: 'quarry.insertJoinSql', title: 'Insert Join SQL', arguments: [node] }
          : { command: 'quarry.openCardinalitySql', title: 'Open Cardinality Test SQL', arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
