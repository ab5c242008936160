import type { CliIo } from '../io';
import { cliEngineFactory, joinsEngineFactory } from '../engines';
import { erdCommand } from './erd';
import { joinsCommand, runJoinsCommand } from './joins';
import { runIndexCommand } from './index';
import { queryCommand, runQueryCommand } from './query';

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  help?: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Every CLI command; each feature module adds its entry here. */
export const COMMANDS: CliCommand[] = [
  {
    name: 'index',
    usage: 'index <dir> [--format json|text] [--cache DIR]',
    summary: 'Index a folder (SQL, DDL, dbt, application code) and print catalog stats',
    run: (args, io) => runIndexCommand(args, io),
  },
  { ...queryCommand, usage: 'query "<sql>" [--connection NAME | --embedded DIR] [--format csv|json] [--out FILE]', run: (args, io) => runQueryCommand(args, io, { engineFactory: cliEngineFactory }) },
  { ...joinsCommand, run: (args, io) => runJoinsCommand(args, io, { engineFactory: joinsEngineFactory }) },
  erdCommand,
];
