/**
 * The JS SDK parses `longValue` with plain JSON.parse, so 9007199254740993 arrives as 9007199254740992.
 * GetStatementResultV2 (CSV) only works for statements run with ResultFormat CSV, so "re-fetch as CSV" is not
 * possible on the real service. Instead this middleware sees the raw GetStatementResult body before the SDK parses
 * it and turns unsafe `{"longValue":<digits>}` into `{"stringValue":"<digits>"}`; the engine then maps int8 columns
 * carrying stringValue to an exact string cell.
 */
import type { Pluggable } from '@smithy/types';

/** `{` or `,` then "longValue": number — a key position, never inside a JSON string (quotes there are escaped). */
const LONG_VALUE = /([{,]\s*)"longValue"\s*:\s*(-?\d{16,})(?=\s*[},])/g;

export function rewriteUnsafeLongValues(json: string): string {
  if (!json.includes('"longValue"')) return json;
  return json.replace(LONG_VALUE, (whole, lead: string, digits: string) =>
    Number.isSafeInteger(Number(digits)) ? whole : `${lead}"stringValue":"${digits}"`,
  );
}

const OPERATION = 'GetStatementResultCommand';

async function readAll(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks);
}

interface RawResponse {
  statusCode?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type RawField = Record<string, unknown>;

/** blobValue arrives base64 on the wire; the SDK's Field type holds bytes. */
function decodeBlobs(records: RawField[][]): void {
  for (const row of records) for (const f of row) if (typeof f.blobValue === 'string') f.blobValue = Buffer.from(f.blobValue, 'base64');
}

/** Records parsed by the inner middleware for one call, picked up by the outer one. Keyed by the call's context. */
const parsedRecords = new WeakMap<object, RawField[][]>();

/**
 * Client plugin: `client.middlewareStack.use(exactLongValuesPlugin)`. Besides keeping longs exact, it parses
 * `Records` itself with one JSON.parse (the SDK's per-field union deserialiser was the paging bottleneck, about
 * 25 ms per 1000×10 page) and hands the SDK only the small rest of the body; the output shape is unchanged.
 */
export const exactLongValuesPlugin: Pluggable<any, any> = {
  applyToStack: (stack) => {
    stack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const records = parsedRecords.get(context);
        if (records) {
          parsedRecords.delete(context);
          if (result.output) (result.output as { Records?: unknown }).Records = records;
        }
        return result;
      },
      { step: 'initialize', priority: 'low', name: 'quarryAttachRecords', override: true },
    );
    stack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const response = result.response as RawResponse | undefined;
        if (context.commandName !== OPERATION || !response || response.statusCode !== 200 || !response.body) {
          return result;
        }
        const text = rewriteUnsafeLongValues((await readAll(response.body)).toString('utf8'));
        let rest = text;
        try {
          const parsed = JSON.parse(text) as { Records?: RawField[][] };
          if (Array.isArray(parsed.Records)) {
            if (text.includes('"blobValue"')) decodeBlobs(parsed.Records);
            parsedRecords.set(context, parsed.Records);
            delete parsed.Records;
            rest = JSON.stringify(parsed);
          }
        } catch {
          // Not JSON: let the SDK's deserialiser report it.
        }
        const bytes = Buffer.from(rest, 'utf8');
        response.body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        if (response.headers && 'content-length' in response.headers) response.headers['content-length'] = String(bytes.byteLength);
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'quarryExactLongValues', override: true },
    );
  },
};
