/**
 * Worker-thread entry of the indexer. The extension bundle emits it as dist/indexWorker.js;
 * tests and the CLI under tsx can point WorkspaceIndexer at this file directly.
 * The worker reads, hashes and extracts whole batches of files itself, so the main thread only collects facts.
 */
import { parentPort } from 'node:worker_threads';
import { EMPTY_CONTEXT, type ExtractContext } from './classify';
import { runFileTask } from './fileTask';
import { packFacts, transferables } from './packedFacts';
import type { FileResult, WorkerRequest, WorkerResponse } from './workerProtocol';

let context: ExtractContext = EMPTY_CONTEXT;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'context') {
    context = msg.context;
    return;
  }
  msg.files.forEach((task, index) => {
    const done = runFileTask(msg.root, task, context);
    // facts go out as bytes the main thread takes over without copying, rather than objects it must rebuild
    const result: FileResult = done.outcome === 'extracted' ? { path: done.path, outcome: 'packed', hash: done.hash, packed: packFacts(done.facts) } : done;
    const response: WorkerResponse = { id: msg.id, index, result };
    parentPort!.postMessage(response, result.outcome === 'packed' ? transferables(result.packed) : []);
  });
});
