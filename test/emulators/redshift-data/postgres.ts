/**
 * Starts a throw-away PostgreSQL server (Debian `postgresql` package binaries) for tests and benches:
 * initdb into a fresh temp dir, listen on a free 127.0.0.1 port (unix socket inside the temp dir), create a database.
 * When we run as root, initdb/pg_ctl run as the `postgres` user, which owns the temp dir.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  port: number;
  /** e.g. postgresql://postgres@127.0.0.1:PORT/dev */
  connectionString: string;
  database: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Database to create (default `dev`, the Redshift default). */
  database?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

export class PostgresUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresUnavailableError';
  }
}

/** Finds the newest `/usr/lib/postgresql/<v>/bin` (or `$QUARRY_PG_BIN`); throws a hint to install it otherwise. */
export function findPostgresBin(): string {
  const override = process.env.QUARRY_PG_BIN;
  if (override) {
    if (existsSync(join(override, 'initdb'))) return override;
    throw new PostgresUnavailableError(`QUARRY_PG_BIN=${override} has no initdb`);
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new PostgresUnavailableError(
      'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them with `apt-get install postgresql` (or set QUARRY_PG_BIN).',
    );
  }
  return join(root, versions[0], 'bin');
}

export function postgresAvailable(): boolean {
  try {
    findPostgresBin();
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function asPostgresUser(bin: string, args: string[]): [string, string[]] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function run(bin: string, args: string[]): void {
  const [cmd, argv] = asPostgresUser(bin, args);
  const res = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
  }
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const bin = findPostgresBin();
  const database = options.database ?? 'dev';
  const dir = mkdtempSync(join(tmpdir(), 'quarry-pg-'));
  const dataDir = join(dir, 'data');
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
    ...options.settings,
  };
  const serverOpts = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const logFile = join(dir, 'postgres.log');
  const pgCtl = join(bin, 'pg_ctl');
  try {
    run(pgCtl, ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', serverOpts]);
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${log}`);
  }

  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    const [cmd, argv] = asPostgresUser(pgCtl, ['stop', '-m', 'fast', '-w', '-D', dataDir]);
    spawnSync(cmd, argv, { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed test run must not leave a server behind.
  process.once('exit', stopSync);

  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    port,
    database,
    dataDir,
    connectionString: `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: async () => {
      process.removeListener('exit', stopSync);
      stopSync();
    },
  };
}
