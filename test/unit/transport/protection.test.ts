import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { canonicalEnvelope, type Envelope } from '../../../src/transport/envelope.js';
import { PROTECTION_FORMAT, open, readProtectedHeader, seal, type ProtectionFailureReason } from '../../../src/transport/protection.js';

interface Party {
  code: string;
  sign: { privateKey: KeyObject; publicKey: KeyObject };
  enc: { privateKey: KeyObject; publicKey: KeyObject };
  signSerial: string;
  encSerial: string;
}
const party = (code: string, n: number): Party => ({
  code,
  sign: generateKeyPairSync('ed25519'),
  enc: generateKeyPairSync('x25519'),
  signSerial: `4${n}00000000000000000000000000005${n}`,
  encSerial: `4${n}00000000000000000000000000006${n}`,
});
const agr = party('10V000000000001A', 1);
const dso = party('10V000000000002B', 2);
const eve = party('10V000000000003C', 3);
const parties = [agr, dso, eve];
const revokedSerial = '7F0000000000000000000000000000FF';

const env: Envelope = {
  messageId: '6f1c2c4e-1b7a-4c55-9a57-0d4c7a3c8e11',
  senderCode: agr.code,
  receiverCode: dso.code,
  businessType: 'A67',
  baMessageId: 'schedule-2026-11-24',
  createdAt: '2026-11-23T10:00:00Z',
  expiresAt: '2026-11-23T11:00:00Z',
};
const content = randomBytes(3000);

const signer = (p: Party) => ({ key: p.sign.privateKey, serial: p.signSerial });
const recipient = (p: Party) => ({ key: p.enc.publicKey, serial: p.encSerial });
/** The receiver's own encryption keys by certificate serial. */
const keysOf = (p: Party) => (kid: string) => (kid === p.encSerial ? p.enc.privateKey : undefined);
/** Stand-in for the directory lookup: the signing certificate must be known, unrevoked and the sender's. */
const directory = (serial: string, senderCode: string) => {
  if (serial === revokedSerial) return { ok: false as const, code: 'CERT_REVOKED', detail: `certificate ${serial} is revoked` };
  const p = parties.find((x) => x.signSerial === serial);
  if (!p) return { ok: false as const, code: 'CERT_UNKNOWN', detail: `no certificate ${serial}` };
  if (p.code !== senderCode) return { ok: false as const, code: 'CERT_WRONG_COMPONENT', detail: `${serial} belongs to ${p.code}` };
  return { ok: true as const, key: p.sign.publicKey };
};

const sealed = (e: Envelope = env, body: Uint8Array = content, from: Party = agr, to: Party = dso) =>
  seal(e, body, signer(from), recipient(to));
const openAt = (jwe: string, expected: Envelope = env, at: Party = dso) => open(jwe, expected, keysOf(at), directory);
const reasonOf = (r: { ok: true } | { ok: false; error: { reason: ProtectionFailureReason } }) => (r.ok ? 'ok' : r.error.reason);

const decode = (s: string) => Buffer.from(s, 'base64url');
const headerOf = (jwe: string) => JSON.parse(decode(jwe.split('.')[0] ?? '').toString('utf8')) as Record<string, unknown>;
/** Re-encodes the protected header after `mutate`, leaving the other parts as they were. */
const withHeader = (jwe: string, mutate: (h: Record<string, unknown>) => void) => {
  const [, ...rest] = jwe.split('.');
  const h = headerOf(jwe);
  mutate(h);
  return [Buffer.from(JSON.stringify(h)).toString('base64url'), ...rest].join('.');
};
const withPart = (jwe: string, index: number, value: string) =>
  jwe
    .split('.')
    .map((p, i) => (i === index ? value : p))
    .join('.');
/** Flips one bit in the decoded bytes of part `index`. */
const flip = (jwe: string, index: number, byte = 0) => {
  const b = decode(jwe.split('.')[index] ?? '');
  b[byte] = (b[byte] ?? 0) ^ 1;
  return withPart(jwe, index, b.toString('base64url'));
};

describe('payload protection: JWE ECDH-ES+A256KW/A256GCM with an Ed25519 signature inside', () => {
  it('gives the receiver exactly the content the sender sealed', () => {
    const r = openAt(sealed());
    assert.ok(r.ok, !r.ok ? r.error.detail : '');
    assert.deepEqual(r.content, content);
  });

  it('round-trips an envelope without optional fields and with all of them, and empty content', () => {
    const minimal: Envelope = {
      messageId: 'm-1',
      senderCode: agr.code,
      receiverCode: dso.code,
      businessType: 'A01',
      createdAt: '2026-11-23T10:00:00Z',
      expiresAt: '2026-11-23T11:00:00Z',
    };
    const full: Envelope = { ...minimal, baMessageId: 'b', conversationId: 'c', senderApplication: 'app ✓' };
    for (const e of [minimal, full]) {
      const jwe = sealed(e);
      assert.deepEqual(headerOf(jwe)['tps.env'], e);
      const r = openAt(jwe, e);
      assert.ok(r.ok && r.content.equals(content));
    }
    const empty = openAt(sealed(env, new Uint8Array(0)));
    assert.ok(empty.ok && empty.content.length === 0);
  });

  it('writes the protected header in the fixed order, readable without decrypting', () => {
    const jwe = sealed();
    const h = headerOf(jwe);
    assert.deepEqual(Object.keys(h), ['alg', 'enc', 'kid', 'epk', 'tps.v', 'tps.sig', 'tps.env']);
    assert.equal(h.alg, 'ECDH-ES+A256KW');
    assert.equal(h.enc, 'A256GCM');
    assert.equal(h.kid, dso.encSerial);
    assert.equal(h['tps.v'], PROTECTION_FORMAT);
    assert.equal(h['tps.sig'], agr.signSerial);
    const epk = h.epk as Record<string, unknown>;
    assert.deepEqual(Object.keys(epk), ['kty', 'crv', 'x']);
    assert.equal(decode(epk.x as string).length, 32);
    assert.deepEqual(Object.keys(h['tps.env'] as object), [
      'messageId',
      'senderCode',
      'receiverCode',
      'businessType',
      'baMessageId',
      'createdAt',
      'expiresAt',
    ]);
    const r = readProtectedHeader(jwe);
    assert.ok(r.ok);
    assert.deepEqual(r.envelope, env);
    assert.equal(r.kid, dso.encSerial);
    assert.equal(r.signerSerial, agr.signSerial);
    const parts = jwe.split('.').map(decode);
    assert.deepEqual(
      parts.slice(1).map((p) => p.length),
      [40, 12, 64 + content.length, 16],
    );
  });

  it('hides content and signature from whoever relays it', () => {
    const jwe = sealed();
    for (const part of jwe.split('.').map(decode)) {
      for (let i = 0; i + 32 <= content.length; i += 500) assert.equal(part.includes(content.subarray(i, i + 32)), false);
    }
    assert.equal(jwe.includes(content.subarray(0, 48).toString('base64url')), false);
  });

  it('is a standard JWE: jose opens it with the receiver key, and the signature is over the documented bytes', async () => {
    const jwe = sealed();
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, dso.enc.privateKey);
    assert.equal(protectedHeader.alg, 'ECDH-ES+A256KW');
    assert.equal(protectedHeader.enc, 'A256GCM');
    const inner = Buffer.from(plaintext);
    assert.ok(inner.subarray(64).equals(content));
    const signed = Buffer.concat([Buffer.from('tps-hub/sig/1'), Buffer.from([0]), canonicalEnvelope(env), Buffer.from([0]), content]);
    assert.ok(verify(null, signed, agr.sign.publicKey, inner.subarray(0, 64)));
  });

  it('opens a JWE that jose produced with the same header and plaintext layout', async () => {
    const signed = Buffer.concat([Buffer.from('tps-hub/sig/1\0'), canonicalEnvelope(env), Buffer.from([0]), content]);
    const signature = sign(null, signed, agr.sign.privateKey);
    const jwe = await new CompactEncrypt(Buffer.concat([signature, content]))
      .setProtectedHeader({
        alg: 'ECDH-ES+A256KW',
        enc: 'A256GCM',
        kid: dso.encSerial,
        'tps.v': PROTECTION_FORMAT,
        'tps.sig': agr.signSerial,
        'tps.env': { ...env },
      })
      .encrypt(dso.enc.publicKey);
    const r = openAt(jwe);
    assert.ok(r.ok, !r.ok ? r.error.detail : '');
    assert.ok(r.content.equals(content));
  });

  for (const [field, value] of [
    ['receiverCode', eve.code],
    ['expiresAt', '2026-12-31T00:00:00Z'],
    ['messageId', '00000000-0000-4000-8000-000000000000'],
    ['businessType', 'A65'],
    ['conversationId', 'added'],
    ['baMessageId', undefined],
  ] as const) {
    it(`reports envelope_mismatch when the expected envelope's ${field} differs from the header's`, () => {
      const r = openAt(sealed(), { ...env, [field]: value });
      assert.equal(reasonOf(r), 'envelope_mismatch');
      assert.match(!r.ok ? r.error.detail : '', new RegExp(field));
    });
  }

  it('detects a protected header altered in transit', () => {
    const tampered = withHeader(sealed(), (h) => {
      (h['tps.env'] as Record<string, unknown>).receiverCode = eve.code;
    });
    // against the envelope the message arrived with, the header no longer matches …
    assert.equal(reasonOf(openAt(tampered)), 'envelope_mismatch');
    // … and if the relay altered both consistently, the header is the JWE's AAD and decryption fails
    assert.equal(reasonOf(openAt(tampered, { ...env, receiverCode: eve.code })), 'decryption_failed');
    const relabelled = withHeader(sealed(), (h) => {
      h['tps.sig'] = eve.signSerial;
    });
    assert.equal(reasonOf(openAt(relabelled)), 'decryption_failed');
  });

  for (const [name, index, byte] of [
    ['encrypted key', 1, 5],
    ['iv', 2, 0],
    ['ciphertext (signature)', 3, 10],
    ['ciphertext (content)', 3, 2000],
    ['tag', 4, 15],
  ] as const) {
    it(`reports decryption_failed for a bit flipped in the ${name}`, () => {
      assert.equal(reasonOf(openAt(flip(sealed(), index, byte))), 'decryption_failed');
    });
  }

  it('reports not_for_us for a JWE encrypted for a certificate that is not ours', () => {
    const r = openAt(sealed(env, content, agr, eve));
    assert.equal(reasonOf(r), 'not_for_us');
    assert.match(!r.ok ? r.error.detail : '', new RegExp(eve.encSerial));
  });

  it('reports decryption_failed for a JWE encrypted for someone else under our kid', () => {
    const forged = seal(env, content, signer(agr), { key: eve.enc.publicKey, serial: dso.encSerial });
    assert.equal(reasonOf(openAt(forged)), 'decryption_failed');
  });

  it('reports decryption_failed for a low-order epk', () => {
    const jwe = withHeader(sealed(), (h) => {
      (h.epk as Record<string, unknown>).x = Buffer.alloc(32).toString('base64url');
    });
    assert.equal(reasonOf(openAt(jwe)), 'decryption_failed');
  });

  it('reports signer_rejected with the lookup code when the signing certificate is refused', () => {
    const revoked = seal(env, content, { key: agr.sign.privateKey, serial: revokedSerial }, recipient(dso));
    const r = openAt(revoked);
    assert.equal(reasonOf(r), 'signer_rejected');
    assert.equal(!r.ok && r.error.code, 'CERT_REVOKED');
    assert.equal(!r.ok && r.error.detail, `certificate ${revokedSerial} is revoked`);
    // the lookup receives the envelope's sender: Eve's own certificate is not AGR's
    const wrongComponent = seal(env, content, signer(eve), recipient(dso));
    const w = openAt(wrongComponent);
    assert.equal(!w.ok && w.error.code, 'CERT_WRONG_COMPONENT');
  });

  it('reports bad_signature when someone else signs under the real sender certificate serial', () => {
    // Eve knows DSO's public encryption key: she seals with her own signing key, naming AGR's serial.
    const forged = seal(env, content, { key: eve.sign.privateKey, serial: agr.signSerial }, recipient(dso));
    const r = openAt(forged);
    assert.equal(reasonOf(r), 'bad_signature');
    assert.match(!r.ok ? r.error.detail : '', new RegExp(agr.signSerial));
  });

  it('reports bad_signature for a genuine signature moved to another envelope', async () => {
    // DSO (or anyone who could decrypt) re-encrypts AGR's signed plaintext under a new message ID.
    const other = { ...env, messageId: 'other' };
    const { plaintext } = await compactDecrypt(sealed(), dso.enc.privateKey);
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({
        alg: 'ECDH-ES+A256KW',
        enc: 'A256GCM',
        kid: dso.encSerial,
        'tps.v': PROTECTION_FORMAT,
        'tps.sig': agr.signSerial,
        'tps.env': { ...other },
      })
      .encrypt(dso.enc.publicKey);
    assert.equal(reasonOf(openAt(jwe, other)), 'bad_signature');
  });

  describe('malformed input never throws and says what is wrong', () => {
    const good = sealed();
    const [h, w, iv, c, t] = good.split('.') as [string, string, string, string, string];
    const cases: [string, string, RegExp][] = [
      ['empty string', '', /5 parts, got 1/],
      ['four parts', [h, w, iv, c].join('.'), /5 parts, got 4/],
      ['six parts', `${good}.x`, /5 parts, got 6/],
      ['garbage base64 in the header', withPart(good, 0, 'e30!!'), /header is not base64url/],
      ['impossible base64 length', withPart(good, 0, 'abcde'), /header is not base64url/],
      ['header not JSON', withPart(good, 0, Buffer.from('{"alg":').toString('base64url')), /not UTF-8 JSON/],
      ['header not UTF-8', withPart(good, 0, Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')), /not UTF-8 JSON/],
      ['header a JSON array', withPart(good, 0, Buffer.from('[]').toString('base64url')), /not a JSON object/],
      ['header too long', withPart(good, 0, 'A'.repeat(20_000)), /at most/],
      ['wrong alg', withHeader(good, (x) => void (x.alg = 'RSA-OAEP')), /alg must be "ECDH-ES\+A256KW", got "RSA-OAEP"/],
      ['alg dir', withHeader(good, (x) => void (x.alg = 'dir')), /alg must be/],
      ['missing alg', withHeader(good, (x) => void delete x.alg), /alg must be .* got nothing/],
      ['wrong enc', withHeader(good, (x) => void (x.enc = 'A128CBC-HS256')), /enc must be "A256GCM"/],
      ['zip', withHeader(good, (x) => void (x.zip = 'DEF')), /zip is not supported/],
      ['crit', withHeader(good, (x) => void (x.crit = ['b64'])), /crit is not supported/],
      ['wrong format version', withHeader(good, (x) => void (x['tps.v'] = 'tps-hub/jwe-0')), /tps\.v must be/],
      ['missing kid', withHeader(good, (x) => void delete x.kid), /kid .* non-empty string/],
      ['numeric kid', withHeader(good, (x) => void (x.kid = 42)), /kid .* non-empty string/],
      ['missing signer', withHeader(good, (x) => void delete x['tps.sig']), /tps\.sig .* non-empty string/],
      ['missing epk', withHeader(good, (x) => void delete x.epk), /epk is missing/],
      [
        'wrong crv',
        withHeader(good, (x) => void ((x.epk as Record<string, unknown>).crv = 'P-256')),
        /epk must be \{kty: "OKP", crv: "X25519"\}/,
      ],
      ['wrong kty', withHeader(good, (x) => void ((x.epk as Record<string, unknown>).kty = 'EC')), /epk must be/],
      ['short epk', withHeader(good, (x) => void ((x.epk as Record<string, unknown>).x = 'AAAA')), /epk\.x must be 32 bytes/],
      [
        'epk with a private part',
        withHeader(good, (x) => void ((x.epk as Record<string, unknown>).d = 'AAAA')),
        /must not contain a private key/,
      ],
      ['tps.env missing', withHeader(good, (x) => void delete x['tps.env']), /tps\.env must be a JSON object/],
      ['tps.env an array', withHeader(good, (x) => void (x['tps.env'] = [env.messageId])), /tps\.env must be a JSON object/],
      ['tps.env a string', withHeader(good, (x) => void (x['tps.env'] = 'env')), /tps\.env must be a JSON object/],
      [
        'tps.env.receiverCode a number',
        withHeader(good, (x) => void ((x['tps.env'] as Record<string, unknown>).receiverCode = 17)),
        /tps\.env\.receiverCode must be a string, got number/,
      ],
      [
        'tps.env.baMessageId null',
        withHeader(good, (x) => void ((x['tps.env'] as Record<string, unknown>).baMessageId = null)),
        /tps\.env\.baMessageId must be a string, got null/,
      ],
      [
        'tps.env.expiresAt an object',
        withHeader(good, (x) => void ((x['tps.env'] as Record<string, unknown>).expiresAt = { at: 1 })),
        /tps\.env\.expiresAt must be a string, got object/,
      ],
      [
        'tps.env.messageId missing',
        withHeader(good, (x) => void delete (x['tps.env'] as Record<string, unknown>).messageId),
        /tps\.env\.messageId is missing/,
      ],
      [
        'tps.env with an unknown field',
        withHeader(good, (x) => void ((x['tps.env'] as Record<string, unknown>).size = '3000')),
        /unknown field "size"/,
      ],
      ['short iv', withPart(good, 2, randomBytes(8).toString('base64url')), /iv is 8 bytes, expected 12/],
      ['iv not base64url', withPart(good, 2, 'AAAA+AAAAAAAAAAA'), /iv is not base64url/],
      ['empty encrypted key', withPart(good, 1, ''), /encrypted key is 0 bytes, expected 40/],
      ['short tag', withPart(good, 4, randomBytes(12).toString('base64url')), /tag is 12 bytes, expected 16/],
      [
        'ciphertext shorter than a signature',
        withPart(good, 3, randomBytes(63).toString('base64url')),
        /ciphertext is 63 bytes, expected at least 64/,
      ],
      ['ciphertext with a space', withPart(good, 3, `${c.slice(0, 10)} ${c.slice(11)}`), /ciphertext is not base64url/],
      ['tag garbage', withPart(good, 4, `${t.slice(0, 21)}=`), /tag is not base64url/],
    ];
    for (const [name, jwe, detail] of cases) {
      it(name, () => {
        for (const r of [openAt(jwe), readProtectedHeader(jwe)]) {
          assert.equal(r.ok, false);
          assert.equal(!r.ok && r.error.reason, 'malformed');
          assert.match(!r.ok ? r.error.detail : '', detail);
        }
      });
    }
    it('a value that is not a string', () => {
      assert.equal(reasonOf(open(undefined as unknown as string, env, keysOf(dso), directory)), 'malformed');
      assert.equal(reasonOf(readProtectedHeader(42 as unknown as string)), 'malformed');
    });
  });

  it('uses a fresh ephemeral key, content key and IV per message', () => {
    const a = sealed();
    const b = sealed();
    assert.notEqual(a, b);
    const [ha, , iva, ca] = a.split('.');
    const [hb, , ivb, cb] = b.split('.');
    assert.notDeepEqual((headerOf(a).epk as { x: string }).x, (headerOf(b).epk as { x: string }).x);
    assert.notEqual(ha, hb);
    assert.notEqual(iva, ivb);
    assert.notEqual(ca, cb);
  });

  it('refuses to seal with keys of the wrong kind', () => {
    assert.throws(() => seal(env, content, { key: agr.sign.publicKey, serial: 's' }, recipient(dso)), TypeError);
    assert.throws(() => seal(env, content, signer(agr), { key: dso.enc.privateKey, serial: 'e' }), TypeError);
    assert.throws(() => seal(env, content, signer(agr), { key: agr.sign.publicKey, serial: 'e' }), TypeError);
  });
});
