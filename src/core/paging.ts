/**
 * Guard for loops that follow a service's NextToken: a token that comes back a second time would send the loop
 * round the same pages for ever, so it ends the loop with a clear error instead (the pages before it are kept by
 * whoever collected them).
 */
export class RepeatedNextTokenError extends Error {
  override readonly name = 'RepeatedNextTokenError';

  constructor(
    readonly operation: string,
    readonly pagesRead: number,
  ) {
    super(`${operation} answered a NextToken it had already given; paging stopped after ${pagesRead} page(s) so it cannot loop for ever`);
  }
}

/** Remembers the tokens of one paging loop. */
export class NextTokenGuard {
  private readonly seen = new Set<string>();
  private pages = 0;

  constructor(private readonly operation: string) {}

  /** The token to ask for next (undefined: the last page was read); throws RepeatedNextTokenError on a repeat. */
  next(token: string | undefined): string | undefined {
    this.pages++;
    if (!token) return undefined;
    if (this.seen.has(token)) throw new RepeatedNextTokenError(this.operation, this.pages);
    this.seen.add(token);
    return token;
  }
}
