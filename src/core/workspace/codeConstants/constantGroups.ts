import { MIN_ENTRIES, type Entry } from './matchers';

/** A code table among a class's constants: the class's name, or `Class.PREFIX` when the class holds several. */
export interface ConstantGroup {
  name: string;
  prefix: string;
  entries: Entry[];
}

/**
 * A class's (an object's, a const block's) constants as code tables. Each constant goes with the longest name prefix
 * it shares with another (`STATUS_REASON_SPAM` with `STATUS_REASON_IP_BLOCK`, apart from `STATUS_ACTIVE`); those
 * sharing none are the class's own group (prefix ''). A group joins its parent, the group of a shorter prefix of its
 * own (else the class's own group, when that holds a table's worth), unless their codes collide: `STATUS_ERROR_NETWORK
 * = 4` goes with `STATUS_ERROR = 3`, `STATUS_REASON_SPAM = 1` stays apart from `STATUS_HOLD = 1`. A group whose codes
 * repeat is no code table and is left out.
 */
export function constantGroups(owner: string, entries: Entry[]): ConstantGroup[] {
  const sharing = new Map<string, number>();
  for (const e of entries) for (const p of namePrefixes(e.label)) sharing.set(p, (sharing.get(p) ?? 0) + 1);
  const groupOf = entries.map((e) => namePrefixes(e.label).reverse().find((p) => sharing.get(p)! >= MIN_ENTRIES) ?? '');
  const codes = new Map<string, Set<Entry['code']>>();
  entries.forEach((e, k) => {
    if (!codes.has(groupOf[k]!)) codes.set(groupOf[k]!, new Set());
    codes.get(groupOf[k]!)!.add(e.code);
  });
  const ownGroupIsTable = groupOf.filter((g) => g === '').length >= MIN_ENTRIES;
  // the longest prefixes first, so that a group joins its parent with its own sub-groups in it
  const joined = new Map<string, string>();
  for (const prefix of [...codes.keys()].sort((a, b) => b.length - a.length)) {
    if (!prefix) continue;
    const parent = namePrefixes(prefix).reverse().find((p) => codes.has(p)) ?? (ownGroupIsTable ? '' : undefined);
    const own = codes.get(prefix)!;
    const into = parent === undefined ? undefined : codes.get(parent)!;
    if (!into || [...own].some((c) => into.has(c))) continue;
    for (const c of own) into.add(c);
    codes.delete(prefix);
    joined.set(prefix, parent!);
  }
  const groups = new Map<string, Entry[]>();
  entries.forEach((e, k) => {
    let g = groupOf[k]!;
    while (joined.has(g)) g = joined.get(g)!;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(e);
  });
  const tables = [...groups].filter(([, es]) => es.length >= MIN_ENTRIES && new Set(es.map((e) => e.code)).size === es.length);
  return tables.map(([prefix, es]) => ({ name: tables.length > 1 && prefix ? `${owner}.${prefix}` : owner, prefix, entries: es }));
}

/**
 * The prefixes of a name at its word breaks (underscores, and lower case before upper case), shortest first:
 * `STATUS_REASON_SPAM` → STATUS, STATUS_REASON; `StatusNotExist` → Status, StatusNot.
 */
function namePrefixes(name: string): string[] {
  const prefixes: string[] = [];
  for (let j = 1; j < name.length; j++) {
    if (name[j] === '_' && name[j - 1] !== '_') prefixes.push(name.slice(0, j));
    else if (/[a-z0-9]/.test(name[j - 1]!) && /[A-Z]/.test(name[j]!)) prefixes.push(name.slice(0, j));
  }
  return prefixes;
}
