/** A markdown-it plugin for VS Code's Markdown preview: ```mermaid fences become placeholders the preview script renders. */

interface MarkdownItToken { info: string; content: string }
interface MarkdownItLike {
  renderer: { rules: Record<string, ((tokens: MarkdownItToken[], idx: number, ...rest: unknown[]) => string) | undefined> };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function mermaidMarkdownPlugin<T>(md: T): T {
  const it = md as unknown as MarkdownItLike;
  const fallback = it.renderer.rules.fence;
  it.renderer.rules.fence = (tokens, idx, ...rest) => {
    const token = tokens[idx];
    if (token.info.trim().split(/\s+/)[0] === 'mermaid') {
      const source = escapeAttribute(token.content);
      return `<div class="quarry-mermaid" data-source="${source}">${source}</div>\n`;
    }
    return fallback ? fallback(tokens, idx, ...rest) : '';
  };
  return md;
}
