import type { ColumnChange, DdlOperation, QualifiedName } from '../sql/types';
import type { FileFacts } from '../workspace/facts';
import { DEFAULT_SCHEMA, dbtResourceName, relationKey, type CatalogConflict, type CatalogSnapshot, type ColumnDef, type ConstraintDef, type DbtConfigKey, type DbtSnapshotConfig, type TableDef } from './model';
import { dbtNodeNames, hasDerivedColumns, newDerivedTypeMemo, relationNames, sourceNames, withDerivedTypes, type RelationLookup } from './derivedTypes';
import { docName, isDocName, tableDocReferences, withRenderedDocs } from './dbtDocs';
import { bare, NameIndex } from './nameIndex';
import { describeColumnDifference } from './typeCompare';
import { addSnapshotColumns, mergeSnapshotConfigs, snapshotMetaColumns } from '../workspace/dbtSnapshotConfig';

/** What the catalog reads of a file's facts. */
export type FileDdl = Pick<FileFacts, 'file' | 'ddl'>;

/**
 * Builds the Catalog from per-file facts.
 *
 * Order is stable: files sorted by path, operations in file order. Definitions (DDL, dbt model SQL, seeds) are
 * applied first; dbt YAML and dbt artifacts are overlays applied afterwards, so a schema.yml sorted before the model
 * file still lands on the relation the model builds. Conflicts are listed by relation key, in application order.
 */
export function buildCatalog(facts: FileFacts[]): CatalogSnapshot {
  const sorted = [...facts].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const builder = applyAll(sorted.map((f) => f.ddl));
  deriveAllTypes(builder);
  const { tables, conflicts } = builder.finish();
  return { tables, conflicts: sortConflicts(conflicts) };
}

/** Gives every table its derived column types (buildCatalog's one pass over them all, keyed as the builder keys them). */
function deriveAllTypes(builder: CatalogBuilder): void {
  const byKey = new Map(builder.entries());
  const byName = new NameIndex();
  const nodes = new NameIndex();
  for (const [key, t] of byKey) {
    byName.add(bare(key), key);
    for (const n of dbtNodeNames(t)) nodes.add(n, key);
  }
  const lookup: RelationLookup = { table: (k) => byKey.get(k), keysNamed: (n) => byName.get(n), keysOfNode: (n) => nodes.get(n) };
  const typed: Array<[string, TableDef]> = [];
  const memo = newDerivedTypeMemo();
  for (const [key, t] of byKey) {
    const u = hasDerivedColumns(t) && withDerivedTypes(t, lookup, memo);
    if (u) typed.push([key, u]);
  }
  for (const [key, u] of typed) builder.replace(key, u);
}

/** Applies the operations of files (already in path order): definitions first, then overlays by rank. */
function applyAll(opsPerFile: Iterable<DdlOperation[]>): CatalogBuilder {
  const builder = new CatalogBuilder();
  const overlays: TableDef[] = [];
  const docs = new Map<string, string>();
  for (const ops of opsPerFile) {
    let temporary: Set<string> | undefined;
    for (const op of ops) {
      if (op.op === 'docBlock') {
        docs.set(docName(op.project, op.name), op.text);
        continue;
      }
      if (op.op === 'createTable' && op.temporary) {
        (temporary ??= new Set()).add(bare(op.table.name));
        continue;
      }
      if (temporary && touchesTemporary(op, temporary)) continue;
      if (op.op === 'createTable' && isOverlay(op.table)) overlays.push(op.table);
      else builder.apply(op);
    }
  }
  // dbt YAML before artifacts: YAML is what the user wrote; manifest/catalog.json only fill gaps.
  overlays.sort((a, b) => overlayRank(a) - overlayRank(b));
  // descriptions (schema.yml's) render their docs blocks, wherever in the project those are
  for (const o of overlays) builder.overlay(withRenderedDocs(o, docs));
  return builder;
}

/**
 * Temporary tables (`CREATE TEMP TABLE`, `#name`) live for one session of one script: they are not the warehouse's,
 * and ETL scripts that each make their own `#stage` would otherwise conflict. What the same file then does to that
 * name (unqualified, as a session would resolve it to the temporary table) is left out with them.
 */
function touchesTemporary(op: DdlOperation, temporary: Set<string>): boolean {
  const target = op.op === 'comment' ? op.target.table : op.op === 'createTable' || op.op === 'docBlock' ? undefined : op.table;
  return target !== undefined && (target.schema === undefined || target.schema.toLowerCase() === DEFAULT_SCHEMA) && temporary.has(bare(target.name));
}

function sortConflicts(conflicts: CatalogConflict[]): CatalogConflict[] {
  return conflicts
    .map((c, i) => [c, i] as const)
    .sort(([a, i], [b, j]) => (a.table < b.table ? -1 : a.table > b.table ? 1 : i - j))
    .map(([c]) => c);
}

/**
 * A shallow copy. Object.assign rather than a spread: on Node 20 (the extension host of VS Code up to 1.9x) a spread
 * over objects of varied shapes goes through the runtime, several times slower, and a catalog build copies thousands.
 */
const copyOf = <T extends object>(o: T): T => Object.assign({}, o);

const constraintCopy = (k: ConstraintDef): ConstraintDef => Object.assign(copyOf(k), { columns: [...k.columns] });

/**
 * The Catalog kept current file by file: equal to buildCatalog over the same facts, but a change to one file only
 * re-applies the operations of the relations that file touches.
 *
 * Operations only ever affect relations of the bare name they mention (unqualified names resolve among relations of
 * that name); renames, CREATE TABLE LIKE and dbt model/seed names link names. Linked names form a group; a change
 * rebuilds the groups of every name the file mentioned before or after, from all files' operations on them.
 */
/** What IncrementalCatalog needs to resume without replaying every file: plain data (persisted by the indexer). */
export interface IncrementalCatalogState {
  /** The built snapshot (tables in relation-key order, conflicts sorted). */
  snapshot: CatalogSnapshot;
  index: IncrementalCatalogIndex;
}

/** The bookkeeping for later changes; a restored catalog reads it only when the first change arrives. */
export interface IncrementalCatalogIndex {
  /** Per file: the names each of its operations touches, in operation order. */
  files: Array<[string, string[][]]>;
  /** Relation key of each table of the snapshot, same order. */
  keys: string[];
  /** Bare name → conflicts about it, in application order. */
  conflicts: Array<[string, CatalogConflict[]]>;
}

interface FileOps {
  /** Names touched by each operation, in operation order. */
  names: string[][];
  /** The operations; undefined after a restore until a rebuild needs them (then read through `resolveOps`). */
  ops: DdlOperation[] | undefined;
}

export class IncrementalCatalog {
  /** Operations of each file with the names they touch. */
  private readonly files = new Map<string, FileOps>();
  /** Name → files with operations touching it. */
  private readonly filesByName = new NameIndex();
  private readonly tables = new Map<string, TableDef>();
  /** Name → relation keys currently in the catalog whose name part is that name. */
  private readonly keysByName = new NameIndex();
  private readonly conflictsByName = new Map<string, CatalogConflict[]>();
  private sortedKeys: string[] = [];
  /** The tables in sortedKeys order, kept in step with it (a snapshot copies it rather than looking every key up). */
  private sortedTables: TableDef[] = [];
  /** Columns of all tables, kept up to date as tables come and go (absorb adds, rebuild takes away). */
  private columns = 0;
  /** dbt node name (`model:x`, `source:s.t`) → relation keys, for the derived column types. */
  private readonly nodeKeys = new NameIndex();
  /** Keys of the tables with derived columns. */
  private readonly derivedKeys = new Set<string>();
  /** Name a derived column's source goes by (bare name, dbt node name) → keys of the tables with such columns. */
  private readonly dependents = new NameIndex();
  /**
   * Whether `dependents` is kept: only a change after the first snapshot needs it, so a full build (or a restore)
   * leaves it to that change to make, once, rather than making it for every relation on the way.
   */
  private dependentsKept = false;
  /**
   * Since the last snapshot: the names of relations that came, went or were rebuilt, and the keys of derived tables
   * rebuilt (fresh from their operations, so untyped); `all` after a full build.
   */
  private derivePending: { all: boolean; names: Set<string>; keys: Set<string> } = { all: true, names: new Set(), keys: new Set() };
  private readonly lookup: RelationLookup = {
    table: (k) => this.tables.get(k),
    keysNamed: (n) => this.keysByName.get(n),
    keysOfNode: (n) => this.nodeKeys.get(n),
  };
  private dirty = new Set<string>();
  private everything = true;
  private built: CatalogSnapshot | undefined;
  /** Operations of a restored file (its current facts' ddl), fetched only when a rebuild touches that file. */
  private resolveOps: ((file: string) => DdlOperation[]) | undefined;
  /** Set by restore() until the first change or export needs the index. */
  private pendingIndex: (() => IncrementalCatalogIndex) | undefined;

  constructor(facts: Iterable<FileDdl> = []) {
    for (const f of facts) this.setFile(f);
    this.everything = true;
  }

  /**
   * Resumes from exportState() without the files' operations. `resolveOps(file)` must return the very operations the
   * state was exported from for every file not passed to setFile/removeFile since; it is called only for files a later
   * change makes the catalog re-apply.
   */
  static restore(snapshot: CatalogSnapshot, loadIndex: () => IncrementalCatalogIndex, resolveOps: (file: string) => DdlOperation[]): IncrementalCatalog {
    const c = new IncrementalCatalog();
    c.resolveOps = resolveOps;
    c.pendingIndex = loadIndex;
    c.everything = false;
    c.built = snapshot;
    return c;
  }

  private ensureIndex(): void {
    const load = this.pendingIndex;
    if (!load) return;
    this.pendingIndex = undefined;
    const index = load();
    const snapshot = this.built!;
    for (const [file, names] of index.files) {
      this.files.set(file, { names, ops: undefined });
      for (const list of names) for (const n of list) this.filesByName.add(n, file);
    }
    snapshot.tables.forEach((t, i) => {
      const key = index.keys[i]!;
      this.tables.set(key, t);
      this.keysByName.add(bare(key), key);
      this.track(key, t);
    });
    for (const [n, list] of index.conflicts) this.conflictsByName.set(n, list);
    this.sortedKeys = index.keys;
    this.sortedTables = snapshot.tables.slice(); // the snapshot's own list is never changed
    this.columns = countColumns(this.sortedTables);
    this.derivePending = { all: false, names: new Set(), keys: new Set() }; // the saved types are current
  }

  /** The state restore() resumes from (builds the snapshot first if needed). */
  exportState(): IncrementalCatalogState {
    const snapshot = this.snapshot();
    this.ensureIndex();
    return {
      snapshot,
      index: { files: [...this.files].map(([file, f]) => [file, f.names]), keys: [...this.sortedKeys], conflicts: [...this.conflictsByName] },
    };
  }

  /** Adds or replaces a file's operations. */
  setFile(facts: FileDdl): void {
    this.ensureIndex();
    this.removeFile(facts.file);
    if (!facts.ddl.length) return;
    const names = facts.ddl.map(namesOf);
    this.files.set(facts.file, { names, ops: facts.ddl });
    for (const list of names) {
      for (const n of list) {
        this.filesByName.add(n, facts.file);
        if (!this.everything && writes(list, n)) this.dirty.add(n);
      }
    }
    this.built = undefined;
  }

  removeFile(file: string): void {
    this.ensureIndex();
    const entry = this.files.get(file);
    if (!entry) return;
    this.files.delete(file);
    for (const list of entry.names) {
      for (const n of list) {
        this.filesByName.remove(n, file);
        if (!this.everything && writes(list, n)) this.dirty.add(n);
      }
    }
    this.built = undefined;
  }

  snapshot(): CatalogSnapshot {
    if (this.built) return this.built;
    if (this.everything) this.rebuildAll();
    else if (this.dirty.size) this.rebuild(this.closure(this.dirty));
    this.dirty.clear();
    this.everything = false;
    this.deriveTypes();
    const tables = this.sortedTables.slice();
    const conflicts: CatalogConflict[] = [];
    for (const list of this.conflictsByName.values()) conflicts.push(...list);
    this.built = { tables, conflicts: sortConflicts(conflicts) };
    return this.built;
  }

  /** Columns of all tables in the catalog (as of the last snapshot). */
  columnCount(): number {
    if (this.pendingIndex) return countColumns(this.built!.tables);
    this.snapshot();
    return this.columns;
  }

  private opsOf(file: string): DdlOperation[] {
    const entry = this.files.get(file)!;
    return (entry.ops ??= this.resolveOps!(file));
  }

  /** Every name linked to the given ones through some file's operation. */
  private closure(start: Set<string>): Set<string> {
    const seen = new Set(start);
    const stack = [...start];
    while (stack.length) {
      const n = stack.pop()!;
      // a docs block reached from a relation is re-read with it, but leads to no other relation using it
      if (isDocName(n) && !start.has(n)) continue;
      for (const file of this.filesByName.get(n)) {
        for (const names of this.files.get(file)!.names) {
          if (names.length < 2 || !names.includes(n)) continue;
          for (const m of names) {
            if (!seen.has(m)) {
              seen.add(m);
              stack.push(m);
            }
          }
        }
      }
    }
    return seen;
  }

  private rebuildAll(): void {
    const paths = [...this.files.keys()].sort(); // the default order of strings is byPath's, without a call per comparison
    const builder = applyAll(paths.map((p) => this.opsOf(p)));
    this.tables.clear();
    this.keysByName.clear();
    this.conflictsByName.clear();
    this.nodeKeys.clear();
    this.derivedKeys.clear();
    this.dependents.clear();
    this.dependentsKept = false;
    this.derivePending.all = true;
    this.columns = 0;
    this.absorb(builder);
    this.resort();
  }

  /** Notes what the derived types need to know of a table now in the catalog under `key`. */
  private track(key: string, t: TableDef): void {
    for (const n of dbtNodeNames(t)) this.nodeKeys.add(n, key);
    this.changedNames(key, t);
    if (!hasDerivedColumns(t)) return;
    this.derivedKeys.add(key);
    if (!this.derivePending.all) this.derivePending.keys.add(key);
    if (this.dependentsKept) for (const n of sourceNames(t)) this.dependents.add(n, key);
  }

  private untrack(key: string, t: TableDef): void {
    for (const n of dbtNodeNames(t)) this.nodeKeys.remove(n, key);
    this.changedNames(key, t);
    if (!this.derivedKeys.delete(key)) return;
    if (this.dependentsKept) for (const n of sourceNames(t)) this.dependents.remove(n, key);
  }

  /** The names a relation is found by: what changed under them may change the types derived from them. */
  private changedNames(key: string, t: TableDef): void {
    if (this.derivePending.all) return; // every derived table is worked out again anyway
    for (const n of relationNames(key, t)) this.derivePending.names.add(n);
  }

  /**
   * Works out the derived column types that the changes since the last snapshot may have moved: those of derived
   * tables rebuilt, and of the tables downstream of a relation that came, went, was rebuilt or got new types (then
   * of theirs, and so on). A table whose types changed is replaced by its typed copy; the others stay as they are.
   */
  private deriveTypes(): void {
    const { all, names, keys } = this.derivePending;
    this.derivePending = { all: false, names: new Set(), keys: new Set() };
    const memo = newDerivedTypeMemo();
    if (!all && !this.dependentsKept) {
      for (const k of this.derivedKeys) for (const n of sourceNames(this.tables.get(k)!)) this.dependents.add(n, k);
      this.dependentsKept = true;
    }
    const queue = all ? [...this.derivedKeys] : [...keys];
    const seen = new Set(queue);
    const downstreamOf = (name: string): void => {
      for (const k of this.dependents.get(name)) {
        if (seen.has(k)) continue;
        seen.add(k);
        queue.push(k);
      }
    };
    if (!all) for (const n of names) downstreamOf(n);
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i]!;
      const t = this.tables.get(key);
      const typed = t && withDerivedTypes(t, this.lookup, memo);
      if (!typed) continue;
      this.columns += typed.columns.length - t.columns.length; // a `select *` may have gained or lost columns
      this.tables.set(key, typed);
      const at = lowerBound(this.sortedKeys, key);
      if (this.sortedKeys[at] === key) this.sortedTables[at] = typed;
      if (all) continue; // every derived table is in the queue already
      for (const n of relationNames(key, typed)) downstreamOf(n);
    }
  }

  /** Sorts every key again (a full build, or a change to many relations). */
  private resort(): void {
    this.sortedKeys = [...this.tables.keys()].sort();
    this.sortedTables = this.sortedKeys.map((k) => this.tables.get(k)!);
  }

  /** Re-applies every operation touching the names (a union of whole groups) and swaps in the result. */
  private rebuild(names: Set<string>): void {
    const paths = new Set<string>();
    for (const n of names) for (const f of this.filesByName.get(n)) paths.add(f);
    const ops = [...paths].sort().map((p) => {
      const all = this.opsOf(p);
      // an operation that only reads a docs block in the group (another relation's description) is not re-applied
      const inGroup = (list: string[]): boolean => list.some((n) => names.has(n) && writes(list, n));
      return this.files.get(p)!.names.flatMap((list, i) => (inGroup(list) ? [all[i]!] : []));
    });
    const builder = applyAll(ops);
    const removed = new Set<string>();
    for (const n of names) {
      for (const k of this.keysByName.get(n)) {
        const gone = this.tables.get(k);
        if (gone) {
          this.columns -= gone.columns.length;
          this.untrack(k, gone);
        }
        this.tables.delete(k);
        removed.add(k);
      }
      this.keysByName.delete(n);
      this.conflictsByName.delete(n);
    }
    const added = this.absorb(builder);
    if (removed.size + added.length > 256) {
      this.resort();
      return;
    }
    // a few relations changed: each one found by binary search, and the two lists changed in step
    for (const k of removed) {
      if (this.tables.has(k)) continue; // rebuilt under the same key: replaced below
      const i = lowerBound(this.sortedKeys, k);
      if (this.sortedKeys[i] !== k) continue;
      this.sortedKeys.splice(i, 1);
      this.sortedTables.splice(i, 1);
    }
    for (const k of added) {
      const i = lowerBound(this.sortedKeys, k);
      if (this.sortedKeys[i] === k) this.sortedTables[i] = this.tables.get(k)!;
      else {
        this.sortedKeys.splice(i, 0, k);
        this.sortedTables.splice(i, 0, this.tables.get(k)!);
      }
    }
  }

  /** Takes the builder's tables and conflicts in; returns the keys added. */
  private absorb(builder: CatalogBuilder): string[] {
    const added: string[] = [];
    // keyed as the builder keyed them (an overlay may land under a model's earlier key, not its own name)
    for (const [key, t] of builder.entries()) {
      const before = this.tables.get(key);
      this.columns += t.columns.length - (before?.columns.length ?? 0);
      if (before) this.untrack(key, before);
      this.track(key, t);
      this.tables.set(key, t);
      added.push(key);
      this.keysByName.add(bare(key), key);
    }
    builder.conflictList().forEach((c, i) => {
      const n = builder.conflictNames[i]!;
      const list = this.conflictsByName.get(n);
      if (list) list.push(c);
      else this.conflictsByName.set(n, [c]);
    });
    return added;
  }
}

/**
 * Whether the operation touching `names` defines `name` (so changing it changes what goes by that name): a docs block
 * is defined by its own operation only; a description using it merely reads it.
 */
function writes(names: string[], name: string): boolean {
  return !isDocName(name) || names.length === 1;
}

function countColumns(tables: TableDef[]): number {
  let n = 0;
  for (const t of tables) n += t.columns.length;
  return n;
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}


/** The names an operation may read or write (erring on the side of more: a larger group only costs time). */
function namesOf(op: DdlOperation): string[] {
  switch (op.op) {
    case 'createTable': {
      const t = op.table;
      const names = [bare(t.name)];
      const node = dbtNodeOf(t);
      if (node) names.push(node);
      // a version links to the model its .sql file makes, and (the latest) to what ref('model') reaches
      if (t.dbt?.version) names.push(...dbtNodeNames(t).slice(1), `model:${t.dbt.version.file.toLowerCase()}`, bare(t.dbt.version.file));
      if (op.likeTable) names.push(bare(op.likeTable.name));
      // the docs blocks its descriptions render (read by it; they do not tie the relations using them together)
      if (isOverlay(t)) for (const d of tableDocReferences(t)) if (!names.includes(d)) names.push(d);
      return names;
    }
    case 'docBlock':
      return [docName(op.project, op.name)];
    case 'renameTable':
      return [bare(op.table.name), bare(op.to)];
    case 'comment':
      return [bare(op.target.table.name)];
    default:
      return [bare(op.table.name)];
  }
}

function applyColumnChange(c: ColumnDef, change: ColumnChange): void {
  if (change.dataType !== undefined) {
    c.dataType = change.dataType;
    c.typeFamily = change.typeFamily;
  }
  if (change.nullable !== undefined) c.nullable = change.nullable;
  if (change.defaultExpr === null) delete c.defaultExpr;
  else if (change.defaultExpr !== undefined) c.defaultExpr = change.defaultExpr;
  if (change.encoding !== undefined) c.encoding = change.encoding;
}

function isOverlay(t: TableDef): boolean {
  return t.origin.kind === 'dbt-yaml' || t.origin.kind === 'dbt-manifest';
}

function overlayRank(t: TableDef): number {
  return t.origin.kind === 'dbt-yaml' ? 0 : 1;
}

/** The dbt model name a relation was built from (unique id `model.project.name`), if any. */
export function dbtModelName(t: TableDef): string | undefined {
  if (t.dbt?.resourceType !== 'model' && t.kind !== 'dbtModel') return undefined;
  return dbtResourceName(t);
}

/** The dbt node a model, seed or snapshot is (`model:x`, `seed:x`, `snapshot:x`), if it is one (see dbtNodeNames). */
function dbtNodeOf(t: TableDef): string | undefined {
  const node = dbtNodeNames(t)[0];
  return node === undefined || node.startsWith('source:') ? undefined : node;
}


class CatalogBuilder {
  private readonly tables = new Map<string, TableDef>();
  /** Lower-case bare name → keys of the relations with that name (unqualified names resolve through it). */
  private readonly keysByName = new NameIndex();
  private readonly conflicts: CatalogConflict[] = [];
  /** Bare name (lower case) of the relation each conflict is about. */
  readonly conflictNames: string[] = [];
  /** dbt model/seed name (lower case) → relation key. */
  /** Keys by dbt node (`model:x`, `seed:x`, `snapshot:x`): what schema.yml and artifacts describe. */
  private readonly nodes = new Map<string, string>();

  /** Tables whose lists (and list items) are still the operations' own, not yet copied. */
  private readonly shared = new WeakSet<TableDef>();

  /**
   * Copy-on-write: a table the builder takes from an operation is a shallow copy sharing the operation's column,
   * constraint and test lists (most tables are never changed after CREATE, and copying 160k columns was most of a
   * catalog build and of the memory it held); the first change copies them (`own`). Snapshots share those objects
   * with the files' operations, which is why nothing may mutate a catalog snapshot.
   */
  private adopt(table: TableDef): TableDef {
    const t = copyOf(table);
    if (!t.schema) t.schema = DEFAULT_SCHEMA;
    this.shared.add(t);
    return t;
  }

  /** Puts a new relation in, findable by its dbt model or seed name too. */
  private register(key: string, t: TableDef): void {
    this.put(key, t);
    const node = dbtNodeOf(t);
    if (node) this.nodes.set(node, key);
  }

  /** The table with its own copies of the lists and items, made on first change. */
  private own(t: TableDef): TableDef {
    if (this.shared.delete(t)) {
      t.columns = t.columns.map(copyOf);
      t.constraints = t.constraints.map(constraintCopy);
      if (t.tests) t.tests = [...t.tests];
      if (t.semanticEntities) t.semanticEntities = [...t.semanticEntities];
    }
    return t;
  }

  private findOwned(name: QualifiedName): TableDef | undefined {
    const t = this.find(name);
    return t && this.own(t);
  }

  apply(op: DdlOperation): void {
    switch (op.op) {
      case 'createTable':
        return this.create(op.table, op.likeTable);
      case 'addColumn': {
        const t = this.findOwned(op.table);
        if (!t) return;
        const existing = t.columns.findIndex((c) => sameName(c.name, op.column.name));
        if (existing >= 0) t.columns[existing] = copyOf(op.column);
        else t.columns.push(copyOf(op.column));
        return;
      }
      case 'dropColumn': {
        const t = this.findOwned(op.table);
        if (t) t.columns = t.columns.filter((c) => !sameName(c.name, op.column));
        return;
      }
      case 'renameColumn': {
        const t = this.findOwned(op.table);
        const c = t?.columns.find((x) => sameName(x.name, op.from));
        if (!t || !c) return;
        c.name = op.to;
        const renamed = (n: string): string => (sameName(n, op.from) ? op.to : n);
        for (const k of t.constraints) k.columns = k.columns.map(renamed);
        if (t.distKey) t.distKey = renamed(t.distKey);
        if (t.sortKey) t.sortKey = { ...t.sortKey, columns: t.sortKey.columns.map(renamed) };
        return;
      }
      case 'alterColumn': {
        const t = this.findOwned(op.table);
        const c = t?.columns.find((x) => sameName(x.name, op.column));
        if (c) applyColumnChange(c, op.change);
        return;
      }
      case 'alterTable': {
        const { change } = op;
        // a new distribution key moves the column-level DISTKEY mark too, so that needs the table's own columns
        const t = change.distKey !== undefined ? this.findOwned(op.table) : this.find(op.table);
        if (!t) return;
        if (change.distStyle !== undefined) t.distStyle = change.distStyle;
        if (change.distKey !== undefined) {
          t.distKey = change.distKey ?? undefined;
          for (const c of t.columns) {
            if (c.distKey && !sameName(c.name, change.distKey ?? '')) delete c.distKey;
          }
        }
        if (change.sortKey !== undefined) t.sortKey = change.sortKey ?? undefined;
        return;
      }
      case 'renameTable': {
        const key = this.resolveKey(op.table);
        const t = key ? this.tables.get(key) : undefined;
        if (!key || !t) return;
        this.remove(key);
        t.name = op.to.includes('.') ? op.to.split('.').pop()! : op.to;
        if (op.toSchema !== undefined) t.schema = op.toSchema;
        const newKey = relationKey(t.schema, t.name);
        this.put(newKey, t);
        return;
      }
      case 'addConstraint': {
        const t = this.findOwned(op.table);
        if (t) t.constraints.push(constraintCopy(op.constraint));
        return;
      }
      case 'dropConstraint': {
        const t = this.findOwned(op.table);
        if (t) t.constraints = t.constraints.filter((k) => !k.name || !sameName(k.name, op.name));
        return;
      }
      case 'comment': {
        // a table comment changes only the builder's own copy of the table: its columns need not be copied
        const t = op.target.kind === 'table' ? this.find(op.target.table) : this.findOwned(op.target.table);
        if (!t) return;
        const text = op.text ?? undefined;
        if (op.target.kind === 'table') t.comment = text;
        else {
          const c = t.columns.find((x) => sameName(x.name, op.target.column ?? ''));
          if (c) c.comment = text;
        }
        return;
      }
      case 'drop': {
        const key = this.resolveKey(op.table);
        if (key) this.remove(key);
        return;
      }
      case 'docBlock':
        return; // read by applyAll
    }
  }

  private create(table: TableDef, like?: QualifiedName): void {
    const t = this.adopt(table);
    if (like) {
      const src = this.find(like);
      if (src) {
        const own = new Set(t.columns.map((c) => c.name.toLowerCase()));
        const copied: ColumnDef[] = src.columns.filter((c) => !own.has(c.name.toLowerCase())).map((c) => Object.assign(copyOf(c), { origin: t.origin }));
        t.columns = [...copied, ...t.columns];
      }
    }
    const key = relationKey(t.schema, t.name);
    const existing = this.tables.get(key);
    if (existing) {
      if (existing.columns.length === 0 && t.columns.length > 0) {
        this.own(existing).columns = t.columns.map(copyOf);
        return;
      }
      const diff = t.columns.length === 0 ? undefined : describeColumnDifference(existing.columns, t.columns);
      if (diff) {
        this.conflicts.push({
          table: key,
          message: `${key} is defined differently in ${where(existing)} and ${where(t)} (${diff}); keeping the first`,
          origins: [existing.origin, t.origin],
        });
        this.conflictNames.push(bare(key));
      }
      return;
    }
    this.register(key, t);
  }

  /** Merges dbt YAML / artifact facts onto the relation they describe (created when missing). */
  overlay(o: TableDef): void {
    let key: string | undefined;
    const node = dbtNodeOf(o);
    if (node) key = this.nodes.get(node);
    // a version of a versioned model not yet known as one: the model its .sql file made
    if (key === undefined && o.dbt?.version) key = this.nodes.get(`model:${o.dbt.version.file.toLowerCase()}`);
    key ??= relationKey(o.schema || DEFAULT_SCHEMA, o.name);
    const t = this.tables.get(key);
    if (o.dbt?.disabled) {
      // schema.yml disabling a model, seed or snapshot a file defines: dbt leaves it out of the project
      if (t && t.dbt?.resourceType === o.dbt.resourceType) this.remove(key);
      return;
    }
    if (!t) {
      // as dbt: properties of a model, seed or snapshot that no file defines (or one disabled) describe nothing
      if (describesOnly(o)) return;
      return this.register(key, this.adopt(o));
    }
    this.own(t);
    const own = t.dbt?.configured;
    // schema.yml's `config:` wins over dbt_project.yml, and the model's own config() over both
    const fromYaml = (k: DbtConfigKey): boolean => o.origin.kind === 'dbt-yaml' && !!o.dbt?.configured?.includes(k) && !own?.includes(k);
    // a snapshot's target_schema, from wherever it is set, wins over any schema
    const yamlMoves =
      t.kind === 'dbtSnapshot'
        ? !own?.includes('target_schema') && (fromYaml('target_schema') || (!t.dbt?.schemaIsTarget && fromYaml('schema')))
        : fromYaml('schema');
    if (o.origin.kind === 'dbt-manifest' || yamlMoves) key = this.moveToSchema(key, t, o.schema);
    // schema.yml's alias names it, unless its own config() does
    if (fromYaml('alias') && !sameName(o.name, t.name)) key = this.relocate(key, t, t.schema, o.name);
    if (t.comment === undefined && o.comment !== undefined) t.comment = o.comment;
    if (o.dbt) {
      const materialized = fromYaml('materialized') ? o.dbt.materialized : (t.dbt?.materialized ?? o.dbt.materialized);
      const schemaIsTarget = t.dbt?.schemaIsTarget || (yamlMoves && fromYaml('target_schema'));
      const snapshot = t.kind === 'dbtSnapshot' && o.origin.kind === 'dbt-yaml' && !o.starsFrom ? o.dbt.snapshot : undefined;
      t.dbt = Object.assign({}, o.dbt, t.dbt, { materialized });
      if (snapshot) withSnapshotProperties(t, snapshot);
      if (own) t.dbt.configured = own;
      else delete t.dbt.configured;
      if (schemaIsTarget) t.dbt.schemaIsTarget = true;
      else delete t.dbt.schemaIsTarget;
      if (o.dbt.version) {
        // the file's model is this version: dbt's id, the version's relation name, and the names ref() reaches it by
        t.dbt.uniqueId = o.dbt.uniqueId;
        t.dbt.version = o.dbt.version;
        key = this.relocate(key, t, t.schema, o.name);
        for (const n of dbtNodeNames(t)) this.nodes.set(n, key);
      }
    }
    for (const oc of o.columns) {
      const c = t.columns.find((x) => sameName(x.name, oc.name));
      if (!c) {
        t.columns.push(copyOf(oc));
        continue;
      }
      if (c.comment === undefined && oc.comment !== undefined) c.comment = oc.comment;
      if (c.nullable === undefined && oc.nullable !== undefined) c.nullable = oc.nullable;
      if (oc.dataType && (!c.dataType || o.dbt?.declaredTypes?.includes(oc.name.toLowerCase()))) {
        c.dataType = oc.dataType;
        c.typeFamily = oc.typeFamily ?? c.typeFamily;
      }
    }
    if (o.constraints.length) t.constraints.push(...o.constraints.map(constraintCopy));
    if (o.tests?.length) t.tests = [...(t.tests ?? []), ...o.tests];
    if (o.semanticEntities?.length) t.semanticEntities = [...(t.semanticEntities ?? []), ...o.semanticEntities];
  }

  /**
   * A model or seed moves to the schema schema.yml configures for it, or where dbt artifacts say dbt really built it
   * (the profile's target schema and generate_schema_name, which the workspace alone cannot tell; applied last),
   * unless that name is taken.
   */
  private moveToSchema(key: string, t: TableDef, schema: string): string {
    if (!schema || sameName(schema, t.schema) || (t.kind !== 'dbtModel' && t.kind !== 'dbtSeed' && t.kind !== 'dbtSnapshot')) return key;
    return this.relocate(key, t, schema, t.name);
  }

  /** Moves a relation (owned by this builder) to another schema or name, unless that is taken; returns its key. */
  private relocate(key: string, t: TableDef, schema: string, name: string): string {
    const to = relationKey(schema, name);
    if (to === key || this.tables.has(to)) return key;
    this.remove(key);
    t.schema = schema;
    t.name = name;
    this.register(to, t);
    return to;
  }

  private find(name: QualifiedName): TableDef | undefined {
    const key = this.resolveKey(name);
    return key ? this.tables.get(key) : undefined;
  }

  /** Unqualified names resolve to `public` first, then to the only relation of that name in any schema. */
  private resolveKey(name: QualifiedName): string | undefined {
    const key = relationKey(name.schema, name.name);
    if (name.schema || this.tables.has(key)) return key;
    // none, or ambiguous: the default schema
    return this.keysByName.only(name.name.toLowerCase()) ?? key;
  }

  private put(key: string, t: TableDef): void {
    this.tables.set(key, t);
    this.keysByName.add(t.name.toLowerCase(), key);
  }

  private remove(key: string): void {
    const t = this.tables.get(key);
    if (!t) return;
    this.tables.delete(key);
    this.keysByName.remove(t.name.toLowerCase(), key);
  }

  /** Puts a finished copy of a table in its place (derived types); the builder applies nothing after it. */
  replace(key: string, t: TableDef): void {
    this.tables.set(key, t);
  }

  entries(): IterableIterator<[string, TableDef]> {
    return this.tables.entries();
  }

  /** The conflicts in application order (parallel to conflictNames). */
  conflictList(): readonly CatalogConflict[] {
    return this.conflicts;
  }

  finish(): CatalogSnapshot {
    const tables = [...this.tables.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
    return { tables, conflicts: this.conflicts };
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function where(t: TableDef): string {
  const o = t.origin;
  if (o.file) return o.line ? `${o.file}:${o.line}` : o.file;
  return o.connection ?? o.kind;
}

/**
 * A snapshot defined in a .sql file under the configs of its schema.yml entry, which win over dbt_project.yml's and
 * lose to its own config()'s: the merged configs, and dbt's columns renamed, added or dropped as they say. In place
 * (the builder owns the table).
 */
function withSnapshotProperties(t: TableDef, properties: DbtSnapshotConfig): void {
  const before = t.dbt?.snapshot;
  const own = new Set(t.dbt?.snapshotOwn ?? []);
  const taken = Object.fromEntries(Object.entries(properties).filter(([k]) => !own.has(k as keyof DbtSnapshotConfig)));
  const after = mergeSnapshotConfigs(before, taken);
  if (!after) return;
  t.dbt!.snapshot = after;
  // dbt's columns as they were named go, and come back last, as they are named now
  const meta = new Set(snapshotMetaColumns(before).map((m) => m.name.toLowerCase()));
  const origin = t.columns.find((c) => meta.has(c.name.toLowerCase()))?.origin ?? t.origin;
  t.columns = t.columns.filter((c) => !meta.has(c.name.toLowerCase()));
  addSnapshotColumns(t.columns, origin, after);
}

/** A schema.yml entry that only describes a resource a file defines: a model, a seed, or a snapshot without `relation:`. */
function describesOnly(o: TableDef): boolean {
  if (o.origin.kind !== 'dbt-yaml') return false;
  return o.kind === 'dbtModel' || o.kind === 'dbtSeed' || (o.kind === 'dbtSnapshot' && !o.starsFrom);
}
