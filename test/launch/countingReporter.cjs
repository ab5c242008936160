// Mocha spec reporter that also writes {passes, failures, pending} to $QUARRY_REPORT, for the test command's summary.
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    runner.on('fail', (test, err) => failures.push({ title: test.fullTitle(), error: String(err && err.message) }));
    runner.once('end', () => {
      const file = process.env.QUARRY_REPORT;
      if (!file) return;
      const { passes, failures: failed, pending } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures: failed, pending, failed: failures }));
    });
  }
}
module.exports = CountingReporter;
