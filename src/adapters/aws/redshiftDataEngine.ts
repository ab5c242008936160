/**
 * QueryEngine over the Amazon Redshift Data API: submit, poll DescribeStatement with backoff, cancel on the server,
 * page results with GetStatementResult, list the catalog. Throttling / ActiveStatementsExceeded are retried with
 * jittered backoff; a dropped connection during a page fetch is retried from the same NextToken; expired
 * credentials become AuthExpiredError.
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

  constructor(
    readonly connection: RedshiftConnectionProfile,
    private readonly options: RedshiftDataEngineOptions = {},
  ) {
    this.label = `Redshift: ${connection.name}`;
    this.target = dataApiTarget(connection);
    this.sleep = options.sleep ?? realSleep;
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

  /** Submits without waiting; returns the statement id. A ClientToken makes network retries safe. */
  async submit(sql: string | string[], options: Pick<ExecuteOptions, 'parameters' | 'signal'> = {}): Promise<string> {
    const clientToken = randomUUID();
    const parameters = options.parameters?.length ? options.parameters : undefined;
    const out = await this.call(
      () =>
        Array.isArray(sql)
          ? this.client.send(new BatchExecuteStatementCommand({ ...this.target, Sqls: sql, Parameters: parameters, ClientToken: clientToken }))
          : this.client.send(new ExecuteStatementCommand({ ...this.target, Sql: sql, Parameters: parameters, ClientToken: clientToken })),
      { idempotent: true, signal: options.signal },
    );
    if (!out.Id) throw new Error('Redshift Data API returned no statement id');
    return out.Id;
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

  /** The service's own recent statements (ListStatements, all statuses), newest first, for the query history. */
  async recentStatements(max = 50, signal?: CancellationSignal): Promise<ServiceStatement[]> {
    const out = await this.call(
      () => this.client.send(new ListStatementsCommand({ Status: 'ALL', MaxResults: Math.min(100, max) })),
      { idempotent: true, signal },
    );
    return (out.Statements ?? []).map((s) => ({
      id: s.Id ?? '',
      sql: s.QueryString ?? (s.QueryStrings ?? []).join(';\n'),
      status: s.Status ?? 'UNKNOWN',
      createdAt: s.CreatedAt?.getTime(),
      updatedAt: s.UpdatedAt?.getTime(),
    }));
  }

  async listSchemas(signal?: CancellationSignal): Promise<string[]> {
    const schemas: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.call(
        () => this.client.send(new ListSchemasCommand({ ...this.target, NextToken: token, MaxResults: 1000 })),
        { idempotent: true, signal },
      );
      schemas.push(...(out.Schemas ?? []));
      token = out.NextToken;
    } while (token && !signal?.aborted);
    return schemas;
  }

  async listTables(schema: string, signal?: CancellationSignal): Promise<EngineCatalogTable[]> {
    const tables: EngineCatalogTable[] = [];
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
      token = out.NextToken;
    } while (token && !signal?.aborted);
    return tables;
  }

  async describeTable(schema: string, table: string, signal?: CancellationSignal): Promise<ResultColumn[]> {
    const columns: ResultColumn[] = [];
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
      token = out.NextToken;
    } while (token && !signal?.aborted);
    return columns;
  }

  async dispose(): Promise<void> {
    this.ownsFactory?.dispose();
  }
}
