/** Bytes and file-dialog details of an ERD export. No `vscode` import. */
import type { ErdExportFormat } from '../../shared/protocol/erd';

export const ERD_EXPORT_EXTENSIONS: Record<ErdExportFormat, { extension: string; filterName: string }> = {
  svg: { extension: 'svg', filterName: 'SVG image' },
  png: { extension: 'png', filterName: 'PNG image' },
  mermaid: { extension: 'mmd', filterName: 'Mermaid source' },
  markdown: { extension: 'md', filterName: 'Markdown' },
};

/** The file contents for a format: PNG arrives base64-encoded, the others as text. */
export function erdExportBytes(format: ErdExportFormat, content: string): Uint8Array {
  if (format === 'png') return new Uint8Array(Buffer.from(content, 'base64'));
  return new TextEncoder().encode(content);
}

/** A file name from a diagram title: letters, digits, dot, dash and underscore only. */
export function erdExportFileName(title: string, format: ErdExportFormat): string {
  const base = title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'erd';
  return `${base}.${ERD_EXPORT_EXTENSIONS[format].extension}`;
}
