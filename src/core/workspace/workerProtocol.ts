import type { ExtractContext } from './classify';
import type { DiscoveredFile, DiscoveryOptions, DiscoveryResult } from './discovery';
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
  /**
   * Walk `root` (with blocking I/O: the worker has nothing else to do) and answer with one 'discovered'; when `stream`,
   * the files go out during the walk in 'discoveredFiles' (in walk order) and 'discovered' holds none.
   */
  | { type: 'discover'; id: number; root: string; options: Omit<DiscoveryOptions, 'signal' | 'syncIo' | 'onFiles'>; stream?: boolean };

export type WorkerResponse =
  | { type: 'files'; id: number; results: FileResult[] }
  | { type: 'discoveredFiles'; id: number; files: DiscoveredFile[] }
  | { type: 'discovered'; id: number; result?: DiscoveryResult; error?: string };
