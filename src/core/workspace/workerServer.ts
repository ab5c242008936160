import type { MessagePort } from 'node:worker_threads';
import { EMPTY_CONTEXT, type ExtractContext } from './classify';
import { discoverFiles, type DiscoveredFile } from './discovery';
import { runFileTask } from './fileTask';
import { packFacts } from './packedFacts';
import { workerPrimer } from './warmup';
import type { FileResult, FileTask, WorkerRequest, WorkerResponse } from './workerProtocol';

/** Files a streaming discovery gathers before sending them on. */
const STREAM_CHUNK_FILES = 128;

/**
 * Answers the index pool's requests on `port`: discovery, and batches of files read, hashed and extracted here (one
 * response per batch). `beforeFile` runs before each file (a test worker uses it to crash or hang on cue).
 */
export function serveIndexRequests(port: MessagePort, beforeFile?: (task: FileTask) => void): void {
  let context: ExtractContext = EMPTY_CONTEXT;
  const prime = workerPrimer();
  const post = (response: WorkerResponse): void => port.postMessage(response);
  port.on('message', (msg: WorkerRequest) => {
    switch (msg.type) {
      case 'context':
        context = msg.context;
        return;
      case 'discover': {
        // streamed files go out a few folders at a time: one message per folder would cost more than it saves
        let found: DiscoveredFile[] = [];
        const send = (): void => {
          if (found.length) post({ type: 'discoveredFiles', id: msg.id, files: found });
          found = [];
        };
        const onFiles = msg.stream
          ? (files: DiscoveredFile[]): void => {
              for (const f of files) found.push(f);
              if (found.length >= STREAM_CHUNK_FILES) send();
            }
          : undefined;
        void discoverFiles(msg.root, { ...msg.options, syncIo: true, onFiles }).then(
          (result) => {
            send();
            post({ type: 'discovered', id: msg.id, result: msg.stream ? { files: [], skipped: result.skipped } : result });
          },
          (err: Error) => post({ type: 'discovered', id: msg.id, error: err.message }),
        );
        return;
      }
      case 'batch': {
        prime(msg.files);
        const results: FileResult[] = [];
        for (const task of msg.files) {
          beforeFile?.(task);
          const done = runFileTask(msg.root, task, context);
          // facts go out as JSON text: the main thread parses only the DDL now, the rest stays text (see PackedFacts)
          results.push(done.outcome === 'extracted' ? { path: done.path, outcome: 'packed', hash: done.hash, packed: packFacts(done.facts, true) } : done);
        }
        post({ type: 'files', id: msg.id, results });
      }
    }
  });
}
