/**
 * Worker-thread entry of the indexer. The extension bundle emits it as dist/indexWorker.js;
 * tests and the CLI under tsx can point WorkspaceIndexer at this file directly.
 */
import { parentPort } from 'node:worker_threads';
import { EMPTY_CONTEXT, type ExtractContext } from './classify';
import { extractFile } from './extractFile';
import { emptyFacts, type FileKind } from './facts';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

let context: ExtractContext = EMPTY_CONTEXT;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'context') {
    context = msg.context;
    return;
  }
  let response: WorkerResponse;
  try {
    response = { id: msg.id, facts: extractFile(msg.path, new Uint8Array(msg.bytes), context, msg.kind as FileKind) };
  } catch (err) {
    const facts = emptyFacts(msg.path, msg.kind as FileKind);
    facts.diagnostics.push({ severity: 'error', message: `Extractor crashed: ${(err as Error).message}`, file: msg.path, line: 1, column: 1 });
    response = { id: msg.id, facts };
  }
  parentPort!.postMessage(response);
});
