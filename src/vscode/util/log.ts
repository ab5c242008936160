import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';

/** The "Quarry" output channel as a core Logger. Never log credentials, tokens or query parameters' values. */
export class OutputLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Quarry', { log: true });
  }

  info(message: string): void { this.channel.info(message); }
  warn(message: string): void { this.channel.warn(message); }
  debug(message: string): void { this.channel.debug(message); }
  error(message: string, err?: unknown): void {
    this.channel.error(err === undefined ? message : `${message}: ${describeError(err)}`);
  }
  show(): void { this.channel.show(true); }
  dispose(): void { this.channel.dispose(); }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack && process.env.QUARRY_DEBUG ? err.stack : err.message;
  return String(err);
}
