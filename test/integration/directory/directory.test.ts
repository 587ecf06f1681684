/**
 * Directory use cases on the environment's database (PGlite by default, PostgreSQL with
 * DATABASE_URL): components, certificates, message paths, routing, document publication, the
 * audit hook inside the transaction, and an endpoint cache fed by the directory.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createCertificateAuthority, type CertificateAuthority } from '../../../src/crypto/ca.js';
import { generateKeyPair } from '../../../src/crypto/keys.js';
import { createDirectoryCache, memoryCacheStore } from '../../../src/directory/directory-cache.js';
import { verifyDirectoryDocument } from '../../../src/directory/document.js';
import { createDirectory, type Directory, type DirectoryChange } from '../../../src/directory/directory.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { isHubError, type HubError } from '../../../src/shared/errors.js';
import { sequentialIds } from '../../../src/shared/ids.js';
import { openTestDatabase, storageName, type TestDatabase } from '../../support/backends.js';

const DIRECTORY = '10V1001C--000438';
const DSO = '10V1001C--000446';
const AGR = '10V1001C--000454';
const BRP = '10V1001C--000462';
const BROKER = '10V1001C--000470';
const ORG = '10X1001A1001A450';
const DAY = 86_400_000;

const endpoint = (code: string, roles: string[]) => ({
  code,
  type: 'ENDPOINT',
  organisation: `Org ${code.slice(-3)}`,
  organisationCode: ORG,
  marketRoles: roles,
  urls: [`https://${code.slice(-3)}.example.net:8443`],
});

const problems = (e: unknown) =>
  ((e as HubError).details?.problems as { path: string; message: string }[]).map((p) => `${p.path}: ${p.message}`).join('\n');

describe(`component directory on ${storageName}`, () => {
  let db: TestDatabase;
  let ca: CertificateAuthority;
  let dir: Directory;
  const clock = fixedClock('2026-03-01T00:00:00Z');
  const changes: DirectoryChange[] = [];
  let failHook = false;

  before(async () => {
    db = await openTestDatabase();
    await migrate(db);
    ca = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Directory Org', now: new Date('2026-01-01T00:00:00Z') });
    dir = createDirectory({
      db,
      clock,
      ca: async () => ca,
      ids: sequentialIds(),
      onChange: async (tx, change) => {
        // proves the hook runs inside the change's transaction: it sees the uncommitted rows
        const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from directory_components');
        if (failHook) throw new Error('audit log unavailable');
        changes.push({ ...change, details: { ...change.details, componentsSeen: rows[0]?.n } });
      },
    });
    await dir.registerComponent({
      code: BROKER,
      type: 'BROKER',
      organisation: 'Broker Org',
      organisationCode: ORG,
      urls: ['amqps://broker.example.net:5671'],
    });
    await dir.registerComponent(endpoint(DSO, ['A50', 'A04']));
    await dir.registerComponent(endpoint(AGR, ['A52']));
  });
  after(() => db.close());
  beforeEach(() => {
    changes.length = 0;
    failHook = false;
  });

  describe('components', () => {
    it('registers, lists, updates and records each change inside its transaction', async () => {
      const c = await dir.registerComponent({ ...endpoint(BRP, ['A08']), contact: { person: 'Desk', email: 'desk@brp.example' } });
      assert.equal(c.status, 'ACTIVE');
      assert.equal(c.createdAt, '2026-03-01T00:00:00.000Z');
      assert.deepEqual((await dir.getComponent(BRP))?.contact, { person: 'Desk', email: 'desk@brp.example' });
      assert.deepEqual(
        (await dir.listComponents()).map((x) => x.code),
        [DSO, AGR, BRP, BROKER],
      );
      clock.advance(1000);
      const u = await dir.updateComponent(BRP, { marketRoles: ['A08', 'A56'], contact: null });
      assert.deepEqual(u.marketRoles, ['A08', 'A56']);
      assert.equal(u.contact, undefined);
      assert.equal(u.updatedAt, '2026-03-01T00:00:01.000Z');
      assert.deepEqual(
        changes.map((x) => [x.action, x.subject, x.parties]),
        [
          ['component.registered', BRP, [BRP]],
          ['component.updated', BRP, [BRP]],
        ],
      );
      assert.equal(changes[0]?.details.componentsSeen, 4, 'the hook saw the new row before commit');
      assert.deepEqual(changes[1]?.details.changed, {
        marketRoles: { from: ['A08'], to: ['A08', 'A56'] },
        contact: { from: { person: 'Desk', email: 'desk@brp.example' }, to: null },
      });
    });

    it('refuses a second registration of the same code with DIRECTORY_COMPONENT_EXISTS', async () => {
      await assert.rejects(
        dir.registerComponent(endpoint(DSO, ['A50'])),
        (e) => isHubError(e, 'DIRECTORY_COMPONENT_EXISTS') && e.message.includes(DSO),
      );
    });

    it('refuses a bad V-code and an unknown role code, naming the fields', async () => {
      await assert.rejects(dir.registerComponent({ ...endpoint('10V1001C--000447', ['A52', 'Q12']) }), (e) => {
        assert.ok(isHubError(e, 'DIRECTORY_INPUT_INVALID'));
        assert.match(problems(e), /^code: check character is 7, expected 6$/m);
        assert.match(problems(e), /^marketRoles\[1\]: "Q12" is not a RoleTypeList code/m);
        return true;
      });
      await assert.rejects(
        dir.registerComponent({ ...endpoint(AGR, ['A52']), code: ORG }),
        (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID') && /V-code/.test(e.message),
      );
      await assert.rejects(dir.updateComponent('10V1001C--00049X', { status: 'SUSPENDED' }), (e) =>
        isHubError(e, 'DIRECTORY_COMPONENT_UNKNOWN'),
      );
    });

    it('rolls the change back when the audit hook fails', async () => {
      failHook = true;
      await assert.rejects(dir.updateComponent(AGR, { organisation: 'Renamed' }), /audit log unavailable/);
      assert.equal((await dir.getComponent(AGR))?.organisation, 'Org 454');
    });
  });

  describe('certificates', () => {
    it('issues the three certificates, renews (old one stays valid) and revokes', async () => {
      const auth = await dir.issueCertificate({
        componentCode: AGR,
        usage: 'authentication',
        publicKey: generateKeyPair('ec-p256').publicKey,
        dnsNames: ['agr.example.net'],
      });
      const sign = await dir.issueCertificate({ componentCode: AGR, usage: 'signing', publicKey: generateKeyPair('ed25519').publicKey });
      const enc = await dir.issueCertificate({
        componentCode: AGR,
        usage: 'encryption',
        publicKey: generateKeyPair('x25519').publicKey,
        validityDays: 30,
      });
      assert.equal(enc.notAfter, new Date(clock.now().getTime() + 30 * DAY).toISOString());
      for (const c of [auth, sign, enc]) {
        const r = await dir.checkCertificate(c.pem, { usage: c.usage, componentCode: AGR });
        assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      }
      const renewed = await dir.renewCertificate(auth.serial, { publicKey: generateKeyPair('ec-p256').publicKey });
      assert.equal(renewed.replacesSerial, auth.serial);
      assert.ok((await dir.checkCertificate(auth.pem, { usage: 'authentication' })).ok, 'the old certificate stays valid until its end');
      const { X509Certificate } = await import('node:crypto');
      assert.equal(new X509Certificate(renewed.pem).subjectAltName, 'DNS:agr.example.net', 'renewal keeps the names');

      const revoked = await dir.revokeCertificate(sign.serial, 'keyCompromise');
      assert.equal(revoked.revocationReason, 'keyCompromise');
      assert.equal(revoked.revokedAt, '2026-03-01T00:00:01.000Z');
      const again = await dir.revokeCertificate(sign.serial, 'superseded');
      assert.equal(again.revocationReason, 'keyCompromise', 'revocation is idempotent and keeps the first reason');
      const check = await dir.checkCertificate(sign.pem, { usage: 'signing' });
      assert.ok(!check.ok && check.error.code === 'CERT_REVOKED' && /keyCompromise/.test(check.error.text));
      await assert.rejects(dir.renewCertificate(sign.serial, { publicKey: generateKeyPair('ed25519').publicKey }), (e) =>
        isHubError(e, 'CERT_REVOKED'),
      );
      assert.deepEqual(
        changes.map((c) => c.action),
        ['certificate.issued', 'certificate.issued', 'certificate.issued', 'certificate.renewed', 'certificate.revoked'],
      );
      const active = await dir.listCertificates({ componentCode: AGR, activeOnly: true });
      assert.deepEqual(active.map((c) => c.usage).sort(), ['authentication', 'authentication', 'encryption']);
    });

    it('gives clear errors: unknown component, unknown serial, wrong key, expired, unknown certificate', async () => {
      await assert.rejects(
        dir.issueCertificate({ componentCode: '10V1001C--00049X', usage: 'signing', publicKey: generateKeyPair('ed25519').publicKey }),
        (e) => isHubError(e, 'DIRECTORY_COMPONENT_UNKNOWN'),
      );
      await assert.rejects(dir.revokeCertificate('4ABC', 'keyCompromise'), (e) => isHubError(e, 'CERT_UNKNOWN'));
      await assert.rejects(dir.revokeCertificate('4ABC', 'because'), (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID'));
      await assert.rejects(
        dir.issueCertificate({ componentCode: AGR, usage: 'signing', publicKey: generateKeyPair('x25519').publicKey }),
        (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID') && /ed25519/.test(e.message),
      );
      await assert.rejects(
        dir.issueCertificate({ componentCode: AGR, usage: 'stamping' as 'signing', publicKey: generateKeyPair('ed25519').publicKey }),
        (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID'),
      );
      const short = await dir.issueCertificate({
        componentCode: AGR,
        usage: 'signing',
        publicKey: generateKeyPair('ed25519').publicKey,
        validityDays: 1,
      });
      const later = createDirectory({ db, clock: fixedClock('2026-03-05T00:00:00Z'), ca });
      const expired = await later.checkCertificate(short.pem, { usage: 'signing' });
      assert.ok(!expired.ok && expired.error.code === 'CERT_EXPIRED');
      // signed by our CA but never recorded (e.g. a lost transaction): unknown to the directory
      const { issueCertificate } = await import('../../../src/crypto/ca.js');
      const stray = await issueCertificate(ca, {
        componentCode: AGR,
        organisation: 'x',
        usage: 'signing',
        publicKey: generateKeyPair('ed25519').publicKey,
        now: clock.now(),
      });
      const unknown = await dir.checkCertificate(stray.pem, { usage: 'signing' });
      assert.ok(!unknown.ok && unknown.error.code === 'CERT_UNKNOWN');
      const rogue = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Directory Org' });
      const foreign = await issueCertificate(rogue, {
        componentCode: AGR,
        organisation: 'x',
        usage: 'signing',
        publicKey: generateKeyPair('ed25519').publicKey,
      });
      const f = await dir.checkCertificate(foreign.pem, { usage: 'signing' });
      assert.ok(!f.ok && f.error.code === 'CERT_INVALID');
    });

    it('lists certificates due for renewal (only the newest per component and usage)', async () => {
      const due = await dir.certificatesDueForRenewal(40 * DAY);
      assert.ok(due.some((c) => c.componentCode === AGR && c.usage === 'encryption'));
      assert.ok(!due.some((c) => c.usage === 'authentication'), 'authentication was renewed for a year');
    });
  });

  describe('message paths and routing', () => {
    it('adds paths declared by the receiver and routes by them, wildcard senders and validity windows included', async () => {
      const direct = await dir.addMessagePath({ receiverCode: DSO, messageType: 'A95', senders: [AGR], path: 'DIRECT' });
      assert.equal(direct.id, '00000000-0000-4000-8000-000000000001');
      await dir.addMessagePath({ receiverCode: DSO, messageType: '*', senders: '*', path: { broker: BROKER } });
      await dir.addMessagePath({
        receiverCode: DSO,
        messageType: 'A01',
        senders: '*',
        path: 'DIRECT',
        validFrom: '2026-04-01T00:00:00Z',
        validTo: '2026-05-01T00:00:00Z',
      });
      const route = async (sender: string, type: string, at?: string) => {
        const r = await dir.routeFor(sender, DSO, type, at ? new Date(at) : undefined);
        return r.ok ? (r.value.kind === 'DIRECT' ? 'DIRECT' : r.value.broker) : r.error.map((x) => x.code).join();
      };
      assert.equal(await route(AGR, 'A95'), 'DIRECT');
      assert.equal(await route(BRP, 'A95'), BROKER, 'other senders: the wildcard path through the broker');
      assert.equal(await route(AGR, 'A01'), BROKER);
      assert.equal(await route(AGR, 'A01', '2026-04-15T00:00:00Z'), 'DIRECT', 'inside the validity window');
      assert.equal(await route(AGR, 'A01', '2026-05-01T00:00:00Z'), BROKER, 'validTo is exclusive');
      assert.equal(await route(AGR, 'A95', '2026-02-01T00:00:00Z'), 'NO_MESSAGE_PATH', 'before any path was valid');
      const unknown = await dir.routeFor(AGR, '10V1001C--00049X', 'A01');
      assert.ok(!unknown.ok && unknown.error[0]?.code === 'RECEIVER_UNKNOWN');
      const none = await dir.routeFor(DSO, AGR, 'A01');
      assert.ok(!none.ok && none.error[0]?.code === 'NO_MESSAGE_PATH' && /10V1001C--000446 → 10V1001C--000454/.test(none.error[0].text));
      assert.deepEqual(
        changes.map((c) => [c.action, c.parties]),
        [
          ['message_path.added', [DSO]],
          ['message_path.added', [DSO, BROKER]],
          ['message_path.added', [DSO]],
        ],
      );
    });

    it('checks what a path refers to', async () => {
      await assert.rejects(
        dir.addMessagePath({ receiverCode: BROKER, messageType: '*', senders: '*', path: 'DIRECT' }),
        (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID') && /message paths are declared by endpoints/.test(e.message),
      );
      await assert.rejects(
        dir.addMessagePath({ receiverCode: DSO, messageType: '*', senders: '*', path: { broker: AGR } }),
        (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID') && /not a BROKER/.test(e.message),
      );
      await assert.rejects(dir.addMessagePath({ receiverCode: '10V1001C--00049X', messageType: '*', senders: '*', path: 'DIRECT' }), (e) =>
        isHubError(e, 'DIRECTORY_COMPONENT_UNKNOWN'),
      );
    });

    it("replaces a receiver's paths in one go and removes single paths", async () => {
      const paths = await dir.setMessagePaths(AGR, [
        { messageType: 'A01', senders: [DSO], path: 'DIRECT' },
        { messageType: '*', senders: '*', path: { broker: BROKER } },
      ]);
      assert.equal((await dir.listMessagePaths(AGR)).length, 2);
      await assert.rejects(
        dir.setMessagePaths(AGR, [
          { messageType: 'A01', senders: [DSO], path: 'DIRECT' },
          { messageType: '', senders: '*', path: 'DIRECT' },
        ]),
        (e) => {
          assert.ok(isHubError(e, 'DIRECTORY_INPUT_INVALID'));
          assert.match(problems(e), /^\[1\]\.messageType:/m);
          return true;
        },
      );
      assert.equal((await dir.listMessagePaths(AGR)).length, 2, 'a bad list changes nothing');
      const removed = await dir.removeMessagePath(paths[0]?.id ?? '');
      assert.equal(removed.messageType, 'A01');
      assert.equal((await dir.listMessagePaths(AGR)).length, 1);
      await assert.rejects(dir.removeMessagePath('nope'), (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID'));
    });
  });

  describe('signed directory document', () => {
    it('publishes with an increasing contentId; the document verifies and holds what endpoints need', async () => {
      const first = await dir.publishDocument({ ttlMs: 7 * DAY });
      clock.advance(1000);
      const second = await dir.publishDocument();
      assert.ok(second.contentId > first.contentId);
      assert.equal(second.ttlMs, 28 * DAY);
      assert.equal(second.expiresAt, new Date(Date.parse(second.issuedAt) + 28 * DAY).toISOString());
      const v = await verifyDirectoryDocument(second.jws, await dir.caCertificatePem(), { previousContentId: first.contentId });
      assert.deepEqual(
        v.body.components.map((c) => c.code),
        (await dir.listComponents()).map((c) => c.code),
      );
      assert.ok(v.body.certificates.every((c) => c.pem.startsWith('-----BEGIN CERTIFICATE-----')));
      assert.ok(
        !v.body.certificates.some((c) => v.body.revoked.some((r) => r.serial === c.serial)),
        'revoked certificates are listed as revoked only',
      );
      assert.ok(v.body.revoked.some((r) => r.reason === 'keyCompromise'));
      assert.ok(v.body.messagePaths.length >= 4);
      assert.ok(!JSON.stringify(v.body).includes('PRIVATE KEY'));
      await assert.rejects(verifyDirectoryDocument(first.jws, ca.certificate, { previousContentId: second.contentId }), (e) =>
        isHubError(e, 'DIRECTORY_DOCUMENT_INVALID'),
      );
      assert.equal((await dir.latestDocument())?.jws, second.jws);
      assert.deepEqual(
        changes.map((c) => c.subject),
        [`document:${first.contentId}`, `document:${second.contentId}`],
      );
    });

    it('rejects a tampered document', async () => {
      const doc = await dir.publishDocument();
      const [h, p, s] = doc.jws.split('.');
      const body = Buffer.from(p ?? '', 'base64url')
        .toString()
        .replace(`"${BROKER}"`, `"${AGR}"`);
      await assert.rejects(
        verifyDirectoryDocument(`${h}.${Buffer.from(body).toString('base64url')}.${s}`, ca.certificate),
        (e) => isHubError(e, 'DIRECTORY_DOCUMENT_INVALID') && /signature/.test(e.message),
      );
    });

    it('publishes only when something changed or the last document is a day old', async () => {
      const latest = await dir.publishDocument();
      const same = await dir.publishIfChanged();
      assert.equal(same.published, false);
      assert.equal(same.contentId, latest.contentId);
      await dir.updateComponent(BRP, { urls: ['https://brp2.example.net'] });
      const changed = await dir.publishIfChanged();
      assert.equal(changed.published, true);
      assert.ok(changed.contentId > latest.contentId);
      clock.advance(DAY);
      assert.equal((await dir.publishIfChanged()).published, true);
    });

    it('keeps contentIds increasing under concurrent publication', async () => {
      const docs = await Promise.all(Array.from({ length: 5 }, () => dir.publishDocument()));
      const ids = docs.map((d) => d.contentId).sort((a, b) => a - b);
      assert.equal(new Set(ids).size, 5);
    });

    it('feeds an endpoint cache that routes and checks certificates while the directory is down', async () => {
      let up = true;
      const endpointClock = fixedClock(clock.now());
      const cache = createDirectoryCache({
        caCertificate: await dir.caCertificatePem(),
        fetch: async () => {
          if (!up) throw new Error('directory unreachable');
          const d = await dir.publishIfChanged();
          return d.jws;
        },
        store: memoryCacheStore(),
        clock: endpointClock,
      });
      const view = await cache.current();
      up = false;
      endpointClock.advance(10 * DAY);
      const offline = await cache.current();
      assert.equal(offline.contentId, view.contentId);
      const r = offline.routeFor(AGR, DSO, 'A95', endpointClock.now());
      assert.ok(r.ok && r.value.kind === 'DIRECT');
      const enc = offline.currentCertificate(AGR, 'encryption', new Date('2026-03-10T00:00:00Z'));
      assert.ok(enc);
      assert.ok(offline.checkCertificate(enc.pem, { usage: 'encryption', componentCode: AGR }).ok);
      endpointClock.advance(18 * DAY);
      await assert.rejects(cache.current(), (e) => isHubError(e, 'DIRECTORY_STALE'));
    });
  });

  describe('removal', () => {
    it('removes a component: its paths go, its certificates are revoked and stay listed as revoked', async () => {
      const sign = await dir.issueCertificate({ componentCode: BRP, usage: 'signing', publicKey: generateKeyPair('ed25519').publicKey });
      await dir.addMessagePath({ receiverCode: BRP, messageType: '*', senders: '*', path: 'DIRECT' });
      const r = await dir.removeComponent(BRP);
      assert.deepEqual(r, { revokedSerials: [sign.serial], removedPaths: 1 });
      assert.equal(await dir.getComponent(BRP), undefined);
      assert.equal((await dir.getCertificate(sign.serial))?.revocationReason, 'cessationOfOperation');
      const doc = await verifyDirectoryDocument((await dir.publishDocument()).jws, ca.certificate);
      assert.ok(doc.body.revoked.some((x) => x.serial === sign.serial));
      assert.ok(!doc.body.components.some((c) => c.code === BRP));
      await assert.rejects(dir.removeComponent(BRP), (e) => isHubError(e, 'DIRECTORY_COMPONENT_UNKNOWN'));
      const route = await dir.routeFor(BRP, DSO, 'A01');
      assert.ok(!route.ok && route.error[0]?.code === 'SENDER_UNKNOWN');
      // a fresh registration of the code is possible; old certificates stay revoked
      await dir.registerComponent(endpoint(BRP, ['A08']));
      const check = await dir.checkCertificate(sign.pem, { usage: 'signing' });
      assert.ok(!check.ok && check.error.code === 'CERT_REVOKED');
    });
  });
});
