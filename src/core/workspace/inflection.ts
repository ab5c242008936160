/**
 * English nouns to plural and back, as the inflectors of Laravel and Rails do it for the common cases: how both name a
 * model's table (`OrderLine` → `order_lines`) and a key's target (`customer_id` → `customers`).
 */

const UNCOUNTABLE = new Set(['audio', 'data', 'equipment', 'feedback', 'information', 'metadata', 'money', 'news', 'series', 'sheep', 'species', 'staff', 'traffic']);
const IRREGULAR: Record<string, string> = {
  person: 'people', man: 'men', woman: 'women', child: 'children', tooth: 'teeth', foot: 'feet', mouse: 'mice', goose: 'geese',
  ox: 'oxen', leaf: 'leaves', life: 'lives', wife: 'wives', knife: 'knives', half: 'halves', criterion: 'criteria',
  analysis: 'analyses', basis: 'bases', crisis: 'crises', datum: 'data', medium: 'media', index: 'indices', matrix: 'matrices',
  vertex: 'vertices', quiz: 'quizzes',
};

/** An English noun's plural. */
export function pluralize(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  if (IRREGULAR[word]) return IRREGULAR[word]!;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  // as the Rails and GORM inflectors: `addresses`, `statuses`, `buses`, `analyses`; a word ending in one `s` as it is
  if (/(x|ch|ss|sh|alias|status|bus)$/.test(word)) return `${word}es`;
  if (/sis$/.test(word)) return `${word.slice(0, -2)}es`;
  if (word.endsWith('s')) return word;
  return `${word}s`;
}

const SINGULAR_IRREGULAR: Record<string, string> = Object.fromEntries(Object.entries(IRREGULAR).map(([one, many]) => [many, one]));

/** An English noun's singular: `customers` → `customer`, `categories` → `category`, `addresses` → `address`. */
export function singularize(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  if (SINGULAR_IRREGULAR[word]) return SINGULAR_IRREGULAR[word]!;
  if (/(alias|status|bus)(es)?$/.test(word)) return word.replace(/es$/, '');
  if (/([^aeiouy]|qu)ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(x|ch|ss|sh|zz)es$/.test(word)) return word.slice(0, -2);
  if (/(ss|us)$/.test(word)) return word;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}
