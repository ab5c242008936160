import type { CliIo } from '../io';

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  help?: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Every CLI command; each feature module adds its entry here. */
export const COMMANDS: CliCommand[] = [];
