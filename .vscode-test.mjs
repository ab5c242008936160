// @vscode/test-cli configuration, for machines that can download VS Code (`npm run test:electron`).
// The same mocha suites also run offline inside the VS Code server bundled with code-server (`npm run test:integration`).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  workspaceFolder: process.env.QUARRY_TEST_WORKSPACE ?? './samples/warehouse',
  mocha: { ui: 'bdd', timeout: 120000 },
  launchArgs: ['--disable-extensions'],
});
