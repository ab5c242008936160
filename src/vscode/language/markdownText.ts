import type { TableDef } from '../../core/catalog/model';

/**
 * Workspace text (names, types, paths) put into hover Markdown: hovers that carry command links are trusted for a few
 * commands, so a name must never be able to end its code span or write a link of its own.
 */

/** `text` as one inline code span, whatever backticks it holds. */
export function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `text` with every Markdown punctuation character escaped, so it reads as written. */
export function plain(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~&]/g, '\\$&');
}

/**
 * Whether a relation's descriptions are Markdown: a dbt description is (dbt docs renders it so: tables, emphasis, docs
 * blocks); a COMMENT ON is plain text. Only ever rendered where no command and no HTML can run.
 */
export function describesInMarkdown(table: TableDef): boolean {
  return table.dbt !== undefined;
}
