/**
 * Markdown preview script: renders the ```mermaid blocks that Quarry's markdown-it plugin marks, so ERDs written
 * into docs show inline in VS Code's built-in Markdown preview. Runs in the preview's own webview.
 */
type Mermaid = typeof import('mermaid', { with: { 'resolution-mode': 'import' } }).default;
const mermaidReady: Promise<Mermaid> = import('mermaid').then((m) => m.default);

const SELECTOR = 'div.quarry-mermaid';
let counter = 0;

function isDark(): boolean {
  return document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
}

async function renderAll(): Promise<void> {
  const mermaid = await mermaidReady;
  // htmlLabels: false keeps labels as SVG text, so markup in a name can never become an element.
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: isDark() ? 'dark' : 'default', htmlLabels: false, er: { htmlLabels: false } } as Parameters<Mermaid['initialize']>[0]);
  for (const el of Array.from(document.querySelectorAll<HTMLElement>(SELECTOR))) {
    const source = el.getAttribute('data-source') ?? el.textContent ?? '';
    if (el.dataset.rendered === source) continue;
    try {
      const { svg } = await mermaid.render(`quarry-mermaid-${counter++}`, source);
      // The SVG comes from mermaid with securityLevel 'strict' (labels are escaped), not from raw document text.
      el.innerHTML = svg;
      el.dataset.rendered = source;
    } catch (err) {
      el.textContent = `Mermaid could not render this diagram: ${err instanceof Error ? err.message : String(err)}`;
      el.classList.add('quarry-mermaid-error');
    }
  }
}

window.addEventListener('vscode.markdown.updateContent', () => { void renderAll(); });
void renderAll();
