import { closeSync, openSync, readSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ExtractContext } from './classify';
import { extractFile, looksBinary } from './extractFile';
import { contentHash } from './factsCache';
import { emptyFacts } from './facts';
import type { FileResult, FileTask } from './workerProtocol';

/**
 * Read → binary check → hash → extract (skipped when the hash is the cached one). Never throws. Without `bytes` the
 * file is read with blocking I/O (in an index worker).
 */
export function runFileTask(root: string, task: FileTask, context: ExtractContext, bytes?: Uint8Array): FileResult {
  if (!bytes) {
    try {
      bytes = readScratch(path.join(root, task.path), task.size);
    } catch {
      return { path: task.path, outcome: 'unreadable' }; // deleted or locked mid-index
    }
  }
  return processBytes(task, bytes, context);
}

/** Reused by every blocking read of this thread: files are extracted one at a time and their bytes not kept. */
let scratch = Buffer.allocUnsafe(1 << 20);
/** A file larger than this is read into its own buffer, so the scratch stays small. */
const SCRATCH_MAX = 8 << 20;

/**
 * A file's bytes, valid until the next call. With the size from the walk it takes open, one read and close (no fstat,
 * no buffer per file: ten thousand of each on a cold index); a file that grew since is still read whole.
 */
function readScratch(abs: string, sizeHint = 0): Uint8Array {
  const fd = openSync(abs, 'r');
  try {
    let buf = scratch.length > sizeHint ? scratch : Buffer.allocUnsafe(sizeHint + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      got += n;
      if (n === 0 || got < buf.length) break; // a short read of a regular file is its end
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, got);
      buf = bigger;
    }
    if (buf !== scratch && buf.length <= SCRATCH_MAX) scratch = buf;
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** As runFileTask, reading without blocking the thread (the in-process extractor runs on the extension host). */
export async function runFileTaskAsync(root: string, task: FileTask, context: ExtractContext): Promise<FileResult> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(path.join(root, task.path));
  } catch {
    return { path: task.path, outcome: 'unreadable' };
  }
  return processBytes(task, bytes, context);
}

function processBytes(task: FileTask, bytes: Uint8Array, context: ExtractContext): FileResult {
  if (looksBinary(bytes)) return { path: task.path, outcome: 'binary' };
  const hash = contentHash(bytes);
  if (hash === task.knownHash) return { path: task.path, outcome: 'unchanged', hash };
  let facts;
  try {
    facts = extractFile(task.path, bytes, context, task.kind);
  } catch (err) {
    facts = emptyFacts(task.path, task.kind);
    facts.diagnostics.push({ severity: 'error', message: `Extractor crashed: ${(err as Error).message}`, file: task.path, line: 1, column: 1 });
  }
  return { path: task.path, outcome: 'extracted', hash, facts };
}
