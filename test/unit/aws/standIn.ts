/**
 * Shared test wiring: one PostgreSQL per mocha run (ref-counted, stopped shortly after the last suite releases it)
 * and one emulator per suite. Suites skip loudly only when the PostgreSQL binaries are missing.
 */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import pg from 'pg';
import { AwsClientFactory } from '../../../src/adapters/aws/clientFactory';
import type { RedshiftConnectionProfile } from '../../../src/adapters/aws/redshiftData/connectionProfile';
import { RedshiftDataEngine, type RedshiftDataEngineOptions } from '../../../src/adapters/aws/redshiftDataEngine';
import { postgresAvailable, startPostgres, type RunningPostgres } from '../../../test/emulators/redshift-data/postgres';
import { startRedshiftDataEmulator, type RedshiftDataEmulator, type RedshiftDataEmulatorOptions } from '../../../test/emulators/redshift-data/server';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

let shared: Promise<RunningPostgres> | undefined;
let refs = 0;
let stopTimer: NodeJS.Timeout | undefined;

async function acquirePostgres(): Promise<RunningPostgres> {
  refs++;
  if (stopTimer) clearTimeout(stopTimer);
  shared ??= startPostgres();
  return shared;
}

function releasePostgres(): void {
  if (--refs > 0 || !shared) return;
  const p = shared;
  stopTimer = setTimeout(() => {
    shared = undefined;
    void p.then((s) => s.stop());
  }, 300);
}

export interface StandIn {
  pg: RunningPostgres;
  emulator: RedshiftDataEmulator;
  /** Direct SQL on the backing PostgreSQL (setup and checks). */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  rawClient(opts?: { maxAttempts?: number }): RedshiftDataClient;
  factory(opts?: { maxAttempts?: number }): AwsClientFactory;
  connection(overrides?: Partial<RedshiftConnectionProfile>): RedshiftConnectionProfile;
  engine(opts?: { maxAttempts?: number; connection?: Partial<RedshiftConnectionProfile> } & RedshiftDataEngineOptions): RedshiftDataEngine;
}

/** Call inside a `describe`: registers before/after hooks and returns a handle filled in by `before`. */
export function useStandIn(emulatorOptions: Omit<RedshiftDataEmulatorOptions, 'connectionString'> = {}): StandIn {
  const handle = {} as StandIn;
  let admin: pg.Client | undefined;
  const factories: AwsClientFactory[] = [];
  const clients: RedshiftDataClient[] = [];
  let acquired = false;
  before(async function () {
    this.timeout(60_000);
    if (!postgresAvailable()) {
      console.warn(
        '\n!!!!!!!! SKIPPING Redshift Data API tests: PostgreSQL server binaries are missing (apt-get install postgresql) !!!!!!!!\n',
      );
      this.skip();
    }
    acquired = true;
    handle.pg = await acquirePostgres();
    handle.emulator = await startRedshiftDataEmulator({ connectionString: handle.pg.connectionString, ...emulatorOptions });
    admin = new pg.Client({ connectionString: handle.pg.connectionString });
    await admin.connect();
    handle.sql = (text, values) => admin!.query(text, values);
    handle.rawClient = (opts = {}) => {
      const c = new RedshiftDataClient({
        endpoint: handle.emulator.url,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        maxAttempts: opts.maxAttempts ?? 1,
      });
      clients.push(c);
      return c;
    };
    handle.factory = (opts = {}) => {
      const f = new AwsClientFactory({ credentials: TEST_CREDENTIALS, maxAttempts: opts.maxAttempts ?? 1 });
      factories.push(f);
      return f;
    };
    handle.connection = (overrides = {}) => ({
      name: 'stand-in',
      region: 'us-east-1',
      clusterIdentifier: 'quarry-test',
      database: handle.pg.database,
      endpoint: handle.emulator.url,
      ...overrides,
    });
    handle.engine = (opts = {}) =>
      new RedshiftDataEngine(handle.connection(opts.connection), {
        clientFactory: handle.factory({ maxAttempts: opts.maxAttempts }),
        retry: { maxAttempts: 6, baseMs: 10, maxMs: 50 },
        poll: { initialMs: 10, factor: 1.5, maxMs: 200 },
        ...opts,
      });
  });
  after(async function () {
    this.timeout(30_000);
    if (!acquired) return;
    for (const f of factories) f.dispose();
    for (const c of clients) c.destroy();
    await admin?.end();
    await handle.emulator?.close();
    releasePostgres();
  });
  return handle;
}

export async function waitForStatement(client: RedshiftDataClient, id: string): Promise<import('@aws-sdk/client-redshift-data').DescribeStatementResponse> {
  const { DescribeStatementCommand } = await import('@aws-sdk/client-redshift-data');
  for (;;) {
    const d = await client.send(new DescribeStatementCommand({ Id: id }));
    if (d.Status === 'FINISHED' || d.Status === 'FAILED' || d.Status === 'ABORTED') return d;
    await new Promise((r) => setTimeout(r, 20));
  }
}
