/**
 * Worker-thread entry of the indexer. The extension bundle emits it as dist/indexWorker.js;
 * tests and the CLI under tsx can point WorkspaceIndexer at this file directly.
 * The worker discovers files and reads, hashes and extracts whole batches of them itself, so the main thread only
 * collects facts.
 */
import { parentPort } from 'node:worker_threads';
import { serveIndexRequests } from './workerServer';

if (parentPort) serveIndexRequests(parentPort);
