import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority } from '../../../src/crypto/ca.js';
import { generateKeyPair } from '../../../src/crypto/keys.js';
import {
  DirectoryView,
  DOCUMENT_FORMAT,
  attachPayload,
  signDirectoryDocument,
  verifyDirectoryDocument,
  type DirectoryDocumentBody,
} from '../../../src/directory/document.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { isHubError } from '../../../src/shared/errors.js';

const DIRECTORY = '10V1001C--000438';
const EP = '10V1001C--000446';
const NOW = new Date('2026-03-01T00:00:00Z');

function body(contentId: number, extra: Partial<DirectoryDocumentBody> = {}): DirectoryDocumentBody {
  return {
    format: DOCUMENT_FORMAT,
    contentId,
    issuedAt: NOW.toISOString(),
    ttlMs: 86_400_000,
    directoryCode: DIRECTORY,
    components: [
      {
        code: EP,
        type: 'ENDPOINT',
        organisation: 'EP',
        organisationCode: '10X1001A1001A450',
        marketRoles: ['A52'],
        urls: [],
        status: 'ACTIVE',
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      },
    ],
    certificates: [],
    revoked: [],
    messagePaths: [],
    ...extra,
  };
}

const invalid = (re: RegExp) => (e: unknown) => isHubError(e, 'DIRECTORY_DOCUMENT_INVALID') && re.test(e.message);

describe('directory document', () => {
  let ca: CertificateAuthority;
  before(async () => {
    ca = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Directory', now: new Date('2026-01-01T00:00:00Z') });
  });

  it('signs as a compact JWS (ES256) that verifies with the CA certificate', async () => {
    const signed = await signDirectoryDocument(body(7), ca);
    const [h, p, s] = signed.jws.split('.');
    const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as Record<string, string>;
    assert.deepEqual(Object.keys(header), ['alg', 'typ', 'x5t#S256']);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.typ, 'tps-directory+json');
    assert.equal(header['x5t#S256'], createHash('sha256').update(ca.certificate.raw).digest('base64url'));
    assert.equal(Buffer.from(p ?? '', 'base64url').toString(), signed.body);
    assert.equal(signed.detachedSignature, `${h}..${s}`);
    assert.equal(attachPayload(signed.body, signed.detachedSignature), signed.jws);
    const v = await verifyDirectoryDocument(signed.jws, ca.certificatePem, { previousContentId: 6 });
    assert.equal(v.contentId, 7);
    assert.equal(v.expiresAt.toISOString(), '2026-03-02T00:00:00.000Z');
    assert.equal(v.body.components[0]?.code, EP);
  });

  it('refuses an older or equal contentId', async () => {
    const signed = await signDirectoryDocument(body(7), ca);
    await assert.rejects(
      verifyDirectoryDocument(signed.jws, ca.certificate, { previousContentId: 7 }),
      invalid(/contentId 7 is not newer than the held 7/),
    );
    await assert.rejects(verifyDirectoryDocument(signed.jws, ca.certificate, { previousContentId: 9 }), invalid(/not newer/));
  });

  it('refuses a tampered body, a document from another CA, a foreign directory code and malformed bodies', async () => {
    const signed = await signDirectoryDocument(body(7), ca);
    const [h, , s] = signed.jws.split('.');
    const forged = Buffer.from(signed.body.replace('"A52"', '"A04"')).toString('base64url');
    await assert.rejects(verifyDirectoryDocument(`${h}.${forged}.${s}`, ca.certificate), invalid(/signature does not verify/));
    const rogue = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Directory' });
    await assert.rejects(
      verifyDirectoryDocument((await signDirectoryDocument(body(8), rogue)).jws, ca.certificate),
      invalid(/signature does not verify/),
    );
    const otherCode = await signDirectoryDocument(body(8, { directoryCode: '10V1001C--000454' }), ca);
    await assert.rejects(
      verifyDirectoryDocument(otherCode.jws, ca.certificate),
      invalid(/from directory 10V1001C--000454, but the CA is 10V1001C--000438/),
    );
    const bad = await signDirectoryDocument({ ...body(8), ttlMs: -1 }, ca);
    await assert.rejects(verifyDirectoryDocument(bad.jws, ca.certificate), invalid(/malformed: ttlMs/));
    await assert.rejects(verifyDirectoryDocument('not.a-jws', ca.certificate), invalid(/signature does not verify|not a compact JWS/));
    await assert.rejects(verifyDirectoryDocument('nope', ca.certificate), invalid(/not a compact JWS/));
  });

  it('gives endpoints routing and certificate checks from the document alone', async () => {
    const keys = generateKeyPair('ed25519');
    const cert = await issueCertificate(ca, {
      componentCode: EP,
      organisation: 'EP',
      usage: 'signing',
      publicKey: keys.publicKey,
      now: NOW,
    });
    const revokedCert = await issueCertificate(ca, {
      componentCode: EP,
      organisation: 'EP',
      usage: 'signing',
      publicKey: keys.publicKey,
      now: NOW,
    });
    const unlisted = await issueCertificate(ca, {
      componentCode: EP,
      organisation: 'EP',
      usage: 'signing',
      publicKey: keys.publicKey,
      now: NOW,
    });
    const published = {
      serial: cert.serial,
      componentCode: EP,
      usage: 'signing' as const,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      pem: cert.pem,
    };
    const signed = await signDirectoryDocument(
      body(9, {
        certificates: [published],
        revoked: [{ serial: revokedCert.serial, revokedAt: NOW.toISOString(), reason: 'keyCompromise' }],
        messagePaths: [{ id: 'p1', receiverCode: EP, messageType: '*', senders: '*', path: 'DIRECT', validFrom: NOW.toISOString() }],
      }),
      ca,
    );
    const clock = fixedClock(new Date(NOW.getTime() + 3_600_000));
    const view = new DirectoryView(await verifyDirectoryDocument(signed.jws, ca.certificate), ca.certificate, clock);
    assert.equal(view.currentCertificate(EP, 'signing')?.serial, cert.serial);
    assert.ok(view.checkCertificate(cert.pem, { usage: 'signing', componentCode: EP }).ok);
    const r = view.checkCertificate(revokedCert.pem, { usage: 'signing' });
    assert.ok(!r.ok && r.error.code === 'CERT_REVOKED' && /keyCompromise/.test(r.error.text));
    const u = view.checkCertificate(unlisted.pem, { usage: 'signing' });
    assert.ok(!u.ok && u.error.code === 'CERT_UNKNOWN');
    const w = view.checkCertificate(cert.pem, { usage: 'encryption' });
    assert.ok(!w.ok && w.error.code === 'CERT_INVALID');
    assert.deepEqual(view.routeFor(EP, EP, 'A01'), { ok: true, value: { kind: 'DIRECT', receiverCode: EP, pathId: 'p1' } });
    const unknown = view.routeFor(EP, '10V1001C--000454', 'A01');
    assert.ok(!unknown.ok && unknown.error[0]?.code === 'RECEIVER_UNKNOWN');
  });
});
