import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, topLevel, type TokenRange } from './codeConstants/matchers';

/** Java annotations and TypeScript decorators, read as the ORM extractors need them. */

/** An annotation's (or a TypeScript decorator's) arguments, as token ranges; empty when it has none. */
export type Annotation = TokenRange[];

/** The annotations (decorators) written before token `at` (over modifiers), by simple name. */
export function annotationsBefore(tokens: Token[], at: number): Map<string, Annotation> {
  const notes = new Map<string, Annotation>();
  let k = at - 1;
  for (;;) {
    while (k >= 0 && tokens[k]!.type === 'id' && BEFORE_ANNOTATED.has(tokens[k]!.value)) k--;
    // `@Name`, `@a.b.Name`, `@Name(…)`
    let args: Annotation = [];
    let end = k;
    if (isPunct(tokens[k], ')')) {
      let depth = 0;
      let open = k;
      for (; open >= 0; open--) {
        if (isPunct(tokens[open], ')')) depth++;
        else if (isPunct(tokens[open], '(') && --depth === 0) break;
      }
      if (open < 0) break;
      args = callArguments(tokens, open);
      end = open - 1;
    }
    if (tokens[end]?.type !== 'id') break;
    let start = end;
    while (isPunct(tokens[start - 1], '.') && tokens[start - 2]?.type === 'id') start -= 2;
    // Kotlin's use-site targets: `@field:JoinColumn(…)`, `@get:Id`
    if (isPunct(tokens[start - 1], ':') && tokens[start - 2]?.type === 'id' && isPunct(tokens[start - 3], '@')) start -= 2;
    if (!isPunct(tokens[start - 1], '@')) break;
    notes.set(tokens[end]!.value, args);
    k = start - 2;
  }
  return notes;
}

/** Java's and TypeScript's modifiers, which may stand between annotations and what they annotate. */
export const MODIFIERS = new Set(['public', 'protected', 'private', 'abstract', 'final', 'static', 'transient', 'volatile', 'export', 'default', 'readonly', 'declare', 'override']);

/** Those and Kotlin's, stepped over before annotations (not names a property may have: `data`, `open` are columns too). */
const BEFORE_ANNOTATED = new Set([...MODIFIERS, 'internal', 'open', 'data', 'sealed', 'lateinit', 'inner']);

/** A class written with annotation `@<annotation>`: its name, annotations and body (`{` at `open`, `}` at `close`). */
export interface AnnotatedClass {
  name: string;
  line: number;
  notes: Map<string, Annotation>;
  open: number;
  close: number;
}

/** The classes of a file annotated `@<annotation>` (`@Entity`, `@jakarta.persistence.Entity`). */
export function annotatedClasses(tokens: Token[], annotation: string): AnnotatedClass[] {
  const classes: AnnotatedClass[] = [];
  for (let i = 0; i < tokens.length - 2; i++) {
    if (!isId(tokens[i], 'class') || tokens[i + 1]!.type !== 'id') continue;
    const notes = annotationsBefore(tokens, i);
    if (!notes.has(annotation)) continue;
    let open = i + 2;
    while (open < tokens.length && !isPunct(tokens[open], '{') && !isPunct(tokens[open], ';')) open++;
    if (!isPunct(tokens[open], '{')) continue;
    classes.push({ name: tokens[i + 1]!.value, line: tokens[i]!.line, notes, open, close: matchClose(tokens, open) });
  }
  return classes;
}

/** The tokens of a class body's own level: method bodies, parameter lists and annotation arguments stepped over whole. */
export function classLevel(tokens: Token[], c: AnnotatedClass): Generator<number> {
  return topLevel(tokens, c.open);
}

/**
 * `OrderLine` → `order_line`, `customerId` → `customer_id`, `HTTPStatus` → `http_status`: Spring Boot's default physical
 * names, and GORM's and Doctrine's underscore naming.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
