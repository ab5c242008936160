/** Small structural checks for messages that cross the webview boundary (they are untrusted on both sides). */

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isNonNegativeInt(x: unknown, max = Number.MAX_SAFE_INTEGER): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
}

export function isString(x: unknown, maxLength = 1_000_000): x is string {
  return typeof x === 'string' && x.length <= maxLength;
}

export function isOneOf<T extends string>(x: unknown, values: readonly T[]): x is T {
  return typeof x === 'string' && (values as readonly string[]).includes(x);
}

export function isArrayOf<T>(x: unknown, item: (v: unknown) => v is T, maxLength = 100_000): x is T[] {
  return Array.isArray(x) && x.length <= maxLength && x.every(item);
}
