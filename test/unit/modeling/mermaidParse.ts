/** Mermaid is ESM-only; load it lazily so these CommonJS-compiled tests can use its real parser. */
export async function parseMermaid(text: string): Promise<unknown> {
  const mod = await import('mermaid');
  return mod.default.parse(text);
}
