import type { Token } from './tokenizer';
import type { TokenCursor } from './tokenCursor';
import type { QualifiedName } from './types';

/** Name of an identifier token: unquoted names fold to lower case, quoted names keep their case. */
export function identifierName(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'identifier' || t.kind === 'keyword' || t.kind === 'quotedIdentifier') return t.value;
  return undefined;
}

export function isNameToken(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'identifier' || t.kind === 'keyword' || t.kind === 'quotedIdentifier');
}

/** Read `a`, `a.b`, `a.b.c` (database.schema.name: the database is dropped). Returns undefined when no name is next. */
export function readQualifiedName(c: TokenCursor): (QualifiedName & { token: Token }) | undefined {
  const parts = readNameParts(c);
  if (!parts) return undefined;
  const name = parts.names[parts.names.length - 1];
  const schema = parts.names.length >= 2 ? parts.names[parts.names.length - 2] : undefined;
  return schema === undefined ? { name, token: parts.token } : { schema, name, token: parts.token };
}

/** Read dotted name parts; the token is the first part. */
export function readNameParts(c: TokenCursor): { names: string[]; token: Token } | undefined {
  const first = c.peek();
  const firstName = identifierName(first);
  if (!first || firstName === undefined) return undefined;
  c.pos++;
  const names = [firstName];
  while (c.isPunct('.') && isNameToken(c.peek(1))) {
    names.push(identifierName(c.peek(1)) as string);
    c.pos += 2;
  }
  return { names, token: first };
}
