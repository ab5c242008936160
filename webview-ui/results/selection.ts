/** Grid selection: a rectangle of cells, whole rows or whole columns, from an anchor to a focus. Pure. */

export type SelectionKind = 'cells' | 'rows' | 'columns';

export interface Selection {
  kind: SelectionKind;
  anchorRow: number;
  anchorCol: number;
  focusRow: number;
  focusCol: number;
}

export interface SelectionBounds { top: number; bottom: number; left: number; right: number }

/** Inclusive bounds; whole rows span every column and whole columns every row. */
export function selectionBounds(s: Selection, rowCount: number, colCount: number): SelectionBounds {
  const rows = s.kind === 'columns'
    ? { top: 0, bottom: rowCount - 1 }
    : { top: Math.min(s.anchorRow, s.focusRow), bottom: Math.max(s.anchorRow, s.focusRow) };
  const cols = s.kind === 'rows'
    ? { left: 0, right: colCount - 1 }
    : { left: Math.min(s.anchorCol, s.focusCol), right: Math.max(s.anchorCol, s.focusCol) };
  return { top: Math.max(0, rows.top), bottom: Math.min(rowCount - 1, rows.bottom), left: Math.max(0, cols.left), right: Math.min(colCount - 1, cols.right) };
}

export function contains(b: SelectionBounds, row: number, col: number): boolean {
  return row >= b.top && row <= b.bottom && col >= b.left && col <= b.right;
}

export function select(kind: SelectionKind, row: number, col: number, extendFrom?: Selection): Selection {
  if (extendFrom && extendFrom.kind === kind) return { ...extendFrom, focusRow: row, focusCol: col };
  return { kind, anchorRow: row, anchorCol: col, focusRow: row, focusCol: col };
}
