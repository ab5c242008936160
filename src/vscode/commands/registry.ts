import * as vscode from 'vscode';
import type { CommandId } from './ids';
import { describeError, type OutputLogger } from '../util/log';

export type CommandHandler = (...args: any[]) => unknown;

/** A failure the user can act on; the message is shown as is, with the given action buttons. */
export class UserFacingError extends Error {
  constructor(message: string, readonly actions: Array<'Open Settings' | 'Show Log'> = ['Show Log']) {
    super(message);
  }
}

/**
 * Registers every command through one place so that each failure reaches the user as a notification with an action,
 * never as an unhandled rejection in the extension host.
 */
export class CommandRegistry implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: OutputLogger) {}

  register(id: CommandId, handler: CommandHandler): void {
    this.disposables.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        if (err instanceof vscode.CancellationError) return undefined;
        this.log.error(`Command ${id} failed`, err);
        void this.report(err);
        return undefined;
      }
    }));
  }

  private async report(err: unknown): Promise<void> {
    const actions = err instanceof UserFacingError ? err.actions : ['Show Log' as const];
    const picked = await vscode.window.showErrorMessage(`Quarry: ${describeError(err)}`, ...actions);
    if (picked === 'Show Log') this.log.show();
    if (picked === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:quarrylabs.quarry');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
