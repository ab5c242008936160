import { dbtPackageOf, type ColumnDef, type TableDef } from './model';

/**
 * dbt docs blocks: `{% docs name %} … {% enddocs %}` in a project's Markdown files, which descriptions use as
 * `{{ doc('name') }}` (or `{{ doc('package', 'name') }}`). dbt renders them into the description; so does the catalog,
 * or hover and Show DDL would print the Jinja.
 */

/** The catalog name of a docs block of a project (case-insensitive, as the catalog's names are). */
export function docName(project: string, name: string): string {
  return `doc:${project}.${name}`.toLowerCase();
}

export function isDocName(name: string): boolean {
  return name.startsWith('doc:');
}

const DOC_CALL = /\{\{-?\s*doc\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?\)\s*-?\}\}/g;

/** The docs blocks a description uses: `doc('name')` is its own project's, `doc('package', 'name')` the package's. */
export function docReferences(text: string, project: string): string[] {
  if (!text.includes('{{')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(DOC_CALL)) out.push(m[4] === undefined ? docName(project, m[2]!) : docName(m[2]!, m[4]));
  return out;
}

/** The description with each `{{ doc(…) }}` replaced by its block; a call to a block not known is left as written. */
export function renderDocs(text: string, project: string, docs: ReadonlyMap<string, string>): string {
  if (!text.includes('{{')) return text;
  return text.replace(DOC_CALL, (call, _q, a: string, _q2, b: string | undefined) => docs.get(b === undefined ? docName(project, a) : docName(a, b)) ?? call);
}

/** The docs blocks a relation's description and its columns' use. */
export function tableDocReferences(t: TableDef): string[] {
  const project = dbtPackageOf(t);
  if (project === undefined) return [];
  const out: string[] = [];
  if (t.comment) out.push(...docReferences(t.comment, project));
  for (const c of t.columns) if (c.comment) out.push(...docReferences(c.comment, project));
  return out;
}

/** The relation with its descriptions rendered (a copy, when any changed: operations are never mutated). */
export function withRenderedDocs(t: TableDef, docs: ReadonlyMap<string, string>): TableDef {
  const project = dbtPackageOf(t);
  if (project === undefined || docs.size === 0) return t;
  const comment = t.comment && renderDocs(t.comment, project, docs);
  let columns: ColumnDef[] | undefined;
  t.columns.forEach((c, i) => {
    const rendered = c.comment && renderDocs(c.comment, project, docs);
    if (rendered === c.comment) return;
    columns ??= t.columns.slice();
    columns[i] = Object.assign({}, c, { comment: rendered });
  });
  if (comment === t.comment && !columns) return t;
  return Object.assign({}, t, { comment, columns: columns ?? t.columns });
}

export interface DocBlock {
  name: string;
  text: string;
  /** 1-based line of the `{% docs %}` tag. */
  line: number;
}

const DOCS_OPEN = /\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}/g;
const DOCS_CLOSE = /\{%-?\s*enddocs\s*-?%\}/g;

/**
 * The docs blocks of a Markdown file, their text trimmed as dbt shows it. `unclosed` lists the line of each block with
 * no `{% enddocs %}` (dbt fails to parse the project then).
 */
export function readDocBlocks(text: string): { blocks: DocBlock[]; unclosed: Array<{ name: string; line: number }> } {
  const blocks: DocBlock[] = [];
  const unclosed: Array<{ name: string; line: number }> = [];
  if (!text.includes('docs')) return { blocks, unclosed };
  DOCS_OPEN.lastIndex = 0;
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number): number => {
    for (let i = counted; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
    counted = Math.max(counted, offset);
    return line;
  };
  for (let m = DOCS_OPEN.exec(text); m; m = DOCS_OPEN.exec(text)) {
    const name = m[1]!;
    const at = lineAt(m.index);
    const bodyStart = m.index + m[0].length;
    DOCS_CLOSE.lastIndex = bodyStart;
    const close = DOCS_CLOSE.exec(text);
    if (!close) {
      unclosed.push({ name, line: at });
      break;
    }
    blocks.push({ name, text: text.slice(bodyStart, close.index).trim(), line: at });
    DOCS_OPEN.lastIndex = close.index + close[0].length;
  }
  return { blocks, unclosed };
}
