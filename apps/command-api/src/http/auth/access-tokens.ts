import { createHash, timingSafeEqual } from 'node:crypto';

import { isScope, type Scope, SCOPES } from './scopes';

/** The token every scope is granted to in AUTH_MODE=local, and that tokens mode refuses. */
export const LOCAL_DEV_TOKEN = 'local-dev-token';
export const LOCAL_DEV_SUBJECT = 'local-dev';

export type AuthMode = 'local' | 'tokens';

/** One configured bearer token. `subject` names the caller in events and logs. */
export interface AccessToken {
  readonly token: string;
  readonly subject: string;
  readonly scopes: readonly Scope[];
}

export interface Principal {
  readonly subject: string;
  readonly scopes: ReadonlySet<Scope>;
}

/**
 * Parses AUTH_TOKENS: `token=scope1 scope2;token2=scope`. Messages name an entry by
 * its position, never by its token. Subjects are `token-<position>`.
 */
export function parseAccessTokens(raw: string): AccessToken[] {
  const entries = raw
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const seen = new Set<string>();

  return entries.map((entry, index) => {
    const position = index + 1;
    const separator = entry.indexOf('=');
    const token = separator > 0 ? entry.slice(0, separator).trim() : '';
    if (token === '' || /\s/.test(token)) {
      throw new Error(`entry ${position} is not token=scope [scope...]`);
    }
    if (seen.has(token)) throw new Error(`entry ${position} repeats an earlier token`);
    seen.add(token);
    const scopes = entry
      .slice(separator + 1)
      .split(/\s+/)
      .filter(Boolean);
    if (scopes.length === 0) throw new Error(`entry ${position} grants no scope`);
    const unknown = scopes.filter((scope) => !isScope(scope));
    if (unknown.length > 0) {
      throw new Error(
        `entry ${position} has unknown scope ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`,
      );
    }

    return { token, subject: `token-${position}`, scopes: scopes as Scope[] };
  });
}

/**
 * Cross-variable rules of the auth settings; each returned string is one problem.
 * Tokens mode must not accept the well-known local token, even when listed.
 */
export function authProblems(mode: AuthMode, tokens: readonly AccessToken[]): string[] {
  if (mode !== 'tokens') return [];
  const problems: string[] = [];
  if (tokens.length === 0) {
    problems.push('AUTH_TOKENS is required when AUTH_MODE=tokens');
  }
  const local = tokens.findIndex((entry) => entry.token === LOCAL_DEV_TOKEN);
  if (local >= 0) {
    problems.push(
      `AUTH_TOKENS entry ${local + 1} is ${LOCAL_DEV_TOKEN}, which AUTH_MODE=tokens refuses`,
    );
  }

  return problems;
}

/** Resolves bearer tokens to principals. Compares digests so lookups take constant time. */
export class AccessTokens {
  private readonly byDigest = new Map<string, Principal>();

  constructor(mode: AuthMode, tokens: readonly AccessToken[]) {
    for (const entry of tokens) {
      if (mode === 'tokens' && entry.token === LOCAL_DEV_TOKEN) continue;
      this.byDigest.set(digest(entry.token), {
        subject: entry.subject,
        scopes: new Set(entry.scopes),
      });
    }
    if (mode === 'local') {
      this.byDigest.set(digest(LOCAL_DEV_TOKEN), {
        subject: LOCAL_DEV_SUBJECT,
        scopes: new Set(SCOPES),
      });
    }
  }

  /** The principal of an `Authorization` header value, or null when it names none. */
  authenticate(authorization: string | undefined): Principal | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return null;
    const wanted = Buffer.from(digest(match[1]), 'hex');
    for (const [known, principal] of this.byDigest) {
      if (timingSafeEqual(Buffer.from(known, 'hex'), wanted)) return principal;
    }

    return null;
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
