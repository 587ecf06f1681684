import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { diffieHellman, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CERTIFICATE_USAGES,
  createCertificateAuthority,
  issueCertificate,
  loadCertificateAuthority,
  randomSerial,
  readCertificateAuthority,
  writeCertificateAuthority,
  type CertificateAuthority,
} from '../../../src/crypto/ca.js';
import { readCertificate } from '../../../src/crypto/certificate-info.js';
import { generateKeyPair } from '../../../src/crypto/keys.js';
import { isHubError } from '../../../src/shared/errors.js';

const DIRECTORY = '10V1001C--000438';
const ENDPOINT = '10V1001C--000446';

function openssl(args: string[], input?: string): string | undefined {
  try {
    return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

describe('certificate authority', () => {
  let ca: CertificateAuthority;
  before(async () => {
    ca = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Grid Hub B.V.' });
  });

  it('creates a self-signed ECDSA P-256 root with CA constraints and a 10-year life', () => {
    const c = ca.certificate;
    assert.equal(c.ca, true);
    assert.equal(c.publicKey.asymmetricKeyType, 'ec');
    assert.equal(c.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(c.verify(c.publicKey), 'self-signed');
    assert.match(c.subject, /^CN=10V1001C--000438\nO=Grid Hub B\.V\.\nOU=component directory CA$/);
    const years = (new Date(c.validTo).getTime() - new Date(c.validFrom).getTime()) / (365.25 * 86_400_000);
    assert.ok(years > 9.99 && years < 10.01, `validity ${years} years`);
    assert.match(c.serialNumber, /^[4-7][0-9A-F]{31}$/);
    const text = openssl(['x509', '-noout', '-text'], ca.certificatePem);
    if (text !== undefined) {
      assert.match(text, /CA:TRUE, pathlen:0/);
      assert.match(text, /Certificate Sign, CRL Sign/);
    }
  });

  it('draws random 128-bit serials (positive, fixed width)', () => {
    const serials = new Set(Array.from({ length: 1000 }, randomSerial));
    assert.equal(serials.size, 1000);
    for (const s of serials) assert.match(s, /^[4-7][0-9A-F]{31}$/);
  });

  for (const usage of CERTIFICATE_USAGES) {
    it(`issues a ${usage} certificate that Node parses, verifies and reads back`, async () => {
      const algorithm = usage === 'authentication' ? 'ec-p256' : usage === 'signing' ? 'ed25519' : 'x25519';
      const keys = generateKeyPair(algorithm);
      const issued = await issueCertificate(ca, {
        componentCode: ENDPOINT,
        organisation: 'Netz, Süd + Co',
        usage,
        publicKey: keys.publicKey,
        validityDays: 30,
      });
      const x = new X509Certificate(issued.pem);
      assert.ok(x.verify(ca.certificate.publicKey));
      assert.ok(x.checkIssued(ca.certificate));
      assert.equal(x.ca, false);
      assert.equal(x.serialNumber, issued.serial);
      const info = readCertificate(issued.pem);
      assert.equal(info.componentCode, ENDPOINT);
      assert.equal(info.organisation, 'Netz, Süd + Co');
      assert.equal(info.usage, usage);
      assert.equal(info.keyAlgorithm, algorithm);
      const days = (info.notAfter.getTime() - info.notBefore.getTime()) / 86_400_000;
      assert.ok(days > 30 && days < 30.01, `${days} days (30 + 5 minutes back-dated)`);
      // the certificate's key is the one given
      assert.ok(x.publicKey.export({ type: 'spki', format: 'der' }).equals(keys.publicKey.export({ type: 'spki', format: 'der' })));
      if (usage === 'authentication') {
        assert.deepEqual(x.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
        assert.equal(x.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
        assert.equal(x.checkHost('localhost'), 'localhost');
        assert.equal(x.checkIP('127.0.0.1'), '127.0.0.1');
      }
      if (usage === 'signing') {
        const sig = sign(null, Buffer.from('hello'), keys.privateKey);
        assert.ok(verify(null, Buffer.from('hello'), x.publicKey, sig));
      }
      if (usage === 'encryption') {
        const other = generateKeyPairSync('x25519');
        const a = diffieHellman({ privateKey: other.privateKey, publicKey: x.publicKey });
        const b = diffieHellman({ privateKey: keys.privateKey, publicKey: other.publicKey });
        assert.ok(a.equals(b));
      }
      const text = openssl(['x509', '-noout', '-text'], issued.pem);
      if (text !== undefined) {
        const expected = {
          authentication: /Digital Signature, Key Agreement[\s\S]*TLS Web Server Authentication, TLS Web Client Authentication/,
          signing: /ED25519[\s\S]*Digital Signature, Non Repudiation/,
          encryption: /X25519[\s\S]*Key Agreement/,
        }[usage];
        assert.match(text, expected);
        // an independent chain check: OpenSSL's verifier with the CA as the only trust anchor
        const tmp = mkdtempSync(join(tmpdir(), 'tps-openssl-'));
        try {
          writeFileSync(join(tmp, 'ca.crt'), ca.certificatePem);
          writeFileSync(join(tmp, 'leaf.crt'), issued.pem);
          assert.match(openssl(['verify', '-CAfile', join(tmp, 'ca.crt'), join(tmp, 'leaf.crt')]) ?? '', /: OK/);
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      }
    });
  }

  it('issues authentication certificates with chosen DNS names and IP addresses', async () => {
    const { publicKey } = generateKeyPair('ec-p256');
    const issued = await issueCertificate(ca, {
      componentCode: ENDPOINT,
      organisation: 'X',
      usage: 'authentication',
      publicKey,
      dnsNames: ['ep1.example.net'],
      ipAddresses: ['10.0.0.7', '::1'],
    });
    assert.equal(new X509Certificate(issued.pem).subjectAltName, 'DNS:ep1.example.net, IP Address:10.0.0.7, IP Address:0:0:0:0:0:0:0:1');
  });

  it('refuses a key of the wrong algorithm for the usage, bad codes, and SANs outside authentication', async () => {
    const ec = generateKeyPair('ec-p256').publicKey;
    const ed = generateKeyPair('ed25519').publicKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const bad = (p: Promise<unknown>, re: RegExp) =>
      assert.rejects(p, (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID') && re.test(e.message));
    await bad(
      issueCertificate(ca, { componentCode: ENDPOINT, organisation: 'X', usage: 'signing', publicKey: ec }),
      /needs a ed25519 key; got ec-p256/,
    );
    await bad(
      issueCertificate(ca, { componentCode: ENDPOINT, organisation: 'X', usage: 'encryption', publicKey: ed }),
      /needs a x25519 key/,
    );
    await bad(issueCertificate(ca, { componentCode: ENDPOINT, organisation: 'X', usage: 'authentication', publicKey: rsa }), /got rsa/);
    await bad(
      issueCertificate(ca, { componentCode: 'short', organisation: 'X', usage: 'signing', publicKey: ed }),
      /not a 16-character EIC/,
    );
    await bad(
      issueCertificate(ca, { componentCode: ENDPOINT, organisation: 'X', usage: 'signing', publicKey: ed, dnsNames: ['a'] }),
      /authentication certificates only/,
    );
    await bad(
      issueCertificate(ca, { componentCode: ENDPOINT, organisation: 'X', usage: 'signing', publicKey: ed, validityDays: 0 }),
      /validity/,
    );
    await bad(
      issueCertificate(ca, {
        componentCode: ENDPOINT,
        organisation: 'X',
        usage: 'authentication',
        publicKey: ec,
        ipAddresses: ['300.1.1.1'],
      }),
      /not an IP/,
    );
  });

  it('never issues beyond the CA certificate', async () => {
    const short = await createCertificateAuthority({ code: DIRECTORY, organisation: 'X', validityYears: 1 });
    const issued = await issueCertificate(short, {
      componentCode: ENDPOINT,
      organisation: 'X',
      usage: 'signing',
      publicKey: generateKeyPair('ed25519').publicKey,
      validityDays: 800,
    });
    assert.ok(issued.notAfter.getTime() <= short.notAfter.getTime());
  });

  describe('on disk', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'tps-ca-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('writes the CA key 0600 in a 0700 folder and loads it back', async () => {
      const caDir = join(dir, 'ca');
      const { keyPath, certificatePath } = writeCertificateAuthority(caDir, ca);
      const { statSync } = await import('node:fs');
      assert.equal(statSync(keyPath).mode & 0o777, 0o600);
      assert.equal(statSync(caDir).mode & 0o777, 0o700);
      assert.equal(statSync(certificatePath).mode & 0o077, 0o044 & statSync(certificatePath).mode);
      const loaded = await readCertificateAuthority(caDir);
      assert.equal(loaded.code, DIRECTORY);
      assert.equal(loaded.organisation, 'Grid Hub B.V.');
      const issued = await issueCertificate(loaded, {
        componentCode: ENDPOINT,
        organisation: 'X',
        usage: 'signing',
        publicKey: generateKeyPair('ed25519').publicKey,
      });
      assert.ok(new X509Certificate(issued.pem).verify(ca.certificate.publicKey));
      assert.throws(
        () => writeCertificateAuthority(caDir, ca),
        (e) => isHubError(e, 'KEY_UNREADABLE') && /never overwritten/.test(e.message),
      );
    });

    it('refuses a CA key that does not match the certificate, and a missing CA', async () => {
      const other = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Other' });
      await assert.rejects(loadCertificateAuthority(ca.certificatePem, other.privateKey), (e) => isHubError(e, 'KEY_UNREADABLE'));
      await assert.rejects(
        readCertificateAuthority(join(dir, 'nothing')),
        (e) => isHubError(e, 'KEY_UNREADABLE') && /init-ca/.test(e.message),
      );
      const issued = await issueCertificate(ca, {
        componentCode: ENDPOINT,
        organisation: 'X',
        usage: 'signing',
        publicKey: generateKeyPair('ed25519').publicKey,
      });
      // a component certificate is not a CA
      await assert.rejects(
        loadCertificateAuthority(issued.pem, ca.privateKey),
        (e) => isHubError(e, 'CERT_INVALID') && /not a CA certificate/.test(e.message),
      );
    });
  });
});
