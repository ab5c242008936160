// Starts the Redshift Data API stand-in (on a fresh, real PostgreSQL) in a child process for integration/e2e tests.
import { spawn } from 'node:child_process';

export async function startStandIn({ pageRows = 1000 } = {}) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/emulators/redshift-data/main.ts', '--start-postgres', '--page-rows', String(pageRows)], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const urls = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stand-in did not start in 60 s: ${err}`)), 60_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const data = /REDSHIFT_DATA_URL=(\S+)/.exec(out);
      const pg = /QUARRY_PG_URL=(\S+)/.exec(out);
      if (data && pg) { clearTimeout(timer); resolve({ url: data[1], pgUrl: pg[1] }); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`stand-in exited (${code}): ${err}`)); });
  });
  return {
    ...urls,
    /** Environment that points the AWS SDK in the extension host at the stand-in, with static test credentials. */
    env: {
      AWS_ENDPOINT_URL_REDSHIFT_DATA: urls.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'quarry-test',
      AWS_SECRET_ACCESS_KEY: 'quarry-test', AWS_EC2_METADATA_DISABLED: 'true', QUARRY_IT_PG_URL: urls.pgUrl,
    },
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 10_000); proc.once('exit', () => { clearTimeout(t); r(); }); });
    },
  };
}
