/**
 * A compact encoding of plain data (objects, arrays, strings, numbers, booleans, null, undefined) for large, repetitive
 * graphs such as the built Catalog. Every distinct string is stored once and every object shape (its key list) once;
 * the rest is one Int32Array with one token per value. Decoding is a single loop that builds the objects with shared
 * strings: v8.deserialize of the same graph creates a fresh string per occurrence (hundreds of thousands of `file`,
 * `kind`, `dataType` copies), which cost both deserialize time and GC time on a warm start.
 *
 * Object identity is not preserved (an object referenced twice is decoded twice); values must be plain data.
 */
export interface CompactData {
  strings: string[];
  shapes: string[][];
  /** Numbers that are not small integers. */
  numbers: number[];
  /** One per value: tag in the low 3 bits, payload (signed) above. */
  tokens: Int32Array;
}

const CONST = 0; // payload: 0 undefined, 1 null, 2 true, 3 false
const INT = 1; // payload: the value
const FLOAT = 2; // payload: index into numbers
const STRING = 3; // payload: index into strings
const ARRAY = 4; // payload: length, then the items
const OBJECT = 5; // payload: shape index, then one value per key
const PAYLOAD_LIMIT = 1 << 28;

/** What the encoder gives: the tokens in fixed-size chunks (the last one partly filled), so they can be written out without being copied into one array first. */
export interface EncodedCompact extends Omit<CompactData, 'tokens'> {
  tokenChunks: Int32Array[];
  tokenCount: number;
}

export function encodeCompact(value: unknown): CompactData {
  const steps = encodeSteps(value);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return joinTokens(r.value);
}

/**
 * As encodeCompact, giving the event loop a turn every `sliceMs` (a 50k-file catalog takes seconds to encode, and the
 * extension host must not freeze meanwhile), and leaving the tokens in chunks. The value must not change until the
 * promise settles.
 */
export async function encodeCompactInSlices(value: unknown, sliceMs = 10): Promise<EncodedCompact> {
  const steps = encodeSteps(value);
  let sliceStart = performance.now();
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** The encoded data with its tokens in one array. */
export function joinTokens(encoded: EncodedCompact): CompactData {
  const tokens = new Int32Array(encoded.tokenCount);
  let at = 0;
  for (const chunk of encoded.tokenChunks) {
    const part = chunk.subarray(0, Math.min(chunk.length, encoded.tokenCount - at));
    tokens.set(part, at);
    at += part.length;
  }
  return { strings: encoded.strings, shapes: encoded.shapes, numbers: encoded.numbers, tokens };
}

/** Values encoded between two chances to yield. */
const STEP = 4096;
/** Tokens per chunk (256 KB): growing one array by doubling held up to three copies of the tokens at once. */
const TOKEN_CHUNK = 1 << 16;

/** The encoder: an explicit stack (values in pre-order, as decodeCompact reads them), yielding every STEP values. */
function* encodeSteps(value: unknown): Generator<void, EncodedCompact> {
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const shapes: string[][] = [];
  /** Shapes as a trie over key sequences, so finding an object's shape allocates nothing. */
  interface ShapeNode {
    id: number;
    next: Map<string, ShapeNode> | undefined;
  }
  const root: ShapeNode = { id: -1, next: undefined };
  const shapeOf = (v: object): number => {
    let node = root;
    for (const k in v) {
      node.next ??= new Map();
      let child = node.next.get(k);
      if (!child) node.next.set(k, (child = { id: -1, next: undefined }));
      node = child;
    }
    if (node.id < 0) node.id = shapes.push(Object.keys(v)) - 1;
    return node.id;
  };
  const numbers: number[] = [];
  const tokenChunks: Int32Array[] = [];
  let chunk = new Int32Array(0);
  let at = 0;
  let count = 0;
  const push = (tag: number, payload: number): void => {
    if (payload >= PAYLOAD_LIMIT || payload < -PAYLOAD_LIMIT) throw new Error('encodeCompact: too large');
    if (at === chunk.length) {
      tokenChunks.push((chunk = new Int32Array(TOKEN_CHUNK)));
      at = 0;
    }
    chunk[at++] = (payload << 3) | tag;
    count++;
  };
  const stack: unknown[] = [value];
  let sinceYield = 0;
  while (stack.length) {
    const v = stack.pop();
    if (++sinceYield === STEP) {
      sinceYield = 0;
      yield;
    }
    switch (typeof v) {
      case 'undefined':
        push(CONST, 0);
        break;
      case 'boolean':
        push(CONST, v ? 2 : 3);
        break;
      case 'number':
        if (Number.isInteger(v) && v < PAYLOAD_LIMIT && v >= -PAYLOAD_LIMIT && !Object.is(v, -0)) push(INT, v);
        else push(FLOAT, numbers.push(v) - 1);
        break;
      case 'string': {
        let id = stringIds.get(v);
        if (id === undefined) stringIds.set(v, (id = strings.push(v) - 1));
        push(STRING, id);
        break;
      }
      case 'object': {
        if (v === null) {
          push(CONST, 1);
          break;
        }
        if (Array.isArray(v)) {
          push(ARRAY, v.length);
          for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
          break;
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error('encodeCompact: not plain data');
        const shape = shapeOf(v);
        push(OBJECT, shape);
        const keys = shapes[shape]!;
        for (let i = keys.length - 1; i >= 0; i--) stack.push((v as Record<string, unknown>)[keys[i]!]);
        break;
      }
      default:
        throw new Error(`encodeCompact: cannot encode ${typeof v}`);
    }
  }
  return { strings, shapes, numbers, tokenChunks, tokenCount: count };
}

const CONSTANTS = [undefined, null, true, false];

export function decodeCompact(data: CompactData): unknown {
  const { strings, shapes, numbers, tokens } = data;
  let i = 0;
  const read = (): unknown => {
    if (i >= tokens.length) throw new Error('decodeCompact: truncated data');
    const t = tokens[i++]!;
    const payload = t >> 3;
    switch (t & 7) {
      case CONST:
        return CONSTANTS[payload];
      case INT:
        return payload;
      case FLOAT:
        return numbers[payload];
      case STRING:
        return strings[payload];
      case ARRAY: {
        const out = new Array<unknown>(payload);
        for (let k = 0; k < payload; k++) out[k] = read();
        return out;
      }
      case OBJECT: {
        const keys = shapes[payload]!;
        const out: Record<string, unknown> = {};
        for (const k of keys) out[k] = read();
        return out;
      }
      default:
        throw new Error('decodeCompact: corrupt data');
    }
  };
  const value = read();
  if (i !== tokens.length) throw new Error('decodeCompact: trailing data');
  return value;
}
