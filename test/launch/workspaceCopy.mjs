import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A throw-away copy of the sample workspace, so tests may write files without touching the repository. */
export function copySampleWorkspace(name = 'warehouse') {
  const dest = join(mkdtempSync(join(tmpdir(), 'quarry-ws-')), name);
  cpSync(resolve('samples', name), dest, { recursive: true });
  return dest;
}
