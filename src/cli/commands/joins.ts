/**
 * `quarry joins <paths...> [--verify --connection NAME | --embedded DIR] [--min-score X] [--format json|text]`
 *
 * Paths are DDL/SQL files or folders; folders are indexed (DDL, queries, dbt models and YAML all become evidence).
 * `--verify` runs each proposal's cardinality SQL on an engine that the caller's `engineFactory` builds.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { buildCatalog } from '../../core/catalog/catalog';
import type { CatalogSnapshot } from '../../core/catalog/model';
import { lineagePairs } from '../../core/modeling/lineage';
import { inferJoins, DEFAULT_MIN_SCORE } from '../../core/modeling/inferJoins';
import type { JoinProposal } from '../../core/modeling/types';
import { verifyProposals } from '../../core/modeling/verification';
import type { QueryEngine } from '../../core/ports';
import { parseSql } from '../../core/sql/index';
import type { JoinPair } from '../../core/sql/types';
import { emptyFacts, type FileFacts } from '../../core/workspace/facts';
import { WorkspaceIndexer } from '../../core/workspace/indexer';
import type { CliCommand } from './registry';
import { resolveOrmEntities } from '../../core/workspace/ormEntities';

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Which engine to verify on; the composition root maps it to EmbeddedEngine / RedshiftDataEngine. */
export type JoinsEngineSpec = { kind: 'redshift'; connection?: string } | { kind: 'embedded'; dir: string };
export type JoinsEngineFactory = (spec: JoinsEngineSpec) => QueryEngine | Promise<QueryEngine>;

export interface JoinsCommandDeps {
  engineFactory?: JoinsEngineFactory;
  cwd?: string;
}

export interface WorkspaceEvidence {
  catalog: CatalogSnapshot;
  joins: JoinPair[];
  files: number;
  /** dbt model ↔ upstream pairs (passthrough columns are not joins). */
  lineage: Set<string>;
}

/** Loads DDL files and indexes folders into one catalog plus the joins seen in queries. */
export async function loadEvidence(paths: string[], cwd: string = process.cwd()): Promise<WorkspaceEvidence> {
  const facts: FileFacts[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const stat = await fsp.stat(abs).catch(() => undefined);
    if (!stat) throw new UsageError(`no such file or directory: ${p}`);
    if (stat.isDirectory()) {
      const indexer = new WorkspaceIndexer({ root: abs });
      try {
        const snap = await indexer.indexAll();
        facts.push(...snap.facts);
      } finally {
        await indexer.dispose();
      }
    } else {
      const rel = path.relative(cwd, abs).split(path.sep).join('/');
      const parsed = parseSql(await fsp.readFile(abs, 'utf8'), rel);
      facts.push({ ...emptyFacts(rel, 'sql'), ddl: parsed.ddl, tableRefs: parsed.queries.tables, joins: parsed.queries.joins, diagnostics: parsed.diagnostics });
    }
  }
  const catalog = buildCatalog(facts);
  const joins = resolveOrmEntities(facts.flatMap((f) => f.joins), facts.flatMap((f) => (f.entities ?? []).map((e) => ({ ...e, file: f.file }))));
  return { catalog, joins, files: facts.length, lineage: lineagePairs(facts, catalog) };
}

export class UsageError extends Error {}

interface JoinsArgs {
  paths: string[];
  verify: boolean;
  connection?: string;
  embedded?: string;
  format: 'json' | 'text';
  minScore: number;
  /** Only the best N proposals (before verifying them). */
  top?: number;
}

const USAGE = 'joins <paths...> [--verify --connection NAME|--embedded DIR] [--min-score X] [--top N] [--format json|text]';

function parseArgs(args: string[]): JoinsArgs {
  const a: JoinsArgs = { paths: [], verify: false, format: 'json', minScore: DEFAULT_MIN_SCORE };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--verify') a.verify = true;
    else if (arg === '--connection') a.connection = value();
    else if (arg === '--embedded') a.embedded = value();
    else if (arg === '--min-score') {
      a.minScore = Number(value());
      if (!(a.minScore >= 0 && a.minScore <= 1)) throw new UsageError('--min-score must be between 0 and 1');
    } else if (arg === '--top') {
      a.top = Number(value());
      if (!Number.isInteger(a.top) || a.top < 1) throw new UsageError('--top must be a positive whole number');
    } else if (arg === '--format') {
      const f = value();
      if (f !== 'json' && f !== 'text') throw new UsageError(`unknown format: ${f}`);
      a.format = f;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option: ${arg}`);
    else a.paths.push(arg);
  }
  if (!a.paths.length) throw new UsageError('missing <paths...>');
  if ((a.connection || a.embedded) && !a.verify) a.verify = true;
  if (a.connection && a.embedded) throw new UsageError('use either --connection or --embedded, not both');
  return a;
}

function side(t: { schema: string; table: string }, cols: string[]): string {
  return cols.length === 1 ? `${t.schema}.${t.table}.${cols[0]}` : `${t.schema}.${t.table}.(${cols.join(', ')})`;
}

/** The JSON shape printed by `--format json`. */
export function proposalToJson(p: JoinProposal): Record<string, unknown> {
  return {
    from: side(p.from, p.fromColumns),
    to: side(p.to, p.toColumns),
    cardinality: p.cardinality,
    cardinalitySource: p.cardinalitySource,
    score: p.score,
    source: p.source,
    evidence: p.evidence.map((e) => ({ kind: e.kind, detail: e.detail, ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}), ...(e.unlisted ? { unlisted: e.unlisted } : {}) })),
    joinSql: p.joinSql,
    cardinalitySql: p.cardinalitySql,
    ...(p.verification ? { verification: { containment: p.verification.containment, nullRate: p.verification.nullRate, targetUnique: p.verification.targetUnique, counts: p.verification.counts, reading: p.verification.reading } } : {}),
  };
}

/**
 * `{ "joins": [...] }` written a proposal at a time: a 10k-table warehouse gives 100+ MB of JSON, more than one string
 * should hold (V8 refuses strings past ~512 MB).
 */
function writeJson(proposals: readonly JoinProposal[], io: CommandIo): void {
  if (!proposals.length) {
    io.out('{\n  "joins": []\n}\n');
    return;
  }
  io.out('{\n  "joins": [\n');
  proposals.forEach((p, i) => io.out(`${JSON.stringify(proposalToJson(p), null, 2).replace(/^/gm, '    ')}${i < proposals.length - 1 ? ',' : ''}\n`));
  io.out('  ]\n}\n');
}

function writeText(proposals: readonly JoinProposal[], io: CommandIo): void {
  if (!proposals.length) {
    io.out('No joins proposed.\n');
    return;
  }
  for (const p of proposals) {
    const head = `${p.score.toFixed(2)}  ${side(p.from, p.fromColumns)} → ${side(p.to, p.toColumns)}  ${p.cardinality} (${p.cardinalitySource})`;
    const ev = p.evidence.filter((e) => e.kind !== 'type-check' || e.weight < 0).map((e) => `      - ${e.kind}: ${e.detail}${e.file ? ` [${e.file}${e.line ? `:${e.line}` : ''}]` : ''}`);
    io.out(`${[head, ...ev].join('\n')}\n`);
  }
}

export async function runJoinsCommand(args: string[], io: CommandIo, deps: JoinsCommandDeps = {}): Promise<number> {
  let a: JoinsArgs;
  try {
    a = parseArgs(args);
  } catch (err) {
    io.err(`quarry joins: ${(err as Error).message}\nusage: quarry ${USAGE}\n`);
    return 2;
  }
  let evidence: WorkspaceEvidence;
  try {
    evidence = await loadEvidence(a.paths, deps.cwd);
  } catch (err) {
    io.err(`quarry joins: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
  let proposals = inferJoins(evidence.catalog, { joins: evidence.joins, minScore: a.minScore, lineage: evidence.lineage });
  if (a.top !== undefined) proposals = proposals.slice(0, a.top); // best first
  if (a.verify) {
    if (!deps.engineFactory) {
      io.err('quarry joins: --verify needs a query engine, and this build provides none\n');
      return 2;
    }
    const spec: JoinsEngineSpec = a.embedded ? { kind: 'embedded', dir: path.resolve(deps.cwd ?? process.cwd(), a.embedded) } : { kind: 'redshift', connection: a.connection };
    const engine = await deps.engineFactory(spec);
    try {
      const result = await verifyProposals(engine, proposals);
      proposals = result.proposals;
      for (const e of result.errors) io.err(`quarry joins: could not verify ${e.id}: ${e.error}\n`);
    } finally {
      await engine.dispose();
    }
  }
  if (a.format === 'json') writeJson(proposals, io);
  else writeText(proposals, io);
  return 0;
}

export const joinsCommand: CliCommand = {
  name: 'joins',
  usage: USAGE,
  summary: 'Propose joins (with evidence, score and cardinality) from DDL, queries and dbt files',
  run: (args, io) => runJoinsCommand(args, io),
};
