import { readFileSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ExtractContext } from './classify';
import { extractFile, looksBinary } from './extractFile';
import { contentHash } from './factsCache';
import { emptyFacts } from './facts';
import type { FileResult, FileTask } from './workerProtocol';

/** Read → binary check → hash → extract (skipped when the hash is the cached one). Never throws. */
export function runFileTask(root: string, task: FileTask, context: ExtractContext, bytes?: Uint8Array): FileResult {
  if (!bytes) {
    try {
      bytes = readFileSync(path.join(root, task.path));
    } catch {
      return { path: task.path, outcome: 'unreadable' }; // deleted or locked mid-index
    }
  }
  return processBytes(task, bytes, context);
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
