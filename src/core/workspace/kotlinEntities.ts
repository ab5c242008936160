import type { Token } from './codeConstants/lexer';
import { isId, isPunct, matchClose, topLevel } from './codeConstants/matchers';
import { annotationsBefore } from './annotations';
import { entitiesOf, type EntityClass, type Field } from './jpaEntities';
import type { OrmFacts } from './ormEntities';

/**
 * JPA entities written in Kotlin, read as Java's are (entitiesOf): an `@Entity` class's properties, in its primary
 * constructor (`class Order(@Id val id: Long, @ManyToOne @JoinColumn(name = "customer_id") val customer: Customer)`)
 * or its body (`var customer: Customer? = null`), annotated directly or through a use-site target
 * (`@field:JoinColumn`); a collection (`List<Line>`, `MutableSet<Tag>`) is a to-many side; the superclass is the
 * supertype the class calls (`: Payment()`).
 */
export function kotlinJpaEntities(tokens: Token[], text: string, file: string): OrmFacts {
  if (!text.includes('Entity') && !text.includes('MappedSuperclass')) return { entities: [], joins: [] };
  const classes: EntityClass[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!isId(tokens[i], 'class') || tokens[i + 1]!.type !== 'id' || isPunct(tokens[i - 1], '::')) continue;
    const notes = annotationsBefore(tokens, i);
    if (!notes.has('Entity') && !notes.has('MappedSuperclass')) continue;
    let k = i + 2;
    if (isPunct(tokens[k], '<')) k = angleClose(tokens, k) + 1;
    // `protected constructor(`
    while (isId(tokens[k]) && (tokens[k]!.value === 'constructor' || CONSTRUCTOR_MODIFIERS.has(tokens[k]!.value))) k++;
    let params: [number, number] | undefined;
    if (isPunct(tokens[k], '(')) {
      params = [k, matchClose(tokens, k)];
      k = params[1] + 1;
    }
    let parent: string | undefined;
    if (isPunct(tokens[k], ':')) {
      // the supertypes: the one called, `Payment()`, is the superclass
      for (k++; ; k++) {
        while (isId(tokens[k]) && isPunct(tokens[k + 1], '.') && isId(tokens[k + 2])) k += 2;
        if (!isId(tokens[k])) break;
        const supertype = tokens[k++]!.value;
        if (isPunct(tokens[k], '<')) k = angleClose(tokens, k) + 1;
        if (isPunct(tokens[k], '(')) {
          parent ??= supertype;
          k = matchClose(tokens, k) + 1;
        }
        if (!isPunct(tokens[k], ',')) break;
      }
    }
    const open = isPunct(tokens[k], '{') ? k : undefined;
    const close = open === undefined ? k - 1 : matchClose(tokens, open);
    const fields = [...(params ? propertiesIn(tokens, params[0]) : []), ...(open === undefined ? [] : propertiesIn(tokens, open))];
    classes.push({ c: { name: tokens[i + 1]!.value, line: tokens[i]!.line, notes, open: open ?? close, close }, fields, parent });
  }
  return entitiesOf(tokens, file, classes);
}

const CONSTRUCTOR_MODIFIERS = new Set(['public', 'protected', 'private', 'internal']);

/** Kotlin's collection types: a property of one is a to-many side, of its element type. */
const COLLECTIONS = new Set(['List', 'MutableList', 'Set', 'MutableSet', 'Collection', 'MutableCollection', 'Iterable', 'ArrayList', 'HashSet', 'LinkedHashSet', 'SortedSet']);

/** The `val`/`var` properties at the top level of the brackets at `open` (a constructor or a class body). */
function propertiesIn(tokens: Token[], open: number): Field[] {
  const fields: Field[] = [];
  for (const k of topLevel(tokens, open)) {
    const t = tokens[k]!;
    if (!(isId(t, 'val') || isId(t, 'var')) || !isId(tokens[k + 1]) || !isPunct(tokens[k + 2], ':')) continue;
    // `name: [pkg.]Type`, `name: List<Element>`, `name: Type?`
    let type = k + 3;
    while (isId(tokens[type]) && isPunct(tokens[type + 1], '.') && isId(tokens[type + 2])) type += 2;
    if (!isId(tokens[type])) continue;
    let typeName = tokens[type]!.value;
    let collection = false;
    if (COLLECTIONS.has(typeName) && isPunct(tokens[type + 1], '<')) {
      let element = type + 2;
      while (isId(tokens[element]) && isPunct(tokens[element + 1], '.') && isId(tokens[element + 2])) element += 2;
      if (!isId(tokens[element])) continue;
      typeName = tokens[element]!.value;
      collection = true;
    }
    fields.push({ name: tokens[k + 1]!.value, type: typeName, collection, notes: annotationsBefore(tokens, k), line: tokens[k + 1]!.line });
  }
  return fields;
}

/** Index of the `>` closing the type arguments opened at `open` (`>>` closes two), or the last token. */
function angleClose(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length && k < open + 200; k++) {
    const v = tokens[k]!.type === 'punct' ? tokens[k]!.value : '';
    if (v === '<') depth++;
    else if (v === '>') depth--;
    else if (v === '>>') depth -= 2;
    else if (v === '(' || v === '{' || v === ';') return k - 1;
    if (depth <= 0) return k;
  }
  return Math.min(tokens.length - 1, open + 200);
}
