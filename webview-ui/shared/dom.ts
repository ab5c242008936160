/** Tiny DOM helpers. Text always goes through textContent: data never becomes markup. */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function iconButton(icon: string, title: string, onClick: (ev: MouseEvent) => void, label?: string): HTMLButtonElement {
  const b = el('button', label ? 'btn' : 'btn icon-only');
  b.type = 'button';
  b.title = title;
  b.setAttribute('aria-label', title);
  b.appendChild(el('span', `codicon codicon-${icon}`));
  if (label) b.appendChild(el('span', 'btn-label', label));
  b.addEventListener('click', onClick);
  return b;
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
