/**
 * API credentials of the backends (/agr/v1, /dso/v1, the regulator's API): EdDSA-signed JWTs
 * (RFC 8037, Ed25519; RFC 7519 claims `sub` = party code, `jti`, `iat`, `exp`). The issuing
 * host keeps the private key in DATA_DIR/keys/api-tokens (never in the database, never in the
 * repository); the public keys are in the database, so every hub process sharing it verifies
 * tokens. Each issued token is recorded by its `jti` (never the token itself) so it can be
 * listed and revoked; a revocation takes effect within the verifier's cache time.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, jwtVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { generateKeyPair, publicKeyPem, readPrivateKey, toPublicKey, writePrivateKey } from '../crypto/keys.js';
import { HubError } from '../shared/errors.js';
import type { Queryable } from '../shared/sql.js';
import type { PartyRole } from './roles.js';

export const TOKEN_ISSUER = 'tps-hub';
export const DEFAULT_TOKEN_TTL_MS = 90 * 86_400_000;
export const MAX_TOKEN_TTL_MS = 366 * 86_400_000;
const KEY_FILE = 'token-signing.key';

/** Who is calling, once a credential is verified: every query is scoped to `party`. */
export interface Caller {
  readonly party: string;
  readonly role: PartyRole;
  /** The token's jti, or the certificate serial for mutual TLS. */
  readonly credential: string;
}

export interface TokenSigner {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

export const tokenKeyDir = (dataDir: string): string => join(dataDir, 'keys', 'api-tokens');

/**
 * The signing key of this host: read from DATA_DIR/keys/api-tokens, or created there (and its
 * public key registered in the database) on first use.
 */
export async function loadOrCreateTokenSigner(db: Queryable, dataDir: string): Promise<TokenSigner> {
  const dir = tokenKeyDir(dataDir);
  const path = join(dir, KEY_FILE);
  let privateKey: KeyObject;
  if (existsSync(path)) privateKey = readPrivateKey(path);
  else {
    privateKey = generateKeyPair('ed25519').privateKey;
    writePrivateKey(dir, KEY_FILE, privateKey);
  }
  const pem = publicKeyPem(toPublicKey(privateKey));
  const { rows } = await db.query<{ kid: string }>(
    `with found as (select kid from api_token_keys where public_key_pem = $2),
          added as (insert into api_token_keys (kid, public_key_pem) select $1, $2 where not exists (select 1 from found) returning kid)
     select kid from found union all select kid from added`,
    [randomUUID(), pem],
  );
  const kid = rows[0]?.kid;
  if (kid === undefined) throw new HubError('TOKEN_INVALID', 'the token signing key could not be registered');
  return { kid, privateKey };
}

export interface IssuedToken {
  readonly token: string;
  readonly jti: string;
  readonly expiresAt: string;
}

export async function issueToken(
  db: Queryable,
  signer: TokenSigner,
  request: { readonly party: string; readonly role: PartyRole; readonly label?: string; readonly ttlMs?: number; readonly now?: Date },
): Promise<IssuedToken> {
  const ttlMs = request.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TOKEN_TTL_MS)
    throw new HubError('CLI_USAGE', `a token lives between 1 ms and ${MAX_TOKEN_TTL_MS / 86_400_000} days`);
  const now = request.now ?? new Date();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + Math.ceil(ttlMs / 1000);
  const jti = randomUUID();
  const token = await new SignJWT({ role: request.role })
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(request.party)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(signer.privateKey);
  const expiresAt = new Date(exp * 1000).toISOString();
  await db.query('insert into api_tokens (jti, party_code, label, kid, issued_at, expires_at) values ($1, $2, $3, $4, $5, $6)', [
    jti,
    request.party,
    request.label ?? '',
    signer.kid,
    now.toISOString(),
    expiresAt,
  ]);
  return { token, jti, expiresAt };
}

export interface TokenRecord {
  readonly jti: string;
  readonly party: string;
  readonly label: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

export async function listTokens(db: Queryable, party?: string): Promise<TokenRecord[]> {
  const { rows } = await db.query<{
    jti: string;
    party_code: string;
    label: string;
    issued_at: Date | string;
    expires_at: Date | string;
    revoked_at: Date | string | null;
  }>('select * from api_tokens where ($1::text is null or party_code = $1) order by issued_at', [party ?? null]);
  return rows.map((r) => ({
    jti: r.jti,
    party: r.party_code,
    label: r.label,
    issuedAt: new Date(r.issued_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    ...(r.revoked_at !== null ? { revokedAt: new Date(r.revoked_at).toISOString() } : {}),
  }));
}

/** Revokes one token by its jti; false when there is no such unrevoked token. */
export async function revokeToken(db: Queryable, jti: string, at: Date = new Date()): Promise<boolean> {
  const r = await db.query('update api_tokens set revoked_at = $2 where jti = $1 and revoked_at is null', [jti, at.toISOString()]);
  return r.rowCount > 0;
}

const invalid = (why: string) => new HubError('TOKEN_INVALID', `the API token is not valid: ${why}`);

/**
 * Verifies bearer tokens: signature (a key registered in the database), issuer, expiry, and that
 * the token is neither revoked nor held by a suspended or removed party. Verdicts on the
 * database side are cached for `ttlMs` (default 5 s), so a revocation takes effect within that.
 */
export class TokenVerifier {
  readonly #keys = new Map<string, KeyObject>();
  readonly #status = new Map<string, { ok: boolean; role?: PartyRole; until: number }>();
  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = 5_000,
  ) {}

  async verify(token: string): Promise<Caller> {
    if (token.length > 4096) throw invalid('too long');
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'EdDSA') throw invalid(`algorithm ${String(header.alg)} is not accepted (EdDSA only)`);
      kid = header.kid;
    } catch (e) {
      if (e instanceof HubError) throw e;
      throw invalid('not a JWT');
    }
    if (typeof kid !== 'string') throw invalid('no key id');
    const key = await this.#key(kid);
    let sub: string;
    let jti: string;
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['EdDSA'],
        issuer: TOKEN_ISSUER,
        requiredClaims: ['sub', 'jti', 'exp'],
      });
      sub = String(payload.sub);
      jti = String(payload.jti);
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw invalid('expired');
      throw invalid((e as Error).message);
    }
    const status = await this.#statusOf(jti, sub);
    if (!status.ok || status.role === undefined) throw invalid('revoked, or its party is suspended or unknown');
    return { party: sub, role: status.role, credential: jti };
  }

  async #key(kid: string): Promise<KeyObject> {
    const cached = this.#keys.get(kid);
    if (cached) return cached;
    const { rows } = await this.db.query<{ public_key_pem: string }>(
      'select public_key_pem from api_token_keys where kid = $1 and retired_at is null',
      [kid],
    );
    const pem = rows[0]?.public_key_pem;
    if (pem === undefined) throw invalid('signed with an unknown key');
    const key = toPublicKey(pem);
    this.#keys.set(kid, key);
    return key;
  }

  async #statusOf(jti: string, party: string): Promise<{ ok: boolean; role?: PartyRole }> {
    const hit = this.#status.get(jti);
    if (hit && hit.until > Date.now()) return hit;
    const { rows } = await this.db.query<{ role: PartyRole }>(
      `select p.role from api_tokens t join parties p on p.code = t.party_code
        where t.jti = $1 and t.party_code = $2 and t.revoked_at is null and p.suspended_at is null`,
      [jti, party],
    );
    const role = rows[0]?.role;
    const verdict = { ok: role !== undefined, ...(role !== undefined ? { role } : {}), until: Date.now() + this.ttlMs };
    if (this.#status.size > 10_000) this.#status.clear();
    this.#status.set(jti, verdict);
    return verdict;
  }
}
