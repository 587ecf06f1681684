import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../../src/audit/canonical-json.js';
import { exportAuditCheckpoints, exportAuditLog, type ExportFilter } from '../../../src/audit/export.js';
import { storageName } from '../../support/backends.js';
import { openAuditFixture, recordMessages, type AuditFixture } from '../../support/audit.js';

async function lines(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

interface Line {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  parties: string[];
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  sealed_at: string;
}

describe(`audit export on ${storageName}`, () => {
  let f: AuditFixture;
  let all: Line[];
  before(async () => {
    f = await openAuditFixture();
    await recordMessages(f, 240, 40); // at = 10:00:00.001 … .240; odd k: parties 10X1001A…, subject msg-k
    await f.db.transaction((tx) =>
      f.trail.record(tx, {
        actor: 'admin',
        action: 'certificate.revoked',
        subject: 'serial-42',
        parties: ['10X1001A1001A450'],
        details: { reason: 'keyCompromise' },
      }),
    );
    await f.sealer({ batchSize: 50, checkpointEvery: 100 }).sealAll();
    all = (await lines(exportAuditLog(f.db, { pageSize: 17 }))).map((l) => JSON.parse(l) as Line);
  });
  after(() => f.db.close());

  it('exports the whole chain in seq order, each line canonical JSON', async () => {
    assert.equal(all.length, 241);
    assert.deepEqual(
      all.map((e) => e.seq),
      all.map((_, i) => i + 1),
    );
    const raw = await lines(exportAuditLog(f.db));
    for (const l of raw) assert.equal(canonicalJson(JSON.parse(l)), l);
  });

  it('lets a regulator verify the export with the public key alone, as docs/audit.md describes', async () => {
    // Independent of the hub's code except for the JCS serialiser (RFC 8785; any implementation will do).
    const pub = createPublicKey(readFileSync(f.key.publicKeyPath, 'utf8'));
    const raw = Buffer.from(pub.export({ format: 'jwk' }).x ?? '', 'base64url');
    const keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
    let prev = '0'.repeat(64);
    const hashes = new Map<number, string>();
    for (const e of all) {
      const input = canonicalJson({
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        subject: e.subject,
        parties: e.parties,
        details: e.details,
        prev_hash: e.prev_hash,
      });
      assert.equal(e.prev_hash, prev, `prev_hash of ${e.seq}`);
      assert.equal(createHash('sha256').update(input, 'utf8').digest('hex'), e.hash, `hash of ${e.seq}`);
      hashes.set(e.seq, e.hash);
      prev = e.hash;
    }
    const cps = (await lines(exportAuditCheckpoints(f.db))).map(
      (l) => JSON.parse(l) as { seq: number; hash: string; at: string; keyId: string; signature: string },
    );
    assert.deepEqual(
      cps.map((c) => c.seq),
      [50, 150], // the first seal anchors at once, then every 100 entries
    );
    for (const c of cps) {
      assert.equal(c.keyId, keyId);
      assert.equal(c.hash, hashes.get(c.seq));
      const signed = Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }), 'utf8');
      assert.ok(verify(null, signed, pub, Buffer.from(c.signature, 'base64')), `signature of checkpoint ${c.seq}`);
    }
  });

  it('filters by party, action, action prefix, subject, time and seq range', async () => {
    const check = async (filter: ExportFilter, expected: (e: Line) => boolean) => {
      const got = (await lines(exportAuditLog(f.db, { ...filter, pageSize: 7 }))).map((l) => (JSON.parse(l) as Line).seq);
      const want = all.filter(expected).map((e) => e.seq);
      assert.ok(want.length > 0 && want.length < all.length, `filter ${JSON.stringify(filter)} selects something, not everything`);
      assert.deepEqual(got, want, JSON.stringify(filter));
    };
    await check({ party: '10YCZ-CEPS-----N' }, (e) => e.parties.includes('10YCZ-CEPS-----N'));
    await check({ party: '10X1001A1001A450' }, (e) => e.parties.includes('10X1001A1001A450'));
    await check({ action: 'message.state.delivered' }, (e) => e.action === 'message.state.delivered');
    await check({ action: 'message.state.*' }, (e) => e.action.startsWith('message.state.'));
    await check({ action: 'certificate.*' }, (e) => e.action.startsWith('certificate.'));
    await check({ subject: 'msg-17' }, (e) => e.subject === 'msg-17');
    await check(
      { from: new Date('2025-06-02T10:00:00.100Z'), to: new Date('2025-06-02T10:00:00.150Z') },
      (e) => e.at >= '2025-06-02T10:00:00.100' && e.at < '2025-06-02T10:00:00.150',
    );
    await check({ fromSeq: 20, toSeq: 40 }, (e) => e.seq >= 20 && e.seq <= 40);
    await check(
      { party: '10X1001A1001A450', action: 'message.state.accepted', fromSeq: 100 },
      (e) => e.parties.includes('10X1001A1001A450') && e.action === 'message.state.accepted' && e.seq >= 100,
    );
    assert.deepEqual(await lines(exportAuditLog(f.db, { party: 'nobody' })), []);
    assert.deepEqual(await lines(exportAuditLog(f.db, { action: 'message.state' })), []);
  });

  it('answers who sent what to whom and when', async () => {
    const [revoked] = (await lines(exportAuditLog(f.db, { subject: 'serial-42' }))).map((l) => JSON.parse(l) as Line);
    assert.equal(revoked?.actor, 'admin');
    assert.equal(revoked?.action, 'certificate.revoked');
    assert.deepEqual(revoked?.details, { reason: 'keyCompromise' });
    assert.match(revoked?.at ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });
});
