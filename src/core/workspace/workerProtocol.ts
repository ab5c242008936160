import type { ExtractContext } from './classify';
import type { FileFacts, FileKind } from './facts';

export type WorkerRequest =
  | { type: 'context'; context: ExtractContext }
  | { type: 'extract'; id: number; path: string; kind: FileKind; bytes: ArrayBuffer };

export interface WorkerResponse {
  id: number;
  facts: FileFacts;
}
