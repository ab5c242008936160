/**
 * Local stand-in for the Amazon Redshift Data API: awsJson1_1 over HTTP/1.1 on 127.0.0.1, executing on a real
 * PostgreSQL with the service's asynchronous statement model. Sessions (SessionKeepAliveSeconds / SessionId) hold one
 * PostgreSQL connection, run one statement at a time and close after their keep-alive. The caller is the access key
 * of the request's SigV4 signature (ListStatements RoleLevel false). Admin endpoints (not part of the AWS API):
 *   POST   /__admin/faults   body: FaultRule | FaultRule[]   arm faults
 *   DELETE /__admin/faults                                   clear faults
 *   GET    /__admin/calls                                    { "<Operation>": count }
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import pg from 'pg';
import { describeTable, listDatabases, listSchemas, listTables } from './catalogOps';
import { FaultInjector, type FaultRule } from './faults';
import { ERROR_STATUS, ServiceError, notFound, validation } from './serviceError';
import {
  isTerminal,
  newRecord,
  runBatch,
  runStatement,
  startCancelling,
  type RunnerContext,
  type Session,
  type SqlParameter,
  type StatementRecord,
} from './statementRunner';
import { columnMetadata, encodeCsv, encodeRecords, type PgField } from './wireTypes';

export interface RedshiftDataEmulatorOptions {
  /** PostgreSQL to execute on; its database answers for every `Database` unless another of that name exists. */
  connectionString: string;
  port?: number;
  /** Rows per GetStatementResult page (the real service chooses by size; small pages exercise client loops). */
  pageRows?: number;
  /** Finished results kept open (each holds a PostgreSQL connection); older ones are released. */
  maxHeldResults?: number;
  /** Running statements allowed before ActiveStatementsExceededException. */
  maxActiveStatements?: number;
  /** Delay before a statement leaves SUBMITTED, so clients can observe it. */
  pickDelayMs?: number;
  /** Most items per ListSchemas / ListTables / DescribeTable page, whatever MaxResults asks (small: exercise loops). */
  catalogPageRows?: number;
  /** Order of ListStatements (the service promises none): newest first (default) or oldest first. */
  listStatementsOrder?: 'newest-first' | 'oldest-first';
  faults?: FaultRule[];
}

export interface RedshiftDataEmulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  statement(id: string): StatementRecord | undefined;
  /** Closes every session now, as their keep-alive would (their ids are then unknown to the service). */
  expireSessions(): Promise<void>;
  close(): Promise<void>;
}

type Input = Record<string, unknown>;

const RAW_TYPES = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;
const UUID_RE = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$/;

const epoch = (ms: number): number => ms / 1000;

function dbUrl(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

function str(input: Input, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validation(`${key} must be a string.`);
  return v;
}

const TARGET_MEMBERS = ['ClusterIdentifier', 'WorkgroupName', 'Database', 'DbUser', 'SecretArn'] as const;

/**
 * The real service wants exactly one of ClusterIdentifier / WorkgroupName, plus Database, unless SessionId is given.
 * With SessionId the session names the warehouse, database and identity: the target members are refused beside it
 * (the API reference says so for ListSessions; strict here so a client that mixes them is caught).
 */
function validateTarget(input: Input, opts: { databaseRequired: boolean }): void {
  if (str(input, 'SessionId')) {
    const mixed = TARGET_MEMBERS.filter((m) => input[m] !== undefined);
    if (mixed.length) throw validation(`SessionId cannot be specified together with ${mixed.join(', ')}.`);
    return;
  }
  const cluster = str(input, 'ClusterIdentifier');
  const workgroup = str(input, 'WorkgroupName');
  if (!!cluster === !!workgroup) {
    throw validation('Either ClusterIdentifier or WorkgroupName must be specified, but not both.');
  }
  if (cluster !== undefined && (cluster.length < 1 || cluster.length > 63)) {
    throw validation('ClusterIdentifier must have length between 1 and 63.');
  }
  if (workgroup !== undefined && (workgroup.length < 3 || workgroup.length > 128)) {
    throw validation('WorkgroupName must have length between 3 and 128.');
  }
  if (str(input, 'DbUser') && str(input, 'SecretArn')) {
    throw validation('DbUser and SecretArn cannot both be specified.');
  }
  if (workgroup && str(input, 'DbUser')) {
    throw validation('DbUser is not supported with WorkgroupName; use SecretArn or IAM credentials.');
  }
  if (opts.databaseRequired && !str(input, 'Database') && !str(input, 'SecretArn')) {
    throw validation('Database must be specified.');
  }
}

function validateParameters(input: Input): SqlParameter[] | undefined {
  const params = input.Parameters;
  if (params === undefined) return undefined;
  if (!Array.isArray(params) || params.length === 0) throw validation('Parameters must contain at least 1 item.');
  return params.map((p: { name?: unknown; value?: unknown }) => {
    if (typeof p?.name !== 'string' || !/^[0-9a-zA-Z_]+$/.test(p.name)) {
      throw validation("Parameter name must satisfy regex pattern: ^[0-9a-zA-Z_]+$");
    }
    if (typeof p.value !== 'string' || p.value.length < 1) {
      throw validation(`Value of parameter ${p.name} must have length greater than or equal to 1.`);
    }
    return { name: p.name, value: p.value };
  });
}

function checkSql(sql: unknown): string {
  if (typeof sql !== 'string' || sql.trim() === '') throw validation('Sql must be specified.');
  if (Buffer.byteLength(sql) > 100 * 1024) throw validation('Cannot process query string larger than 100kB');
  return sql;
}

function resultToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: id, o: offset })).toString('base64url');
}

function resultOffset(id: string, token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const t = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { s?: string; o?: number };
    if (t.s === id && Number.isInteger(t.o) && (t.o as number) >= 0) return t.o as number;
  } catch {
    // fall through
  }
  throw validation('Invalid NextToken.');
}

export async function startRedshiftDataEmulator(options: RedshiftDataEmulatorOptions): Promise<RedshiftDataEmulator> {
  const pageRows = options.pageRows ?? 1000;
  const catalogPageRows = options.catalogPageRows ?? 1000;
  const maxHeld = options.maxHeldResults ?? 64;
  const maxActive = options.maxActiveStatements ?? 200;
  const defaultDb = decodeURIComponent(new URL(options.connectionString).pathname.slice(1)) || 'postgres';
  const faults = new FaultInjector();
  for (const f of options.faults ?? []) faults.add(f);

  const statements = new Map<string, StatementRecord>();
  const order: StatementRecord[] = [];
  const clientTokens = new Map<string, string>();
  const sessions = new Map<string, Session>();
  const held: StatementRecord[] = [];
  const pools = new Map<string, pg.Pool>();
  const typeNames = new Map<number, string>();
  const tableNames = new Map<number, { schema: string; table: string }>();
  const running = new Set<Promise<void>>();

  const pool = (database: string): pg.Pool => {
    let p = pools.get(database);
    if (!p) {
      p = new pg.Pool({ connectionString: dbUrl(options.connectionString, database), max: 4 });
      p.on('error', () => undefined);
      pools.set(database, p);
    }
    return p;
  };
  const adminPool = pool(defaultDb);

  const ctx: RunnerContext = {
    connect: async (database) => {
      const client = new pg.Client({ connectionString: dbUrl(options.connectionString, database), types: RAW_TYPES });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    holdResult: (st) => {
      held.push(st);
      while (held.length > maxHeld) {
        const old = held.shift()!;
        old.resultEvicted = true;
        void old.result?.release();
        old.result = undefined;
      }
    },
    cancelBackend: async (pid) => {
      await adminPool.query('SELECT pg_cancel_backend($1)', [pid]);
    },
  };

  const activeCount = (): number => {
    let n = 0;
    for (const st of statements.values()) if (!isTerminal(st.status)) n++;
    return n;
  };

  const launch = (work: () => Promise<void>): void => {
    const p = new Promise<void>((resolve) => setTimeout(resolve, options.pickDelayMs ?? 0)).then(work);
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  const find = (id: unknown): { st: StatementRecord; parent?: StatementRecord } => {
    if (typeof id !== 'string' || !UUID_RE.test(id)) {
      throw validation('id must satisfy regex pattern: ^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\\d+)?$');
    }
    const [base, sub] = id.split(':');
    const st = statements.get(base);
    if (!st) throw notFound(`Query does not exist.`, id);
    if (sub === undefined) return { st };
    const child = st.subStatements?.[Number(sub) - 1];
    if (!child) throw notFound(`Query does not exist.`, id);
    return { st: child, parent: st };
  };

  const useSession = (input: Input, st: StatementRecord): Session | undefined => {
    const sessionId = str(input, 'SessionId');
    if (sessionId) {
      const s = sessions.get(sessionId);
      if (!s) throw notFound(`Session ${sessionId} does not exist or has expired.`, sessionId);
      if (s.busy) throw validation(`Session ${sessionId} is busy running another statement.`);
      s.busy = true;
      st.database = s.database;
      st.clusterIdentifier = s.clusterIdentifier;
      st.workgroupName = s.workgroupName;
      st.dbUser = s.dbUser;
      st.secretArn = s.secretArn;
      st.sessionId = s.id;
      for (const sub of st.subStatements ?? []) Object.assign(sub, { database: s.database, sessionId: s.id });
      return s;
    }
    return undefined;
  };

  /** Opens a session for SessionKeepAliveSeconds > 0, on the statement's warehouse; its idle timer closes it. */
  const openSession = async (st: StatementRecord, seconds: number): Promise<Session> => {
    const client = await ctx.connect(st.database);
    const s: Session = {
      id: randomUUID(),
      client,
      database: st.database,
      clusterIdentifier: st.clusterIdentifier,
      workgroupName: st.workgroupName,
      dbUser: st.dbUser,
      secretArn: st.secretArn,
      busy: true,
      keepAliveSeconds: seconds,
    };
    sessions.set(s.id, s);
    return s;
  };

  const closeSession = async (s: Session): Promise<void> => {
    if (s.timer) clearTimeout(s.timer);
    sessions.delete(s.id);
    await s.client.end().catch(() => undefined);
  };

  const armSessionTimer = (s: Session): void => {
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => void closeSession(s), s.keepAliveSeconds * 1000);
    s.timer.unref();
  };

  const submit = async (
    input: Input,
    st: StatementRecord,
    caller: string | undefined,
    work: (session?: Session) => Promise<void>,
  ): Promise<object> => {
    if (activeCount() >= maxActive) {
      throw new ServiceError('ActiveStatementsExceededException', 400, `Active statements exceeded the allowed quota (${maxActive}).`);
    }
    const token = str(input, 'ClientToken');
    if (token && clientTokens.has(token)) {
      const prior = statements.get(clientTokens.get(token)!)!;
      return executeOutput(prior);
    }
    const keepAlive = input.SessionKeepAliveSeconds;
    if (keepAlive !== undefined && (typeof keepAlive !== 'number' || keepAlive < 0 || keepAlive > 86400)) {
      throw validation('SessionKeepAliveSeconds must be between 0 and 86400.');
    }
    let session = useSession(input, st);
    if (!session && typeof keepAlive === 'number' && keepAlive > 0) {
      session = await openSession(st, keepAlive);
      st.sessionId = session.id;
    } else if (session && typeof keepAlive === 'number') {
      session.keepAliveSeconds = keepAlive;
    }
    st.caller = caller;
    statements.set(st.id, st);
    order.push(st);
    if (token) clientTokens.set(token, st.id);
    const s = session;
    launch(async () => {
      if (s?.timer) clearTimeout(s.timer);
      await work(s);
      if (s) {
        if (s.keepAliveSeconds > 0) armSessionTimer(s);
        else await closeSession(s);
      }
    });
    return executeOutput(st);
  };

  const executeOutput = (st: StatementRecord): object => ({
    Id: st.id,
    CreatedAt: epoch(st.createdAt),
    ClusterIdentifier: st.clusterIdentifier,
    WorkgroupName: st.workgroupName,
    Database: st.database,
    DbUser: st.dbUser,
    SecretArn: st.secretArn,
    SessionId: st.sessionId,
  });

  const targetFields = (input: Input): Partial<StatementRecord> & { database: string } => ({
    database: str(input, 'Database') ?? defaultDb,
    clusterIdentifier: str(input, 'ClusterIdentifier'),
    workgroupName: str(input, 'WorkgroupName'),
    dbUser: str(input, 'DbUser'),
    secretArn: str(input, 'SecretArn'),
    statementName: str(input, 'StatementName'),
    resultFormat: input.ResultFormat === 'CSV' ? 'CSV' : 'JSON',
  });

  const describeOne = (st: StatementRecord): Record<string, unknown> => ({
    Id: st.id,
    Status: st.status,
    Error: st.status === 'FAILED' ? st.error : undefined,
    CreatedAt: epoch(st.createdAt),
    UpdatedAt: epoch(st.updatedAt),
    Duration: st.durationNs,
    HasResultSet: st.hasResultSet,
    QueryString: st.queryString,
    ResultRows: isTerminal(st.status) ? st.resultRows : -1,
    ResultSize: -1,
    RedshiftPid: st.redshiftPid,
    RedshiftQueryId: st.redshiftQueryId,
  });

  const ops: Record<string, (input: Input, caller?: string) => Promise<object>> = {
    ExecuteStatement: async (input, caller) => {
      const sql = checkSql(input.Sql);
      validateTarget(input, { databaseRequired: true });
      const parameters = validateParameters(input);
      const st = newRecord({ queryString: sql, parameters, ...targetFields(input) });
      return submit(input, st, caller, (session) => runStatement(st, ctx, session));
    },
    BatchExecuteStatement: async (input, caller) => {
      const sqls = input.Sqls;
      if (!Array.isArray(sqls) || sqls.length < 1 || sqls.length > 40) {
        throw validation('Sqls must contain between 1 and 40 items.');
      }
      sqls.forEach(checkSql);
      validateTarget(input, { databaseRequired: true });
      const parameters = validateParameters(input);
      const fields = targetFields(input);
      const batch = newRecord({ queryString: (sqls as string[]).join('; '), parameters, ...fields });
      batch.executionMode = input.ExecutionMode === 'AUTO_COMMIT' ? 'AUTO_COMMIT' : 'TRANSACTION';
      batch.subStatements = (sqls as string[]).map((sql, i) => ({
        ...newRecord({ queryString: sql, ...fields }),
        id: `${batch.id}:${i + 1}`,
      }));
      return submit(input, batch, caller, (session) => runBatch(batch, sqls as string[], ctx, session));
    },
    DescribeStatement: async (input) => {
      const { st } = find(input.Id);
      const wait = typeof input.WaitTimeSeconds === 'number' ? Math.min(30, input.WaitTimeSeconds) : 0;
      const until = Date.now() + wait * 1000;
      while (!isTerminal(st.status) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return {
        ...describeOne(st),
        Database: st.database,
        ClusterIdentifier: st.clusterIdentifier,
        WorkgroupName: st.workgroupName,
        DbUser: st.dbUser,
        SecretArn: st.secretArn,
        QueryParameters: st.parameters,
        ResultFormat: st.resultFormat,
        SessionId: st.sessionId,
        ExecutionMode: st.executionMode,
        SubStatements: st.subStatements?.map(describeOne),
      };
    },
    GetStatementResult: async (input) => page(input, 'JSON'),
    GetStatementResultV2: async (input) => page(input, 'CSV'),
    CancelStatement: async (input) => {
      const { st, parent } = find(input.Id);
      const target = parent ?? st;
      if (isTerminal(target.status)) {
        throw validation(`Could not cancel a query that is already in ${target.status} state with ID: ${target.id}`);
      }
      startCancelling(target, ctx);
      return { Status: true };
    },
    ListStatements: async (input, caller) => {
      const status = str(input, 'Status') ?? 'FINISHED';
      const prefix = str(input, 'StatementName');
      const cluster = str(input, 'ClusterIdentifier');
      const workgroup = str(input, 'WorkgroupName');
      const database = str(input, 'Database');
      if (cluster && workgroup) throw validation('Either ClusterIdentifier or WorkgroupName can be specified, but not both.');
      // RoleLevel true (the default): everything the caller's IAM role ran; false: this caller's own statements.
      const roleLevel = input.RoleLevel !== false;
      const max = typeof input.MaxResults === 'number' && input.MaxResults > 0 ? Math.min(100, input.MaxResults) : 100;
      const listed = options.listStatementsOrder === 'oldest-first' ? [...order] : [...order].reverse();
      const matching = listed
        .filter((st) => status === 'ALL' || st.status === status)
        .filter((st) => !prefix || (st.statementName ?? '').startsWith(prefix))
        .filter((st) => !cluster || st.clusterIdentifier === cluster)
        .filter((st) => !workgroup || st.workgroupName === workgroup)
        .filter((st) => !database || st.database === database)
        .filter((st) => roleLevel || st.caller === caller);
      let offset = 0;
      if (input.NextToken) {
        const t = JSON.parse(Buffer.from(String(input.NextToken), 'base64url').toString('utf8')) as { o: number };
        offset = t.o;
      }
      const slice = matching.slice(offset, offset + max);
      return {
        Statements: slice.map((st) => ({
          Id: st.id,
          QueryString: st.subStatements ? undefined : st.queryString,
          QueryStrings: st.subStatements?.map((s) => s.queryString),
          IsBatchStatement: !!st.subStatements,
          Status: st.status,
          StatementName: st.statementName,
          CreatedAt: epoch(st.createdAt),
          UpdatedAt: epoch(st.updatedAt),
          QueryParameters: st.parameters,
          SecretArn: st.secretArn,
          ResultFormat: st.resultFormat,
          SessionId: st.sessionId,
        })),
        NextToken:
          offset + max < matching.length
            ? Buffer.from(JSON.stringify({ o: offset + max })).toString('base64url')
            : undefined,
      };
    },
    ListDatabases: async (input) => {
      validateTarget(input, { databaseRequired: true });
      return listDatabases(pool(str(input, 'Database') ?? defaultDb), input);
    },
    ListSchemas: async (input) => {
      validateTarget(input, { databaseRequired: true });
      capMaxResults(input);
      return listSchemas(pool(str(input, 'ConnectedDatabase') ?? str(input, 'Database') ?? defaultDb), input);
    },
    ListTables: async (input) => {
      validateTarget(input, { databaseRequired: true });
      capMaxResults(input);
      return listTables(pool(str(input, 'ConnectedDatabase') ?? str(input, 'Database') ?? defaultDb), input);
    },
    DescribeTable: async (input) => {
      validateTarget(input, { databaseRequired: true });
      capMaxResults(input);
      return describeTable(pool(str(input, 'ConnectedDatabase') ?? str(input, 'Database') ?? defaultDb), input);
    },
  };

  /** The catalog pages are no longer than catalogPageRows, whatever the client asks. */
  function capMaxResults(input: Input): void {
    const asked = typeof input.MaxResults === 'number' && input.MaxResults > 0 ? input.MaxResults : 1000;
    input.MaxResults = Math.min(asked, catalogPageRows);
  }

  async function resolveNames(fields: PgField[]): Promise<void> {
    const missingTypes = fields.some((f) => !typeNames.has(f.dataTypeID));
    if (missingTypes) {
      const res = await adminPool.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type');
      for (const r of res.rows) typeNames.set(r.oid, r.typname);
    }
    const tableIds = [...new Set(fields.map((f) => f.tableID).filter((t) => t && !tableNames.has(t)))];
    if (tableIds.length) {
      const res = await adminPool.query<{ oid: number; nspname: string; relname: string }>(
        `SELECT c.oid::int AS oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.oid = ANY($1::oid[])`,
        [tableIds],
      );
      for (const r of res.rows) tableNames.set(r.oid, { schema: r.nspname, table: r.relname });
    }
  }

  /** One page of a result; the answer body is built as text so Records keep exact integers. */
  async function page(input: Input, format: 'JSON' | 'CSV'): Promise<object | RawJson> {
    const { st } = find(input.Id);
    if (st.subStatements) throw validation('BatchExecuteStatement result can only be retrieved with sub-statement id.');
    if (st.status !== 'FINISHED' || !st.hasResultSet) {
      throw validation('Query does not have result. Please check query status with DescribeStatement.');
    }
    if (st.resultFormat !== format) {
      throw validation(
        format === 'JSON'
          ? 'The statement was run with ResultFormat CSV; use GetStatementResultV2.'
          : 'The statement was run with ResultFormat JSON; use GetStatementResult.',
      );
    }
    if (!st.result) throw notFound('Query result has expired or was released.', st.id);
    const offset = resultOffset(st.id, input.NextToken);
    const { fields, rows } = await st.result.fetch(offset, pageRows);
    await resolveNames(fields);
    const meta = JSON.stringify(fields.map((f) => columnMetadata(f, typeNames, tableNames)));
    const total = st.result.totalRows;
    const next = offset + rows.length < total ? resultToken(st.id, offset + rows.length) : undefined;
    const tail = `"TotalNumRows":${total}${next ? `,"NextToken":"${next}"` : ''}`;
    const records =
      format === 'JSON' ? encodeRecords(fields, rows) : JSON.stringify([{ CSVRecords: encodeCsv(rows) }]);
    const formatPart = format === 'CSV' ? '"ResultFormat":"CSV",' : '';
    return new RawJson(`{"ColumnMetadata":${meta},"Records":${records},${formatPart}${tail}}`);
  }

  const server: Server = createServer((req, res) => void handle(req, res));

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function send(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(body);
  }

  function sendError(res: ServerResponse, err: ServiceError): void {
    send(res, err.status, JSON.stringify({ __type: err.type, message: err.message, ...err.extra }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      if (req.url?.startsWith('/__admin/')) return admin(req, res, body);
      if (req.method !== 'POST' || (req.url ?? '/') !== '/') {
        return sendError(res, new ServiceError('UnknownOperationException', 404, `No route for ${req.method} ${req.url}`));
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith('RedshiftData.') ? target.slice('RedshiftData.'.length) : '';
      const handler = ops[op];
      if (!handler) return sendError(res, new ServiceError('UnknownOperationException', 400, `Unknown operation ${target}`));
      const fault = faults.next(op);
      const repeatToken = fault?.error === 'RepeatNextToken';
      if (fault && !repeatToken) {
        if (fault.error === 'ConnectionReset') {
          req.socket.destroy();
          return;
        }
        return sendError(
          res,
          new ServiceError(fault.error, fault.status ?? ERROR_STATUS[fault.error] ?? 400, fault.message ?? defaultFaultMessage(fault.error)),
        );
      }
      let input: Input;
      try {
        input = body ? (JSON.parse(body) as Input) : {};
      } catch {
        return sendError(res, new ServiceError('SerializationException', 400, 'Request body is not valid JSON.'));
      }
      const out = await handler(input, callerOf(req));
      const answer = repeatToken ? withNextToken(out, input.NextToken) : out;
      send(res, 200, answer instanceof RawJson ? answer.text : JSON.stringify(answer));
    } catch (err) {
      if (err instanceof ServiceError) return sendError(res, err);
      const message = err instanceof Error ? err.message : String(err);
      sendError(res, new ServiceError('InternalServerException', 500, message));
    }
  }

  function admin(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (req.url === '/__admin/faults' && req.method === 'POST') {
      const rules = JSON.parse(body) as FaultRule | FaultRule[];
      for (const r of Array.isArray(rules) ? rules : [rules]) faults.add(r);
      return send(res, 200, '{}');
    }
    if (req.url === '/__admin/faults' && req.method === 'DELETE') {
      faults.clear();
      return send(res, 200, '{}');
    }
    if (req.url === '/__admin/calls') return send(res, 200, JSON.stringify(Object.fromEntries(faults.calls)));
    send(res, 404, '{}');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    statement: (id) => statements.get(id),
    expireSessions: async () => {
      for (const s of [...sessions.values()]) await closeSession(s);
    },
    close: async () => {
      for (const st of statements.values()) if (!isTerminal(st.status)) startCancelling(st, ctx);
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 5000))]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const st of held.splice(0)) await st.result?.release();
      for (const s of sessions.values()) {
        if (s.timer) clearTimeout(s.timer);
        await s.client.end().catch(() => undefined);
      }
      sessions.clear();
      for (const p of pools.values()) await p.end().catch(() => undefined);
    },
  };
}

class RawJson {
  constructor(readonly text: string) {}
}

/** The access key id of the request's SigV4 Authorization header: who is calling. */
function callerOf(req: IncomingMessage): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
}

/** The answer with its NextToken replaced by `token` (fault RepeatNextToken: the token the request carried). */
function withNextToken(out: object, token: unknown): object {
  if (typeof token !== 'string' || !token) return out;
  if (!(out instanceof RawJson)) return { ...out, NextToken: token };
  const text = /"NextToken":"[^"]*"/.test(out.text)
    ? out.text.replace(/"NextToken":"[^"]*"/, `"NextToken":${JSON.stringify(token)}`)
    : out.text.replace(/}$/, `,"NextToken":${JSON.stringify(token)}}`);
  return new RawJson(text);
}

function defaultFaultMessage(type: string): string {
  switch (type) {
    case 'ThrottlingException':
      return 'Rate exceeded';
    case 'ActiveStatementsExceededException':
      return 'Active statements exceeded the allowed quota.';
    case 'ExpiredTokenException':
      return 'The security token included in the request is expired';
    default:
      return `Injected ${type}`;
  }
}
