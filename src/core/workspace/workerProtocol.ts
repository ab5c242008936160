import type { ExtractContext } from './classify';
import type { DiscoveryOptions, DiscoveryResult } from './discovery';
import type { FileFacts, FileKind } from './facts';

/** One file for a worker to read, hash and (unless its hash is `knownHash`) extract. */
export interface FileTask {
  path: string;
  kind: FileKind;
  /** Content hash of the cached facts: when the file still hashes to it, the worker skips extraction. */
  knownHash?: string;
}

/** What became of one file task. */
export type FileResult =
  | { path: string; outcome: 'unreadable' | 'binary' }
  | { path: string; outcome: 'unchanged'; hash: string }
  /** `pathsElided`: origins in the facts hold a marker for the file's own path (see withFilePathsElided). */
  | { path: string; outcome: 'extracted'; hash: string; facts: FileFacts; pathsElided?: boolean };

export type WorkerRequest =
  | { type: 'context'; context: ExtractContext }
  /** Files under `root`; the worker answers with one WorkerResponse per file, in order. */
  | { type: 'batch'; id: number; root: string; files: FileTask[] }
  /** Walk `root` (with blocking I/O: the worker has nothing else to do) and answer with one 'discovered'. */
  | { type: 'discover'; id: number; root: string; options: Omit<DiscoveryOptions, 'signal' | 'syncIo'> };

export type WorkerResponse =
  /** `index`: the file's position within its batch. */
  | { type: 'file'; id: number; index: number; result: FileResult }
  | { type: 'discovered'; id: number; result?: DiscoveryResult; error?: string };
