import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, plainStringArgument, type TokenRange } from './codeConstants/matchers';
import type { OrmEntity } from './facts';
import { ormKey, tableNamed, type OrmFacts } from './ormEntities';

/**
 * Tables of Kotlin's Exposed framework: `object Orders : Table("sales.orders") { … }` (an unnamed table is the object's
 * name without a `Table` suffix), and `IntIdTable` / `LongIdTable` / `UUIDTable` / `IdTable` (their id column, `id` or
 * the one named). Each object is an entity named by the object; its columns are named by their first argument
 * (`integer("customer_id")`). Keys are ORM keys: `.references(Customers.id)`, `reference("sku_id", Skus)` and
 * `optReference(…)` (to the table's id), placed on the referenced object's table and column wherever it is declared.
 */
export function exposedTables(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!/Table\s*\(/.test(text) || !text.includes('object')) return out;
  for (let i = 0; i < tokens.length - 4; i++) {
    if (!isId(tokens[i], 'object') || !isId(tokens[i + 1]) || !isPunct(tokens[i + 2], ':')) continue;
    // `: Table("orders")`, `: org.jetbrains.exposed.sql.Table()`, `: IntIdTable("customers", "customer_id")`
    let k = i + 3;
    while (isId(tokens[k]) && isPunct(tokens[k + 1], '.') && isId(tokens[k + 2])) k += 2;
    const base = tokens[k];
    if (!isId(base) || !TABLE_BASES.has(base!.value) || !isPunct(tokens[k + 1], '(')) continue;
    const args = callArguments(tokens, k + 1);
    const close = matchClose(tokens, k + 1);
    const name = tokens[i + 1]!.value;
    const written = stringAt(tokens, args[0]);
    const table = tableNamed(written || name.replace(/Table$/, '') || name);
    const entity: OrmEntity = { name, table, line: tokens[i]!.line };
    // an IdTable's `id`: the column named in its constructor, else `id`
    const columns = new Map<string, string>();
    if (base!.value !== 'Table') columns.set('id', stringAt(tokens, args[1]) ?? 'id');
    const open = isPunct(tokens[close + 1], '{') ? close + 1 : undefined;
    const keys: Array<{ column: string; target: string; field: string; line: number }> = [];
    if (open !== undefined) {
      const end = matchClose(tokens, open);
      for (let p = open + 1; p < end; p++) {
        if (isPunct(tokens[p], '{')) {
          p = matchClose(tokens, p);
          continue;
        }
        // `val customerId = integer("customer_id")…`, `override val id: Column<EntityID<Long>> = …`
        if (!isId(tokens[p], 'val') || !isId(tokens[p + 1])) continue;
        let eq = p + 2;
        if (isPunct(tokens[eq], ':')) while (eq < end && !isPunct(tokens[eq], '=') && tokens[eq]!.line === tokens[p]!.line) eq++;
        if (!isPunct(tokens[eq], '=') || !isId(tokens[eq + 1]) || !isPunct(tokens[eq + 2], '(')) continue;
        const property = tokens[p + 1]!.value;
        const call = eq + 2;
        const callArgs = callArguments(tokens, call);
        const column = stringAt(tokens, callArgs[0]);
        if (!column) continue;
        columns.set(property, column);
        const kind = tokens[eq + 1]!.value;
        const line = tokens[p + 1]!.line;
        if (kind === 'reference' || kind === 'optReference') {
          // reference("sku_id", Skus) or reference("sku_id", Skus.code)
          const target = memberOf(tokens, callArgs[1]);
          if (target) keys.push({ column, target: target.object, field: target.member ?? 'id', line });
        }
        // the chain after the column's call: `.references(Customers.id)`
        for (let q = matchClose(tokens, call) + 1; isPunct(tokens[q], '.') && isId(tokens[q + 1]) && isPunct(tokens[q + 2], '('); q = matchClose(tokens, q + 2) + 1) {
          if (tokens[q + 1]!.value !== 'references') continue;
          const target = memberOf(tokens, callArguments(tokens, q + 2)[0]);
          if (target?.member) keys.push({ column, target: target.object, field: target.member, line });
        }
        // `override val primaryKey = PrimaryKey(id)` is read below
      }
      const primaryKey = primaryKeyOf(tokens, open, end);
      if (primaryKey) entity.idColumn = columns.get(primaryKey) ?? primaryKey;
    }
    if (base!.value !== 'Table') entity.idColumn = columns.get('id');
    const renamed = [...columns].filter(([property, column]) => property !== column);
    if (renamed.length) entity.fieldColumns = Object.fromEntries(renamed);
    out.entities.push(entity);
    // the referenced object's table and its field's column come from its own declaration (resolveOrmEntities)
    for (const key of keys) out.joins.push(ormKey(table, key.column, { name: key.target }, key.field, { file, line: key.line }, { toEntity: key.target }));
    i = open !== undefined ? matchClose(tokens, open) : close;
  }
  return out;
}

const TABLE_BASES = new Set(['Table', 'IdTable', 'IntIdTable', 'LongIdTable', 'UUIDTable', 'UIntIdTable', 'ULongIdTable']);

function stringAt(tokens: Token[], range: TokenRange | undefined): string | undefined {
  const s = plainStringArgument(tokens, range)?.value;
  return s || undefined;
}

/** `Customers` or `Customers.id` as an argument. */
function memberOf(tokens: Token[], range: TokenRange | undefined): { object: string; member?: string } | undefined {
  if (!range) return undefined;
  const [from, to] = range;
  if (to - from === 1 && isId(tokens[from])) return { object: tokens[from]!.value };
  if (to - from === 3 && isId(tokens[from]) && isPunct(tokens[from + 1], '.') && isId(tokens[from + 2])) return { object: tokens[from]!.value, member: tokens[from + 2]!.value };
  return undefined;
}

/** `override val primaryKey = PrimaryKey(id)`: the property of a one-column primary key. */
function primaryKeyOf(tokens: Token[], open: number, end: number): string | undefined {
  for (let p = open + 1; p < end - 4; p++) {
    if (!isId(tokens[p], 'primaryKey') || !isPunct(tokens[p + 1], '=') || !isId(tokens[p + 2], 'PrimaryKey') || !isPunct(tokens[p + 3], '(')) continue;
    const args = callArguments(tokens, p + 3).filter(([from]) => !(isId(tokens[from], 'name') && isPunct(tokens[from + 1], '=')));
    return args.length === 1 ? memberOf(tokens, args[0])?.object : undefined;
  }
  return undefined;
}
