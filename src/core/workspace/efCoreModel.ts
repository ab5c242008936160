import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, innermostSpan, isId, isPunct, matchClose, namedArgument, type TokenRange } from './codeConstants/matchers';
import { dbSetProperties, navigationTypesOf, stringOrNameof } from './efCoreEntities';
import type { OrmEntity } from './facts';
import { singularize } from './inflection';
import { compositeOrmKey, tableOf, type OrmFacts } from './ormEntities';

/**
 * What a C# file's Entity Framework model says of its entities, beyond their classes' attributes (efCoreEntities):
 * - a DbContext's `DbSet<Order> Orders`: EF names the class's table after the property;
 * - the fluent API, in `OnModelCreating` (`modelBuilder.Entity<Order>(entity => { … })`, `modelBuilder.Entity<Order>()
 *   .…`, a builder held in a variable) or in an `IEntityTypeConfiguration<Order>`'s `Configure`. This is how
 *   `dotnet ef dbcontext scaffold` writes a database's schema, so it names the real tables and columns:
 *   - `ToTable("orders", "sales")` (or `schema:`), `ToView(…)`;
 *   - `HasKey(e => e.OrderId)`, also composite (`e => new { e.A, e.B }`) or by name (`"OrderId"`);
 *   - `Property(e => e.CustomerId).HasColumnName("customer_id")`;
 *   - relationships: `HasOne(d => d.Customer).WithMany(p => p.Orders).HasForeignKey(d => d.CustomerId)`,
 *     `HasMany(…).WithOne(…)`, one-to-one with `HasForeignKey<Dependent>(…)`, `HasPrincipalKey(…)`; and many-to-many
 *     `UsingEntity` join entities (`"PostTag"`, its `HasOne<Tag>().WithMany().HasForeignKey("TagId")` sides and its
 *     `ToTable`).
 *
 * Each entity configured here is an entity record that resolveOrmEntities merges with its class's (fluent settings win,
 * as in EF). A navigation's class is the property's type when the file declares the class, else its name (without
 * scaffolding's `Navigation` suffix; a collection's singular): a key to a class that no file maps is left out.
 * A relationship without `HasForeignKey` takes EF's conventional key, `<navigation>Id`.
 */
export function efCoreModel(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (!/\bDbSet\s*<|\bEntity\s*<|IEntityTypeConfiguration\s*<|EntityTypeBuilder\s*</.test(text)) return out;
  const classes = navigationTypesOf(tokens);
  const dbSets = dbSetProperties(tokens);
  const model = new ModelReader(tokens, file, dbSets, classes);
  for (const scope of builderScopes(tokens)) model.configure(scope.entity, scope.line, scope.chains);
  model.relate();
  // a DbSet of a class declared elsewhere names its table (the class's own file knows nothing of the context)
  for (const [entity, set] of dbSets) {
    if (!classes.has(entity) && !model.configured.has(entity)) out.entities.push({ name: entity, table: tableOf(undefined, set.property), tableRank: 1, configured: true, line: set.line });
  }
  for (const c of model.configured.values()) out.entities.push(c.entity());
  // `modelBuilder.HasDefaultSchema("sales")`: the schema of every table the model does not give one
  // (a context's records say its default schema, '' for none; a configuration class's know no context)
  const schema = defaultSchemaOf(tokens);
  const context = dbSets.size > 0 || /:\s*\w*DbContext\b/.test(text);
  for (const e of out.entities) {
    if (context) e.modelSchema = schema ?? '';
    if (schema && !e.table.schema) e.table = tableOf(schema, e.table.name);
  }
  out.joins.push(...model.joins);
  return out;
}

function defaultSchemaOf(tokens: Token[]): string | undefined {
  for (let i = 0; i + 3 < tokens.length; i++) {
    if (isId(tokens[i], 'HasDefaultSchema') && isPunct(tokens[i + 1], '(') && tokens[i + 2]!.type === 'str' && isPunct(tokens[i + 3], ')')) return tokens[i + 2]!.value || undefined;
  }
  return undefined;
}

/** One call of a fluent chain: `.Name<Generic>(args)`. */
interface Call {
  name: string;
  /** Its generic argument's (last) name: `HasForeignKey<Profile>` → `Profile`. */
  generic?: string;
  args: TokenRange[];
  line: number;
}

/** The chains of calls made on one entity's builder, and where its configuration starts. */
interface Scope {
  entity: string;
  line: number;
  chains: Call[][];
}

/** Where a builder is in scope: a lambda's or `Configure`'s body (`parameter`), or the rest of a variable's block. */
interface BuilderSpan {
  scope: Scope;
  receiver: string;
  from: number;
  to: number;
}

/**
 * The entity builders of the file and the chains called on each: the lambda of `Entity<X>(b => …)`, the chain after
 * `Entity<X>()`, a variable holding `Entity<X>()` in the rest of its block, and `Configure(EntityTypeBuilder<X> b)`.
 * A chain belongs to the innermost builder in scope that it is called on, so each is read once however they nest.
 */
function builderScopes(tokens: Token[]): Scope[] {
  const scopes: Scope[] = [];
  const bodies: BuilderSpan[] = [];
  const held = new Map<string, BuilderSpan[]>();
  /** The blocks open at token i (their `{`), innermost last. */
  const blocks: number[] = [];
  for (let i = 0; i + 4 < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === '{') blocks.push(i);
    else if (t.type === 'punct' && t.value === '}') blocks.pop();
    if (t.type !== 'id') continue;
    if (t.value === 'Entity' && isPunct(tokens[i - 1], '.') && isPunct(tokens[i + 1], '<')) {
      const closeGeneric = genericClose(tokens, i + 1);
      const entity = closeGeneric > 0 ? lastName(tokens, i + 2, closeGeneric) : undefined;
      const open = closeGeneric + 1;
      if (!entity || !isPunct(tokens[open], '(')) continue;
      const close = matchClose(tokens, open);
      const scope: Scope = { entity, line: t.line, chains: [] };
      const lambda = lambdaAt(tokens, open + 1, close);
      if (lambda) bodies.push({ scope, receiver: lambda.parameter, from: lambda.from, to: lambda.to });
      else if (close === open + 1) {
        const chain = readChain(tokens, close + 1);
        if (chain.calls.length) scope.chains.push(chain.calls);
        const holder = assignedVariable(tokens, i - 2);
        const block = blocks[blocks.length - 1];
        if (holder) held.set(holder, [...(held.get(holder) ?? []), { scope, receiver: holder, from: chain.end, to: block === undefined ? tokens.length : matchClose(tokens, block) }]);
      } else continue;
      scopes.push(scope);
    } else if (t.value === 'Configure' && isPunct(tokens[i + 1], '(') && isId(tokens[i + 2], 'EntityTypeBuilder') && isPunct(tokens[i + 3], '<')) {
      const closeGeneric = genericClose(tokens, i + 3);
      const entity = closeGeneric > 0 ? lastName(tokens, i + 4, closeGeneric) : undefined;
      const parameter = tokens[closeGeneric + 1];
      const closeParams = matchClose(tokens, i + 1);
      if (!entity || !isId(parameter) || closeParams !== closeGeneric + 2) continue;
      // a block body, or an expression body `=> builder.…;`
      const body = closeParams + 1;
      if (!isPunct(tokens[body], '{') && !isPunct(tokens[body], '=>')) continue;
      const scope: Scope = { entity, line: t.line, chains: [] };
      bodies.push({ scope, receiver: parameter!.value, from: body + 1, to: isPunct(tokens[body], '{') ? matchClose(tokens, body) : statementEnd(tokens, body) });
      scopes.push(scope);
    }
  }
  if (!bodies.length && !held.size) return scopes;
  const innermost = innermostSpan(tokens.length, bodies);
  for (let k = 1; k + 1 < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type !== 'id' || !isPunct(tokens[k + 1], '.') || isPunct(tokens[k - 1], '.')) continue;
    const body = innermost(k);
    // a variable's builder: the one it was last given before this call (`b = modelBuilder.Entity<Post>();`)
    const span = body?.receiver === t.value ? body : lastSpanAt(held.get(t.value), k);
    if (!span) continue;
    const chain = readChain(tokens, k + 1);
    if (chain.calls.length) span.scope.chains.push(chain.calls);
    // lambdas in its arguments (UsingEntity's) configure other builders, read with their call
    k = Math.max(k, chain.end - 1);
  }
  return scopes;
}

/** The last of a variable's spans (in order) that holds token `k`. */
function lastSpanAt(spans: BuilderSpan[] | undefined, k: number): BuilderSpan | undefined {
  let found: BuilderSpan | undefined;
  for (const h of spans ?? []) if (h.from <= k && k < h.to) found = h;
  return found;
}

/** The `>` closing a generic argument list opened at `open` (nested ones counted), or -1 when there is none nearby. */
function genericClose(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length && k < open + 40; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '<')) depth++;
    else if (isPunct(t, '>') && --depth === 0) return k;
    else if (isPunct(t, '>>')) {
      depth -= 2;
      if (depth <= 0) return depth === 0 ? k : -1;
    } else if (!(t.type === 'id' || isPunct(t, '.') || isPunct(t, ',') || isPunct(t, '?'))) return -1;
  }
  return -1;
}

/** The last name of a (possibly qualified) type in [from, to): `Shop.Models.Order` → `Order`; undefined for others. */
function lastName(tokens: Token[], from: number, to: number): string | undefined {
  for (let k = from; k < to; k++) if (!(isId(tokens[k]) || isPunct(tokens[k], '.'))) return undefined;
  return isId(tokens[to - 1]) ? tokens[to - 1]!.value : undefined;
}

/** A lambda `p => body` (or `(p) => body`) filling [from, to): its parameter and its body's range (a block's inside). */
function lambdaAt(tokens: Token[], from: number, to: number): { parameter: string; from: number; to: number } | undefined {
  let k = from;
  if (isPunct(tokens[k], '(') && isId(tokens[k + 1]) && isPunct(tokens[k + 2], ')')) k++;
  if (!isId(tokens[k])) return undefined;
  const parameter = tokens[k]!.value;
  let arrow = k + 1;
  if (isPunct(tokens[arrow], ')')) arrow++;
  if (!isPunct(tokens[arrow], '=>') || arrow + 1 >= to) return undefined;
  if (isPunct(tokens[arrow + 1], '{')) return { parameter, from: arrow + 2, to: matchClose(tokens, arrow + 1) };
  return { parameter, from: arrow + 1, to };
}

/** `var b = ` or `EntityTypeBuilder<X> b = ` ending at `at` (the token before the receiver): the variable's name. */
function assignedVariable(tokens: Token[], at: number): string | undefined {
  // `modelBuilder.Entity<X>()`: `at` is the receiver; the `=` is before it
  if (!isPunct(tokens[at - 1], '=')) return undefined;
  return isId(tokens[at - 2]) ? tokens[at - 2]!.value : undefined;
}

/** Where the statement starting at `from` ends (its `;` at the top level, or the block's end). */
function statementEnd(tokens: Token[], from: number): number {
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) k = matchClose(tokens, k);
    else if (t.type === 'punct' && (t.value === ';' || t.value === '}')) return k;
  }
  return tokens.length;
}

/** The chains called on `receiver` in [from, to): each `receiver.A(…).B(…)` not itself part of a longer expression. */
function chainsOn(tokens: Token[], receiver: string, from: number, to: number): Call[][] {
  const chains: Call[][] = [];
  for (let k = from; k < to; k++) {
    if (!isId(tokens[k], receiver) || isPunct(tokens[k - 1], '.') || !isPunct(tokens[k + 1], '.')) continue;
    const chain = readChain(tokens, k + 1);
    if (chain.calls.length) chains.push(chain.calls);
    k = Math.max(k, chain.end - 1);
  }
  return chains;
}

/** The calls `.A(…).B<T>(…)…` starting at the `.` at `at`, and the index after them. */
function readChain(tokens: Token[], at: number): { calls: Call[]; end: number } {
  const calls: Call[] = [];
  let k = at;
  while (isPunct(tokens[k], '.') && isId(tokens[k + 1])) {
    const nameTok = tokens[k + 1]!;
    let open = k + 2;
    let generic: string | undefined;
    if (isPunct(tokens[open], '<')) {
      const close = genericClose(tokens, open);
      if (close < 0) break;
      generic = lastName(tokens, open + 1, close);
      open = close + 1;
    }
    if (!isPunct(tokens[open], '(')) break;
    const call: Call = { name: nameTok.value, args: callArguments(tokens, open), line: nameTok.line };
    if (generic) call.generic = generic;
    calls.push(call);
    k = matchClose(tokens, open) + 1;
  }
  return { calls, end: k };
}

/** What the file configures of one entity. */
class EntityConfig {
  table?: QualifiedName;
  keyProperties?: string[];
  inheritance?: OrmEntity['inheritance'];
  readonly columns = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly line: number,
    private readonly dbSet: string | undefined,
  ) {}

  entity(): OrmEntity {
    const table = this.table ?? tableOf(undefined, this.dbSet ?? this.name);
    const e: OrmEntity = { name: this.name, table, tableRank: this.table ? 3 : this.dbSet ? 1 : 0, configured: true, line: this.line };
    const key = this.keyProperties?.length === 1 ? this.keyProperties[0]! : undefined;
    if (key) e.idColumn = this.columns.get(key) ?? key;
    if (this.columns.size) e.fieldColumns = Object.fromEntries(this.columns);
    if (this.inheritance) e.inheritance = this.inheritance;
    return e;
  }
}

class ModelReader {
  readonly configured = new Map<string, EntityConfig>();
  readonly joins: JoinPair[] = [];
  private readonly pending: Array<[EntityConfig, Call[]]> = [];

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
    private readonly dbSets: Map<string, { property: string }>,
    /** Navigation property → class, per class the file declares. */
    private readonly navigations: Map<string, Map<string, string>>,
  ) {}

  configure(entity: string, line: number, chains: Call[][]): EntityConfig {
    let config = this.configured.get(entity);
    if (!config) this.configured.set(entity, (config = new EntityConfig(entity, line, this.dbSets.get(entity)?.property)));
    for (const chain of chains) this.apply(config, chain);
    return config;
  }

  private apply(config: EntityConfig, chain: Call[]): void {
    for (let c = 0; c < chain.length; c++) {
      const call = chain[c]!;
      switch (call.name) {
        case 'ToTable':
        case 'ToView': {
          const name = this.stringAt(call.args[0]);
          if (name) config.table = tableOf(this.stringAt(call.args[1]) ?? this.stringAt(namedArgument(this.tokens, call.args, 'schema')), name);
          continue; // returns the entity's builder: the chain goes on configuring it
        }
        case 'HasKey': {
          const properties = this.properties(call.args);
          if (properties.length) config.keyProperties = properties;
          return;
        }
        case 'Property':
        case 'IndexerProperty': {
          const [property] = this.properties(call.args.slice(0, 1));
          const named = chain.slice(c + 1).find((x) => x.name === 'HasColumnName');
          const column = named && this.stringAt(named.args[0]);
          if (property && column) config.columns.set(property, column);
          return;
        }
        case 'HasOne':
        case 'HasMany':
          // read once every entity of the file is configured (a principal's key may be configured after)
          this.pending.push([config, chain.slice(c)]);
          return;
        case 'OwnsOne':
        case 'OwnsMany':
          return this.owned(config, call);
        case 'UseTptMappingStrategy':
        case 'UseTpcMappingStrategy':
        case 'UseTphMappingStrategy':
          config.inheritance = call.name === 'UseTptMappingStrategy' ? 'joined' : call.name === 'UseTpcMappingStrategy' ? 'table-per-class' : 'single-table';
          continue;
        default:
          // other settings (HasComment, Ignore, HasQueryFilter…) return the builder; the rest (HasIndex…) end what we read
          if (!BUILDER_SETTINGS.has(call.name)) return;
      }
    }
  }

  /** Reads the relationships configured (once every entity of the file is). */
  relate(): void {
    for (let i = 0; i < this.pending.length; i++) this.relationship(...this.pending[i]!);
  }

  /** `HasOne|HasMany(…).WithOne|WithMany(…)[.HasForeignKey(…)][.HasPrincipalKey(…)][.UsingEntity(…)]`. */
  private relationship(owner: EntityConfig, chain: Call[]): void {
    const [has, ...rest] = chain as [Call, ...Call[]];
    const many = has.name === 'HasMany';
    const navigation = this.properties(has.args.slice(0, 1))[0];
    const typed = has.generic ?? (navigation ? this.navigations.get(owner.name)?.get(navigation) : undefined);
    const target = typed ?? (navigation ? classNamed(navigation, many) : undefined);
    if (!target) return;
    const withCall = rest.find((x) => x.name === 'WithOne' || x.name === 'WithMany');
    const inverseNavigation = withCall ? this.properties(withCall.args.slice(0, 1))[0] : undefined;
    const foreignKey = rest.find((x) => x.name === 'HasForeignKey');
    const principalKey = rest.find((x) => x.name === 'HasPrincipalKey');
    const at = { file: this.file, line: has.line };
    if (many && withCall?.name === 'WithMany') {
      const using = rest.find((x) => x.name === 'UsingEntity');
      if (using) this.joinEntity(using);
      return;
    }
    // who holds the key: the owner of a HasOne, the target of a HasMany; a one-to-one's HasForeignKey<Dependent> says
    let dependent = many ? target : owner.name;
    if (!many && withCall?.name === 'WithOne') {
      const named = foreignKey?.generic ?? principalKey?.generic;
      if (!named) return; // EF cannot tell either without it
      dependent = foreignKey?.generic ? named : named === owner.name ? target : owner.name;
    }
    const principal = dependent === owner.name ? target : owner.name;
    const principalKeys = this.configured.get(principal)?.keyProperties;
    // without HasForeignKey, EF's: the dependent's navigation to the principal (else the principal's name) and the
    // principal's key (`<navigation>Id` for an `Id`; a key already named after the navigation as it is)
    const toPrincipal = dependent === owner.name ? navigation : inverseNavigation;
    const prefix = toPrincipal ?? principal;
    const key = principalKeys?.length === 1 && !/^id$/i.test(principalKeys[0]!) ? principalKeys[0]! : 'Id';
    const columns = foreignKey ? this.properties(foreignKey.args) : [key.startsWith(prefix) ? key : `${prefix}${key}`];
    // the principal's key, or the key HasPrincipalKey names; a composite key is paired column by column, in order
    const referenced = principalKey ? this.properties(principalKey.args) : columns.length === 1 ? [''] : principalKeys;
    if (!columns.length || referenced?.length !== columns.length) return;
    // a class guessed from the navigation's name gives way to the navigation's type, where the owner's class declares
    // it: the target is the principal when the owner holds the key, else the dependent
    const guessed = typed ? undefined : { of: owner.name, property: navigation!, side: dependent === owner.name ? ('right' as const) : ('left' as const) };
    // (the inverse is on the target's class: named, or as the class the owner's navigation holds)
    const inverse = inverseNavigation && (typed ? `${target}.${inverseNavigation}` : navigation && `${owner.name}.${navigation}→${inverseNavigation}`);
    const covers = [navigation && `${owner.name}.${navigation}`, inverse].filter((x): x is string => !!x);
    this.joins.push(...compositeOrmKey({ name: dependent }, columns, { name: principal }, referenced, at, { fromEntity: dependent, toEntity: principal, mappedOnly: true, navigation: guessed, covers }));
  }

  /**
   * An owned type mapped to a table of its own (`OwnsMany(o => o.Lines, l => { l.ToTable("order_lines");
   * l.WithOwner().HasForeignKey("OrderId"); })`): that table's key to its owner, by `WithOwner().HasForeignKey`, else
   * EF's `<Owner>Id`. One in its owner's table (no ToTable) has no key.
   */
  private owned(owner: EntityConfig, call: Call): void {
    const lambda = call.args[1] && lambdaAt(this.tokens, call.args[1][0], call.args[1][1]);
    // (a type owned by an owned type keys to that one's table, which has no entity to name it: left out)
    if (!lambda || owner.name.endsWith('.owned')) return;
    const part = new EntityConfig(`${owner.name}.owned`, call.line, undefined);
    let foreignKey: string[] | undefined;
    for (const chain of chainsOn(this.tokens, lambda.parameter, lambda.from, lambda.to)) {
      const withOwner = chain.findIndex((x) => x.name === 'WithOwner');
      const named = withOwner >= 0 ? chain.slice(withOwner).find((x) => x.name === 'HasForeignKey') : undefined;
      if (named) foreignKey = this.properties(named.args);
      else this.apply(part, chain);
    }
    if (!part.table) return;
    const columns = (foreignKey?.length ? foreignKey : [`${owner.name}Id`]).map((p) => part.columns.get(p) ?? p);
    this.joins.push(...compositeOrmKey(part.table, columns, { name: owner.name }, columns.map(() => ''), { file: this.file, line: call.line }, { toEntity: owner.name }));
  }

  /**
   * A many-to-many's join entity: `UsingEntity<Dictionary<string, object>>("PostTag", r => r.HasOne<Tag>()…, l => …,
   * j => { j.ToTable(…); … })` or `UsingEntity<PostTag>(…)`: configured as any entity, its HasOne sides its keys.
   */
  private joinEntity(using: Call): void {
    const typed = using.generic && using.generic !== 'Dictionary' ? using.generic : undefined;
    const name = typed ?? this.stringAt(using.args[0]);
    if (!name) return;
    const chains: Call[][] = [];
    for (const arg of using.args) {
      const lambda = lambdaAt(this.tokens, arg[0], arg[1]);
      if (lambda) chains.push(...chainsOn(this.tokens, lambda.parameter, lambda.from, lambda.to));
    }
    // without its sides spelled out, EF's default columns (`PostsId`) are too unlike a schema's to be worth a guess
    if (!chains.length) return;
    this.configure(name, using.line, chains);
  }

  /** Property names an argument list gives: `e => e.A`, `e => new { e.A, e.B }`, `"A"`, `"A", "B"`, `nameof(X.A)`. */
  private properties(args: TokenRange[]): string[] {
    const out: string[] = [];
    for (const arg of args) {
      const s = this.stringAt(arg);
      if (s) {
        out.push(s);
        continue;
      }
      const lambda = lambdaAt(this.tokens, arg[0], arg[1]);
      if (!lambda) continue;
      const { parameter, from, to } = lambda;
      const tokens = this.tokens;
      if (isId(tokens[from], 'new') && isPunct(tokens[from + 1], '{')) {
        for (const [a, b] of callArguments(tokens, from + 1)) if (b - a === 3 && isId(tokens[a], parameter) && isPunct(tokens[a + 1], '.') && isId(tokens[a + 2])) out.push(tokens[a + 2]!.value);
      } else if (to - from === 3 && isId(tokens[from], parameter) && isPunct(tokens[from + 1], '.') && isId(tokens[from + 2])) out.push(tokens[from + 2]!.value);
    }
    return out;
  }

  private stringAt(range: TokenRange | undefined): string | undefined {
    return stringOrNameof(this.tokens, range);
  }
}

/** The class a navigation of this name holds, by scaffolding's names: without its `Navigation` suffix; a collection's singular. */
function classNamed(navigation: string, many: boolean): string {
  const name = navigation.replace(/(.)Navigation$/, '$1');
  return many ? singularize(name) : name;
}

/** Entity builder calls that return the builder, so a chain goes on configuring the entity after them. */
const BUILDER_SETTINGS = new Set(['ToTable', 'ToView', 'HasComment', 'HasAnnotation', 'Ignore', 'HasQueryFilter', 'HasNoKey', 'HasBaseType', 'HasDiscriminator', 'UseTpcMappingStrategy', 'UseTphMappingStrategy', 'UseTptMappingStrategy', 'HasCharSet', 'UseCollation', 'ToFunction', 'HasData']);
