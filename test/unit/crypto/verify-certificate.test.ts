import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority, type CertificateUsage } from '../../../src/crypto/ca.js';
import { generateKeyPair } from '../../../src/crypto/keys.js';
import { assertCertificate, verifyCertificate, type VerifyCertificateOptions } from '../../../src/crypto/verify-certificate.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { isHubError } from '../../../src/shared/errors.js';

const DIRECTORY = '10V1001C--000438';
const ENDPOINT = '10V1001C--000446';
const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const algorithmOf = { authentication: 'ec-p256', signing: 'ed25519', encryption: 'x25519' } as const;

async function issue(ca: CertificateAuthority, usage: CertificateUsage, opts: { now?: Date; days?: number; code?: string } = {}) {
  return issueCertificate(ca, {
    componentCode: opts.code ?? ENDPOINT,
    organisation: 'Endpoint Org',
    usage,
    publicKey: generateKeyPair(algorithmOf[usage]).publicKey,
    validityDays: opts.days ?? 365,
    now: opts.now ?? NOW,
  });
}

/** Flips one byte inside the to-be-signed part (the subject O) and re-wraps the DER as PEM. */
function tamper(pem: string): string {
  const der = new X509Certificate(pem).raw;
  const at = der.indexOf(Buffer.from('Endpoint Org'));
  assert.ok(at > 0);
  der[at] = 'F'.charCodeAt(0);
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

describe('verifyCertificate', () => {
  let ca: CertificateAuthority;
  let options: VerifyCertificateOptions;
  before(async () => {
    ca = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Directory Org', now: new Date('2026-01-01T00:00:00Z') });
    options = { caCertificate: ca.certificate, revoked: new Set(), clock: fixedClock(NOW) };
  });

  for (const usage of ['authentication', 'signing', 'encryption'] as const) {
    it(`accepts a fresh ${usage} certificate for its usage and component`, async () => {
      const c = await issue(ca, usage);
      const r = verifyCertificate(c.pem, {
        ...options,
        expectedUsage: usage,
        expectedComponentCode: ENDPOINT,
        knownSerials: new Set([c.serial]),
      });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      assert.equal(r.value.usage, usage);
      assert.equal(r.value.serial, c.serial);
      assert.equal(r.value.componentCode, ENDPOINT);
      // DER and a parsed X509Certificate work too
      assert.ok(verifyCertificate(new X509Certificate(c.pem).raw, options).ok);
      assert.ok(verifyCertificate(new X509Certificate(c.pem), { ...options, caCertificate: ca.certificatePem }).ok);
    });
  }

  it('rejects a certificate from another CA, even one with the same name', async () => {
    const other = await createCertificateAuthority({
      code: DIRECTORY,
      organisation: 'Directory Org',
      now: new Date('2026-01-01T00:00:00Z'),
    });
    const c = await issue(other, 'authentication');
    const r = verifyCertificate(c.pem, options);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'CERT_INVALID');
    assert.match(r.error.text, /was not issued by the directory CA|signature does not verify/);
    assert.equal(r.error.serial, c.serial);
  });

  it('rejects a tampered certificate', async () => {
    const c = await issue(ca, 'signing');
    const r = verifyCertificate(tamper(c.pem), options);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'CERT_INVALID');
    assert.match(r.error.text, /signature does not verify/);
  });

  it('rejects garbage and CA certificates', () => {
    const r = verifyCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', options);
    assert.ok(!r.ok && r.error.code === 'CERT_INVALID' && /not an X\.509 certificate/.test(r.error.text));
    const self = verifyCertificate(ca.certificatePem, options);
    assert.ok(!self.ok && self.error.code === 'CERT_INVALID' && /is a CA certificate/.test(self.error.text));
  });

  it('rejects an expired and a not-yet-valid certificate with the window in the text', async () => {
    const old = await issue(ca, 'signing', { now: new Date(NOW.getTime() - 40 * DAY), days: 30 });
    const r = verifyCertificate(old.pem, options);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'CERT_EXPIRED');
    assert.match(r.error.text, /expired at 2026-02-19T12:00:00\.000Z \(now 2026-03-01/);
    const future = await issue(ca, 'signing', { now: new Date(NOW.getTime() + 2 * DAY) });
    const f = verifyCertificate(future.pem, options);
    assert.ok(!f.ok);
    assert.equal(f.error.code, 'CERT_EXPIRED');
    assert.match(f.error.text, /not valid yet/);
    // the 5-minute back-dating lets a certificate issued "now" be used by a peer a minute behind
    const fresh = await issue(ca, 'signing');
    assert.ok(verifyCertificate(fresh.pem, { ...options, clock: fixedClock(new Date(NOW.getTime() - 60_000)) }).ok);
  });

  it('rejects every certificate once the CA itself has expired', async () => {
    const c = await issue(ca, 'signing');
    const r = verifyCertificate(c.pem, { ...options, clock: fixedClock(new Date('2036-06-01T00:00:00Z')) });
    assert.ok(!r.ok && r.error.code === 'CERT_EXPIRED' && /directory CA certificate/.test(r.error.text));
  });

  it('rejects a revoked certificate, with when and why when known', async () => {
    const c = await issue(ca, 'authentication');
    const bySet = verifyCertificate(c.pem, { ...options, revoked: new Set([c.serial]) });
    assert.ok(!bySet.ok && bySet.error.code === 'CERT_REVOKED');
    const byMap = verifyCertificate(c.pem, {
      ...options,
      revoked: new Map([[c.serial, { revokedAt: '2026-02-01T00:00:00Z', reason: 'keyCompromise' }]]),
    });
    assert.ok(!byMap.ok);
    assert.equal(byMap.error.code, 'CERT_REVOKED');
    assert.match(byMap.error.text, /revoked at 2026-02-01T00:00:00\.000Z \(keyCompromise\)/);
  });

  it('rejects the wrong usage and the wrong component', async () => {
    const c = await issue(ca, 'signing');
    const u = verifyCertificate(c.pem, { ...options, expectedUsage: 'authentication' });
    assert.ok(!u.ok && u.error.code === 'CERT_INVALID');
    assert.match(u.error.text, /is a signing certificate; authentication is required/);
    const who = verifyCertificate(c.pem, { ...options, expectedComponentCode: '10V1001C--000454' });
    assert.ok(!who.ok && who.error.code === 'CERT_INVALID');
    assert.match(who.error.text, /belongs to 10V1001C--000446, not 10V1001C--000454/);
  });

  it('reports a certificate the directory does not know as CERT_UNKNOWN', async () => {
    const c = await issue(ca, 'signing');
    const r = verifyCertificate(c.pem, { ...options, knownSerials: new Set(['4000']) });
    assert.ok(!r.ok && r.error.code === 'CERT_UNKNOWN');
    assert.match(r.error.text, /not in the component directory/);
  });

  it('assertCertificate throws the problem as a HubError', async () => {
    const c = await issue(ca, 'signing');
    assert.throws(
      () => assertCertificate(c.pem, { ...options, revoked: new Set([c.serial]) }),
      (e) => isHubError(e, 'CERT_REVOKED') && e.details?.serial === c.serial,
    );
    assert.equal(assertCertificate(c.pem, options).serial, c.serial);
  });
});
