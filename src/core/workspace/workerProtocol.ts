import type { ExtractContext } from './classify';
import type { DiscoveryOptions, DiscoveryResult } from './discovery';
import type { FileFacts, FileKind } from './facts';
import type { PackedFacts } from './packedFacts';

/** One file for a worker to read, hash and (unless its hash is `knownHash`) extract. */
export interface FileTask {
  path: string;
  kind: FileKind;
  /** Content hash of the cached facts: when the file still hashes to it, the worker skips extraction. */
  knownHash?: string;
  /** Size in bytes when known (batches are sized by it). */
  size?: number;
}

/** What became of one file task. */
export type FileResult =
  | { path: string; outcome: 'unreadable' | 'binary' }
  | { path: string; outcome: 'unchanged'; hash: string }
  | { path: string; outcome: 'extracted'; hash: string; facts: FileFacts }
  /** As 'extracted', as JSON text (see PackedFacts): what index workers send. */
  | { path: string; outcome: 'packed'; hash: string; packed: PackedFacts };

export type WorkerRequest =
  | { type: 'context'; context: ExtractContext }
  /** Files under `root`; the worker answers with one 'files' response holding a result per file, in order. */
  | { type: 'batch'; id: number; root: string; files: FileTask[] }
  /** Walk `root` (with blocking I/O: the worker has nothing else to do) and answer with one 'discovered'. */
  | { type: 'discover'; id: number; root: string; options: Omit<DiscoveryOptions, 'signal' | 'syncIo'> };

export type WorkerResponse =
  | { type: 'files'; id: number; results: FileResult[] }
  | { type: 'discovered'; id: number; result?: DiscoveryResult; error?: string };
