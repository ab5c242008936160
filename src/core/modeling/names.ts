/**
 * Name normalisation for join inference: tokens, singular forms, abbreviations, key suffixes.
 * Everything is lower case. The vocabularies are general English/data-modelling conventions, not tuned to one schema.
 */

/** Suffixes that mark a column as an identifier / key. */
export const KEY_SUFFIXES = new Set(['id', 'key', 'sk', 'no', 'num', 'nbr', 'number', 'code', 'cd', 'uuid', 'guid', 'fk']);
/** Glued suffixes recognised inside one token, e.g. custkey, ArtistId (after lower-casing: artistid). */
const GLUED_SUFFIXES = ['key', 'id', 'sk', 'no', 'num', 'nbr', 'code'];

/** Abbreviation → full word. Applied per token. */
const ABBREVIATIONS: Record<string, string> = {
  cust: 'customer', cus: 'customer', cstmr: 'customer', clnt: 'client',
  prod: 'product', prd: 'product', itm: 'item',
  emp: 'employee', empl: 'employee', mgr: 'manager', dept: 'department', dep: 'department', div: 'division',
  supp: 'supplier', sup: 'supplier', suppl: 'supplier', vend: 'vendor', vndr: 'vendor',
  addr: 'address', adr: 'address', loc: 'location', ctry: 'country', cntry: 'country', reg: 'region',
  acct: 'account', acc: 'account', txn: 'transaction', trans: 'transaction', trx: 'transaction', pmt: 'payment', pay: 'payment',
  inv: 'invoice', ord: 'order', qty: 'quantity', amt: 'amount', cat: 'category', categ: 'category',
  promo: 'promotion', org: 'organization', orgs: 'organization', grp: 'group', usr: 'user', pers: 'person',
  cal: 'calendar', dt: 'date', tm: 'time', curr: 'currency', ccy: 'currency', wh: 'warehouse', whse: 'warehouse',
  shp: 'ship', shipr: 'shipper', stud: 'student', subj: 'subject', pt: 'patient', pat: 'patient', doc: 'document',
  proj: 'project', co: 'company', comp: 'company', svc: 'service', spec: 'specialty', hosp: 'hospital',
};

/** Entity synonym groups: a column may name an entity by a synonym of the table's name. Used at reduced score. */
const SYNONYM_GROUPS: string[][] = [
  ['product', 'item', 'sku', 'article', 'merchandise'],
  ['customer', 'client', 'buyer', 'purchaser'],
  ['employee', 'staff', 'worker', 'personnel'],
  ['supplier', 'vendor'],
  ['user', 'account_holder', 'member'],
  ['company', 'organization', 'firm', 'business'],
  ['location', 'site'],
  ['shipper', 'carrier'],
];

/** Role words naming a person; such a column points at the person-like table when one exists. */
export const PERSON_ROLES = new Set([
  'manager', 'supervisor', 'boss', 'rep', 'representative', 'salesperson', 'agent', 'approver', 'author', 'owner', 'creator',
  'assignee', 'reporter', 'reviewer', 'mentor', 'lead', 'head', 'reports', 'created', 'updated', 'modified', 'sales',
]);
/** Table entities treated as person-like targets for PERSON_ROLES. */
export const PERSON_ENTITIES = new Set(['employee', 'staff', 'user', 'person', 'people', 'member', 'worker', 'agent']);
/** Role words that mean "another row of this same table". */
export const SELF_ROLES = new Set(['parent', 'manager', 'supervisor', 'reports', 'previous', 'prev', 'next', 'predecessor', 'successor', 'master', 'superior', 'root', 'replaced', 'original', 'related', 'linked', 'merged', 'duplicate']);

/** Table-name prefixes/suffixes that carry no entity meaning. */
const TABLE_AFFIXES_PREFIX = ['dim', 'fact', 'fct', 'tbl', 'tb', 't', 'd', 'f', 'stg', 'src', 'raw', 'ref', 'lkp', 'lookup', 'lu', 'mst', 'base', 'int'];
const TABLE_AFFIXES_SUFFIX = ['dim', 'fact', 'tbl', 'table', 'info', 'data', 'master', 'details', 'detail', 'list', 'lookup', 'ref', 'mst'];

/** Split an identifier into lower-case tokens: snake_case, kebab, camelCase, PascalCase, digits. */
export function tokenize(name: string): string[] {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase();
  return spaced ? spaced.split(/\s+/) : [];
}

const IRREGULAR_SINGULAR: Record<string, string> = {
  people: 'person', children: 'child', men: 'man', women: 'woman', data: 'data', media: 'media', series: 'series',
  status: 'status', address: 'address', analysis: 'analysis', news: 'news', species: 'species', class: 'class', business: 'business',
};

export function singular(word: string): string {
  const w = word.toLowerCase();
  if (IRREGULAR_SINGULAR[w]) return IRREGULAR_SINGULAR[w];
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (/(ss|us|is)$/.test(w)) return w;
  if (/(xes|ches|shes|sses|zes)$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

export function expandToken(token: string): string {
  return ABBREVIATIONS[token] ?? token;
}

/** Canonical form of one entity token: abbreviation expanded, singular. */
export function canonToken(token: string): string {
  return singular(expandToken(singular(token)));
}

/** Whole words that merely end like a key suffix. */
const NOT_GLUED = new Set([
  'valid', 'invalid', 'paid', 'unpaid', 'prepaid', 'raid', 'void', 'avoid', 'humid', 'fluid', 'solid', 'liquid', 'rapid', 'acid',
  'lipid', 'hybrid', 'pyramid', 'android', 'squid', 'orchid', 'vivid', 'monkey', 'turkey', 'donkey', 'hockey', 'jockey', 'whiskey',
  'casino', 'piano', 'volcano', 'domino', 'techno', 'rhino', 'albino', 'platinum', 'desk', 'task', 'mask', 'risk', 'kiosk', 'disk',
  'husk', 'dusk', 'musk', 'flask', 'brisk', 'asterisk', 'tusk', 'decode', 'encode', 'unicode', 'opcode', 'barcode', 'zipcode', 'postcode',
]);

/** Split a glued key suffix off one token: custkey → [cust, key], artistid → [artist, id]. */
export function splitGluedSuffix(token: string): string[] {
  if (NOT_GLUED.has(token)) return [token];
  for (const suffix of GLUED_SUFFIXES) {
    if (token.length >= suffix.length + 3 && token.endsWith(suffix)) return [token.slice(0, -suffix.length), suffix];
  }
  return [token];
}

export function synonymsOf(entity: string): string[] {
  for (const g of SYNONYM_GROUPS) if (g.includes(entity)) return g.filter((w) => w !== entity);
  return [];
}

/**
 * Entity names a table can be referred to by: its canonical tokens with affixes removed, full and by head/tail.
 * e.g. dim_customer → ["customer"], customer_address → ["customer address", "address"], OrderDetails → ["order detail"].
 */
export function tableEntityNames(tableName: string): { primary: string; alternates: string[] } {
  let tokens = tokenize(tableName);
  while (tokens.length > 1 && TABLE_AFFIXES_PREFIX.includes(tokens[0])) tokens = tokens.slice(1);
  while (tokens.length > 1 && TABLE_AFFIXES_SUFFIX.includes(tokens[tokens.length - 1])) tokens = tokens.slice(0, -1);
  const canon = tokens.map(canonToken);
  const primary = canon.join(' ');
  const alternates = new Set<string>();
  // glued table names: "orderinfo", "skuinfo" → "order", "sku"
  if (canon.length === 1) {
    for (const suf of TABLE_AFFIXES_SUFFIX) {
      if (canon[0].endsWith(suf) && canon[0].length > suf.length + 2) alternates.add(canonToken(canon[0].slice(0, -suf.length)));
    }
  }
  if (canon.length > 1) alternates.add(canon[canon.length - 1]);
  // raw (non-canonical) join too, e.g. "film_text"
  alternates.add(tokens.join(' '));
  alternates.delete(primary);
  return { primary, alternates: [...alternates] };
}

/** Does the identifier look like a key column name (ends with a key suffix)? */
export function hasKeySuffix(name: string): boolean {
  const t = tokenize(name).flatMap(splitGluedSuffix);
  return t.length > 0 && KEY_SUFFIXES.has(t[t.length - 1]);
}
