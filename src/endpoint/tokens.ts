/**
 * Business-application credentials: bearer tokens, each bound to one hosted endpoint (the API is
 * party-scoped: a token of endpoint A cannot read, send as or query endpoint B). Only the SHA-256
 * of a token is stored; the token itself is shown once, when it is created.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../shared/sql.js';

export const TOKEN_PREFIX = 'tpsk_';
const TOKEN_PATTERN = /^tpsk_[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export interface TokenInfo {
  readonly endpointCode: string;
  readonly label: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
  /** First 12 characters of the SHA-256, to name a token without revealing it. */
  readonly id: string;
}

export async function createToken(
  db: Queryable,
  endpointCode: string,
  label: string,
  at: Date = new Date(),
): Promise<{ token: string; id: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const hash = digest(token);
  await db.query('insert into endpoint_api_tokens (token_sha256, endpoint_code, label, created_at) values ($1, $2, $3, $4)', [
    hash,
    endpointCode,
    label,
    at.toISOString(),
  ]);
  return { token, id: hash.slice(0, 12) };
}

/** Revokes by id (the SHA-256 prefix shown at creation); returns how many tokens it revoked. */
export async function revokeToken(db: Queryable, id: string, at: Date = new Date()): Promise<number> {
  if (!/^[0-9a-f]{8,64}$/.test(id)) return 0;
  const r = await db.query('update endpoint_api_tokens set revoked_at = $2 where token_sha256 like $1 and revoked_at is null', [
    `${id}%`,
    at.toISOString(),
  ]);
  return r.rowCount;
}

export async function listTokens(db: Queryable, endpointCode?: string): Promise<TokenInfo[]> {
  const { rows } = await db.query<{
    token_sha256: string;
    endpoint_code: string;
    label: string;
    created_at: Date | string;
    revoked_at: Date | string | null;
  }>('select * from endpoint_api_tokens where ($1::text is null or endpoint_code = $1) order by created_at', [endpointCode ?? null]);
  return rows.map((r) => ({
    endpointCode: r.endpoint_code,
    label: r.label,
    createdAt: new Date(r.created_at).toISOString(),
    ...(r.revoked_at !== null ? { revokedAt: new Date(r.revoked_at).toISOString() } : {}),
    id: r.token_sha256.slice(0, 12),
  }));
}

/** Resolves tokens to endpoint codes, caching verdicts briefly (a revocation takes effect within `ttlMs`). */
export class TokenVerifier {
  readonly #cache = new Map<string, { endpoint: string | undefined; until: number }>();
  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = 5_000,
  ) {}

  async endpointOf(token: string): Promise<string | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const hash = digest(token);
    const hit = this.#cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.endpoint;
    const { rows } = await this.db.query<{ endpoint_code: string }>(
      'select endpoint_code from endpoint_api_tokens where token_sha256 = $1 and revoked_at is null',
      [hash],
    );
    const endpoint = rows[0]?.endpoint_code;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { endpoint, until: Date.now() + this.ttlMs });
    return endpoint;
  }
}
