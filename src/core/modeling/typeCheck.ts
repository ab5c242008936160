/** Type and width compatibility of a join's two columns, as evidence. */
import type { ColumnInfo } from './columnIndex';
import type { Evidence } from './types';

const COMPATIBLE: Record<string, string[]> = {
  integer: ['integer', 'numeric'],
  numeric: ['integer', 'numeric'],
  text: ['text'],
  date: ['date', 'timestamp'],
  timestamp: ['date', 'timestamp'],
  float: ['float'],
  boolean: ['boolean'],
  binary: ['binary'],
  time: ['time'],
};

/** Returns null when a type is unknown (no evidence either way). */
export function typeEvidence(from: ColumnInfo, to: ColumnInfo): Evidence | null {
  const a = from.family;
  const b = to.family;
  if (!a || !b || a === 'other' || b === 'other' || a === 'json' || b === 'json') return null;
  const shown = `${from.def.dataType ?? a} → ${to.def.dataType ?? b}`;
  if (!(COMPATIBLE[a] ?? [a]).includes(b)) {
    return { kind: 'type-check', detail: `incompatible types ${shown}`, weight: -0.8 };
  }
  if (a === 'text' && from.width !== undefined && to.width !== undefined && from.width > to.width) {
    return { kind: 'type-check', detail: `${shown}: from side is wider than the key it references`, weight: -0.1 };
  }
  if (a === 'float' || b === 'float') return { kind: 'type-check', detail: `floating-point join columns ${shown}`, weight: -0.2 };
  return { kind: 'type-check', detail: `compatible types ${shown}`, weight: 0 };
}

export function typesIncompatible(from: ColumnInfo, to: ColumnInfo): boolean {
  const e = typeEvidence(from, to);
  return !!e && e.weight <= -0.5;
}
