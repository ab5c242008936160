/**
 * QueryEngine over the Amazon Redshift Data API: submit, poll DescribeStatement with backoff, cancel on the server,
 * page results with GetStatementResult, list the catalog. Statements of one engine (one connection) share a Data API
 * session (SessionKeepAliveSeconds / SessionId), so a transaction, a temp table or a SET lasts from one statement to
 * the next, as on one JDBC connection. Throttling / ActiveStatementsExceeded are retried with jittered backoff; a
 * dropped connection during a page fetch is retried from the same NextToken; expired credentials become
 * AuthExpiredError.
 */
import { randomUUID } from 'node:crypto';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListSchemasCommand,
  ListStatementsCommand,
  ListTablesCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { NextTokenGuard } from '../../core/paging';
import type {
  CancellationSignal,
  EngineCatalogTable,
  ExecuteOptions,
  Logger,
  QueryEngine,
  ResultColumn,
  ResultPage,
  StatementOutcome,
} from '../../core/ports';
import { mapAuthError } from './authErrors';
import { AwsClientFactory } from './clientFactory';
import { isNetworkError, isThrottle, type PollPolicy, type RetryPolicy } from './redshiftData/backoff';
import { dataApiTarget, type DataApiTarget, type RedshiftConnectionProfile } from './redshiftData/connectionProfile';
import { DataApiSession, type SessionRoute } from './redshiftData/dataApiSession';
import { toOutcome, toResultColumn, toRows } from './redshiftData/resultMapping';
import { pollToCompletion, realSleep, withRetry, type Sleep } from './redshiftData/statementPolling';

export interface RedshiftDataEngineOptions {
  /** Shared client cache (the extension keeps one). Default: a private factory. */
  clientFactory?: AwsClientFactory;
  /** Use this client instead of the factory's (tests). */
  client?: RedshiftDataClient;
  poll?: PollPolicy;
  retry?: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  logger?: Logger;
}

/** Seconds a connection's Data API session outlives its last statement, when the profile says nothing. */
export const DEFAULT_SESSION_KEEP_ALIVE_SECONDS = 900;

/** One entry of the Data API's ListStatements. */
export interface ServiceStatement {
  id: string;
  sql: string;
  status: string;
  createdAt?: number;
  updatedAt?: number;
}

export class StatementCancelledError extends Error {
  override readonly name = 'StatementCancelledError';
}

/** Escapes LIKE wildcards so a schema pattern matches one name. */
function likeExact(name: string): string {
  return name.replace(/[\\%_]/g, (c) => '\\' + c);
}

function tableType(type: string | undefined): EngineCatalogTable['type'] {
  if (type === 'TABLE' || type === 'VIEW' || type === 'EXTERNAL TABLE') return type;
  return 'OTHER';
}

export class RedshiftDataEngine implements QueryEngine {
  readonly label: string;
  readonly isLocal = false;
  private readonly client: RedshiftDataClient;
  private readonly target: DataApiTarget;
  private readonly sleep: Sleep;
  private readonly ownsFactory?: AwsClientFactory;
  /** The connection's Data API session: which statement goes with SessionId, which opens one, which goes without. */
  private readonly session: DataApiSession;

  constructor(
    readonly connection: RedshiftConnectionProfile,
    private readonly options: RedshiftDataEngineOptions = {},
  ) {
    this.label = `Redshift: ${connection.name}`;
    this.target = dataApiTarget(connection);
    this.sleep = options.sleep ?? realSleep;
    this.session = new DataApiSession(connection.sessionKeepAliveSeconds ?? DEFAULT_SESSION_KEEP_ALIVE_SECONDS);
    if (options.client) {
      this.client = options.client;
    } else {
      const factory = options.clientFactory ?? (this.ownsFactory = new AwsClientFactory());
      this.client = factory.redshiftData({ region: connection.region, profile: connection.profile, endpoint: connection.endpoint });
    }
  }

  /** Sends one command with throttle retries (and network retries when `idempotent`), mapping auth expiry. */
  private async call<T>(send: () => Promise<T>, opts: { idempotent: boolean; signal?: CancellationSignal }): Promise<T> {
    try {
      return await withRetry(send, {
        policy: this.options.retry,
        sleep: this.sleep,
        random: this.options.random,
        signal: opts.signal,
        retryable: (err) => isThrottle(err) || (opts.idempotent && isNetworkError(err)),
        onRetry: (err, attempt, delay) =>
          this.options.logger?.debug(`redshift-data retry ${attempt + 1} in ${delay} ms: ${(err as Error).name}`),
      });
    } catch (err) {
      throw mapAuthError(err, this.connection.profile);
    }
  }

  /** The Data API session's id while the connection holds one (tests, diagnostics). */
  get sessionId(): string | undefined {
    return this.session.sessionId;
  }

  /**
   * Submits without waiting; returns the statement id. The statement runs in the connection's session when it is
   * free (see DataApiSession for a busy one); a session the service no longer knows is dropped and the statement
   * sent once more, opening a new one. A ClientToken per request makes network retries safe.
   */
  async submit(sql: string | string[], options: Pick<ExecuteOptions, 'parameters' | 'signal'> = {}): Promise<string> {
    const route = await this.routeStatement(options.signal);
    try {
      return await this.submitOn(route, sql, options);
    } catch (err) {
      const next = this.session.submitFailed(route, err);
      if (next === 'throw' || options.signal?.aborted) throw err;
      this.logResend(next, err);
      const again: SessionRoute = next === 'resend' ? this.session.route() : { kind: 'fresh' };
      try {
        return await this.submitOn(again, sql, options);
      } catch (second) {
        this.session.submitFailed(again, second);
        throw second;
      }
    }
  }

  /** One submit along `route`; the session learns the answer. */
  private async submitOn(route: SessionRoute, sql: string | string[], options: Pick<ExecuteOptions, 'parameters' | 'signal'>): Promise<string> {
    const out = await this.send(sql, route, options);
    if (!out.Id) throw new Error('Redshift Data API returned no statement id');
    this.session.submitted(route, out.Id, out.SessionId);
    return out.Id;
  }

  private logResend(next: 'resend' | 'resend-fresh', err: unknown): void {
    const why = (err as Error).name;
    if (next === 'resend') {
      this.options.logger?.warn(
        `${this.label}: the Data API session has ended (${why}), and with it any open transaction, temp table or SET; ` +
          'running the statement in a new session',
      );
    } else {
      this.options.logger?.info(`${this.label}: no Data API session for this statement (${why}); it runs on a connection of its own`);
    }
  }

  /**
   * The route of the next statement. When the session looks busy with a statement nobody waited to the end (a
   * submit without waitFor, a poll that gave up), asks the service once whether that one has ended.
   */
  private async routeStatement(signal?: CancellationSignal): Promise<SessionRoute> {
    const route = this.session.route();
    const busyWith = this.session.busyWith;
    if (route.kind !== 'fresh' || !busyWith) return route;
    const d = await this.call(() => this.client.send(new DescribeStatementCommand({ Id: busyWith })), { idempotent: true, signal })
      .catch(() => undefined);
    this.session.statementEnded(busyWith, d?.Status);
    return this.session.route();
  }

  /** One ExecuteStatement / BatchExecuteStatement along `route`. */
  private send(sql: string | string[], route: SessionRoute, options: Pick<ExecuteOptions, 'parameters' | 'signal'>) {
    const input = { ...this.routeFields(route), Parameters: options.parameters?.length ? options.parameters : undefined, ClientToken: randomUUID() };
    return this.call(
      () =>
        Array.isArray(sql)
          ? this.client.send(new BatchExecuteStatementCommand({ ...input, Sqls: sql }))
          : this.client.send(new ExecuteStatementCommand({ ...input, Sql: sql })),
      { idempotent: true, signal: options.signal },
    );
  }

  /**
   * What names the connection: inside a session SessionId alone, since the session already carries the warehouse,
   * database and identity (the stand-in refuses them beside it, as the API does for ListSessions); else the target,
   * asking for a session when opening one.
   */
  private routeFields(route: SessionRoute): Partial<DataApiTarget> & { SessionId?: string; SessionKeepAliveSeconds?: number } {
    if (route.kind === 'join') return { SessionId: route.sessionId };
    if (route.kind === 'open') return { ...this.target, SessionKeepAliveSeconds: route.keepAliveSeconds };
    return { ...this.target };
  }

  /** Waits for a submitted statement; an aborting signal cancels it on the server and waits for ABORTED. */
  async waitFor(id: string, options: Pick<ExecuteOptions, 'signal' | 'onProgress'> = {}): Promise<StatementOutcome> {
    const d = await pollToCompletion(
      {
        describe: () => this.call(() => this.client.send(new DescribeStatementCommand({ Id: id })), { idempotent: true }),
        cancel: async () => {
          await this.cancel(id);
        },
        sleep: this.sleep,
        now: () => Date.now(),
      },
      { policy: this.options.poll, signal: options.signal, onProgress: options.onProgress },
    );
    this.session.statementEnded(id, d.Status);
    return toOutcome(d);
  }

  async execute(sql: string | string[], options: ExecuteOptions = {}): Promise<StatementOutcome> {
    if (options.signal?.aborted) throw new StatementCancelledError('Cancelled before the statement was submitted');
    const id = await this.submit(sql, options);
    return this.waitFor(id, options);
  }

  /** CancelStatement; true when the service accepted it (false when the statement had already ended). */
  async cancel(id: string): Promise<boolean> {
    try {
      const out = await this.call(() => this.client.send(new CancelStatementCommand({ Id: id })), { idempotent: true });
      return out.Status ?? false;
    } catch (err) {
      if ((err as { name?: string }).name === 'ValidationException') return false;
      throw err;
    }
  }

  async fetchPage(statementId: string, nextToken?: string, signal?: CancellationSignal): Promise<ResultPage> {
    if (signal?.aborted) throw new StatementCancelledError('Page fetch cancelled');
    const out = await this.call(
      () => this.client.send(new GetStatementResultCommand({ Id: statementId, NextToken: nextToken })),
      { idempotent: true, signal },
    );
    const page: ResultPage = {
      columns: (out.ColumnMetadata ?? []).map(toResultColumn),
      rows: toRows(out.Records),
    };
    if (out.NextToken) page.nextToken = out.NextToken;
    return page;
  }

  /**
   * The service's own recent statements on this connection, newest first, for the query history: ListStatements
   * narrowed to the connection's cluster or workgroup and database, and to the caller's current IAM session
   * (RoleLevel false), since everyone who shares the IAM role (an IAM Identity Center permission set: a whole team)
   * would otherwise see each other's SQL. Sorted here: the service does not promise an order.
   */
  async recentStatements(max = 50, signal?: CancellationSignal): Promise<ServiceStatement[]> {
    const out = await this.call(
      () => this.client.send(new ListStatementsCommand({ ...this.historyFilter(), Status: 'ALL', MaxResults: Math.min(100, max) })),
      { idempotent: true, signal },
    );
    return (out.Statements ?? [])
      .map((s) => ({
        id: s.Id ?? '',
        sql: s.QueryString ?? (s.QueryStrings ?? []).join(';\n'),
        status: s.Status ?? 'UNKNOWN',
        createdAt: s.CreatedAt?.getTime(),
        updatedAt: s.UpdatedAt?.getTime(),
      }))
      .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))
      .slice(0, max);
  }

  /** ListStatements filters for this connection (the service takes ClusterIdentifier or WorkgroupName, not both). */
  private historyFilter(): { ClusterIdentifier?: string; WorkgroupName?: string; Database: string; RoleLevel: boolean } {
    const where = this.target.WorkgroupName ? { WorkgroupName: this.target.WorkgroupName } : { ClusterIdentifier: this.target.ClusterIdentifier };
    return { ...where, Database: this.target.Database, RoleLevel: false };
  }

  async listSchemas(signal?: CancellationSignal): Promise<string[]> {
    const schemas: string[] = [];
    const pages = new NextTokenGuard('ListSchemas');
    let token: string | undefined;
    do {
      const out = await this.call(
        () => this.client.send(new ListSchemasCommand({ ...this.target, NextToken: token, MaxResults: 1000 })),
        { idempotent: true, signal },
      );
      schemas.push(...(out.Schemas ?? []));
      token = pages.next(out.NextToken);
    } while (token && !signal?.aborted);
    return schemas;
  }

  async listTables(schema: string, signal?: CancellationSignal): Promise<EngineCatalogTable[]> {
    const tables: EngineCatalogTable[] = [];
    const pages = new NextTokenGuard('ListTables');
    let token: string | undefined;
    do {
      const out = await this.call(
        () =>
          this.client.send(
            new ListTablesCommand({ ...this.target, SchemaPattern: likeExact(schema), NextToken: token, MaxResults: 1000 }),
          ),
        { idempotent: true, signal },
      );
      for (const t of out.Tables ?? []) {
        if (t.schema === schema && t.name) tables.push({ schema, name: t.name, type: tableType(t.type) });
      }
      token = pages.next(out.NextToken);
    } while (token && !signal?.aborted);
    return tables;
  }

  async describeTable(schema: string, table: string, signal?: CancellationSignal): Promise<ResultColumn[]> {
    const columns: ResultColumn[] = [];
    const pages = new NextTokenGuard('DescribeTable');
    let token: string | undefined;
    do {
      const out = await this.call(
        () =>
          this.client.send(
            new DescribeTableCommand({ ...this.target, Schema: schema, Table: table, NextToken: token, MaxResults: 1000 }),
          ),
        { idempotent: true, signal },
      );
      columns.push(...(out.ColumnList ?? []).map(toResultColumn));
      token = pages.next(out.NextToken);
    } while (token && !signal?.aborted);
    return columns;
  }

  /** Ends the engine's use of its session (a switched or changed connection disposes the engine): the service closes
   * it after its keep-alive; nothing run afterwards through this engine joins or opens one. */
  async dispose(): Promise<void> {
    this.session.close();
    this.ownsFactory?.dispose();
  }
}
