/**
 * Standalone stand-in:
 *   node --import tsx test/emulators/redshift-data/main.ts --pg postgresql://postgres@127.0.0.1:5432/dev [--port 4566] [--page-rows 1000]
 *   node --import tsx test/emulators/redshift-data/main.ts --start-postgres [--port 4566]
 * Prints `REDSHIFT_DATA_URL=http://127.0.0.1:PORT` (and the PostgreSQL URL when it started one), then runs until SIGINT/SIGTERM.
 */
import { startPostgres, type RunningPostgres } from './postgres';
import { startRedshiftDataEmulator } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  let pgServer: RunningPostgres | undefined;
  let conn = arg('--pg') ?? process.env.QUARRY_PG_URL;
  if (!conn && process.argv.includes('--start-postgres')) {
    pgServer = await startPostgres();
    conn = pgServer.connectionString;
    console.log(`QUARRY_PG_URL=${conn}`);
  }
  if (!conn) {
    console.error('usage: main.ts --pg <postgresql://…> | --start-postgres [--port N] [--page-rows N]');
    process.exit(2);
  }
  const emulator = await startRedshiftDataEmulator({
    connectionString: conn,
    port: Number(arg('--port') ?? 0),
    pageRows: arg('--page-rows') ? Number(arg('--page-rows')) : undefined,
  });
  console.log(`REDSHIFT_DATA_URL=${emulator.url}`);
  const stop = async (): Promise<void> => {
    await emulator.close();
    await pgServer?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
