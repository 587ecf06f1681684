import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GENESIS_HASH, entryHash } from '../../../src/audit/hash.js';
import { createAuditTrail } from '../../../src/audit/record.js';
import { readAuditLog } from '../../../src/audit/export.js';
import { verifyAuditLog } from '../../../src/audit/verify.js';
import { realDatabaseUrl, storageName } from '../../support/backends.js';
import { count, openAuditFixture, recordMessages, type AuditFixture } from '../../support/audit.js';

const AWKWARD = ['NULL', 'null', 'a,"b"', '{x}', 'é😀', 'back\\slash', ' space ', "it's", 'tab\there'];

async function chain(f: AuditFixture) {
  const out = [];
  for await (const e of readAuditLog(f.db)) out.push(e);
  return out;
}

describe(`audit recording and sealing on ${storageName}`, () => {
  let f: AuditFixture;
  before(async () => {
    f = await openAuditFixture();
  });
  after(() => f.db.close());

  it('refuses UPDATE, DELETE and TRUNCATE of the chain and its checkpoints', async () => {
    await recordMessages(f, 3);
    await f.sealer().sealOnce();
    assert.equal(await count(f.db, 'audit_checkpoint'), 1);
    for (const table of ['audit_log', 'audit_checkpoint']) {
      for (const sql of [`update ${table} set hash = hash`, `delete from ${table}`, `truncate ${table}`]) {
        await assert.rejects(f.db.query(sql), /append-only/, sql);
      }
    }
    assert.equal(await count(f.db, 'audit_log'), 3);
  });

  it('refuses chain rows whose hash or prev_hash is not 64 lower-case hex digits', async () => {
    const good = 'a'.repeat(64);
    const insert = (prev: string, hash: string) =>
      f.db.query(
        `insert into audit_log (seq, at, actor, action, subject, parties, details, prev_hash, hash, sealed_at)
         values (1000000, now(), 'test', 'test.row', null, '{}', '{}', $1, $2, now())`,
        [prev, hash],
      );
    for (const bad of ['a'.repeat(63), 'a'.repeat(65), 'A'.repeat(64), `${'a'.repeat(63)}g`, `${'a'.repeat(63)}\n`, '']) {
      await assert.rejects(insert(good, bad), /audit_log_hash_form/, JSON.stringify(bad));
      await assert.rejects(insert(bad, good), /audit_log_hash_form/, JSON.stringify(bad));
    }
  });

  it('keeps an event only if the business transaction that recorded it commits', async () => {
    const before = await count(f.db, 'audit_event');
    await assert.rejects(
      f.db.transaction(async (tx) => {
        await f.trail.record(tx, { actor: 'admin', action: 'component.registered', subject: 'rolled-back' });
        throw new Error('business rule failed');
      }),
      /business rule failed/,
    );
    await f.db.transaction((tx) => f.trail.record(tx, { actor: 'admin', action: 'component.registered', subject: 'committed' }));
    assert.equal(await count(f.db, 'audit_event'), before + 1);
    await f.sealer().sealAll();
    const subjects = (await chain(f)).map((e) => e.subject);
    assert.ok(subjects.includes('committed'));
    assert.ok(!subjects.includes('rolled-back'));
  });

  it('refuses malformed entries before touching the database', async () => {
    const before = await count(f.db, 'audit_event');
    const bad = [
      { actor: '', action: 'component.registered' },
      { actor: 'admin', action: 'Component Registered' },
      { actor: 'admin', action: 'component' },
      { actor: 'admin', action: 'component.registered', details: { at: new Date() } },
      { actor: 'admin', action: 'component.registered', details: { n: NaN } },
      { actor: 'admin', action: 'component.registered', details: { s: 'nul\u0000' } },
      { actor: 'admin', action: 'component.registered', details: { s: '\\\\\u0000' } },
      { actor: 'admin', action: 'component.registered', details: { ['k\u0000']: 1 } },
      { actor: 'ad\u0000min', action: 'component.registered' },
      { actor: 'admin', action: 'component.registered', parties: [''] },
    ];
    for (const entry of bad) await assert.rejects(f.trail.record(f.db, entry), TypeError, JSON.stringify(entry));
    assert.equal(await count(f.db, 'audit_event'), before);
  });

  it('seals events gapless, in id order, each committing to the previous hash, and empties audit_event', async () => {
    await recordMessages(f, 250, 50);
    const sealer = f.sealer({ batchSize: 100 });
    assert.equal(await sealer.sealOnce(), 100);
    assert.equal(await sealer.sealAll(), 150);
    assert.equal(await sealer.sealOnce(), 0);
    assert.equal(await count(f.db, 'audit_event'), 0);
    const entries = await chain(f);
    let prev = GENESIS_HASH;
    entries.forEach((e, i) => {
      assert.equal(e.seq, i + 1);
      assert.equal(e.prev_hash, prev);
      assert.equal(e.hash, entryHash(e));
      prev = e.hash;
    });
    const msgs = entries.filter((e) => e.subject?.startsWith('msg-') && e.seq > 4);
    assert.deepEqual(
      msgs.map((e) => e.subject),
      msgs.map((_, i) => `msg-${i}`),
    );
    const sample = msgs[7];
    assert.deepEqual(sample?.details, { from: 'A', to: 'B', n: 7, note: 'ünïcödé 😀 "quoted"' });
    assert.deepEqual(sample?.parties, ['10X1001A1001A450', '10XCZ-CEPS-GRIDE']);
    assert.match(sample?.at ?? '', /^2025-06-02T10:00:00\.\d{3}000Z$/);
  });

  it('keeps values exactly: parties order and awkward strings, details, timestamps', async () => {
    const at = new Date('2025-06-02T12:34:56.789Z');
    const details = {
      big: 2 ** 60,
      tiny: 1e-7,
      neg: -0.5,
      nested: { z: [1, 'a', null, true], a: {} },
      text: 'tab\tnewline\n"q" \\ 😀',
      escaped: 'a literal \\u0000 and \\\\\\u0000 are text',
    };
    await f.db.transaction((tx) =>
      f.trail.record(tx, {
        actor: 'system',
        action: 'certificate.revoked',
        subject: null,
        parties: AWKWARD,
        details,
        at,
      }),
    );
    await f.sealer().sealAll();
    const last = (await chain(f)).at(-1);
    assert.equal(last?.at, '2025-06-02T12:34:56.789000Z');
    assert.equal(last?.subject, null);
    assert.deepEqual(last?.parties, AWKWARD);
    assert.deepEqual(last?.details, details);
    assert.ok(last);
    assert.equal(last.hash, entryHash(last));
  });

  it('signs a checkpoint every N entries, or after T seconds when something new was sealed', async () => {
    const g = await openAuditFixture();
    try {
      const sealer = g.sealer({ batchSize: 10, checkpointEvery: 25, checkpointIntervalMs: 60_000 });
      const cps = async () =>
        (await g.db.query<{ seq: string }>('select seq::text as seq from audit_checkpoint order by audit_checkpoint.seq')).rows.map((r) =>
          Number(r.seq),
        );
      await recordMessages(g, 5);
      await sealer.sealAll();
      assert.deepEqual(await cps(), [5]); // the first seal always anchors
      await recordMessages(g, 40);
      await sealer.sealAll(); // 10, 10, 10, 10: due at 35 (30 past 5), then 45 is only 10 past
      assert.deepEqual(await cps(), [5, 35]);
      g.clock.advance(59_000);
      assert.equal(await sealer.sealOnce(), 0);
      assert.deepEqual(await cps(), [5, 35]);
      g.clock.advance(1_000);
      assert.equal(await sealer.sealOnce(), 0); // nothing new sealed this round, but 10 entries await an anchor
      assert.deepEqual(await cps(), [5, 35, 45]);
      g.clock.advance(120_000);
      await sealer.sealOnce();
      assert.deepEqual(await cps(), [5, 35, 45]); // nothing new since the last checkpoint
      const r = await verifyAuditLog(g.db, { publicKeys: [g.key.publicKey] });
      assert.equal(r.ok, true);
      assert.equal(r.checkpoints, 3);
      assert.equal(r.unanchored, 0);
    } finally {
      await g.db.close();
    }
  });
});

if (realDatabaseUrl) {
  describe('audit sealing with several hub processes on PostgreSQL', () => {
    it('seals an event whose transaction commits late (lower id) in a later round, without a gap', async () => {
      const f = await openAuditFixture();
      const other = await f.db.reopen();
      try {
        let release: () => void = () => undefined;
        const held = new Promise<void>((r) => (release = r));
        let recorded: () => void = () => undefined;
        const lowRecorded = new Promise<void>((r) => (recorded = r));
        const slow = other.transaction(async (tx) => {
          await f.trail.record(tx, { actor: 'slow', action: 'message.state.accepted', subject: 'low-id' });
          recorded();
          await held;
        });
        await lowRecorded;
        await f.db.transaction((tx) => f.trail.record(tx, { actor: 'fast', action: 'message.state.accepted', subject: 'high-id' }));
        assert.equal(await f.sealer().sealOnce(), 1);
        release();
        await slow;
        assert.equal(await f.sealer().sealOnce(), 1);
        const ids = await f.db.query<{ subject: string }>('select subject from audit_log order by seq');
        assert.deepEqual(
          ids.rows.map((r) => r.subject),
          ['high-id', 'low-id'],
        );
        assert.equal((await verifyAuditLog(f.db, { publicKeys: [f.key.publicKey] })).ok, true);
      } finally {
        await f.db.close();
      }
    });

    it('never forks the chain when sealers in several processes run concurrently with writers', async () => {
      const f = await openAuditFixture();
      try {
        const handles = [f.db, await f.db.reopen(), await f.db.reopen()];
        const total = 1200;
        let writing = true;
        const writers = handles.map(async (db, w) => {
          const trail = createAuditTrail(f.clock);
          for (let i = 0; i < total / handles.length; i += 10) {
            await db.transaction(async (tx) => {
              for (let k = i; k < i + 10; k++)
                await trail.record(tx, { actor: `w${w}`, action: 'message.state.accepted', subject: `w${w}-${k}` });
            });
          }
        });
        const sealers = handles.map(async (db) => {
          const sealer = f.sealer({ batchSize: 37, checkpointEvery: 100 }, db);
          let n = 0;
          for (;;) {
            const k = await sealer.sealOnce();
            n += k;
            if (!writing && k === 0) return n;
          }
        });
        await Promise.all(writers);
        writing = false;
        const sealed = await Promise.all(sealers);
        assert.ok(sealed.filter((n) => n > 0).length >= 2, `more than one sealer did work: ${sealed.join(', ')}`);
        await f.sealer().sealAll();
        assert.equal(await count(f.db, 'audit_event'), 0);
        assert.equal(await count(f.db, 'audit_log'), total);
        const { rows } = await f.db.query<{ distinct_subjects: string; max: string }>(
          'select count(distinct subject)::text as distinct_subjects, max(seq)::text as max from audit_log',
        );
        assert.deepEqual(rows[0], { distinct_subjects: String(total), max: String(total) });
        const r = await verifyAuditLog(f.db, { publicKeys: [f.key.publicKey] });
        assert.equal(r.ok, true, JSON.stringify(r.firstBad));
        assert.equal(r.entries, total);
      } finally {
        await f.db.close();
      }
    });
  });
}
