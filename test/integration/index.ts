// Mocha runner loaded by VS Code as extensionTestsPath: runs every *.test.js beside it inside the extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha') as typeof import('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  const dir = __dirname;
  const only = process.env.QUARRY_IT_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  const failed: Array<{ title: string; error: string }> = [];
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const report = process.env.QUARRY_TEST_REPORT;
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      if (report) {
        fs.writeFileSync(report, JSON.stringify({ passes, failures, pending, failed, vscodeVersion: vscode.version }));
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('fail', (test, err) => failed.push({ title: test.fullTitle(), error: String(err?.message) }));
  });
}
