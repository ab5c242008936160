import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import type { OrmEntity } from './facts';
import { compositeOrmKey, joinTableKeys, ormKey, tableOf, type OrmFacts } from './ormEntities';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringArgument, plainStringList, type TokenRange } from './codeConstants/matchers';
import { lineIndents } from './codeConstants/sourceText';
import { snakeCase } from './annotations';

/**
 * Foreign keys that Python ORM models declare: the application's own schema, often the best evidence of how the
 * warehouse copies of its tables join (warehouses seldom declare them).
 * - SQLAlchemy: `customer_id = Column(Integer, ForeignKey('customers.id'))`, `mapped_column(ForeignKey('sales.customers.id'))`,
 *   `Column('cust', ForeignKey(…))`, in a class with `__tablename__` (and `__table_args__ = {'schema': …}`).
 * - Django: `customer = models.ForeignKey(Customer, …)` / `OneToOneField('shop.Customer', …)`: the column is
 *   `customer_id` (or `db_column`), the tables `<app>_<model>` (or `Meta.db_table`), the referenced column `id` (or
 *   `to_field`, or the target's own `primary_key=True` field). The app is the folder that holds `models.py` (or the
 *   `models/` package). A target declared in another file is named (`toEntity`, `app.Model`) and placed on what that
 *   file declares for it (its `db_table`, its primary key) once the workspace is read; these are its defaults until then.
 * Each is a JoinPair from the referencing column to the referenced one, `via` the ORM.
 */

interface ModelClass {
  name: string;
  /** Index of its `class` token. */
  at: number;
  /** Token range of the class body. */
  from: number;
  to: number;
  line: number;
  tablename?: string;
  schema?: string;
  dbTable?: string;
  /** A Django field declared `primary_key=True`: its column. */
  primaryKey?: string;
  /** A Django model: a class whose bases name `Model` (`models.Model`, an abstract base called …Model). */
  djangoModel: boolean;
  /**
   * A Flask-SQLAlchemy model: its bases name `db.Model` (any `x.Model` but Django's `models.Model`) or a Flask model of
   * the file, or its body declares `db.Column`s. Without `__tablename__` its table is its name in snake_case.
   */
  flask: boolean;
  /** `__abstract__ = True`: no table of its own. */
  abstract?: boolean;
  /** Django's `Meta.abstract = True`: no table; its fields are each concrete subclass's. */
  djangoAbstract?: boolean;
  /** Django's `Meta.app_label`. */
  appLabel?: string;
  /** Django's `Meta.proxy = True`: its parent's table. */
  proxy?: boolean;
  /**
   * A SQLAlchemy subclass of a mapped class of the file, without a `__tablename__` (Flask-SQLAlchemy: nor a primary key)
   * of its own: single-table inheritance, its rows in its parent's table.
   */
  sharesTableOf?: ModelClass;
  /** The simple names its bases are written with. */
  bases: string[];
}

export function pythonOrmRelationships(tokens: Token[], text: string, file: string): OrmFacts {
  const none = { joins: [], entities: [] };
  // most Python files declare no model, or none that differs from the defaults: a native search spares them the scan
  // (a Django app's models file: its models may subclass abstract models of other files, which declare their keys)
  if (!['ForeignKey', 'OneToOneField', 'ManyToManyField', 'db_table', 'primary_key=True', 'create_foreign_key', '__tablename__', 'Table(', 'db.Column'].some((s) => text.includes(s)) && !djangoAppOf(file)) return none;
  // SQLAlchemy's mapped classes and Core tables, for joins that code writes between them (sqlalchemyJoins)
  const entities: OrmEntity[] = [];
  const core = coreTables(tokens, file, entities);
  const all = classesOf(tokens, text);
  // a `Meta` class says things about its model (db_table) and is no model itself
  const classes = all.filter((c) => c.name !== 'Meta');
  if (!classes.length) return { joins: core, entities };
  const byAt = new Map(all.map((c) => [c.at, c]));
  const fileApp = djangoAppOf(file);
  /** A Django model's app: its `Meta.app_label`, else its file's. */
  const appOf = (c: ModelClass): string | undefined => c.appLabel ?? fileApp;
  const byName = new Map(classes.map((c) => [c.name, c]));
  const imports = fromImports(tokens);
  const imported = importedModels(imports);
  const djangoTable = (c: ModelClass | undefined, model: string, appLabel: string | undefined): QualifiedName | undefined => {
    if (c?.dbTable) return { name: c.dbTable };
    return appLabel ? { name: `${appLabel}_${model.toLowerCase()}` } : undefined;
  };
  /**
   * What a Django field of model `c` points at: the target's table and key when the file tells them, else (a model of
   * another file) Django's defaults and the entity that will place it (resolveOrmEntities).
   */
  const targetOf = (c: ModelClass, ref: { app?: string; model: string }): { table?: QualifiedName; key?: string; entity?: string } => {
    if (ref.model === 'self') return { table: djangoTable(c, c.name, appOf(c)), key: c.primaryKey };
    const local = ref.app === undefined ? byName.get(ref.model) : undefined;
    const appLabel = ref.app ?? imported.get(ref.model) ?? appOf(c);
    const table = djangoTable(local, ref.model, appLabel);
    return { table, key: local?.primaryKey, entity: !local && appLabel ? `${appLabel}.${ref.model}` : undefined };
  };
  const out: JoinPair[] = [];
  // Django models whose table or key differ from the defaults, for relationships in other files to find, and those
  // that subclass a class (maybe an abstract model, whose keys are theirs); abstract models, by their class names
  // (classes of several apps share names, `AbstractLine`: each is named with its app, or its module's package)
  const basesFrom = importedFrom(imports, file);
  // (a SQLAlchemy module named models.py declares no Django model)
  const sqlalchemy = /sqlalchemy|__tablename__/.test(text);
  // an abstract model by its package (`address.AbstractAddress`), as the modules that import it name it
  const abstractName = (c: ModelClass): string => `${packageOf(file)}.${c.name}`;
  /** A base class's name, and whether its package is a guess (neither of this file nor imported by name). */
  const baseName = (c: ModelClass, base: string): { name: string; guessed?: true } => {
    const local = byName.get(base);
    if (local) return { name: local.djangoAbstract ? abstractName(local) : `${appOf(local) ?? packageOf(file)}.${local.name}` };
    const imported = basesFrom.get(base);
    return imported ? { name: `${imported}.${base}` } : { name: `${appOf(c) ?? packageOf(file)}.${base}`, guessed: true };
  };
  const extend = (entity: OrmEntity, c: ModelClass, base: string): void => {
    const { name, guessed } = baseName(c, base);
    entity.extends = name;
    if (guessed) entity.extendsGuessed = true;
  };
  for (const c of classes) {
    const app = appOf(c);
    const base = c.bases.find((b) => b !== 'Model' && !/Mixin$/.test(b) && b !== 'object');
    if (c.djangoAbstract) {
      const entity: OrmEntity = { name: abstractName(c), table: { name: c.name.toLowerCase() }, mappedSuperclass: true, line: c.line };
      if (c.primaryKey) entity.idColumn = c.primaryKey;
      if (base) extend(entity, c, base);
      entities.push(entity);
      continue;
    }
    // (a parent of the file's models too: their keys to it are kept only when it is a model)
    const parentOfOthers = classes.some((o) => o !== c && o.bases.includes(c.name));
    if (c.tablename || c.flask || c.sharesTableOf || !app || !(c.djangoModel || (base && fileApp && !sqlalchemy)) || (!c.dbTable && !c.primaryKey && !base && !parentOfOthers)) continue;
    if (c.proxy && base) {
      // a proxy model is its parent's rows (a parent of the same app: its table)
      entities.push({ name: `${app}.${c.name}`, table: djangoTable(byName.get(base), base, app)!, line: c.line });
      continue;
    }
    // each concrete model has its own table (multi-table inheritance): a child's id, `<parent>_ptr_id`, is a key to
    // its parent's when the parent is a concrete model (kept only then)
    const entity: OrmEntity = { name: `${app}.${c.name}`, table: djangoTable(c, c.name, app)!, inheritance: 'joined', line: c.line };
    if (c.primaryKey) entity.idColumn = c.primaryKey;
    if (base) {
      extend(entity, c, base);
      const key = ormKey(entity.table, `${base.toLowerCase()}_ptr_id`, { name: base.toLowerCase() }, '', { file, line: c.line }, { via: 'orm-one-to-one', toEntity: entity.extends, fromEntity: entity.name });
      key.joinedSubclass = true;
      out.push(key);
    }
    entities.push(entity);
  }
  for (const c of classes) {
    // a SQLAlchemy mapped class: its table, and its attributes' columns where they are named otherwise
    const table = modelTable(c);
    const mapped: OrmEntity | undefined = table ? { name: c.name, table, line: c.line } : undefined;
    if (mapped && c.sharesTableOf) mapped.extends = c.sharesTableOf.name;
    for (const k of ownStatements(tokens, c, byAt)) {
      const t = tokens[k]!;
      const at = { file, line: t.line };
      const eq = assignmentAt(tokens, k, c);
      if (eq < 0) continue;
      if (t.value === '__table_args__' && c.tablename && (isPunct(tokens[eq + 1], '(') || isPunct(tokens[eq + 1], '{'))) {
        // SQLAlchemy: `__table_args__ = (ForeignKeyConstraint(['a', 'b'], ['t.a', 't.b']), {'schema': …})`
        const end = matchClose(tokens, eq + 1);
        for (let j = eq + 2; j < end; j++) {
          const constraint = isId(tokens[j], 'ForeignKeyConstraint') ? callAt(tokens, j) : undefined;
          // its columns as strings, or as the class's attributes (`ForeignKeyConstraint([dag_id, run_id], […])`)
          if (constraint) out.push(...foreignKeyConstraintKeys(tokens, constraint, tableOf(c.schema, c.tablename), { file, line: tokens[j]!.line }, undefined, (attribute) => attributeColumns(tokens, c, byAt).get(attribute) ?? attribute));
        }
        continue;
      }
      const call = callAt(tokens, eq + 1);
      if (!call) continue;
      if (call.name === 'ForeignKey' || call.name === 'OneToOneField') {
        // Django: the call is the field
        const ref = call.args[0] ? modelRef(tokens, call.args[0]) : undefined;
        // an abstract model's key is each concrete subclass's (placed on theirs once the workspace is read)
        const fromTable = c.djangoAbstract ? { name: c.name.toLowerCase() } : djangoTable(c, c.name, appOf(c));
        if (!ref || c.tablename || !fromTable) continue;
        const target = targetOf(c, ref);
        if (!target.table) continue;
        const column = keywordString(tokens, call, 'db_column') ?? `${t.value}_id`;
        // a model of another file: its own declarations there (its key) win over these defaults
        const toColumn = keywordString(tokens, call, 'to_field') ?? target.key ?? (target.entity ? '' : 'id');
        const via = call.name === 'OneToOneField' ? 'orm-one-to-one' : 'orm-foreign-key';
        // ('self' in an abstract model is each concrete subclass)
        const self = c.djangoAbstract && ref.model === 'self' ? abstractName(c) : undefined;
        out.push(ormKey(fromTable, column, target.table, toColumn, at, { via, toEntity: self ?? target.entity, fromEntity: c.djangoAbstract ? abstractName(c) : undefined }));
      } else if (call.name === 'ManyToManyField' && !c.tablename && namedArgument(tokens, call.args, 'through', '=') === undefined) {
        // Django's own join table: `<model table>_<field>` (or db_table), with `<model>_id` and `<target>_id` (a
        // relation to itself: `from_<model>_id`, `to_<model>_id`), each a key to its model's primary key
        const ref = call.args[0] ? modelRef(tokens, call.args[0]) : undefined;
        const fromTable = c.djangoAbstract ? undefined : djangoTable(c, c.name, appOf(c));
        if (!ref || !fromTable) continue;
        const self = ref.model === 'self' || ref.model === c.name;
        const target = targetOf(c, self ? { model: 'self' } : ref);
        if (!target.table) continue;
        const through: QualifiedName = { name: keywordString(tokens, call, 'db_table') ?? `${fromTable.name}_${t.value}` };
        const own = c.name.toLowerCase();
        const other = self ? own : ref.model.toLowerCase();
        const owner = { table: fromTable, key: c.primaryKey ?? 'id' };
        const ownColumn = `${self ? 'from_' : ''}${own}_id`;
        const targetColumn = `${self ? 'to_' : ''}${other}_id`;
        if (target.entity) out.push(...joinTableKeys(through, ownColumn, owner, targetColumn, { entity: target.entity, table: target.table, key: target.key }, at));
        else out.push(ormKey(through, ownColumn, owner.table, owner.key, at), ormKey(through, targetColumn, target.table, target.key ?? 'id', at));
      } else if ((call.name === 'Column' || call.name === 'mapped_column') && table) {
        // SQLAlchemy: a ForeignKey('table.column') among the column's arguments
        const column = (call.args[0] && stringAt(tokens, call.args[0])) ?? t.value;
        for (const target of columnForeignKeys(tokens, call)) out.push(ormKey(table, column, target.table, target.column, at));
      }
    }
    if (mapped) {
      const renamed = [...attributeColumns(tokens, c, byAt)].filter(([attribute, column]) => attribute !== column);
      const columns = Object.fromEntries(renamed);
      if (renamed.length) mapped.fieldColumns = columns;
      if (c.primaryKey) mapped.idColumn = Object.hasOwn(columns, c.primaryKey) ? columns[c.primaryKey] : c.primaryKey;
      // its other bases may be mixins that give it columns with keys (resolveOrmEntities)
      const mixins = c.bases.filter((b) => b !== c.sharesTableOf?.name && b !== 'object' && b !== 'Model' && b !== 'Base');
      if (mixins.length) mapped.mixins = mixins;
      entities.push(mapped);
    }
  }
  mixinKeys(tokens, classes, byAt, file, entities, out);
  return { joins: [...core, ...out], entities };
}

/**
 * SQLAlchemy mixins: a class that maps no table but declares columns with keys (`created_by_fk =
 * Column(ForeignKey("ab_user.id"))`, or a `@declared_attr` method returning one, as Flask-AppBuilder's `AuditMixin`
 * does) gives them to each mapped class that lists it among its bases. It is a mapped superclass (resolveOrmEntities),
 * as is a mixin of the file extending one.
 */
function mixinKeys(tokens: Token[], classes: ModelClass[], byAt: Map<number, ModelClass>, file: string, entities: OrmEntity[], out: JoinPair[]): void {
  const mixins = new Set<string>();
  for (const c of classes) {
    if (modelTable(c) || c.djangoModel || c.flask || c.djangoAbstract) continue;
    const keys: JoinPair[] = [];
    let method: string | undefined;
    for (const k of ownStatements(tokens, c, byAt)) {
      const t = tokens[k]!;
      if (isId(t, 'def') && isId(tokens[k + 1])) {
        method = tokens[k + 1]!.value;
        continue;
      }
      // `name = Column(…)`, `name: Mapped[…] = mapped_column(…)`, or `return Column(…)` in a method of that name
      const returned = isId(t, 'return') && method !== undefined;
      const at = returned ? k : assignmentAt(tokens, k, c);
      if (at < 0) continue;
      const call = callAt(tokens, at + 1);
      if (!call || (call.name !== 'Column' && call.name !== 'mapped_column')) continue;
      const column = (call.args[0] && stringAt(tokens, call.args[0])) ?? (returned ? method! : t.value);
      for (const target of columnForeignKeys(tokens, call)) keys.push(ormKey({ name: snakeCase(c.name) }, column, target.table, target.column, { file, line: t.line }, { fromEntity: c.name }));
    }
    const parent = c.bases.find((b) => mixins.has(b)) ?? c.bases.find((b) => b !== 'object');
    if (!keys.length && !(parent && mixins.has(parent))) continue;
    mixins.add(c.name);
    const entity: OrmEntity = { name: c.name, table: { name: snakeCase(c.name) }, mappedSuperclass: true, line: c.line };
    if (parent) entity.extends = parent;
    entities.push(entity);
    out.push(...keys);
  }
}

/**
 * SQLAlchemy Core tables and Alembic migrations, each column's foreign keys:
 * - `Table('orders', metadata, Column('customer_id', Integer, ForeignKey('customers.id')), …, schema='sales')`;
 * - Alembic's `op.create_table('orders', sa.Column(…), …)`, alike;
 * - in either, `ForeignKeyConstraint(['customer_id'], ['customers.id'])`, a composite key as one key;
 * - Alembic's `op.create_foreign_key('fk', 'orders', 'customers', ['customer_id'], ['id'], source_schema=…,
 *   referent_schema=…)`, and `batch_op.create_foreign_key('fk', 'customers', ['customer_id'], ['id'])` in a
 *   `with op.batch_alter_table('orders') as batch_op:` block.
 */
function coreTables(tokens: Token[], file: string, entities: OrmEntity[]): JoinPair[] {
  const out: JoinPair[] = [];
  /** `with op.batch_alter_table('orders') as batch_op:`: the table of each batch operations name. */
  const batches = new Map<string, QualifiedName>();
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !isPunct(tokens[i + 1], '(') || isId(tokens[i - 1], 'class') || isId(tokens[i - 1], 'def')) continue;
    const migration = t.value === 'create_table' || t.value === 'create_foreign_key' || t.value === 'batch_alter_table';
    if (t.value !== 'Table' && !migration) continue;
    const call = callAt(tokens, i);
    if (!call) continue;
    const at = (k: number) => ({ file, line: tokens[k]!.line });
    const via = migration ? ('migration-foreign-key' as const) : undefined;
    if (t.value === 'batch_alter_table') {
      const table = stringAt(tokens, call.args[0] ?? [0, 0]);
      const close = matchClose(tokens, i + 1);
      if (table && isId(tokens[close + 1], 'as') && tokens[close + 2]?.type === 'id') batches.set(tokens[close + 2]!.value, tableOf(keywordString(tokens, call, 'schema'), table));
      continue;
    }
    if (t.value === 'create_foreign_key') {
      const key = alembicForeignKey(tokens, call, isPunct(tokens[i - 1], '.') ? batches.get(tokens[i - 2]?.value ?? '') : undefined);
      if (key) out.push(...compositeOrmKey(key.from, key.columns, key.to, key.toColumns, at(i), { via }));
      continue;
    }
    const name = call.args[0] && stringAt(tokens, call.args[0]);
    if (!name || !/^\w+$/.test(name)) continue;
    const from = tableOf(keywordString(tokens, call, 'schema'), name);
    // `orders = Table('orders', metadata, …)` (or `sa.Table`): the variable code joins by (`orders.c.id`)
    let start = i;
    while (isPunct(tokens[start - 1], '.') && tokens[start - 2]?.type === 'id') start -= 2;
    if (t.value === 'Table' && isPunct(tokens[start - 1], '=') && tokens[start - 2]?.type === 'id') entities.push({ name: tokens[start - 2]!.value, table: from, line: tokens[start - 2]!.line });
    for (const arg of call.args) {
      const inner = callAt(tokens, arg[0]);
      if (inner?.name === 'ForeignKeyConstraint') {
        out.push(...foreignKeyConstraintKeys(tokens, inner, from, at(arg[0]), via));
        continue;
      }
      const columnName = inner?.name === 'Column' && inner.args[0] ? stringAt(tokens, inner.args[0]) : undefined;
      if (!inner || !columnName) continue;
      for (const a of inner.args) {
        const fk = callAt(tokens, a[0]);
        const target = fk?.name === 'ForeignKey' && fk.args[0] ? foreignKeyTarget(stringAt(tokens, fk.args[0])) : undefined;
        if (target) out.push(ormKey(from, columnName, target.table, target.column, at(arg[0]), { via }));
      }
    }
  }
  return out;
}

/**
 * `create_foreign_key(name, source, referent, local_cols, remote_cols, …)`, positional or by keyword; in a batch
 * (`batchTable`), `(name, referent, local_cols, remote_cols)`.
 */
function alembicForeignKey(tokens: Token[], call: Call, batchTable: QualifiedName | undefined): { from: QualifiedName; columns: string[]; to: QualifiedName; toColumns: string[] } | undefined {
  const positional = call.args.filter(([a]) => !(tokens[a]?.type === 'id' && isPunct(tokens[a + 1], '=')));
  const shift = batchTable ? 1 : 0;
  const arg = (position: number, keyword: string): TokenRange | undefined => namedArgument(tokens, call.args, keyword, '=') ?? positional[position - shift];
  const source = batchTable ? undefined : stringAt(tokens, arg(1, 'source_table') ?? [0, 0]);
  const referent = stringAt(tokens, arg(2, 'referent_table') ?? [0, 0]);
  const local = plainStringList(tokens, arg(3, 'local_cols'), true);
  const remote = plainStringList(tokens, arg(4, 'remote_cols'), true);
  if ((!batchTable && !source) || !referent || !local || !remote || ![source ?? 'x', referent, ...local, ...remote].every((n) => /^\w+$/.test(n))) return undefined;
  const from = batchTable ?? tableOf(keywordString(tokens, call, 'source_schema'), source!);
  return { from, columns: local, to: tableOf(keywordString(tokens, call, 'referent_schema'), referent), toColumns: remote };
}

/** `ForeignKeyConstraint(['a', 'b'], ['t.a', 't.b'])` on table `from`: one key, its columns all referencing one table. */
function foreignKeyConstraintKeys(
  tokens: Token[],
  call: Call,
  from: QualifiedName,
  at: { file: string; line: number },
  via?: 'migration-foreign-key',
  columnOfAttribute?: (attribute: string) => string,
): JoinPair[] {
  // by position, or `columns=`, `refcolumns=`
  const own = namedArgument(tokens, call.args, 'columns', '=') ?? (isKeyword(tokens, call.args[0]) ? undefined : call.args[0]);
  const referenced = namedArgument(tokens, call.args, 'refcolumns', '=') ?? (isKeyword(tokens, call.args[1]) ? undefined : call.args[1]);
  const columns = plainStringList(tokens, own, true) ?? (columnOfAttribute && attributeList(tokens, own)?.map(columnOfAttribute));
  const targets = plainStringList(tokens, referenced, true)?.map(foreignKeyTarget);
  const table = targets?.[0]?.table;
  if (!columns || !targets?.every((x) => x && x.table.name === table!.name && x.table.schema === table!.schema)) return [];
  return compositeOrmKey(from, columns, table!, targets.map((x) => x!.column), at, { via });
}

/** An argument written `name=…`. */
function isKeyword(tokens: Token[], range: TokenRange | undefined): boolean {
  return !!range && isId(tokens[range[0]]) && isPunct(tokens[range[0] + 1], '=');
}

/** The names of a bracketed list or tuple of plain names that is the whole of `range` (`[dag_id, run_id]`, `(ti_id,)`). */
function attributeList(tokens: Token[], range: TokenRange | undefined): string[] | undefined {
  if (!range) return undefined;
  const [from, to] = range;
  if (!(isPunct(tokens[from], '[') || isPunct(tokens[from], '(')) || matchClose(tokens, from) !== to - 1) return undefined;
  const names: string[] = [];
  for (const [a, b] of callArguments(tokens, from)) {
    if (b - a !== 1 || !isId(tokens[a])) return undefined;
    names.push(tokens[a]!.value);
  }
  return names.length ? names : undefined;
}

/** The `=` of `name = …` or `name: Mapped[…] = …` starting at statement token `k` of class `c`, or -1. */
function assignmentAt(tokens: Token[], k: number, c: ModelClass): number {
  let eq = k + 1;
  if (isPunct(tokens[eq], ':')) while (eq < c.to && !isPunct(tokens[eq], '=') && tokens[eq]!.line === tokens[k]!.line) eq++;
  return isPunct(tokens[eq], '=') ? eq : -1;
}

/** The targets of the `ForeignKey('[schema.]table.column')`s among a column's arguments. */
function columnForeignKeys(tokens: Token[], call: Call): Array<{ table: QualifiedName; column: string }> {
  const targets: Array<{ table: QualifiedName; column: string }> = [];
  for (const arg of call.args) {
    const fk = callAt(tokens, arg[0]);
    const target = fk?.name === 'ForeignKey' && fk.args[0] ? foreignKeyTarget(stringAt(tokens, fk.args[0])) : undefined;
    if (target) targets.push(target);
  }
  return targets;
}

const columnsOfClass = new WeakMap<ModelClass, Map<string, string>>();

/** A mapped class's attributes named otherwise than their columns (`sku_code = Column("sku", …)`): attribute → column. */
function attributeColumns(tokens: Token[], c: ModelClass, byAt: Map<number, ModelClass>): Map<string, string> {
  let columns = columnsOfClass.get(c);
  if (columns) return columns;
  columns = new Map();
  for (const k of ownStatements(tokens, c, byAt)) {
    const eq = assignmentAt(tokens, k, c);
    if (eq < 0) continue;
    const call = callAt(tokens, eq + 1);
    const named = call && (call.name === 'Column' || call.name === 'mapped_column') && call.args[0] ? stringAt(tokens, call.args[0]) : undefined;
    if (named) columns.set(tokens[k]!.value, named);
  }
  columnsOfClass.set(c, columns);
  return columns;
}

/** `'[schema.]table.column'`, as SQLAlchemy's ForeignKey names its target. */
function foreignKeyTarget(text: string | undefined): { table: QualifiedName; column: string } | undefined {
  const parts = text?.split('.');
  if (!parts || parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\w+$/.test(p))) return undefined;
  const column = parts.pop()!;
  return { table: tableOf(parts.length === 2 ? parts[0] : undefined, parts[parts.length - 1]!), column };
}

/** The classes of the file with their bodies (by indentation), and what their bodies say about their table. */
function classesOf(tokens: Token[], text: string): ModelClass[] {
  // each line's indentation, measured once
  const indents = lineIndents(text);
  const indent = (line: number): number => indents[line - 1] ?? 0;
  const classes: ModelClass[] = [];
  // one pass: a class's body ends at the first later line indented no deeper than its `class` (blank lines and comments
  // have no tokens); classes still open are a stack, innermost last
  const open: Array<{ c: ModelClass; indent: number }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!startsStatement(tokens, i, 0)) continue;
    const own = indent(t.line);
    while (open.length && i >= open[open.length - 1]!.c.from && own <= open[open.length - 1]!.indent) open.pop()!.c.to = i;
    if (!isId(t, 'class') || tokens[i + 1]?.type !== 'id') continue;
    // the header: `class Name(bases):`, the bases maybe over several lines
    let colon = i + 2;
    const bases = isPunct(tokens[colon], '(') ? tokens.slice(colon + 1, (colon = matchClose(tokens, colon))) : [];
    if (isPunct(tokens[colon], ')')) colon++;
    // `db.Model`; another `x.Model` only in a file that uses Flask-SQLAlchemy (not peewee's or Keras's)
    const flask = bases.some((b, j) => isId(b, 'Model') && isPunct(bases[j - 1], '.') && isId(bases[j - 2]) && (bases[j - 2]!.value === 'db' || (bases[j - 2]!.value !== 'models' && FLASK_SQLALCHEMY.test(text))));
    const baseNames = bases.filter((b, j) => b.type === 'id' && !isPunct(bases[j + 1], '.') && !isPunct(bases[j + 1], '=')).map((b) => b.value);
    const c: ModelClass = { name: tokens[i + 1]!.value, at: i, from: colon + 1, to: tokens.length, line: t.line, djangoModel: baseNames.some((b) => b.endsWith('Model')), flask, bases: baseNames };
    classes.push(c);
    open.push({ c, indent: own });
  }
  // what each body declares about its table; a nested class (`Meta`) belongs to the class around it
  const byAt = new Map(classes.map((c) => [c.at, c]));
  for (const c of classes) {
    let meta: ModelClass | undefined; // the `class Meta:` being read
    for (let k = c.from; k < c.to; k++) {
      const t = tokens[k]!;
      if (t.type !== 'id') continue;
      if (meta && k >= meta.to) meta = undefined;
      const nested = byAt.get(k);
      if (nested && nested.name !== 'Meta') {
        k = nested.to - 1; // its own declarations are its own
        continue;
      }
      if (nested) meta = nested;
      const value = isPunct(tokens[k + 1], '=') ? tokens[k + 2] : undefined;
      if (t.value === '__tablename__' && value?.type === 'str') c.tablename = value.value;
      // the model's table is Meta's (a field's `db_table=` names its own join table)
      else if (t.value === 'db_table' && meta && value?.type === 'str') c.dbTable = value.value;
      else if (t.value === 'abstract' && meta && isId(value, 'True')) c.djangoAbstract = true;
      else if (t.value === 'proxy' && meta && isId(value, 'True')) c.proxy = true;
      else if (t.value === 'app_label' && meta && value?.type === 'str') c.appLabel = value.value.toLowerCase();
      else if (t.value === '__table_args__') {
        for (let j = k + 2; j < c.to && tokens[j]!.line <= t.line + 20; j++) {
          if (tokens[j]!.type === 'str' && tokens[j]!.value === 'schema' && isPunct(tokens[j + 1], ':') && tokens[j + 2]?.type === 'str') {
            c.schema = tokens[j + 2]!.value;
            break;
          }
        }
      } else if (t.value === 'primary_key' && isPunct(tokens[k + 1], '=') && isId(tokens[k + 2], 'True')) {
        const field = fieldOfArgument(tokens, k, c.from);
        if (field && !c.primaryKey) c.primaryKey = field;
      } else if (t.value === '__abstract__' && isId(value, 'True')) c.abstract = true;
      // a class of a base from another file that declares `db.Column`s (a mixin, which has no table, is left alone)
      else if (t.value === 'db' && isPunct(tokens[k + 1], '.') && (isId(tokens[k + 2], 'Column') || isId(tokens[k + 2], 'mapped_column')) && isModelSubclass(c)) c.flask = true;
    }
  }
  // Flask-SQLAlchemy: a subclass of the file's Flask models is one too; each without a __tablename__ is named for it,
  // unless it inherits a table and declares no primary key (single-table inheritance, as for declarative classes)
  const flaskNames = new Set<string>();
  const mappedSoFar = new Map<string, ModelClass>();
  for (const c of classes) {
    if (!c.flask && c.bases.some((b) => flaskNames.has(b))) c.flask = true;
    if (c.flask) {
      flaskNames.add(c.name);
      c.djangoModel = false;
    }
    // (a base with a __tablename__ is SQLAlchemy's, whatever the class's name: `class Admin(UserModel)` is no Django model)
    const parent = c.tablename || c.abstract ? undefined : c.bases.map((b) => mappedSoFar.get(b)).find((b) => b !== undefined);
    if (parent && !(c.flask && c.primaryKey)) {
      c.sharesTableOf = parent;
      c.djangoModel = false;
    }
    else if (c.flask && !c.tablename && !c.abstract) c.tablename = snakeCase(c.name);
    if (c.tablename || c.sharesTableOf) mappedSoFar.set(c.name, c);
  }
  return classes;
}

const FLASK_SQLALCHEMY = /flask_sqlalchemy|SQLAlchemy\(/;

/** The table of a SQLAlchemy class: its `__tablename__`'s, or (single-table inheritance) its hierarchy's. */
function modelTable(c: ModelClass): QualifiedName | undefined {
  for (let m: ModelClass | undefined = c, hops = 0; m && hops < 32; m = m.sharesTableOf, hops++) if (m.tablename) return tableOf(m.schema, m.tablename);
  return undefined;
}

/** A class whose bases could be a model base: not a mixin (by name), not of `object` alone. */
function isModelSubclass(c: ModelClass): boolean {
  return c.bases.length > 0 && !/Mixin$/.test(c.name) && !c.bases.every((b) => b === 'object' || /Mixin$/.test(b));
}

/** Token indexes of a class body's own statements: nested classes (its `Meta` too) are skipped whole. */
function* ownStatements(tokens: Token[], c: ModelClass, byAt: Map<number, ModelClass>): Generator<number> {
  for (let k = c.from; k < c.to; k++) {
    const nested = byAt.get(k);
    if (nested) {
      k = nested.to - 1;
      continue;
    }
    if (tokens[k]!.type === 'id' && startsStatement(tokens, k, c.from)) yield k;
  }
}

/** Token `k` starts a statement: the first token of its line, after a class body's start. */
function startsStatement(tokens: Token[], k: number, from: number): boolean {
  return k === from || k === 0 || tokens[k - 1]!.line < tokens[k]!.line;
}

/** The field (`name = models.XField(…, primary_key=True)`) whose call holds argument token `k`: its column name. */
function fieldOfArgument(tokens: Token[], k: number, from: number): string | undefined {
  // out to the call's `(`, then back over its callee (`models.CharField`) to `name =`
  let depth = 0;
  let open = k - 1;
  for (; open > from; open--) {
    const t = tokens[open]!;
    if (t.type !== 'punct') continue;
    if (t.value === ')' || t.value === ']' || t.value === '}') depth++;
    else if (t.value === '(' || t.value === '[' || t.value === '{') {
      if (depth === 0) break;
      depth--;
    }
  }
  if (!isPunct(tokens[open], '(')) return undefined;
  let callee = open - 1;
  while (callee - 2 >= from && isPunct(tokens[callee - 1], '.') && tokens[callee - 2]!.type === 'id') callee -= 2;
  if (!isPunct(tokens[callee - 1], '=')) return undefined;
  let name = tokens[callee - 2];
  if (!isPunct(tokens[callee - 3], '.') && name?.line === tokens[callee - 1]!.line) {
    // an annotated attribute, `id: Mapped[int] = mapped_column(…)`: the name that starts the line
    let start = callee - 2;
    while (start > from && tokens[start - 1]!.line === name.line) start--;
    if (tokens[start]?.type === 'id' && isPunct(tokens[start + 1], ':')) name = tokens[start];
  }
  if (name?.type !== 'id') return undefined;
  const call = callAt(tokens, callee);
  return call ? (keywordString(tokens, call, 'db_column') ?? name.value) : undefined;
}

/** A `from <path> import <names>` statement: its module's path (relative when it starts with dots) and the names. */
interface FromImport {
  path: string[];
  relative: boolean;
  names: string[];
}

function fromImports(tokens: Token[]): FromImport[] {
  const imports: FromImport[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!isId(tokens[i], 'from') || !startsStatement(tokens, i, 0)) continue;
    const path: string[] = [];
    let relative = false;
    let j = i + 1;
    for (; (tokens[j]?.type === 'id' && tokens[j]!.value !== 'import') || isPunct(tokens[j], '.'); j++) {
      if (tokens[j]!.type === 'id') path.push(tokens[j]!.value);
      else if (!path.length) relative = true;
    }
    if (!isId(tokens[j], 'import') || !path.length) continue;
    // `import A, B` on its line, or `import (A,\n B)`
    const names: string[] = [];
    const close = isPunct(tokens[j + 1], '(') ? matchClose(tokens, j + 1) : -1;
    for (j++; j < tokens.length && (close >= 0 ? j < close : tokens[j]!.line === tokens[i]!.line); j++) {
      if (tokens[j]!.type === 'id' && tokens[j]!.value !== 'as') names.push(tokens[j]!.value);
    }
    imports.push({ path, relative, names });
  }
  return imports;
}

/**
 * `from oscar.apps.basket.abstract_models import AbstractLine`: the package each imported name comes from (`basket`);
 * a relative import's is the file's own.
 */
function importedFrom(imports: FromImport[], file: string): Map<string, string> {
  const packages = new Map<string, string>();
  for (const { path, relative, names } of imports) {
    const pkg = relative && path.length === 1 ? packageOf(file) : (path.length >= 2 ? path[path.length - 2]! : path[0]!).toLowerCase();
    for (const name of names) if (!packages.has(name)) packages.set(name, pkg);
  }
  return packages;
}

/** The package (folder) a Python file is in, as an app-like name: `common/abstract.py` → `common`. */
function packageOf(file: string): string {
  const parts = file.split('/');
  return (djangoAppOf(file) ?? parts[parts.length - 2] ?? '').toLowerCase();
}

/** `from accounts.models import User, Team`: the app each imported model comes from. */
function importedModels(imports: FromImport[]): Map<string, string> {
  const apps = new Map<string, string>();
  for (const { path, names } of imports) {
    if (path[path.length - 1] !== 'models' || path.length < 2) continue;
    for (const name of names) apps.set(name, path[path.length - 2]!.toLowerCase());
  }
  return apps;
}

interface Call {
  name: string;
  /** Argument token ranges [from, to). */
  args: TokenRange[];
}

/** `a.b.Name(…)` starting at `k`: the last name and the arguments. */
function callAt(tokens: Token[], k: number): Call | undefined {
  let j = k;
  while (tokens[j]?.type === 'id' && isPunct(tokens[j + 1], '.') && tokens[j + 2]?.type === 'id') j += 2;
  const name = tokens[j];
  if (name?.type !== 'id' || !isPunct(tokens[j + 1], '(')) return undefined;
  const args = callArguments(tokens, j + 1);
  return { name: name.value, args };
}

function stringAt(tokens: Token[], range: TokenRange): string | undefined {
  return plainStringArgument(tokens, range)?.value;
}


/** `key='value'` among a call's arguments. */
function keywordString(tokens: Token[], call: Call, key: string): string | undefined {
  const value = namedArgument(tokens, call.args, key, '=');
  return value && stringAt(tokens, value);
}

/** Django's model reference: `Customer`, `models.Customer`, `'Customer'`, `'shop.Customer'`, `'self'`. */
function modelRef(tokens: Token[], [from, to]: TokenRange): { app?: string; model: string } | undefined {
  const s = stringAt(tokens, [from, to]);
  if (s !== undefined) {
    const m = /^(?:(\w+)\.)?(\w+)$/.exec(s);
    return m ? { app: m[1]?.toLowerCase(), model: m[2]! } : undefined;
  }
  const last = tokens[to - 1];
  if (last?.type !== 'id') return undefined;
  // settings.AUTH_USER_MODEL: Django's own user model, unless the project swaps it (which this cannot tell)
  if (last.value === 'AUTH_USER_MODEL') return { app: 'auth', model: 'User' };
  for (let k = from; k < to; k++) if (!(tokens[k]!.type === 'id' || isPunct(tokens[k], '.'))) return undefined;
  return { model: last.value };
}

/** The Django app of a models file: `shop/models.py` and `shop/models/order.py` are app `shop`. */
function djangoAppOf(file: string): string | undefined {
  const parts = file.split('/');
  const name = parts.pop();
  if (name === 'models.py') return parts.pop()?.toLowerCase();
  if (parts[parts.length - 1] === 'models') {
    parts.pop();
    return parts.pop()?.toLowerCase();
  }
  return undefined;
}
