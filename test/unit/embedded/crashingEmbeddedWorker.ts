/**
 * The real embedded worker entry, plus a way to make it die unexpectedly: the SQL text below ends the thread
 * (as an out-of-memory abort or a WASM trap would), with the execute request still unanswered.
 * Not imported by tests: loading it outside a worker thread throws.
 */
import { parentPort } from 'node:worker_threads';
import '../../../src/adapters/embedded/embeddedWorker';

parentPort?.on('message', (req: { op: string; sql?: unknown }) => {
  if (req.op === 'execute' && req.sql === 'select quarry_test_crash()') process.exit(3);
});
