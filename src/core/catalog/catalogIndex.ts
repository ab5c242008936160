import type { QualifiedName } from '../sql/types';
import { answersCall, dbtCallKey, dbtNodeKey } from './dbtNodes';
import { relationKey, type CatalogSnapshot, type ColumnDef, type TableDef } from './model';

export interface TableResolution {
  /** The single match, when there is one. */
  table?: TableDef;
  /** Every relation the name could mean (several when ambiguous). */
  candidates: TableDef[];
  ambiguous: boolean;
}

export interface ColumnHit {
  table: TableDef;
  column: ColumnDef;
}

/** Read-only lookups over a CatalogSnapshot for hover, go-to-definition and completion. */
export class CatalogIndex {
  private readonly byKey = new Map<string, TableDef>();
  private readonly byName = new Map<string, TableDef[]>();
  private readonly byColumn = new Map<string, ColumnHit[]>();
  private readonly bySchema = new Map<string, TableDef[]>();
  /** dbt's relations by what `ref()` / `source()` call them (dbtNodeKey). */
  private readonly byNode = new Map<string, TableDef[]>();

  constructor(readonly snapshot: CatalogSnapshot) {
    for (const t of snapshot.tables) {
      this.byKey.set(relationKey(t.schema, t.name), t);
      const node = dbtNodeKey(t);
      if (node) push(this.byNode, node, t);
      push(this.byName, t.name.toLowerCase(), t);
      push(this.bySchema, t.schema.toLowerCase(), t);
      for (const c of t.columns) push(this.byColumn, c.name.toLowerCase(), { table: t, column: c });
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  tables(): readonly TableDef[] {
    return this.snapshot.tables;
  }

  schemas(): string[] {
    return [...new Set(this.snapshot.tables.map((t) => t.schema))].sort();
  }

  tablesInSchema(schema: string): TableDef[] {
    return this.bySchema.get(schema.toLowerCase()) ?? [];
  }

  /** Exact lookup; an absent schema means `public`. */
  get(schema: string | undefined, name: string): TableDef | undefined {
    return this.byKey.get(relationKey(schema, name));
  }

  /**
   * Resolves `schema.table`, a QualifiedName, or a bare `table`. A bare name prefers `public`
   * (Redshift's default search_path), then any single relation of that name; several → ambiguous.
   */
  resolve(ref: string | QualifiedName): TableResolution {
    const q = typeof ref === 'string' ? parseDotted(ref) : ref;
    if (q.schema) {
      const t = this.get(q.schema, q.name);
      return { table: t, candidates: t ? [t] : [], ambiguous: false };
    }
    const candidates = this.byName.get(q.name.toLowerCase()) ?? [];
    if (candidates.length <= 1) return { table: candidates[0], candidates, ambiguous: false };
    const inDefault = this.get(undefined, q.name);
    if (inDefault) return { table: inDefault, candidates, ambiguous: false };
    return { candidates, ambiguous: true };
  }

  /**
   * Resolves a relation as a query wrote it, including dbt Jinja: `ref('model')` → the relation the model builds,
   * `source('src', 'tbl')` → the source table (honouring YAML `schema:` / `identifier:`). Plain names go through resolve().
   */
  resolveRef(q: QualifiedName): TableResolution {
    const ref = q.dbtRef;
    if (ref) {
      // a versioned model: ref('m', v=2) is that version, ref('m') the latest
      const hits = (this.byNode.get(dbtCallKey(ref)) ?? []).filter((t) => answersCall(t, ref));
      if (hits.length) return { table: hits.length === 1 ? hits[0] : undefined, candidates: hits, ambiguous: hits.length > 1 };
      if (ref.kind === 'ref') {
        // a ref to no node here (a package's model, a warehouse table) is taken by its name, but never for a source
        const byName = this.resolve({ schema: q.schema, name: q.name });
        const candidates = byName.candidates.filter((t) => t.dbt?.resourceType !== 'source');
        const table = byName.table && byName.table.dbt?.resourceType !== 'source' ? byName.table : candidates.length === 1 ? candidates[0] : undefined;
        return { table, candidates, ambiguous: !table && candidates.length > 1 };
      }
    }
    return this.resolve({ schema: q.schema, name: q.name });
  }

  /** Every table with a column of this name (case-insensitive). */
  columnsNamed(column: string): ColumnHit[] {
    return this.byColumn.get(column.toLowerCase()) ?? [];
  }

  column(table: TableDef, column: string): ColumnDef | undefined {
    const lower = column.toLowerCase();
    return table.columns.find((c) => c.name.toLowerCase() === lower);
  }

  /** Tables and columns whose names start with a prefix, for completion. */
  complete(prefix: string, limit = 100): Array<{ kind: 'table' | 'column'; name: string; table: TableDef; column?: ColumnDef }> {
    const p = prefix.toLowerCase();
    const out: Array<{ kind: 'table' | 'column'; name: string; table: TableDef; column?: ColumnDef }> = [];
    for (const [name, ts] of this.byName) {
      if (!name.startsWith(p)) continue;
      for (const t of ts) out.push({ kind: 'table', name: t.name, table: t });
      if (out.length >= limit) return out;
    }
    for (const [name, hits] of this.byColumn) {
      if (!name.startsWith(p)) continue;
      for (const h of hits) out.push({ kind: 'column', name: h.column.name, table: h.table, column: h.column });
      if (out.length >= limit) return out.slice(0, limit);
    }
    return out;
  }
}

export function parseDotted(ref: string): QualifiedName {
  const parts = ref.split('.').map((p) => p.replace(/^"|"$/g, ''));
  if (parts.length >= 2) return { schema: parts[parts.length - 2], name: parts[parts.length - 1]! };
  return { name: parts[0]! };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
