import * as vscode from 'vscode';
import type { CatalogSnapshot, TableDef } from '../../core/catalog/model';
import { inferJoins } from '../../core/modeling/inferJoins';
import { lineagePairs } from '../../core/modeling/lineage';
import type { JoinProposal } from '../../core/modeling/types';
import { verifyProposals } from '../../core/modeling/verification';
import type { IndexService } from '../index/indexService';
import type { ConnectionService } from '../query/connectionService';
import type { OutputLogger } from '../util/log';

/** How long after a completion asked for them stale proposals are computed again (a burst of saves settles first). */
const REFRESH_DELAY_MS = 1500;
/** Past this many relations, proposals take seconds: completion does not wait for them, and they are recomputed seldom. */
const LARGE_CATALOG_TABLES = 3000;
const LARGE_REFRESH_DELAY_MS = 30_000;

export interface ProposalScope {
  /** Tables the user asked about; proposals touching any of them are kept. Empty = the whole catalog. */
  tables: TableDef[];
  label: string;
}

/** Join proposals for a scope of tables, from catalog and workspace evidence, and their data verification. */
export class JoinService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: JoinProposal[] = [];
  private scopeLabel = '';
  private computed: { of: object; proposals: JoinProposal[] } | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly index: IndexService, private readonly connections: ConnectionService, private readonly log: OutputLogger) {}

  get proposals(): readonly JoinProposal[] { return this.current; }
  get scope(): string { return this.scopeLabel; }

  /**
   * Every proposal over the whole catalog (for ERDs and join completion), not only the current scope. Computed once
   * per published catalog: at 10k tables it takes seconds.
   */
  allProposals(): JoinProposal[] {
    const catalog = this.index.catalog;
    const published = this.index.catalogIndex;
    if (!catalog || !published) return [];
    if (this.computed?.of !== published) this.computed = { of: published, proposals: this.inferAll(catalog) };
    return this.computed.proposals;
  }

  /**
   * Proposals for join completion, never computed on the keystroke that asks when that would take long: the current
   * ones; else (the catalog changed since) the last ones, while new ones are computed shortly after. A small catalog's
   * first use computes them at once (tens of ms); a large one's starts them and offers none this time, and its later
   * recomputes are spaced out (each blocks the extension host for seconds at 10k tables).
   */
  proposalsForCompletion(): readonly JoinProposal[] {
    const published = this.index.catalogIndex;
    if (!published) return [];
    if (this.computed?.of === published) return this.computed.proposals;
    const large = (this.index.catalog?.tables.length ?? 0) > LARGE_CATALOG_TABLES;
    if (!this.computed && !large) return this.allProposals();
    this.refreshSoon(!this.computed ? 0 : large ? LARGE_REFRESH_DELAY_MS : REFRESH_DELAY_MS);
    return this.computed?.proposals ?? [];
  }

  private refreshSoon(delayMs: number): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.allProposals();
    }, delayMs);
  }

  private inferAll(catalog: CatalogSnapshot): JoinProposal[] {
    const snapshots = this.index.snapshots().map((s) => s.snapshot);
    const lineage = lineagePairs(snapshots.flatMap((s) => s.facts), catalog);
    // inferJoins places unqualified sides itself, over the same merged catalog
    return inferJoins(catalog, { joins: snapshots.flatMap((s) => s.joins), lineage });
  }

  propose(scope: ProposalScope): JoinProposal[] {
    const started = Date.now();
    const all = this.allProposals();
    const keys = new Set(scope.tables.map((t) => `${t.schema}.${t.name}`.toLowerCase()));
    const touches = (p: JoinProposal) => keys.size === 0
      || keys.has(`${p.from.schema}.${p.from.table}`.toLowerCase()) || keys.has(`${p.to.schema}.${p.to.table}`.toLowerCase());
    this.current = all.filter(touches);
    this.scopeLabel = scope.label;
    this.log.info(`Join proposals for ${scope.label}: ${this.current.length} of ${all.length} in ${Date.now() - started} ms`);
    this.changed.fire();
    return this.current;
  }

  /** Runs the cardinality SQL of proposals on the active engine and replaces them with their verified versions. */
  async verify(proposals: readonly JoinProposal[], signal?: AbortSignal): Promise<{ verified: JoinProposal[]; errors: Array<{ id: string; error: string }> }> {
    const engine = await this.connections.engine();
    const { proposals: verified, errors } = await verifyProposals(engine, proposals, { signal });
    const byId = new Map(verified.map((p) => [p.id, p]));
    this.current = this.current.map((p) => byId.get(p.id) ?? p);
    this.changed.fire();
    for (const e of errors) this.log.warn(`Verification of ${e.id} failed: ${e.error}`);
    return { verified: verified.filter((p) => p.verification), errors };
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}
