/** `quarry erd <paths...> [--tables a,b] [--depth N] [--columns keys|all] [--min-score X] --format mermaid` */
import { renderMermaidErd } from '../../core/modeling/erd';
import { inferJoins, DEFAULT_MIN_SCORE } from '../../core/modeling/inferJoins';
import { loadEvidence, UsageError, type CommandIo, type JoinsCommandDeps } from './joins';
import type { CliCommand } from './registry';

const USAGE = 'erd <paths...> [--tables a,b] [--depth N] [--columns keys|all] [--min-score X] [--format mermaid]';

interface ErdArgs {
  paths: string[];
  tables?: string[];
  depth?: number;
  columns: 'keys' | 'all';
  minScore: number;
  format: 'mermaid' | 'svg';
}

function parseArgs(args: string[]): ErdArgs {
  const a: ErdArgs = { paths: [], columns: 'keys', minScore: DEFAULT_MIN_SCORE, format: 'mermaid' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--tables') a.tables = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--depth') {
      a.depth = Number(value());
      if (!Number.isInteger(a.depth) || a.depth < 0) throw new UsageError('--depth must be a whole number ≥ 0');
    } else if (arg === '--columns') {
      const c = value();
      if (c !== 'keys' && c !== 'all') throw new UsageError('--columns must be keys or all');
      a.columns = c;
    } else if (arg === '--min-score') {
      a.minScore = Number(value());
      if (!(a.minScore >= 0 && a.minScore <= 1)) throw new UsageError('--min-score must be between 0 and 1');
    }
    else if (arg === '--format') {
      const f = value();
      if (f !== 'mermaid' && f !== 'svg') throw new UsageError(`unknown format: ${f}`);
      a.format = f;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option: ${arg}`);
    else a.paths.push(arg);
  }
  if (!a.paths.length) throw new UsageError('missing <paths...>');
  return a;
}

export async function runErdCommand(args: string[], io: CommandIo, deps: Pick<JoinsCommandDeps, 'cwd'> = {}): Promise<number> {
  let a: ErdArgs;
  try {
    a = parseArgs(args);
  } catch (err) {
    io.err(`quarry erd: ${(err as Error).message}\nusage: quarry ${USAGE}\n`);
    return 2;
  }
  if (a.format === 'svg') {
    io.err('quarry erd: --format svg is not yet available in the CLI, use --format mermaid\n');
    return 2;
  }
  try {
    const evidence = await loadEvidence(a.paths, deps.cwd);
    if (a.tables) {
      const known = new Set(evidence.catalog.tables.flatMap((t) => [t.name.toLowerCase(), `${t.schema}.${t.name}`.toLowerCase()]));
      const unknown = a.tables.filter((t) => !known.has(t.toLowerCase()));
      if (unknown.length) {
        io.err(`quarry erd: unknown table(s): ${unknown.join(', ')}\n`);
        return 2;
      }
    }
    const proposals = inferJoins(evidence.catalog, { joins: evidence.joins, minScore: a.minScore });
    io.out(renderMermaidErd(evidence.catalog, proposals, { tables: a.tables, depth: a.depth, columns: a.columns }));
    return 0;
  } catch (err) {
    io.err(`quarry erd: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

export const erdCommand: CliCommand = {
  name: 'erd',
  usage: USAGE,
  summary: 'Mermaid ER diagram of declared and inferred relationships',
  run: (args, io) => runErdCommand(args, io),
};
