import type { JoinPair, QualifiedName } from '../sql/types';
import { emptyFacts, type FileFacts, type OrmEntity } from './facts';
import { joinTableKeys, ormKey, tableOf } from './ormEntities';
import { childElements, parseXml, type XmlElement } from './xmlTree';

/**
 * Hibernate's XML mappings (`*.hbm.xml`), as legacy Java applications (OpenClinica among them) declare their schema:
 * each `<class name table schema>` is an entity (its table by default the class's unqualified name) with its `<id>`
 * column, and its associations give ORM keys:
 * - `<many-to-one class column>` (or nested `<column>`s: a composite key), to the target's id, or to the column of its
 *   `property-ref`;
 * - `<one-to-one constrained="true">`: this table's id is a key to the target's;
 * - a collection (`<set>`, `<bag>`, `<list>`, `<map>`, `<idbag>`) with `<key column>` and `<one-to-many class>`: the
 *   target's key column to this id; with `<many-to-many class column>`: its `table`'s two keys;
 * - `<joined-subclass table>` with its `<key column>`: a table of its own whose id is a key to its parent's;
 *   `<subclass>` and `<union-subclass>`: the parent's table, or one of their own.
 * Targets are classes, placed on what their own mapping (in any file) declares once the workspace is read.
 */
export function extractHibernateMapping(file: string, text: string): FileFacts {
  const facts = emptyFacts(file, 'hibernate');
  const root = childElements(parseXml(text), 'hibernate-mapping')[0];
  if (!root) return facts;
  const context: Context = { file, schema: root.attributes.schema, entities: [], joins: [] };
  for (const c of childElements(root)) {
    if (!CLASSES.has(c.name)) continue;
    // a subclass mapped apart from its parent names it (`extends="org.shop.Payment"`), maybe in another file
    const parent = c.name !== 'class' ? simpleName(c.attributes.extends) : undefined;
    readClass(c, context, parent ? { name: parent, table: { name: parent }, line: c.line } : undefined, parent !== undefined);
  }
  if (context.entities.length) facts.entities = context.entities;
  facts.joins = context.joins;
  return facts;
}

const CLASSES = new Set(['class', 'subclass', 'joined-subclass', 'union-subclass']);
const COLLECTIONS = new Set(['set', 'bag', 'list', 'map', 'idbag', 'array']);

interface Context {
  file: string;
  schema?: string;
  entities: OrmEntity[];
  joins: JoinPair[];
}

/** A class mapping (or a subclass's, inside its parent's) and what its properties declare. */
function readClass(c: XmlElement, context: Context, parent: OrmEntity | undefined, parentElsewhere = false): void {
  const name = simpleName(c.attributes.name ?? c.attributes['entity-name']);
  if (!name) return;
  const at = { file: context.file, line: c.line };
  const ownTable = c.name !== 'subclass' || c.attributes.table !== undefined;
  const table = tableOf(c.attributes.schema ?? context.schema, c.attributes.table ?? name);
  const entity: OrmEntity = { name, table, line: c.line };
  const id = childElements(c, 'id')[0];
  if (id) entity.idColumn = columnsOf(id)[0] ?? id.attributes.name;
  // properties whose column is named otherwise, for a `property-ref` to find its column
  const renamed: Array<[string, string]> = [];
  for (const p of childElements(c)) {
    const column = (p.name === 'id' || p.name === 'property') && p.attributes.name ? columnsOf(p)[0] : undefined;
    if (column && column !== p.attributes.name) renamed.push([p.attributes.name!, column]);
  }
  if (renamed.length) entity.fieldColumns = Object.fromEntries(renamed);
  if (parent) {
    entity.extends = parent.name;
    if (c.name === 'joined-subclass') {
      // a table of its own, whose id is a key to the parent's
      entity.inheritance = 'joined';
      const key = keyColumns(c)[0];
      if (key) {
        entity.idColumn ??= key;
        context.joins.push(ormKey(table, key, parent.table, parent.idColumn ?? '', at, { via: 'orm-one-to-one', toEntity: parent.name }));
      }
    } else if (c.name === 'union-subclass') entity.inheritance = 'table-per-class';
  }
  context.entities.push(entity);
  // a single-table subclass's keys are its parent's table's (placed by the hierarchy when the parent is elsewhere)
  const owner: Owner = ownTable ? { table, entity: name, id: entity.idColumn ?? 'id' } : { table: parent?.table ?? table, entity: parent?.name ?? name, id: parent?.idColumn ?? 'id' };
  const from = context.joins.length;
  for (const p of childElements(c)) {
    const line = { file: context.file, line: p.line };
    if (CLASSES.has(p.name)) readClass(p, context, entity);
    else if (p.name === 'many-to-one') manyToOne(p, owner, line, context.joins);
    else if (p.name === 'one-to-one' && p.attributes.constrained === 'true') {
      const target = simpleName(p.attributes.class);
      if (target) context.joins.push(ormKey(owner.table, owner.id, { name: target }, '', line, { via: 'orm-one-to-one', toEntity: target }));
    } else if (COLLECTIONS.has(p.name)) collection(p, owner, line, context);
    else if (p.name === 'component' || p.name === 'properties' || p.name === 'join') {
      // an embedded component's (or a `<join>`'s) many-to-ones are on this table (a `<join>`'s on its own)
      const nested: Owner = p.name === 'join' && p.attributes.table ? { table: tableOf(p.attributes.schema ?? context.schema, p.attributes.table), entity: '', id: keyColumns(p)[0] ?? owner.id } : owner;
      for (const m of childElements(p, 'many-to-one')) manyToOne(m, nested, { file: context.file, line: m.line }, context.joins);
    }
  }
  if (parentElsewhere && !ownTable) for (const key of context.joins.slice(from)) if (key.left.table === owner.table) key.fromEntity = name;
}

interface Owner {
  table: QualifiedName;
  entity: string;
  id: string;
}

/** `<many-to-one class column>`: the owner's column(s) to the target class's id (or its `property-ref`'s column). */
function manyToOne(m: XmlElement, owner: Owner, at: { file: string; line: number }, joins: JoinPair[]): void {
  const target = simpleName(m.attributes.class);
  const columns = columnsOf(m);
  if (!target || !columns.length) return;
  const referenced = m.attributes['property-ref'] ?? '';
  // a composite key references the target's composite id, whose columns only its own mapping lists: left out
  if (columns.length !== 1) return;
  const via = m.attributes.unique === 'true' ? 'orm-one-to-one' : 'orm-foreign-key';
  joins.push(ormKey(owner.table, columns[0]!, { name: target }, referenced, at, { via, toEntity: target }));
}

/** A collection: `<key>` with `<one-to-many>` (the target's key to this id) or `<many-to-many>` (its table's two keys). */
function collection(p: XmlElement, owner: Owner, at: { file: string; line: number }, context: Context): void {
  if (p.attributes.inverse === 'true') return; // the other side maps the same key
  const key = keyColumns(p);
  if (key.length !== 1) return;
  const oneToMany = childElements(p, 'one-to-many')[0];
  const manyToMany = childElements(p, 'many-to-many')[0];
  if (oneToMany) {
    const target = simpleName(oneToMany.attributes.class);
    if (target) context.joins.push(ormKey({ name: target }, key[0]!, owner.table, owner.id, at, { fromEntity: target }));
  } else if (manyToMany && p.attributes.table) {
    const target = simpleName(manyToMany.attributes.class);
    const column = columnsOf(manyToMany)[0];
    if (!target || !column) return;
    const through = tableOf(p.attributes.schema ?? context.schema, p.attributes.table);
    context.joins.push(...joinTableKeys(through, key[0]!, { table: owner.table, key: owner.id }, column, { entity: target, table: { name: target } }, at));
  }
}

/** An element's columns: its `column` attribute, else its nested `<column name>`s. */
function columnsOf(e: XmlElement): string[] {
  if (e.attributes.column) return [e.attributes.column];
  return childElements(e, 'column').flatMap((c) => (c.attributes.name ? [c.attributes.name] : []));
}

/** The columns of an element's `<key>` (`<key column>` or `<key><column name/></key>`). */
function keyColumns(e: XmlElement): string[] {
  const key = childElements(e, 'key')[0];
  return key ? columnsOf(key) : [];
}

/** `org.shop.Subject` → `Subject`. */
function simpleName(name: string | undefined): string | undefined {
  const simple = name?.slice(name.lastIndexOf('.') + 1).trim();
  return simple && /^\w+$/.test(simple) ? simple : undefined;
}
