import { processIo, type CliIo } from './io';
import { COMMANDS } from './commands/registry';

declare const QUARRY_VERSION: string;

const USAGE = `quarry — understand warehouse schemas, SQL, dbt projects and application code from a terminal

Usage:
  quarry <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.usage.padEnd(62)} ${c.summary}`).join('\n')}

Options:
  -h, --help      Show this help (or a command's help: quarry <command> --help)
  -v, --version   Print the version
`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  if (name === '-v' || name === '--version') {
    io.out(typeof QUARRY_VERSION === 'string' ? QUARRY_VERSION : 'dev');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`quarry: unknown command '${name}'. Run 'quarry --help' for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: quarry ${command.usage}\n\n${command.summary}\n${command.help ?? ''}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    io.err(`quarry ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`quarry: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
