// Runs the Playwright-driven workbench tests (test/e2e/*.test.mjs) with mocha in plain Node.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const screenshots = process.argv.includes('--screenshots');
const args = ['mocha', '--reporter', resolve('test/launch/countingReporter.cjs'), '--timeout', '300000',
  screenshots ? 'test/e2e/screenshots.run.mjs' : 'test/e2e/*.test.mjs'];
const r = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env } });
process.exit(r.status ?? 1);
