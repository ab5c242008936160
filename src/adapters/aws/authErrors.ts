/** Typed auth failures, so views can offer "run `aws sso login`" instead of a raw SDK message. */

export class AuthExpiredError extends Error {
  override readonly name = 'AuthExpiredError';
  /** e.g. "run `aws sso login --profile analytics`" */
  readonly hint: string;
  constructor(
    readonly profile: string | undefined,
    override readonly cause: unknown,
  ) {
    const hint = `run \`aws sso login${profile ? ` --profile ${profile}` : ''}\``;
    super(`AWS credentials have expired (${describe(cause)}); ${hint}`);
    this.hint = hint;
  }
}

const EXPIRED_CODES = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'TokenRefreshRequired',
]);

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** True for an expired/invalid session token from the service, or an SSO session/token the provider chain rejected. */
export function isAuthExpired(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: string; code?: string; Code?: string; message?: string };
  const code = e.name ?? '';
  if (EXPIRED_CODES.has(code) || EXPIRED_CODES.has(e.code ?? '') || EXPIRED_CODES.has(e.Code ?? '')) return true;
  if (code === 'CredentialsProviderError' || code === 'TokenProviderError') {
    return /expired|sso session|sso token|aws sso login|refresh/i.test(e.message ?? '');
  }
  return false;
}

/** What the AWS SDK says when the provider chain found no credentials at all (a message: an error's, or a statement's). */
export function isMissingCredentials(message: string): boolean {
  return /could not load credentials|credentials? (?:is|are) missing|unable to locate credentials/i.test(message);
}

/** Returns an AuthExpiredError for expiry errors, else the error unchanged. */
export function mapAuthError(err: unknown, profile: string | undefined): unknown {
  if (err instanceof AuthExpiredError) return err;
  return isAuthExpired(err) ? new AuthExpiredError(profile, err) : err;
}
