import * as vscode from 'vscode';
import type { Evidence, EvidenceKind, JoinProposal } from '../../core/modeling/types';
import type { JoinService } from './joinService';
import {
  EVIDENCE_CHILDREN_PER_KIND, ProposalTitles, boundedEvidence, moreEvidenceLabel, morePagesLabel, pageOf, proposalTooltip,
} from './proposalsTree';

export type ProposalNode =
  | { type: 'proposal'; proposal: JoinProposal }
  | { type: 'evidence'; proposal: JoinProposal; evidence: Evidence }
  /** `…and 39,990 more query-join`: the evidence of a kind beyond the first ones listed. */
  | { type: 'moreEvidence'; proposal: JoinProposal; kind: EvidenceKind; count: number }
  | { type: 'sql'; proposal: JoinProposal; which: 'join' | 'cardinality' }
  | { type: 'reading'; proposal: JoinProposal }
  /** The next page of a long list of proposals, from `start`, as its children. */
  | { type: 'moreProposals'; start: number; rest: number };

const EVIDENCE_ICONS: Record<Evidence['kind'], string> = {
  'declared-fk': 'key', 'query-join': 'references', 'dbt-relationships': 'beaker', 'dbt-semantic': 'symbol-namespace', 'orm-relationship': 'symbol-class', 'name-match': 'symbol-text',
  'type-check': 'symbol-type-parameter', 'target-key': 'symbol-key', data: 'graph', model: 'sparkle',
};

/** The Join Proposals view: each proposal with its score, cardinality (and where it comes from) and its evidence. */
export class ProposalsProvider implements vscode.TreeDataProvider<ProposalNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly joins: JoinService, private readonly resolveFile: (file: string) => vscode.Uri | undefined) {
    this.sub = joins.onDidChange(() => this.changed.fire());
  }

  private titles: ProposalTitles | undefined;

  /** The labels of the current list, counted once per list (a new list comes with each change). */
  private titlesOf(list: readonly JoinProposal[]): ProposalTitles {
    if (this.titles?.list !== list) this.titles = new ProposalTitles(list);
    return this.titles;
  }

  getChildren(node?: ProposalNode): ProposalNode[] {
    if (!node || node.type === 'moreProposals') {
      const start = node?.start ?? 0;
      const { items, rest } = pageOf(this.joins.proposals, start);
      const out: ProposalNode[] = items.map((proposal) => ({ type: 'proposal', proposal }));
      if (rest > 0) out.push({ type: 'moreProposals', start: start + items.length, rest });
      return out;
    }
    if (node.type !== 'proposal') return [];
    const p = node.proposal;
    const out: ProposalNode[] = [];
    if (p.verification) out.push({ type: 'reading', proposal: p });
    // the measurement is also evidence (it moves the score); its reading node already shows it, with the engine
    const shown = (e: Evidence) => e.kind === 'data' && e.detail === p.verification?.reading;
    for (const x of boundedEvidence(p.evidence, EVIDENCE_CHILDREN_PER_KIND, shown)) {
      out.push(x.type === 'evidence' ? { type: 'evidence', proposal: p, evidence: x.evidence } : { type: 'moreEvidence', proposal: p, kind: x.kind, count: x.count });
    }
    out.push({ type: 'sql', proposal: p, which: 'join' }, { type: 'sql', proposal: p, which: 'cardinality' });
    return out;
  }

  getTreeItem(node: ProposalNode): vscode.TreeItem {
    if (node.type === 'moreProposals') {
      const item = new vscode.TreeItem(morePagesLabel(node.rest), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `quarry.proposals.more.${node.start}`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.tooltip = 'Proposals are listed strongest first; run Propose Joins on a table or a file to narrow the list.';
      return item;
    }
    const p = node.proposal;
    switch (node.type) {
      case 'proposal': {
        const item = new vscode.TreeItem(this.titlesOf(this.joins.proposals).label(p), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `quarry.proposal.${p.id}`;
        item.description = `${p.cardinality} (${p.cardinalitySource}) · ${p.score.toFixed(2)}${p.source === 'model-only' ? ' · model only' : ''}`;
        item.iconPath = new vscode.ThemeIcon(p.verification ? (p.verification.containment >= 0.99 ? 'pass' : 'warning') : 'git-merge');
        item.contextValue = 'quarry.proposal';
        item.tooltip = new vscode.MarkdownString(proposalTooltip(p));
        return item;
      }
      case 'moreEvidence': {
        const item = new vscode.TreeItem(moreEvidenceLabel(node.kind, node.count), vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.tooltip = 'Further evidence of this kind: counted, not listed';
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
