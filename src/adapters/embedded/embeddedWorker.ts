/**
 * Worker-thread entry of the embedded engine: owns one EmbeddedEngine so PGlite's synchronous WASM work
 * (initdb, CSV loading, long queries) never blocks the extension host. The bundle emits it as
 * dist/embeddedWorker.js; tests under tsx point WorkerEmbeddedEngine at this file directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../../core/ports';
import { EmbeddedEngine } from './embeddedEngine';
import type { EmbeddedWorkerMessage, EmbeddedWorkerOptions, EmbeddedWorkerRequest, EmbeddedWorkerResults } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('embeddedWorker must run in a worker thread');

const post = (msg: EmbeddedWorkerMessage): void => port.postMessage(msg);
const log = (level: 'info' | 'warn' | 'error' | 'debug') => (message: string, err?: unknown) =>
  post({ kind: 'log', level, message: err === undefined ? message : `${message}: ${err instanceof Error ? err.message : String(err)}` });
const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };

const engine = new EmbeddedEngine({ ...(workerData as EmbeddedWorkerOptions), logger });

async function answer(req: EmbeddedWorkerRequest): Promise<EmbeddedWorkerResults[EmbeddedWorkerRequest['op']]> {
  switch (req.op) {
    case 'execute':
      return engine.execute(req.sql, {
        parameters: req.parameters,
        onProgress: (progress) => post({ kind: 'progress', id: req.id, progress }),
      });
    case 'fetchPage':
      return engine.fetchPage(req.statementId, req.nextToken);
    case 'listSchemas':
      return engine.listSchemas();
    case 'listTables':
      return engine.listTables(req.schema);
    case 'describeTable':
      return engine.describeTable(req.schema, req.table);
    case 'loadReport':
      return engine.loadReport();
    case 'dispose':
      await engine.dispose();
      return null;
  }
}

port.on('message', (req: EmbeddedWorkerRequest) => {
  answer(req).then(
    (value) => post({ kind: 'result', id: req.id, ok: true, value }),
    (err: unknown) => post({ kind: 'result', id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
