/**
 * The Data API session of one connection (engine), as a state machine with no network: which way the next statement
 * goes, and what its answer teaches. The engine sends; this decides.
 *
 * A session runs one statement at a time. A statement started while it is busy (or while the statement that opens it
 * is still being submitted) goes WITHOUT the session, on a fresh connection of its own, rather than waiting in a
 * queue: a queue would hold the schema explorer's SHOW TABLE, a preview or a second result tab behind a long query
 * with nothing to show for it, and a statement the user starts while another runs cannot rely on running after it.
 */
import { isTerminalStatus } from './backoff';

/** How one statement is sent. */
export type SessionRoute =
  /** With the connection's target and SessionKeepAliveSeconds: its answer names the new session. */
  | { kind: 'open'; keepAliveSeconds: number; generation: number }
  /** With SessionId only (no ClusterIdentifier / WorkgroupName / Database / DbUser / SecretArn). */
  | { kind: 'join'; sessionId: string; generation: number }
  /** With the connection's target and no session: a connection of its own, like before sessions existed. */
  | { kind: 'fresh' };

/** What to do after a submit failed. */
export type SubmitFailure = 'resend-fresh' | 'resend' | 'throw';

type State =
  | { kind: 'none' }
  | { kind: 'opening' }
  | { kind: 'idle'; id: string }
  | { kind: 'busy'; id: string; statementId?: string };

function errorName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? '';
}

function errorMessage(err: unknown): string {
  return (err as { message?: string } | undefined)?.message ?? '';
}

/**
 * The service no longer knows the session (expired, closed, never existed), judged on a statement sent with SessionId
 * alone: a ResourceNotFoundException (the stand-in's answer; the session is the only resource such a call names), or
 * a ValidationException that names the session. A statement refused for itself (too long, bad parameters) does not
 * cost the session.
 */
export function isSessionGone(err: unknown): boolean {
  const name = errorName(err);
  const message = errorMessage(err);
  if (isSessionBusyMessage(message)) return false;
  return name === 'ResourceNotFoundException' || (name === 'ValidationException' && /session/i.test(message));
}

function isSessionBusyMessage(message: string): boolean {
  return /session/i.test(message) && /busy|another (statement|query)|in use/i.test(message);
}

/** The service says the session is still running a statement (we thought it free). */
export function isSessionBusy(err: unknown): boolean {
  const name = errorName(err);
  return (name === 'ValidationException' || name === 'ResourceNotFoundException') && isSessionBusyMessage(errorMessage(err));
}

export class DataApiSession {
  private state: State = { kind: 'none' };
  /** Bumped by drop(): answers to statements routed before it no longer touch the state. */
  private generation = 0;
  private closed = false;

  /** `keepAliveSeconds` 0: sessions off, every statement goes fresh. */
  constructor(readonly keepAliveSeconds: number) {}

  get enabled(): boolean {
    return this.keepAliveSeconds > 0;
  }

  /** The session id while there is one (tests, logs). */
  get sessionId(): string | undefined {
    return this.state.kind === 'idle' || this.state.kind === 'busy' ? this.state.id : undefined;
  }

  /** The statement the session runs, when it is busy with a known one. */
  get busyWith(): string | undefined {
    return this.state.kind === 'busy' ? this.state.statementId : undefined;
  }

  /** Routes the next statement and marks the session taken by it. */
  route(): SessionRoute {
    if (!this.enabled || this.closed) return { kind: 'fresh' };
    switch (this.state.kind) {
      case 'none':
        this.state = { kind: 'opening' };
        return { kind: 'open', keepAliveSeconds: this.keepAliveSeconds, generation: this.generation };
      case 'idle': {
        const id = this.state.id;
        this.state = { kind: 'busy', id };
        return { kind: 'join', sessionId: id, generation: this.generation };
      }
      default:
        return { kind: 'fresh' };
    }
  }

  /** The submit succeeded: `sessionId` is the answer's SessionId. */
  submitted(route: SessionRoute, statementId: string, sessionId: string | undefined): void {
    if (route.kind === 'fresh' || route.generation !== this.generation) return;
    if (route.kind === 'open') {
      // No SessionId in the answer: the service opened none; the next statement asks again.
      this.state = sessionId ? { kind: 'busy', id: sessionId, statementId } : { kind: 'none' };
    } else if (this.state.kind === 'busy' && this.state.id === route.sessionId) {
      this.state = { kind: 'busy', id: route.sessionId, statementId };
    }
  }

  /**
   * The submit failed. 'resend': the session is gone and dropped, send the statement again (it opens a new one);
   * 'resend-fresh': send it again without the session; 'throw': the error is the statement's own.
   */
  submitFailed(route: SessionRoute, err: unknown): SubmitFailure {
    if (route.kind === 'fresh' || route.generation !== this.generation) return 'throw';
    if (route.kind === 'open') {
      this.state = { kind: 'none' };
      // The service refuses more sessions (500 per warehouse): this statement still runs, without one.
      return errorName(err) === 'ActiveSessionsExceededException' ? 'resend-fresh' : 'throw';
    }
    if (isSessionGone(err)) {
      this.drop();
      return 'resend';
    }
    // Still there: busy on the service's side (a statement we stopped waiting for), or a failure of this call.
    this.state = { kind: 'idle', id: route.sessionId };
    return isSessionBusy(err) ? 'resend-fresh' : 'throw';
  }

  /** A statement reached `status`; the session is free again when it was the one running there. */
  statementEnded(statementId: string, status: string | undefined): void {
    if (!isTerminalStatus(status)) return;
    if (this.state.kind === 'busy' && this.state.statementId === statementId) this.state = { kind: 'idle', id: this.state.id };
  }

  /** Forgets the session (the service no longer knows it); the next statement opens another. */
  drop(): void {
    this.state = { kind: 'none' };
    this.generation++;
  }

  /** Forgets the session for good (the engine is disposed): every later statement goes fresh. */
  close(): void {
    this.drop();
    this.closed = true;
  }
}
