/**
 * API tokens (src/parties/tokens.ts): EdDSA JWTs verified against public keys in the database,
 * refused when expired, revoked, tampered with, signed by another key or algorithm, or held by a
 * suspended party — each with TOKEN_INVALID and the reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { generateKeyPair } from '../../../src/crypto/keys.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import { checkPartyInput, defaultEndpointCode, insertParty } from '../../../src/parties/registry.js';
import {
  issueToken,
  listTokens,
  loadOrCreateTokenSigner,
  revokeToken,
  TokenVerifier,
  type TokenSigner,
} from '../../../src/parties/tokens.js';
import { isHubError } from '../../../src/shared/errors.js';
import { openTestDatabase, storageName, type TestDatabase } from '../../support/backends.js';

const AGR = '10X1001A1001A450';

const refused = async (p: Promise<unknown>, why: RegExp) =>
  assert.rejects(p, (e: unknown) => isHubError(e, 'TOKEN_INVALID') && why.test((e as Error).message));

describe(`API tokens (${storageName})`, () => {
  let db: TestDatabase;
  let signer: TokenSigner;
  const dataDir = mkdtempSync(join(tmpdir(), 'tokens-'));
  before(async () => {
    db = await openTestDatabase();
    await migrate(db);
    await insertParty(db, { code: AGR, role: 'AGR', name: 'Agg' });
    signer = await loadOrCreateTokenSigner(db, dataDir);
  });
  after(() => db.close());

  it('verifies an issued token to its party and role', async () => {
    const { token, jti } = await issueToken(db, signer, { party: AGR, role: 'AGR', label: 'ci' });
    const caller = await new TokenVerifier(db, 0).verify(token);
    assert.deepEqual(caller, { party: AGR, role: 'AGR', credential: jti });
    assert.equal((await listTokens(db, AGR)).find((t) => t.jti === jti)?.label, 'ci');
  });

  it('keeps the signing key: a second load finds the same key and key id', async () => {
    const again = await loadOrCreateTokenSigner(db, dataDir);
    assert.equal(again.kid, signer.kid);
  });

  it('refuses an expired token', async () => {
    const { token } = await issueToken(db, signer, { party: AGR, role: 'AGR', ttlMs: 1000, now: new Date(Date.now() - 10_000) });
    await refused(new TokenVerifier(db, 0).verify(token), /expired/);
  });

  it('refuses a revoked token (after the cache time)', async () => {
    const { token, jti } = await issueToken(db, signer, { party: AGR, role: 'AGR' });
    const verifier = new TokenVerifier(db, 0);
    await verifier.verify(token);
    assert.equal(await revokeToken(db, jti), true);
    assert.equal(await revokeToken(db, jti), false, 'revoking twice changes nothing');
    await refused(verifier.verify(token), /revoked/);
  });

  it('refuses a token whose party is suspended', async () => {
    const { token } = await issueToken(db, signer, { party: AGR, role: 'AGR' });
    await db.query('update parties set suspended_at = now() where code = $1', [AGR]);
    try {
      await refused(new TokenVerifier(db, 0).verify(token), /suspended/);
    } finally {
      await db.query('update parties set suspended_at = null where code = $1', [AGR]);
    }
  });

  it('refuses a tampered payload, another key, another algorithm and an unsecured token', async () => {
    const { token } = await issueToken(db, signer, { party: AGR, role: 'AGR' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: '10XDE-RWENET---W' })).toString('base64url');
    const verifier = new TokenVerifier(db, 0);
    await refused(verifier.verify(`${h}.${forgedPayload}.${s}`), /signature/);
    const stranger = generateKeyPair('ed25519').privateKey;
    const otherKey = await new SignJWT({ role: 'AGR' })
      .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid })
      .setIssuer('tps-hub')
      .setSubject(AGR)
      .setJti(String(payload.jti))
      .setExpirationTime('1h')
      .sign(stranger);
    await refused(verifier.verify(otherKey), /signature/);
    const hs = await new SignJWT({ role: 'AGR' })
      .setProtectedHeader({ alg: 'HS256', kid: signer.kid })
      .setSubject(AGR)
      .setJti(String(payload.jti))
      .setExpirationTime('1h')
      .sign(new Uint8Array(32));
    await refused(verifier.verify(hs), /algorithm HS256/);
    const none = new UnsecuredJWT({ role: 'AGR' }).setSubject(AGR).setExpirationTime('1h').encode();
    await refused(verifier.verify(none), /algorithm none/);
    await refused(verifier.verify('not-a-token'), /not a JWT/);
  });

  it('refuses a token signed with a key the database does not know', async () => {
    const elsewhere = await loadOrCreateTokenSigner(db, mkdtempSync(join(tmpdir(), 'tokens-b-'))); // a second host: its key is registered
    const { token } = await issueToken(db, elsewhere, { party: AGR, role: 'AGR' });
    await new TokenVerifier(db, 0).verify(token); // known key: fine
    await db.query('update api_token_keys set retired_at = now() where kid = $1', [elsewhere.kid]);
    await refused(new TokenVerifier(db, 0).verify(token), /unknown key/);
  });
});

describe('party codes', () => {
  it('derives the endpoint of an EIC party: type letter V and a new check character', () => {
    assert.equal(defaultEndpointCode('10X1001A1001A450'), '10V1001A1001A45S');
    assert.equal(defaultEndpointCode('5790000000005'), undefined);
  });

  it('reports every problem of a party at once', () => {
    const { problems } = checkPartyInput({ code: '10X1001A1001A451', role: 'KING' as never, name: '' });
    assert.equal(problems.length, 3, problems.join(' | '));
    assert.match(problems.join(' '), /check character/);
    const gln = checkPartyInput({ code: '5790000000005', role: 'AGR', name: 'x' });
    assert.match(gln.problems.join(' '), /EIC X code/);
    const regulatorEndpoint = checkPartyInput({ code: '10X1001A1001A094', role: 'REGULATOR', name: 'r', endpointCode: '10V1001A1001A45S' });
    assert.match(regulatorEndpoint.problems.join(' '), /has no endpoint/);
  });
});
