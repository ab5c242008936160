/**
 * Worker-thread entry of the indexer. The extension bundle emits it as dist/indexWorker.js;
 * tests and the CLI under tsx can point WorkspaceIndexer at this file directly.
 * The worker reads, hashes and extracts whole batches of files itself, so the main thread only collects facts.
 */
import { parentPort } from 'node:worker_threads';
import { EMPTY_CONTEXT, type ExtractContext } from './classify';
import { discoverFiles } from './discovery';
import { runFileTask } from './fileTask';
import { packFacts } from './packedFacts';
import type { FileResult, WorkerRequest, WorkerResponse } from './workerProtocol';

let context: ExtractContext = EMPTY_CONTEXT;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'context') {
    context = msg.context;
    return;
  }
  if (msg.type === 'discover') {
    const reply = (r: Omit<Extract<WorkerResponse, { type: 'discovered' }>, 'type' | 'id'>): void => parentPort!.postMessage({ type: 'discovered', id: msg.id, ...r } satisfies WorkerResponse);
    void discoverFiles(msg.root, { ...msg.options, syncIo: true }).then(
      (result) => reply({ result }),
      (err: Error) => reply({ error: err.message }),
    );
    return;
  }
  msg.files.forEach((task, index) => {
    const done = runFileTask(msg.root, task, context);
    // facts go out as JSON text: the main thread parses only the DDL now and keeps the rest as text (see PackedFacts)
    const result: FileResult = done.outcome === 'extracted' ? { path: done.path, outcome: 'packed', hash: done.hash, packed: packFacts(done.facts) } : done;
    parentPort!.postMessage({ type: 'file', id: msg.id, index, result } satisfies WorkerResponse);
  });
});
