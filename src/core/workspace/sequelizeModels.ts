import type { JoinPair, QualifiedName } from '../sql/types';
import { snakeCase } from './annotations';
import type { Token } from './codeConstants/lexer';
import { callArguments, innermostSpan, isId, isPunct, matchClose, plainStringArgument, plainStringList, type TokenRange } from './codeConstants/matchers';
import type { OrmEntity } from './facts';
import { pluralize } from './inflection';
import { compositeOrmKey, joinTableKeys, ormKey, tableNamed, tableOf, type OrmFacts } from './ormEntities';

/**
 * Sequelize models and migrations of a TypeScript/JavaScript file:
 * - models: `Order.init({ … }, { sequelize, tableName, schema, underscored, freezeTableName })` for a class that
 *   extends `Model`, and `const Order = sequelize.define('Order', { … }, { … })`. The table is `tableName`, else the
 *   model's name pluralized (snake_case when `underscored`, as is when `freezeTableName`); a column is its attribute's
 *   `field`, else the attribute's name (snake_case when `underscored`); the key is the `primaryKey: true` one, else `id`;
 * - an attribute's `references: { model: 'customers', key: 'id' }` (a table's name or a model);
 * - associations: `Order.belongsTo(Customer, { foreignKey, targetKey })`, `Customer.hasMany(Order, { foreignKey,
 *   sourceKey })`, `hasOne`, `belongsToMany(Tag, { through: 'order_tags', foreignKey, otherKey })`, also as
 *   `this.belongsTo(models.Customer, …)` in a model's `associate`. Sequelize's default key is the target's name and
 *   `Id` (`CustomerId`). Models of other files are placed on what their files declare;
 * - migrations: `queryInterface.createTable('orders', { customer_id: { references: { model: 'customers', key: 'id' } } })`,
 *   `addColumn('orders', 'customer_id', { references: … })` and `addConstraint('orders', { fields: […], type: 'foreign
 *   key', references: { table, field } })`.
 */
export function sequelizeModels(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  const models = text.includes('sequelize') && /\.init\s*\(|\.define\s*\(/.test(text);
  const associations = /\.(belongsTo|hasMany|hasOne|belongsToMany)\s*\(/.test(text);
  const migrations = text.includes('queryInterface') && text.includes('references');
  if (!models && !associations && !migrations) return out;
  const declared = new Map<string, Model>();
  if (models) for (const m of modelsOf(tokens)) declared.set(m.name, m);
  for (const m of declared.values()) {
    out.entities.push(m.entity);
    for (const r of m.references) out.joins.push(referenceKey(m.entity.table, r.column, r.target, r.key, declared, { file, line: r.line }, undefined));
  }
  if (associations) out.joins.push(...associationKeys(tokens, declared, file));
  if (migrations) out.joins.push(...migrationKeys(tokens, file));
  return out;
}

interface Model {
  name: string;
  entity: OrmEntity;
  underscored: boolean;
  /** Attribute → column. */
  columns: Map<string, string>;
  references: Array<{ column: string; target: string; key: string; line: number }>;
}

function str(tokens: Token[], range: TokenRange | undefined): string | undefined {
  return plainStringArgument(tokens, range)?.value;
}

/** The `key: value` properties of an object literal opening at `open`. */
function properties(tokens: Token[], open: number): Map<string, TokenRange> {
  const props = new Map<string, TokenRange>();
  if (!isPunct(tokens[open], '{')) return props;
  for (const [from, to] of callArguments(tokens, open)) {
    const key = tokens[from];
    if ((key?.type === 'id' || key?.type === 'str') && isPunct(tokens[from + 1], ':')) props.set(key.value, [from + 2, to]);
  }
  return props;
}

/** A model named by a variable or `models.Customer` / `db.Customer`: the name. */
function modelName(tokens: Token[], range: TokenRange | undefined): string | undefined {
  if (!range) return undefined;
  const last = tokens[range[1] - 1];
  for (let k = range[0]; k < range[1]; k++) if (!(tokens[k]!.type === 'id' || isPunct(tokens[k], '.'))) return undefined;
  return last?.type === 'id' ? last.value : undefined;
}

function modelsOf(tokens: Token[]): Model[] {
  const models: Model[] = [];
  for (let i = 2; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !isPunct(tokens[i - 1], '.') || !isPunct(tokens[i + 1], '(')) continue;
    const args = callArguments(tokens, i + 1);
    let name: string | undefined;
    let attrs: TokenRange | undefined;
    let opts: TokenRange | undefined;
    if (t.value === 'init' && tokens[i - 2]?.type === 'id') [name, attrs, opts] = [tokens[i - 2]!.value, args[0], args[1]];
    else if (t.value === 'define' && str(tokens, args[0])) {
      // `const Order = sequelize.define('Order', …)`: the variable is what associations name
      const variable = isPunct(tokens[i - 3], '=') && tokens[i - 4]?.type === 'id' ? tokens[i - 4]!.value : undefined;
      [name, attrs, opts] = [variable ?? str(tokens, args[0]), args[1], args[2]];
    }
    if (!name || !attrs || !isPunct(tokens[attrs[0]], '{')) continue;
    const o = opts ? properties(tokens, opts[0]) : new Map<string, TokenRange>();
    const flag = (key: string): boolean => isId(tokens[o.get(key)?.[0] ?? -1], 'true');
    const underscored = flag('underscored');
    const modelTitle = t.value === 'define' ? (str(tokens, args[0]) ?? name) : name;
    const plural = flag('freezeTableName') ? modelTitle : pluralize(modelTitle);
    const tableName = str(tokens, o.get('tableName')) ?? (underscored ? snakeCase(plural) : plural);
    const table = tableOf(str(tokens, o.get('schema')), tableName);
    const model: Model = { name, entity: { name, table, line: t.line }, underscored, columns: new Map(), references: [] };
    for (const [attr, value] of properties(tokens, attrs[0])) {
      const p = properties(tokens, value[0]);
      const column = str(tokens, p.get('field')) ?? (underscored ? snakeCase(attr) : attr);
      model.columns.set(attr, column);
      if (isId(tokens[p.get('primaryKey')?.[0] ?? -1], 'true')) model.entity.idColumn = column;
      const ref = p.get('references');
      if (ref) {
        const r = properties(tokens, ref[0]);
        const target = str(tokens, r.get('model')) ?? modelName(tokens, r.get('model'));
        if (target) model.references.push({ column, target, key: str(tokens, r.get('key')) ?? 'id', line: tokens[value[0]]!.line });
      }
    }
    const renamed = [...model.columns].filter(([a, c]) => a !== c);
    if (renamed.length) model.entity.fieldColumns = Object.fromEntries(renamed);
    models.push(model);
  }
  return models;
}

/** `references: { model }`: a table's name (a string) or a model (of this file, or placed once the workspace is read). */
function referenceKey(from: QualifiedName, column: string, target: string, key: string, declared: Map<string, Model>, at: { file: string; line: number }, via: 'migration-foreign-key' | undefined): JoinPair {
  const model = declared.get(target);
  if (model) return ormKey(from, column, model.entity.table, model.columns.get(key) ?? key, at, { via });
  return ormKey(from, column, tableNamed(target), key, at, { via });
}

const ASSOCIATIONS = new Set(['belongsTo', 'hasMany', 'hasOne', 'belongsToMany']);

function associationKeys(tokens: Token[], declared: Map<string, Model>, file: string): JoinPair[] {
  const out: JoinPair[] = [];
  const classAt = classesByToken(tokens);
  for (let i = 2; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !ASSOCIATIONS.has(t.value) || !isPunct(tokens[i - 1], '.') || !isPunct(tokens[i + 1], '(')) continue;
    // `Order.belongsTo(…)`, or `this.belongsTo(…)` in the class Order
    const source = isId(tokens[i - 2], 'this') ? classAt(i) : tokens[i - 2]?.type === 'id' ? tokens[i - 2]!.value : undefined;
    const args = callArguments(tokens, i + 1);
    const target = modelName(tokens, args[0]);
    if (!source || !target || !/^[A-Z]/.test(source) || !/^[A-Z]/.test(target)) continue;
    const o = args[1] ? properties(tokens, args[1][0]) : new Map<string, TokenRange>();
    const at = { file, line: t.line };
    const placed = (model: string): { table: QualifiedName; entity?: string } => {
      const m = declared.get(model);
      return m ? { table: m.entity.table } : { table: tableOf(undefined, pluralize(model)), entity: model };
    };
    const key = (holder: string, defaultAttr: string, option: string): string => {
      const fk = o.get(option);
      const named = str(tokens, fk) ?? (fk && isPunct(tokens[fk[0]], '{') ? (str(tokens, properties(tokens, fk[0]).get('field')) ?? str(tokens, properties(tokens, fk[0]).get('name'))) : undefined);
      const attr = named ?? defaultAttr;
      const m = declared.get(holder);
      return m?.columns.get(attr) ?? (m?.underscored ? snakeCase(attr) : attr);
    };
    const idOf = (model: string, option: string): string => {
      const given = str(tokens, o.get(option));
      const m = declared.get(model);
      return given ? (m?.columns.get(given) ?? given) : (m?.entity.idColumn ?? (m ? 'id' : ''));
    };
    const src = placed(source);
    const dst = placed(target);
    if (t.value === 'belongsTo') {
      out.push(ormKey(src.table, key(source, `${target}Id`, 'foreignKey'), dst.table, idOf(target, 'targetKey'), at, { toEntity: dst.entity, fromEntity: src.entity }));
    } else if (t.value === 'belongsToMany') {
      const through = str(tokens, o.get('through')) ?? modelName(tokens, o.get('through'));
      if (!through) continue;
      const throughTable = declared.get(through)?.entity.table ?? tableNamed(through);
      const own = str(tokens, o.get('foreignKey')) ?? `${source}Id`;
      const other = str(tokens, o.get('otherKey')) ?? `${target}Id`;
      out.push(...joinTableKeys(throughTable, own, { table: src.table, key: idOf(source, 'sourceKey') || 'id' }, other, { entity: target, table: dst.table, key: declared.get(target)?.entity.idColumn }, at));
    } else {
      const via = t.value === 'hasOne' ? 'orm-one-to-one' : 'orm-foreign-key';
      out.push(ormKey(dst.table, key(target, `${source}Id`, 'foreignKey'), src.table, idOf(source, 'sourceKey'), at, { via, fromEntity: dst.entity, toEntity: src.entity }));
    }
  }
  return out;
}

/**
 * For each token, the innermost class whose body holds it (`class Order extends Model { static associate(models) {
 * this.… } }`).
 */
function classesByToken(tokens: Token[]): (i: number) => string | undefined {
  const spans: Array<{ name: string; from: number; to: number }> = [];
  for (let k = 0; k < tokens.length - 1; k++) {
    if (!isId(tokens[k], 'class') || tokens[k + 1]?.type !== 'id') continue;
    let open = k + 2;
    while (open < tokens.length && open < k + 16 && !isPunct(tokens[open], '{')) open++;
    if (isPunct(tokens[open], '{')) spans.push({ name: tokens[k + 1]!.value, from: open, to: matchClose(tokens, open) });
  }
  const at = innermostSpan(tokens.length, spans);
  return (i) => at(i)?.name;
}

function migrationKeys(tokens: Token[], file: string): JoinPair[] {
  const out: JoinPair[] = [];
  const via = 'migration-foreign-key' as const;
  for (let i = 2; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !isPunct(tokens[i - 1], '.') || !isPunct(tokens[i + 1], '(')) continue;
    if (t.value !== 'createTable' && t.value !== 'addColumn' && t.value !== 'addConstraint') continue;
    const args = callArguments(tokens, i + 1);
    const name = str(tokens, args[0]) ?? tableObject(tokens, args[0]);
    if (!name) continue;
    const table = typeof name === 'string' ? tableNamed(name) : name;
    const at = (k: number) => ({ file, line: tokens[k]!.line });
    const referenced = (column: string, value: TokenRange): void => {
      const ref = properties(tokens, value[0]).get('references');
      const r = ref && properties(tokens, ref[0]);
      const target = r && (str(tokens, r.get('model')) ?? tableObject(tokens, r.get('model')));
      if (target) out.push(ormKey(table, column, typeof target === 'string' ? tableNamed(target) : target, str(tokens, r.get('key')) ?? 'id', at(value[0]), { via }));
    };
    if (t.value === 'createTable' && args[1]) {
      for (const [column, value] of properties(tokens, args[1][0])) referenced(column, value);
    } else if (t.value === 'addColumn' && args[2]) {
      const column = str(tokens, args[1]);
      if (column) referenced(column, args[2]);
    } else if (t.value === 'addConstraint' && args[1]) {
      const o = properties(tokens, args[1][0]);
      if (!/^foreign key$/i.test(str(tokens, o.get('type')) ?? '')) continue;
      const fields = stringList(tokens, o.get('fields'));
      const ref = o.get('references') && properties(tokens, o.get('references')![0]);
      const target = ref && (str(tokens, ref.get('table')) ?? tableObject(tokens, ref.get('table')));
      const keys = ref && (stringList(tokens, ref.get('fields')) ?? [str(tokens, ref.get('field')) ?? 'id']);
      if (fields && target && keys) out.push(...compositeOrmKey(table, fields, typeof target === 'string' ? tableNamed(target) : target, keys, at(i), { via }));
    }
  }
  return out;
}

/** `{ tableName: 'orders', schema: 'sales' }`, as Sequelize names a table in another schema. */
function tableObject(tokens: Token[], range: TokenRange | undefined): QualifiedName | undefined {
  if (!range || !isPunct(tokens[range[0]], '{')) return undefined;
  const p = properties(tokens, range[0]);
  const name = str(tokens, p.get('tableName'));
  return name ? tableOf(str(tokens, p.get('schema')), name) : undefined;
}

function stringList(tokens: Token[], range: TokenRange | undefined): string[] | undefined {
  const names = plainStringList(tokens, range);
  return names?.length ? names : undefined;
}
