import type { CatalogSnapshot, TableDef } from '../../core/catalog/model';
import { groupBySchema, type SchemaGroup } from './catalogTree';
import { Paging, type Page } from './paging';

/**
 * Up to this many schemas start expanded, as every schema did; with more (schema-per-customer warehouses hold
 * thousands) they start collapsed, so the tree asks for the tables of none of them until one is opened.
 */
export const EXPANDED_SCHEMAS = 10;

/** The key of a schema's list of tables in the tree's Paging. */
export function schemaPageKey(schema: string): string {
  return `workspace:${schema}`;
}

interface Grouped {
  snapshot: CatalogSnapshot;
  needle: string | undefined;
  groups: SchemaGroup[];
  bySchema: Map<string, SchemaGroup>;
  kept: number;
}

/**
 * What the Schema Explorer shows of the workspace catalog, free of vscode: its schemas, a page of each schema's
 * tables, what a filter keeps. The catalog is grouped and sorted once per snapshot and filter, however many nodes
 * VS Code asks about (it asks once per expanded schema, and again after every index publish).
 */
export class WorkspaceTree {
  /** Text a relation's schema, name or a column name must contain to be shown; undefined shows all. */
  filter: string | undefined;
  /** How many times the catalog was grouped by schema (tests count them). */
  groupings = 0;
  private grouped: Grouped | undefined;

  constructor(private readonly catalog: () => CatalogSnapshot | undefined, readonly paging = new Paging()) {}

  private current(): Grouped | undefined {
    const snapshot = this.catalog();
    if (!snapshot) return undefined;
    const needle = this.filter?.trim().toLowerCase() || undefined;
    if (this.grouped?.snapshot !== snapshot || this.grouped.needle !== needle) {
      this.groupings++;
      const groups = groupBySchema(snapshot, needle);
      this.grouped = {
        snapshot, needle, groups,
        bySchema: new Map(groups.map((g) => [g.schema, g])),
        kept: groups.reduce((n, g) => n + g.tables.length, 0),
      };
    }
    return this.grouped;
  }

  /** How many relations the catalog holds, filter or not. */
  total(): number {
    return this.catalog()?.tables.length ?? 0;
  }

  /** How many relations the filter keeps (all of them without one). */
  kept(): number {
    return this.current()?.kept ?? 0;
  }

  /** The schemas shown, sorted. */
  schemas(): string[] {
    return this.current()?.groups.map((g) => g.schema) ?? [];
  }

  /** Whether schema nodes start expanded: when they are few enough to show all their tables at once. */
  schemasStartExpanded(): boolean {
    return (this.current()?.groups.length ?? 0) <= EXPANDED_SCHEMAS;
  }

  /** The page of a schema's tables shown (sorted by name), and how many more there are. */
  tables(schema: string): Page<TableDef> {
    const group = this.current()?.bySchema.get(schema);
    return group ? this.paging.page(schemaPageKey(schema), group.tables) : { items: [], hidden: 0 };
  }

  /**
   * The relation to reveal, under the filter: its schema's list shows whole pages up to it (`paged` says the list
   * grew, and must be refreshed before the reveal); undefined when the catalog does not hold it or the filter hides it.
   */
  reveal(schema: string, name: string): { table: TableDef; paged: boolean } | undefined {
    const lowerSchema = schema.toLowerCase();
    const lowerName = name.toLowerCase();
    for (const group of this.current()?.groups ?? []) {
      if (group.schema.toLowerCase() !== lowerSchema) continue;
      const index = group.tables.findIndex((t) => t.name.toLowerCase() === lowerName);
      if (index < 0) continue;
      return { table: group.tables[index], paged: this.paging.reach(schemaPageKey(group.schema), index) };
    }
    return undefined;
  }
}
