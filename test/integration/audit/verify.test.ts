/**
 * `verify` against a malicious DBA: each case disables the append-only triggers, tampers as an
 * attacker would, and expects the first bad entry to be named with the right reason.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { readPublicKey } from '../../../src/audit/audit-key.js';
import { entryHash, type ChainedFields } from '../../../src/audit/hash.js';
import { parseAnchors } from '../../../src/audit/anchors.js';
import { exportAuditCheckpoints, readAuditLog } from '../../../src/audit/export.js';
import { verifyAuditLog, type VerifyResult } from '../../../src/audit/verify.js';
import { storageName } from '../../support/backends.js';
import { openAuditFixture, recordMessages, tamper, type AuditFixture } from '../../support/audit.js';

const SHIFT = 1_000_000;

async function verify(f: AuditFixture, pageSize?: number): Promise<VerifyResult> {
  return verifyAuditLog(f.db, { publicKeys: [f.key.publicKey], ...(pageSize ? { pageSize } : {}) });
}

async function entry(f: AuditFixture, seq: number) {
  for await (const e of readAuditLog(f.db, { fromSeq: seq, toSeq: seq })) return e;
  throw new Error(`no entry ${seq}`);
}

/** SQL literals, for the DBA's hand-written statements. */
const str = (s: string) => `'${s.replace(/'/g, "''")}'`;
const lit = (v: unknown) => str(JSON.stringify(v));

function insertSql(e: ChainedFields & { hash: string }): string {
  return `insert into audit_log (seq, at, actor, action, subject, parties, details, prev_hash, hash, sealed_at)
    values (${e.seq}, '${e.at}', ${str(e.actor)}, ${str(e.action)}, ${e.subject === null ? 'null' : str(e.subject)},
            array(select jsonb_array_elements_text(${lit(e.parties)}::jsonb)), ${lit(e.details)}::jsonb, '${e.prev_hash}', '${e.hash}', now())`;
}

/** Shifts entries seq ≥ from by `by` (positive or negative), as a DBA renumbering rows would. */
const shift = (from: number, by: number) => [
  `update audit_log set seq = seq + ${SHIFT} where seq >= ${from}`,
  `update audit_log set seq = seq - ${SHIFT} + ${by} where seq >= ${SHIFT}`,
];

describe(`audit verify on ${storageName}`, () => {
  describe('an intact log', () => {
    let f: AuditFixture;
    before(async () => {
      f = await openAuditFixture();
      await recordMessages(f, 5000, 250);
      await f.sealer({ batchSize: 1000, checkpointEvery: 1000 }).sealAll();
    });
    after(() => f.db.close());

    it('passes with 5,000 entries and 5 checkpoints, read in pages of any size', async () => {
      for (const pageSize of [undefined, 333, 4999]) {
        const r = await verify(f, pageSize);
        assert.equal(r.ok, true, JSON.stringify(r.firstBad));
        assert.equal(r.entries, 5000);
        assert.equal(r.checkpoints, 5);
        assert.equal(r.lastSeq, 5000);
        assert.equal(r.lastCheckpoint?.seq, 5000);
        assert.equal(r.lastCheckpoint?.keyId, f.key.keyId);
        assert.equal(r.unanchored, 0);
      }
    });

    it('fails every checkpoint when the trusted key is another one', async () => {
      const other = readPublicKey(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const r = await verifyAuditLog(f.db, { publicKeys: [other] });
      assert.equal(r.ok, false);
      assert.equal(r.firstBad?.reason, 'checkpoint');
      assert.equal(r.firstBad?.seq, 1000);
      assert.match(r.firstBad?.detail ?? '', /not among the trusted public keys/);
      assert.equal(r.entries, 999);
    });
  });

  describe('a tampered log', () => {
    // 300 entries, checkpoints at 100, 200, 300 — a fresh log for each case.
    let f: AuditFixture;
    before(async () => {
      f = await openAuditFixture();
    });
    after(() => f.db.close());

    async function fresh(): Promise<AuditFixture> {
      await tamper(f.db, 'delete from audit_log', 'delete from audit_checkpoint', 'delete from audit_event');
      await recordMessages(f, 300, 100);
      await f.sealer({ checkpointEvery: 100, batchSize: 100 }).sealAll();
      const r = await verify(f);
      assert.equal(r.ok, true);
      assert.equal(r.checkpoints, 3);
      return f;
    }

    async function expectBad(seq: number, reason: string, detail?: RegExp): Promise<VerifyResult> {
      const r = await verify(f, 64); // small pages: the break may sit on a page boundary
      assert.equal(r.ok, false);
      assert.deepEqual({ seq: r.firstBad?.seq, reason: r.firstBad?.reason }, { seq, reason }, r.firstBad?.detail);
      if (detail) assert.match(r.firstBad?.detail ?? '', detail);
      assert.equal(r.lastSeq, seq - 1);
      return r;
    }

    it('names an edited entry (details changed)', async () => {
      await fresh();
      await tamper(f.db, `update audit_log set details = jsonb_set(details, '{to}', '"C"') where seq = 150`);
      await expectBad(150, 'edited', /^stored hash [0-9a-f]{12}…, recomputed [0-9a-f]{12}…$/);
    });

    it('names an edited actor, timestamp or parties, even by a microsecond', async () => {
      const changes = [
        `actor = 'mallory'`,
        `at = at + interval '1 microsecond'`,
        'parties = array[parties[2], parties[1]]',
        `action = 'message.state.rejected'`,
      ];
      for (const change of changes) {
        await fresh();
        await tamper(f.db, `update audit_log set ${change} where seq = 77`);
        await expectBad(77, 'edited');
      }
    });

    it('names the first of two edited entries', async () => {
      await fresh();
      await tamper(f.db, `update audit_log set subject = 'x' where seq in (64, 65, 250)`);
      await expectBad(64, 'edited');
    });

    it('names an entry deleted in the middle', async () => {
      await fresh();
      await tamper(f.db, 'delete from audit_log where seq = 150');
      await expectBad(150, 'deleted', /entry 150 is missing/);
    });

    it('names entries deleted in the middle when the later ones were renumbered to close the gap', async () => {
      await fresh();
      await tamper(f.db, 'delete from audit_log where seq in (150, 151)', ...shift(152, -2));
      await expectBad(150, 'deleted', /sealed as seq 152: entries 150–151 are deleted/);
    });

    it('names two swapped entries', async () => {
      await fresh();
      await tamper(
        f.db,
        `update audit_log set seq = ${SHIFT} where seq = 150`,
        'update audit_log set seq = 150 where seq = 151',
        `update audit_log set seq = 151 where seq = ${SHIFT}`,
      );
      await expectBad(150, 'reordered', /stored at seq 150 was sealed as seq 151; the entry sealed as seq 150 is stored at seq 151/);
    });

    it('names an inserted forged entry whose hash was correctly computed', async () => {
      await fresh();
      const prev = await entry(f, 149);
      const forged = {
        seq: 150,
        at: '2025-06-02T10:00:00.150000Z',
        actor: 'mallory',
        action: 'message.state.accepted',
        subject: 'forged',
        parties: ['10X1001A1001A450'],
        details: { from: 'mallory', to: 'B' },
        prev_hash: prev.hash,
      };
      await tamper(f.db, ...shift(150, 1), insertSql({ ...forged, hash: entryHash(forged) }));
      await expectBad(150, 'inserted', /entry sealed as seq 150 is stored at seq 151/);
    });

    it('names an inserted forged entry with a made-up hash', async () => {
      await fresh();
      const prev = await entry(f, 149);
      const forged = {
        seq: 150,
        at: '2025-06-02T10:00:00.150000Z',
        actor: 'mallory',
        action: 'message.state.accepted',
        subject: 'forged',
        parties: [],
        details: {},
        prev_hash: prev.hash,
      };
      await tamper(f.db, ...shift(150, 1), insertSql({ ...forged, hash: 'ab'.repeat(32) }));
      await expectBad(150, 'inserted', /does not belong to the chain; the entry sealed as seq 150 is stored at seq 151/);
    });

    it('names an entry edited with its hash recomputed (the next entry still commits to the original)', async () => {
      await fresh();
      const e = await entry(f, 150);
      const edited = { ...e, details: { ...e.details, to: 'C' } };
      await tamper(f.db, `update audit_log set details = ${lit(edited.details)}::jsonb, hash = '${entryHash(edited)}' where seq = 150`);
      await expectBad(150, 'edited', /entry 151 commits to previous hash .* entry 150 was changed and its hash recomputed/);
    });

    it('catches a rewrite of every later hash by the signed checkpoint', async () => {
      await fresh();
      // The DBA edits 150 and recomputes the chain up to the end: only the signature can tell.
      const rewritten: (ChainedFields & { hash: string })[] = [];
      let prev = (await entry(f, 149)).hash;
      for await (const e of readAuditLog(f.db, { fromSeq: 150 })) {
        const changed = { ...e, details: e.seq === 150 ? { ...e.details, to: 'C' } : e.details, prev_hash: prev };
        const hash = entryHash(changed);
        rewritten.push({ ...changed, hash });
        prev = hash;
      }
      await tamper(f.db, 'delete from audit_log where seq >= 150', ...rewritten.map(insertSql));
      await expectBad(200, 'checkpoint', /checkpoint at seq 200 commits to hash .* entries 101–200 were rewritten/);
    });

    it('names a checkpoint whose signature was tampered with', async () => {
      await fresh();
      const { rows } = await f.db.query<{ signature: string }>('select signature from audit_checkpoint where seq = 100');
      const sig = Buffer.from(rows[0]?.signature ?? '', 'base64');
      sig[10] = (sig[10] ?? 0) ^ 1;
      await tamper(f.db, `update audit_checkpoint set signature = '${sig.toString('base64')}' where seq = 200`);
      await expectBad(200, 'checkpoint', /signature by key [0-9a-f]{16} does not verify/);
    });

    it('names a checkpoint whose hash was changed', async () => {
      await fresh();
      await tamper(f.db, `update audit_checkpoint set hash = '${'c'.repeat(64)}' where seq = 100`);
      await expectBad(100, 'checkpoint', /does not verify/);
    });

    it('names a tail deleted before the last checkpoint', async () => {
      await fresh();
      await tamper(f.db, 'delete from audit_log where seq >= 250');
      await expectBad(250, 'deleted', /entries 250–300 are missing: the log ends at seq 249 but a signed checkpoint commits to seq 300/);
    });

    it('names a tail deleted before the last checkpoint even when entries were sealed after it', async () => {
      await fresh();
      await recordMessages(f, 20);
      await f.sealer({ checkpointEvery: 100 }).sealAll(); // 301–320, not yet checkpointed
      await tamper(f.db, 'delete from audit_log where seq >= 290');
      await expectBad(290, 'deleted');
    });

    it('cannot tell a tail deleted together with its checkpoints, or after the last one (the documented limit)', async () => {
      await fresh();
      await recordMessages(f, 20);
      await f.sealer({ checkpointEvery: 100 }).sealAll();
      await tamper(f.db, 'delete from audit_log where seq > 300');
      let r = await verify(f);
      assert.equal(r.ok, true);
      assert.equal(r.lastSeq, 300);
      await tamper(f.db, 'delete from audit_log where seq > 200', 'delete from audit_checkpoint where seq > 200');
      r = await verify(f);
      assert.equal(r.ok, true);
      assert.equal(r.lastSeq, 200);
      assert.equal(r.lastCheckpoint?.seq, 200);
    });

    it('names the first entry when its predecessor hash is not the genesis hash', async () => {
      await fresh();
      const first = await entry(f, 1);
      const changed = { ...first, prev_hash: 'f'.repeat(64) };
      await tamper(f.db, `update audit_log set prev_hash = '${changed.prev_hash}', hash = '${entryHash(changed)}' where seq = 1`);
      await expectBad(1, 'edited', /entry 1 commits to previous hash ffffffffffff… instead of 64 zeros/);
    });

    it('names an entry moved elsewhere, and one moved beyond the examined window as missing', async () => {
      await fresh();
      await tamper(f.db, `update audit_log set seq = 400 where seq = 120`);
      await expectBad(120, 'reordered', /entry 120 is missing; the entry sealed as seq 120 is stored at seq 400/);
      await fresh();
      await tamper(f.db, `update audit_log set seq = 5000 where seq = 120`);
      await expectBad(120, 'deleted', /entry 120 is missing \(the next stored entry is 121\)/);
    });
    async function published() {
      const out: string[] = [];
      for await (const l of exportAuditCheckpoints(f.db)) out.push(l);
      return parseAnchors(out.join('\n'));
    }

    it('with published checkpoints as anchors: passes when intact, catches a tail deleted together with its checkpoints', async () => {
      await fresh();
      const anchors = await published();
      assert.equal((await verifyAuditLog(f.db, { publicKeys: [f.key.publicKey], anchors })).ok, true);
      await tamper(f.db, 'delete from audit_log where seq > 200', 'delete from audit_checkpoint where seq > 200');
      assert.equal((await verify(f)).ok, true); // undetectable without the anchor…
      const r = await verifyAuditLog(f.db, { publicKeys: [f.key.publicKey], anchors });
      assert.equal(r.ok, false); // …caught with it
      assert.deepEqual([r.firstBad?.seq, r.firstBad?.reason], [201, 'deleted']);
      assert.match(
        r.firstBad?.detail ?? '',
        /entries 201–300 are missing: the log ends at seq 200 but a signed checkpoint commits to seq 300/,
      );
    });

    it('with anchors: names a stored checkpoint that was deleted or altered', async () => {
      await fresh();
      const anchors = await published();
      await tamper(
        f.db,
        'delete from audit_checkpoint where seq = 200',
        `update audit_checkpoint set at = at + interval '1 second' where seq = 300`,
      );
      let r = await verifyAuditLog(f.db, { publicKeys: [f.key.publicKey], anchors });
      assert.deepEqual([r.firstBad?.seq, r.firstBad?.reason], [200, 'checkpoint']);
      assert.match(r.firstBad?.detail ?? '', /published checkpoint at seq 200 is missing from the database/);
      r = await verifyAuditLog(f.db, { publicKeys: [f.key.publicKey], anchors: anchors.filter((a) => a.seq !== 200) });
      assert.deepEqual([r.firstBad?.seq, r.firstBad?.reason], [300, 'checkpoint']);
      assert.match(r.firstBad?.detail ?? '', /checkpoint at seq 300 in the database differs from the published one/);
    });
  });
});
