/**
 * Worker-thread entry of the indexer. The extension bundle emits it as dist/indexWorker.js;
 * tests and the CLI under tsx can point WorkspaceIndexer at this file directly.
 * The worker reads, hashes and extracts whole batches of files itself, so the main thread only collects facts.
 */
import { parentPort } from 'node:worker_threads';
import { EMPTY_CONTEXT, type ExtractContext } from './classify';
import { withFilePathsElided } from './compactFacts';
import { discoverFiles } from './discovery';
import { runFileTask } from './fileTask';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

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
    const result = runFileTask(msg.root, task, context);
    if (result.outcome !== 'extracted') return parentPort!.postMessage({ type: 'file', id: msg.id, index, result } satisfies WorkerResponse);
    // the file's path is cloned once, not once per origin (postMessage copies synchronously, inside the elision);
    // structured cloning is also about twice as cheap here as v8.serialize, which measured slower end to end
    const response: WorkerResponse = { type: 'file', id: msg.id, index, result: { ...result, pathsElided: true } };
    withFilePathsElided(result.facts, () => parentPort!.postMessage(response));
  });
});
