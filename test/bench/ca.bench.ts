/**
 * Benchmark (prints figures, never fails on time): the directory CA and the directory document.
 *  - certificates issued per second, per usage (key generation on the component side excluded,
 *    then included, as `certs issue` does both)
 *  - certificate verifications per second: Node's X509Certificate.verify alone, and the full
 *    verifyCertificate (parse + chain + window + revocation + profile), with 1,000 revoked serials
 *  - sign and verify a directory document of 100 components × 3 certificates
 *   npx tsc -p tsconfig.json && node dist/test/bench/ca.bench.js
 */
import { X509Certificate } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import {
  CERTIFICATE_USAGES,
  CERTIFICATE_PROFILES,
  createCertificateAuthority,
  issueCertificate,
  randomSerial,
} from '../../src/crypto/ca.js';
import { generateKeyPair } from '../../src/crypto/keys.js';
import { verifyCertificate } from '../../src/crypto/verify-certificate.js';
import {
  DOCUMENT_FORMAT,
  DirectoryView,
  signDirectoryDocument,
  verifyDirectoryDocument,
  type DirectoryDocumentBody,
} from '../../src/directory/document.js';
import { eicCheckCharacter } from '../../src/directory/eic.js';
import type { Component } from '../../src/directory/model.js';
import type { PublishedCertificate } from '../../src/directory/document.js';
import { systemClock } from '../../src/shared/clock.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

async function measure(label: string, fn: () => unknown, batch = 10): Promise<number> {
  for (let i = 0; i < batch * 2; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (let i = 0; i < batch; i++) await fn();
    n += batch;
  }
  const perSecond = n / ((performance.now() - t0) / 1000);
  console.log(`  ${label.padEnd(58)} ${Math.round(perSecond).toString().padStart(8)} /s  ${(1000 / perSecond).toFixed(3).padStart(8)} ms`);
  return perSecond;
}

async function main() {
  console.log(
    `directory CA, Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${SECONDS} s per figure\n`,
  );
  let t = performance.now();
  const ca = await createCertificateAuthority({ code: '10V1001C--000438', organisation: 'Directory' });
  console.log(
    `  create CA (P-256 key + self-signed root)                    ${(performance.now() - t).toFixed(1)} ms (first call, includes warm-up)`,
  );
  const code = '10V1001C--000446';

  console.log('\nissuing');
  for (const usage of CERTIFICATE_USAGES) {
    const { publicKey } = generateKeyPair(CERTIFICATE_PROFILES[usage].keyAlgorithm);
    await measure(`issue ${usage} (CA signs)`, () => issueCertificate(ca, { componentCode: code, organisation: 'Org', usage, publicKey }));
  }
  for (const usage of CERTIFICATE_USAGES) {
    await measure(`issue ${usage} incl. key generation`, () =>
      issueCertificate(ca, {
        componentCode: code,
        organisation: 'Org',
        usage,
        publicKey: generateKeyPair(CERTIFICATE_PROFILES[usage].keyAlgorithm).publicKey,
      }),
    );
  }

  console.log('\nverifying');
  const auth = await issueCertificate(ca, {
    componentCode: code,
    organisation: 'Org',
    usage: 'authentication',
    publicKey: generateKeyPair('ec-p256').publicKey,
  });
  const sign = await issueCertificate(ca, {
    componentCode: code,
    organisation: 'Org',
    usage: 'signing',
    publicKey: generateKeyPair('ed25519').publicKey,
  });
  const parsed = new X509Certificate(auth.pem);
  const revoked = new Set(Array.from({ length: 1000 }, randomSerial));
  await measure('X509Certificate.verify(CA key) only', () => parsed.verify(ca.certificate.publicKey), 200);
  await measure('parse PEM (new X509Certificate)', () => new X509Certificate(auth.pem), 200);
  await measure(
    'verifyCertificate, PEM input (authentication)',
    () => verifyCertificate(auth.pem, { caCertificate: ca.certificate, revoked, clock: systemClock, expectedUsage: 'authentication' }),
    200,
  );
  await measure(
    'verifyCertificate, parsed input (authentication)',
    () => verifyCertificate(parsed, { caCertificate: ca.certificate, revoked, clock: systemClock, expectedUsage: 'authentication' }),
    200,
  );
  await measure(
    'verifyCertificate, PEM input (signing)',
    () => verifyCertificate(sign.pem, { caCertificate: ca.certificate, revoked, clock: systemClock, expectedUsage: 'signing' }),
    200,
  );

  console.log('\ndirectory document, 100 components × 3 certificates, 1,000 revoked serials');
  const now = new Date();
  const components: Component[] = [];
  const certificates: PublishedCertificate[] = [];
  for (let n = 0; components.length < 100; n++) {
    const prefix = `10V1001C--1${String(n).padStart(4, '0')}`;
    const check = eicCheckCharacter(prefix);
    if (check === undefined) continue;
    const c = prefix + check;
    const i = components.length;
    components.push({
      code: c,
      type: 'ENDPOINT' as const,
      organisation: `Org ${i}`,
      organisationCode: '10X1001A1001A450',
      marketRoles: ['A52'],
      urls: [`https://ep${i}.example.net:8443`],
      status: 'ACTIVE' as const,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    for (const usage of CERTIFICATE_USAGES) {
      const x = await issueCertificate(ca, {
        componentCode: c,
        organisation: `Org ${i}`,
        usage,
        publicKey: generateKeyPair(CERTIFICATE_PROFILES[usage].keyAlgorithm).publicKey,
      });
      certificates.push({
        serial: x.serial,
        componentCode: c,
        usage,
        notBefore: x.notBefore.toISOString(),
        notAfter: x.notAfter.toISOString(),
        pem: x.pem,
      });
    }
  }
  const body: DirectoryDocumentBody = {
    format: DOCUMENT_FORMAT,
    contentId: 1,
    issuedAt: now.toISOString(),
    ttlMs: 28 * 86_400_000,
    directoryCode: ca.code,
    components,
    certificates,
    revoked: [...revoked].map((serial) => ({ serial, revokedAt: now.toISOString(), reason: 'superseded' as const })),
    messagePaths: components.map((c, i) => ({
      id: `p${i}`,
      receiverCode: c.code,
      messageType: '*',
      senders: '*' as const,
      path: 'DIRECT' as const,
      validFrom: now.toISOString(),
    })),
  };
  const signed = await signDirectoryDocument(body, ca);
  console.log(`  size: ${(signed.jws.length / 1024).toFixed(0)} KiB as compact JWS`);
  await measure('sign document (JSON + ES256)', () => signDirectoryDocument(body, ca), 5);
  await measure('verify document (ES256 + JSON + schema)', () => verifyDirectoryDocument(signed.jws, ca.certificate), 5);
  t = performance.now();
  const view = new DirectoryView(await verifyDirectoryDocument(signed.jws, ca.certificate), ca.certificate, systemClock);
  console.log(`  verify + build DirectoryView                                ${(performance.now() - t).toFixed(1)} ms`);
  const someCert = certificates[150]?.pem ?? '';
  await measure(
    'DirectoryView.checkCertificate (signing, known serial)',
    () => view.checkCertificate(someCert, { usage: certificates[150]?.usage ?? 'signing' }),
    200,
  );
  await measure('DirectoryView.routeFor', () => view.routeFor(components[3]?.code ?? '', components[7]?.code ?? '', 'A01'), 500);
}

await main();
