// `npm run test:electron`: the integration suites under @vscode/test-electron (downloads VS Code; needs internet),
// with the same Data API stand-in and throw-away workspace copy as the offline launcher.
import { spawnSync } from 'node:child_process';
import { startStandIn } from '../test/launch/standIn.mjs';
import { copySampleWorkspace } from '../test/launch/workspaceCopy.mjs';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const standIn = await startStandIn();
let status = 1;
try {
  const r = spawnSync('npx', ['vscode-test'], { stdio: 'inherit', env: { ...process.env, ...standIn.env, QUARRY_TEST_WORKSPACE: copySampleWorkspace() } });
  status = r.status ?? 1;
} finally {
  await standIn.stop();
}
process.exit(status);
