/**
 * Name- and type-based join candidates. Blocking: targets are indexed by entity name and key name, and each column
 * does a handful of hash look-ups (suffixes of its entity tokens), so the cost is linear in the number of columns.
 */
import type { CandidateSet } from './candidates';
import { singleKeys, type ColumnIndex, type ColumnInfo, type KeyKind, type TableInfo, type TableKey } from './columnIndex';
import { PERSON_ENTITIES, PERSON_ROLES, SELF_ROLES, synonymsOf, tokenize } from './names';
import { typeEvidence } from './typeCheck';

type Via = 'exact' | 'primary' | 'keyname' | 'alternate' | 'synonym' | 'self-role' | 'person-role' | 'composite';

const VIA_WEIGHT: Record<Via, number> = {
  exact: 0.82, primary: 0.8, keyname: 0.76, composite: 0.8, 'self-role': 0.72, alternate: 0.64, 'person-role': 0.62, synonym: 0.55,
};
const VIA_RANK: Record<Via, number> = { exact: 7, composite: 7, primary: 6, keyname: 5, 'self-role': 4, alternate: 3, 'person-role': 2, synonym: 1 };
const KEY_FACTOR: Record<KeyKind, number> = { 'declared-pk': 1, 'declared-unique': 0.95, 'inferred-strong': 0.93, 'inferred-weak': 0.8 };

/** Common role prefixes: a known role costs less than an unknown leading word. */
const KNOWN_ROLES = new Set([
  'bill', 'billing', 'ship', 'shipping', 'origin', 'orig', 'dest', 'destination', 'source', 'src', 'target', 'tgt', 'from', 'to', 'home',
  'work', 'primary', 'secondary', 'parent', 'child', 'manager', 'sold', 'return', 'returned', 'order', 'due', 'start', 'end', 'created',
  'updated', 'first', 'last', 'current', 'prev', 'previous', 'old', 'new', 'alt', 'alternate', 'main', 'default', 'delivery', 'pickup',
  'invoice', 'payment', 'reporting', 'sales', 'support', 'assigned', 'original', 'away', 'buyer', 'seller', 'departure', 'arrival',
  'depart', 'arrive', 'sender', 'receiver', 'recipient', 'open', 'close', 'closed', 'effective', 'expiry', 'birth', 'hire', 'mailing',
  'physical', 'legal', 'head', 'base', 'local', 'reference', 'ref', 'related', 'linked', 'ultimate', 'booking', 'transaction', 'posting',
]);

interface Target {
  table: TableInfo;
  key: TableKey;
  via: Via;
}

interface Hit {
  target: Target;
  role: string[];
}

/**
 * More target relations than this for one column, in its own schema (else in all), and its name does not say which one
 * it means: 300 tables named `events_*`, or the same tables in 50 tenants' schemas. Also keeps the cost linear.
 */
const MAX_NAME_TARGETS = 4;

/** A name made of digits alone (`events_2023` → `2023`) names no entity. */
const isNumber = (name: string) => /^\d+$/.test(name);

function pushMap<T>(m: Map<string, T[]>, k: string, v: T): void {
  if (isNumber(k)) return;
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const squash = (parts: string[]) => parts.join('');

export interface NameIndex {
  byEntity: Map<string, Target[]>;
  byCanon: Map<string, Target[]>;
  /** The same targets by schema (`e`/`c` NUL schema NUL key): a column looks in its own schema first. */
  local: Map<string, Target[]>;
  composites: Map<string, Array<{ table: TableInfo; key: TableKey; canons: string[] }>>;
  personTables: TableInfo[];
}

export function buildNameIndex(index: ColumnIndex): NameIndex {
  const byEntity = new Map<string, Target[]>();
  const byCanon = new Map<string, Target[]>();
  const composites = new Map<string, Array<{ table: TableInfo; key: TableKey; canons: string[] }>>();
  const personTables: TableInfo[] = [];
  for (const t of index.tables) {
    const primary = t.entity.primary.replace(/ /g, '');
    if (PERSON_ENTITIES.has(primary)) personTables.push(t);
    for (const key of singleKeys(t)) {
      const k = key.columns[0];
      const keyEntity = squash(k.entity);
      if (k.entity.length > 0) pushMap(byCanon, `${keyEntity}#${k.suffix ?? ''}`, { table: t, key, via: 'exact' });
      if (!k.suffix) continue;
      // the key must be generic ("id") or name this table's entity / an entity of its own
      pushMap(byEntity, primary, { table: t, key, via: 'primary' });
      // a position-only key guess says nothing about what its name refers to
      if (keyEntity && keyEntity !== primary && key.kind !== 'inferred-weak') pushMap(byEntity, keyEntity, { table: t, key, via: 'keyname' });
      for (const alt of t.entity.alternates) {
        const a = alt.replace(/ /g, '');
        if (a !== primary && a !== keyEntity) pushMap(byEntity, a, { table: t, key, via: 'alternate' });
      }
      const names = new Set([primary, keyEntity, ...t.entity.alternates.map((a) => a.replace(/ /g, ''))]);
      for (const name of names) for (const syn of synonymsOf(name)) if (!names.has(syn)) pushMap(byEntity, syn.replace(/_/g, ''), { table: t, key, via: 'synonym' });
      // key entity qualified by the table's initials: cd_demo_sk in customer_demographics ← c_current_cdemo_sk
      const initials = tokenize(t.def.name).map((w) => w[0]).join('');
      if (keyEntity.length >= 3 && initials.length >= 2) {
        for (let n = 1; n <= initials.length; n++) pushMap(byEntity, initials.slice(0, n) + keyEntity, { table: t, key, via: 'keyname' });
      }
    }
    const pk = t.keys[0];
    if (pk && pk.columns.length >= 2 && pk.kind === 'declared-pk') {
      const canons = pk.columns.map((c) => c.canon.replace(/ /g, '')).sort();
      pushMap(composites, canons[0], { table: t, key: pk, canons });
    }
  }
  const local = new Map<string, Target[]>();
  for (const [kind, map] of [['e', byEntity], ['c', byCanon]] as const) {
    for (const [key, targets] of map) for (const t of targets) pushMap(local, localKey(kind, t.table.ref.schema, key), t);
  }
  return { byEntity, byCanon, local, composites, personTables };
}

function localKey(kind: 'e' | 'c', schema: string, key: string): string {
  return `${kind}\u0000${schema}\u0000${key}`;
}

/**
 * The targets of `key` for column `c` (never its own key): those in its schema when there are some, else all. The
 * same choice `unambiguous` makes over all hits, made here so that a name shared by 50 schemas costs one look-up.
 */
function nearest(nidx: NameIndex, kind: 'e' | 'c', key: string, c: ColumnInfo): Target[] {
  const all = (kind === 'e' ? nidx.byEntity : nidx.byCanon).get(key);
  if (!all?.some((t) => t.key.columns[0] !== c)) return [];
  const near = nidx.local.get(localKey(kind, c.table.ref.schema, key))?.filter((t) => t.key.columns[0] !== c);
  return near?.length ? near : all.filter((t) => t.key.columns[0] !== c);
}

/** A position-only guess (first NOT NULL column) does not stop a column from being a foreign key. */
function isOwnSingleKey(c: ColumnInfo): boolean {
  const pk = c.table.keys[0];
  return !!pk && pk.kind !== 'inferred-weak' && pk.columns.length === 1 && pk.columns[0] === c;
}

function rolePenalty(role: string[]): number {
  if (role.length === 0) return 0;
  return role.every((r) => KNOWN_ROLES.has(r)) ? 0.03 : 0.08;
}

function lookupEntity(nidx: NameIndex, c: ColumnInfo): Hit[] {
  const hits: Hit[] = [];
  const canonKey = `${squash(c.entity)}#${c.suffix ?? ''}`;
  for (const target of nearest(nidx, 'c', canonKey, c)) hits.push({ target, role: [] });
  if (!c.suffix) return hits;
  for (let i = 0; i < c.entity.length; i++) {
    const sub = squash(c.entity.slice(i));
    if (isNumber(sub)) break;
    const found = nearest(nidx, 'e', sub, c);
    if (!found.length) continue;
    for (const target of found) hits.push({ target, role: c.entity.slice(0, i) });
    break; // the longest matching tail wins
  }
  return hits;
}

function personTarget(nidx: NameIndex, from: TableInfo): TableInfo | undefined {
  const same = nidx.personTables.filter((t) => t.ref.schema === from.ref.schema);
  const pool = same.length ? same : nidx.personTables;
  const order = ['employee', 'staff', 'user', 'person', 'people', 'member', 'worker', 'agent'];
  return [...pool].sort((a, b) => order.indexOf(a.entity.primary) - order.indexOf(b.entity.primary))[0];
}

/** Role-only columns: parent_id, manager_id, reports_to, support_rep_id, created_by. */
function roleHits(nidx: NameIndex, c: ColumnInfo): Hit[] {
  const tokens = c.suffix ? c.entity : tokenize(c.stripped);
  if (tokens.length === 0 || tokens.length > 3) return [];
  const isBy = !c.suffix && tokens.length === 2 && tokens[1] === 'by';
  const isTo = !c.suffix && tokens.length === 2 && tokens[0] === 'reports' && tokens[1] === 'to';
  if (!c.suffix && !isBy && !isTo) return [];
  const last = isTo ? 'reports' : isBy ? tokens[0] : tokens[tokens.length - 1];
  const own = c.table;
  const ownKey = own.keys[0];
  const ownIsPerson = PERSON_ENTITIES.has(own.entity.primary.replace(/ /g, ''));
  if ((SELF_ROLES.has(last) && !PERSON_ROLES.has(last)) || (PERSON_ROLES.has(last) && ownIsPerson && (SELF_ROLES.has(last) || isTo))) {
    if (ownKey && ownKey.columns.length === 1 && ownKey.columns[0] !== c) return [{ target: { table: own, key: ownKey, via: 'self-role' }, role: tokens }];
    return [];
  }
  if (PERSON_ROLES.has(last) || isBy) {
    const person = personTarget(nidx, own);
    const key = person?.keys[0];
    if (person && key && key.columns.length === 1 && key.columns[0] !== c) return [{ target: { table: person, key, via: 'person-role' }, role: tokens }];
  }
  return [];
}

export function addNameCandidates(index: ColumnIndex, nidx: NameIndex, out: CandidateSet): void {
  for (const from of index.tables) {
    for (const c of from.columns) {
      if (c.entity.length === 0) continue; // a bare "id" names nothing
      let hits = lookupEntity(nidx, c);
      if (hits.length === 0) hits = roleHits(nidx, c);
      hits = unambiguous(hits, from);
      const ownKey = isOwnSingleKey(c);
      for (const hit of hits) {
        const { table: to, key, via } = hit.target;
        const k = key.columns[0];
        if (k === c) continue;
        // role + own entity (parent_category_id in categories) is a self-reference
        if (to === from && via !== 'self-role' && hit.role.length === 0) continue;
        if (from.role === 'dimension' && to.role === 'fact') continue;
        if (ownKey) {
          // a table's own key references another table only as a 1:1 extension of it (customer_detail.customer_id → customer)
          const ent = squash(c.entity);
          if (!['exact', 'primary', 'keyname'].includes(via)) continue;
          if (to.entity.primary.replace(/ /g, '') !== ent || from.entity.primary.replace(/ /g, '') === ent) continue;
          if (from.entity.primary.replace(/ /g, '').length <= ent.length && to.keys[0]?.kind !== 'declared-pk') continue;
        }
        const typeEv = typeEvidence(c, k);
        if (typeEv && typeEv.weight <= -0.5) continue;
        let weight = VIA_WEIGHT[via] * KEY_FACTOR[key.kind] - rolePenalty(hit.role);
        if (c.suffix === 'CODE' && k.suffix === 'ID') weight *= 0.85;
        const roleText = hit.role.length ? ` with role "${hit.role.join('_')}"` : '';
        const detail = describeVia(via, c, to, k) + roleText;
        const cand = out.add(from, [c], to, [k], { kind: 'name-match', detail, weight }, VIA_RANK[via] - (hit.role.length ? 0.5 : 0));
        addKeyAndType(out, cand.id, key, typeEv);
      }
    }
    addCompositeCandidates(nidx, from, out);
  }
}

/** The hits in the column's own schema when there are some, none when they are too many to tell apart. */
function unambiguous(hits: Hit[], from: TableInfo): Hit[] {
  const local = hits.filter((h) => h.target.table.ref.schema === from.ref.schema);
  const kept = local.length ? local : hits;
  return new Set(kept.map((h) => h.target.table)).size > MAX_NAME_TARGETS ? [] : kept;
}

function addKeyAndType(out: CandidateSet, id: string, key: TableKey, typeEv: ReturnType<typeof typeEvidence>): void {
  const cand = out.get(id);
  if (!cand) return;
  const keyDetail = `${key.columns.map((c) => c.name).join(', ')}: ${key.reason}`;
  if (!cand.evidence.some((e) => e.kind === 'target-key')) cand.evidence.push({ kind: 'target-key', detail: keyDetail, weight: 0 });
  if (typeEv && !cand.evidence.some((e) => e.kind === 'type-check')) cand.evidence.push(typeEv);
}

function describeVia(via: Via, c: ColumnInfo, to: TableInfo, k: ColumnInfo): string {
  const col = `${c.table.def.name}.${c.name}`;
  const tgt = `${to.def.name}.${k.name}`;
  switch (via) {
    case 'exact': return `${col} has the same key name as ${tgt}`;
    case 'primary': return `${col} names the entity of table ${to.def.name} (key ${k.name})`;
    case 'keyname': return `${col} matches the key name of ${tgt}`;
    case 'alternate': return `${col} names part of table ${to.def.name} (key ${k.name})`;
    case 'synonym': return `${col} names a synonym of table ${to.def.name} (key ${k.name})`;
    case 'self-role': return `${col} is a role column pointing to another row of ${to.def.name}`;
    case 'person-role': return `${col} names a person role; ${to.def.name} is the person table`;
    case 'composite': return `${col} matches a composite key of ${to.def.name}`;
  }
}

function addCompositeCandidates(nidx: NameIndex, from: TableInfo, out: CandidateSet): void {
  if (nidx.composites.size === 0) return;
  const byCanon = new Map<string, ColumnInfo>();
  for (const c of from.columns) if (c.entity.length) byCanon.set(c.canon.replace(/ /g, ''), c);
  const ownPk = from.keys[0];
  const ownCanons = ownPk ? new Set(ownPk.columns.map((c) => c.canon.replace(/ /g, ''))) : new Set<string>();
  for (const canon of byCanon.keys()) {
    for (const comp of nidx.composites.get(canon) ?? []) {
      if (comp.table === from) continue;
      if (!comp.canons.every((k) => byCanon.has(k))) continue;
      // same key on both sides: peers, not parent/child; own key a strict subset: we are the parent
      if (ownCanons.size === comp.canons.length && comp.canons.every((k) => ownCanons.has(k))) continue;
      if (ownCanons.size > 0 && ownCanons.size < comp.canons.length && [...ownCanons].every((k) => comp.canons.includes(k))) continue;
      const toCols = comp.key.columns;
      const fromCols = toCols.map((k) => byCanon.get(k.canon.replace(/ /g, ''))!);
      if (fromCols.some((c, i) => { const e = typeEvidence(c, toCols[i]); return !!e && e.weight <= -0.5; })) continue;
      const detail = `${from.def.name}(${fromCols.map((c) => c.name).join(', ')}) carries the whole composite key of ${comp.table.def.name}`;
      const cand = out.add(from, fromCols, comp.table, toCols, { kind: 'name-match', detail, weight: VIA_WEIGHT.composite }, VIA_RANK.composite);
      addKeyAndType(out, cand.id, comp.key, null);
    }
  }
}
