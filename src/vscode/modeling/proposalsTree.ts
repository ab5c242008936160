/**
 * What the Join Proposals view and the proposal pickers show, without vscode: titles (qualified where two proposals
 * would read the same), pages of a long list, and the evidence of a proposal bounded per kind.
 */
import { unlistedCount } from '../../core/modeling/candidates';
import type { Evidence, EvidenceKind, JoinProposal } from '../../core/modeling/types';

/** Roots the view shows at first, and how many each “more” node adds. */
export const PROPOSALS_PAGE = 500;
/** Evidence children of a proposal listed per kind before a “…and N more” node. */
export const EVIDENCE_CHILDREN_PER_KIND = 20;
/** Evidence lines of a proposal's tooltip per kind before a “…and N more” line. */
export const EVIDENCE_TOOLTIP_PER_KIND = 5;
/** Proposals a picker lists (the strongest first). */
export const PICK_LIMIT = 500;

/** `orders.customer_id → customers.id`, or with schemas (`qualified`) where another proposal would read the same. */
export function proposalTitle(p: JoinProposal, qualified = false): string {
  const side = (r: JoinProposal['from'], columns: string[]) => `${qualified ? `${r.schema}.` : ''}${r.table}.${columns.join(', ')}`;
  return `${side(p.from, p.fromColumns)} → ${side(p.to, p.toColumns)}`;
}

/**
 * The labels of one list of proposals: each title is built once, and counted, when the list is given; a label is
 * the title, qualified with schemas where another proposal of the list has the same one (the same tables and columns
 * in other schemas).
 */
export class ProposalTitles {
  private readonly titles = new Map<JoinProposal, string>();
  private readonly counts = new Map<string, number>();

  constructor(readonly list: readonly JoinProposal[]) {
    for (const p of list) {
      const title = proposalTitle(p);
      this.titles.set(p, title);
      this.counts.set(title, (this.counts.get(title) ?? 0) + 1);
    }
  }

  isShared(p: JoinProposal): boolean {
    return (this.counts.get(this.titleOf(p)) ?? 0) > 1;
  }

  label(p: JoinProposal): string {
    return this.isShared(p) ? proposalTitle(p, true) : this.titleOf(p);
  }

  private titleOf(p: JoinProposal): string {
    return this.titles.get(p) ?? proposalTitle(p);
  }
}

/** One page of a list: the items from `start`, and how many follow it. */
export function pageOf<T>(items: readonly T[], start: number, size = PROPOSALS_PAGE): { items: readonly T[]; rest: number } {
  const page = items.slice(start, start + size);
  return { items: page, rest: Math.max(0, items.length - start - page.length) };
}

/** The label of the node that opens the next page: `Next 500 of 5,460 more proposals`. */
export function morePagesLabel(rest: number, size = PROPOSALS_PAGE): string {
  return `Next ${Math.min(size, rest).toLocaleString('en-US')} of ${rest.toLocaleString('en-US')} more proposal${rest === 1 ? '' : 's'}`;
}

/** A bounded view of a proposal's evidence, in its order: a “more” entry follows the last item shown of a kind. */
export type EvidenceEntry = { type: 'evidence'; evidence: Evidence } | { type: 'more'; kind: EvidenceKind; count: number };

/**
 * The first `perKind` items of each kind, each kind's hidden items counted in one “more” entry after its last item
 * shown (items only counted when the proposal was made, see CandidateSet.add, are counted there too). `skip` leaves
 * items out altogether (the measurement, which the view shows as its own node).
 */
export function boundedEvidence(evidence: readonly Evidence[], perKind: number, skip: (e: Evidence) => boolean = () => false): EvidenceEntry[] {
  const shown = new Map<EvidenceKind, number>();
  const hidden = new Map<EvidenceKind, number>();
  const out: EvidenceEntry[] = [];
  const lastOf = new Map<EvidenceKind, number>();
  for (const e of evidence) {
    if (skip(e)) continue;
    const unlisted = unlistedCount(e);
    const n = shown.get(e.kind) ?? 0;
    if (unlisted > 0 || n >= perKind) {
      hidden.set(e.kind, (hidden.get(e.kind) ?? 0) + (unlisted || 1));
      continue;
    }
    shown.set(e.kind, n + 1);
    out.push({ type: 'evidence', evidence: e });
    lastOf.set(e.kind, out.length - 1);
  }
  if (hidden.size === 0) return out;
  // each “more” entry goes after its kind's last item shown (at the end for a kind with none shown)
  const after = new Map<number, EvidenceEntry[]>();
  const atEnd: EvidenceEntry[] = [];
  for (const [kind, count] of hidden) {
    const entry: EvidenceEntry = { type: 'more', kind, count };
    const i = lastOf.get(kind);
    if (i === undefined) atEnd.push(entry);
    else after.set(i, [...(after.get(i) ?? []), entry]);
  }
  return [...out.flatMap((entry, i) => [entry, ...(after.get(i) ?? [])]), ...atEnd];
}

/** `…and 39,990 more query-join`. */
export function moreEvidenceLabel(kind: EvidenceKind, count: number): string {
  return `…and ${count.toLocaleString('en-US')} more ${kind}`;
}

/** The tooltip of a proposal: its qualified title and its evidence, a few lines per kind. */
export function proposalTooltip(p: JoinProposal): string {
  const lines = boundedEvidence(p.evidence, EVIDENCE_TOOLTIP_PER_KIND).map((x) =>
    x.type === 'evidence' ? `- ${x.evidence.kind}: ${x.evidence.detail}` : `- ${moreEvidenceLabel(x.kind, x.count)}`);
  return `**${proposalTitle(p, true)}**\n\n${lines.join('\n')}`;
}

/** The items of a proposal picker: the strongest `limit` proposals (labelled as in the view), and how many were left out. */
export function proposalPicks(list: readonly JoinProposal[], limit = PICK_LIMIT): { picks: Array<{ label: string; description: string; proposal: JoinProposal }>; hidden: number } {
  const strongest = list.length > limit ? [...list].sort((a, b) => b.score - a.score).slice(0, limit) : list;
  const titles = new ProposalTitles(strongest);
  return {
    picks: strongest.map((p) => ({ label: titles.label(p), description: `${p.cardinality} · ${p.score.toFixed(2)}`, proposal: p })),
    hidden: list.length - strongest.length,
  };
}
