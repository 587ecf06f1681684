import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAuditCommand } from '../../../src/audit/audit-command.js';
import type { Database } from '../../../src/shared/sql.js';
import { openTestDatabase, storageName } from '../../support/backends.js';
import { openAuditFixture, recordMessages, tamper, type AuditFixture } from '../../support/audit.js';
import { CapturingStream } from '../../support/streams.js';

async function run(f: AuditFixture, argv: string[], db: Database = f.db, dataDir = f.dataDir) {
  const stdout = new CapturingStream();
  const stderr = new CapturingStream();
  let closed = 0;
  const code = await runAuditCommand(
    argv,
    { stdout, stderr },
    {
      // the command closes what it opens; the test keeps its database
      openDatabase: async () => ({ ...db, close: async () => void (closed += 1) }),
      dataDir,
    },
  );
  return { code, out: stdout.text, err: stderr.text, closed };
}

describe(`tps-hub audit on ${storageName}`, () => {
  let f: AuditFixture;
  before(async () => {
    f = await openAuditFixture();
    await recordMessages(f, 120, 40);
    await f.sealer({ checkpointEvery: 50 }).sealAll();
  });
  after(() => f.db.close());

  it('verify: exit 0 and a summary on an intact log, with the data-dir public key by default', async () => {
    const r = await run(f, ['verify']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.closed, 1);
    assert.match(
      r.out,
      /^audit log intact: 120 entries, 1 checkpoint; last checkpoint at seq 120 \(.*, key [0-9a-f]{16}\); 0 later entries rest on the hash chain alone\n$/,
    );
  });

  it('verify --json prints the result object', async () => {
    const r = await run(f, ['verify', '--json']);
    assert.equal(r.code, 0);
    const result = JSON.parse(r.out) as { ok: boolean; entries: number; lastHash: string };
    assert.equal(result.ok, true);
    assert.equal(result.entries, 120);
    assert.match(result.lastHash, /^[0-9a-f]{64}$/);
  });

  it('verify --public-key: trusts the given keys only (PEM or raw base64)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pub-'));
    const raw = join(dir, 'audit.b64');
    writeFileSync(raw, `${f.key.publicKey.rawBase64}\n`);
    assert.equal((await run(f, ['verify', '--public-key', raw])).code, 0);
    const other = join(dir, 'other.pem');
    writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const r = await run(f, ['verify', '--public-key', other]);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /^audit log broken at seq 120: checkpoint \(checkpoint at seq 120 is signed by key [0-9a-f]{16}, which is not among the trusted public keys\)/,
    );
    assert.equal((await run(f, ['verify', '--public-key', other, '--public-key', f.key.publicKeyPath])).code, 0);
  });

  it('verify: falls back to the public half of the key file when the .pub.pem is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyonly-'));
    mkdirSync(join(dir, 'keys'), { mode: 0o700 });
    copyFileSync(f.key.path, join(dir, 'keys', 'audit-ed25519.pem'));
    chmodSync(join(dir, 'keys', 'audit-ed25519.pem'), 0o600);
    const r = await run(f, ['verify'], f.db, dir);
    assert.equal(r.code, 0, r.err);
    assert.ok(!existsSync(join(dir, 'keys', 'audit-ed25519.pub.pem')), 'verify writes nothing');
  });

  it('verify --anchors: checks against checkpoints published earlier; a bad anchors file is exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchors-'));
    const file = join(dir, 'checkpoints.jsonl');
    writeFileSync(file, (await run(f, ['checkpoints'])).out);
    assert.equal((await run(f, ['verify', '--anchors', file])).code, 0);
    writeFileSync(join(dir, 'bad.jsonl'), '{"seq": "x"}\n');
    const bad = await run(f, ['verify', '--anchors', join(dir, 'bad.jsonl')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /INPUT_UNREADABLE: .*bad\.jsonl:1: not a checkpoint/);
    const absent = await run(f, ['verify', '--anchors', join(dir, 'absent.jsonl')]);
    assert.equal(absent.code, 2);
    assert.match(absent.err, /INPUT_UNREADABLE/);
  });

  it('export: JSON lines on stdout, filtered', async () => {
    const r = await run(f, ['export', '--subject', 'msg-5']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0] ?? '') as { subject: string }).subject, 'msg-5');
    const window = await run(f, [
      'export',
      '--from',
      '2025-06-02T10:00:00.010Z',
      '--to',
      '2025-06-02T10:00:00.020Z',
      '--action',
      'message.state.*',
    ]);
    assert.equal(window.out.trim().split('\n').length, 10);
    const seqs = await run(f, ['export', '--from-seq', '5', '--to-seq', '7', '--party', '10X1001A1001A450']);
    assert.deepEqual(
      seqs.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
      [6],
    );
  });

  it('checkpoints and public-key print what to publish', async () => {
    const cps = await run(f, ['checkpoints']);
    assert.equal(cps.code, 0);
    assert.match(cps.out, /^\{"at":"[^"]+","hash":"[0-9a-f]{64}","keyId":"[0-9a-f]{16}","seq":120,"signature":"[^"]+"\}\n$/);
    const pk = await run(f, ['public-key']);
    assert.equal(pk.code, 0);
    assert.ok(pk.out.startsWith(`key id: ${f.key.keyId}\nraw (base64): ${f.key.publicKey.rawBase64}\n-----BEGIN PUBLIC KEY-----`));
  });

  it('verify: exit 1 naming the first bad entry when the log was tampered with', async () => {
    await tamper(f.db, `update audit_log set details = '{"forged": true}' where seq = 42`);
    const r = await run(f, ['verify']);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /^audit log broken at seq 42: edited \(stored hash [0-9a-f]{12}…, recomputed [0-9a-f]{12}…\)\nverified before it: 41 entries, 0 checkpoints\n$/,
    );
    const json = JSON.parse((await run(f, ['verify', '--json'])).out) as { ok: boolean; firstBad: { seq: number; reason: string } };
    assert.equal(json.ok, false);
    assert.deepEqual([json.firstBad.seq, json.firstBad.reason], [42, 'edited']);
  });

  it('exit 2 for usage errors, a missing key or a database without the audit tables', async () => {
    for (const argv of [
      [],
      ['nope'],
      ['verify', '--bogus'],
      ['export', '--from', 'yesterday'],
      ['export', '--from-seq', '0'],
      ['export', 'extra'],
    ]) {
      const r = await run(f, argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /Usage: tps-hub audit/);
    }
    const empty = mkdtempSync(join(tmpdir(), 'nokey-'));
    const nokey = await run(f, ['verify'], f.db, empty);
    assert.equal(nokey.code, 2);
    assert.match(nokey.err, /AUDIT_KEY_UNAVAILABLE/);
    rmSync(empty, { recursive: true });
    const bare = await openTestDatabase();
    try {
      const r = await run(f, ['export'], bare);
      assert.equal(r.code, 2);
      assert.match(r.err, /audit tables do not exist.*tps-hub migrate/);
      assert.equal(r.closed, 1);
    } finally {
      await bare.close();
    }
    assert.equal((await run(f, ['help'])).code, 0);
  });
});
