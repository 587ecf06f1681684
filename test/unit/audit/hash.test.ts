import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  GENESIS_HASH,
  chainTimestamp,
  checkpointSigningInput,
  entryHash,
  entryHashInput,
  type ChainedFields,
} from '../../../src/audit/hash.js';

const entry: ChainedFields = {
  seq: 1,
  at: '2025-06-02T11:10:00.123000Z',
  actor: '10X1001A1001A450',
  action: 'message.state.accepted',
  subject: 'c3d10496-b692-499d-af4a-4dc88acf43b4',
  parties: ['10X1001A1001A450', '10XCZ-CEPS-GRIDE'],
  details: { from: '10X1001A1001A450', to: '10XCZ-CEPS-GRIDE', type: 'A65', bytes: 5120 },
  prev_hash: GENESIS_HASH,
};

describe('audit entry hash', () => {
  it('is SHA-256 of the canonical JSON of exactly the eight documented fields', () => {
    const input = entryHashInput(entry);
    assert.equal(
      input,
      '{"action":"message.state.accepted","actor":"10X1001A1001A450","at":"2025-06-02T11:10:00.123000Z",' +
        '"details":{"bytes":5120,"from":"10X1001A1001A450","to":"10XCZ-CEPS-GRIDE","type":"A65"},' +
        '"parties":["10X1001A1001A450","10XCZ-CEPS-GRIDE"],"prev_hash":"' +
        GENESIS_HASH +
        '","seq":1,"subject":"c3d10496-b692-499d-af4a-4dc88acf43b4"}',
    );
    assert.equal(entryHash(entry), createHash('sha256').update(input, 'utf8').digest('hex'));
    // A fixed vector (also computed with `printf '%s' "$input" | sha256sum`), so a change of the format cannot pass unnoticed.
    assert.equal(entryHash(entry), 'e6e84d4ce5e36883872a5c9ea10483de5e1230fdfba59b97de32f975a17603f4');
    assert.match(entryHash(entry), /^[0-9a-f]{64}$/);
  });

  it('ignores extra properties (hash, sealed_at) and member order', () => {
    const withExtras = { sealed_at: 'x', hash: 'y', ...entry } as ChainedFields;
    assert.equal(entryHash(withExtras), entryHash(entry));
  });

  it('changes when any covered field changes, including seq and prev_hash', () => {
    const base = entryHash(entry);
    const variants: Partial<ChainedFields>[] = [
      { seq: 2 },
      { at: '2025-06-02T11:10:00.123001Z' },
      { actor: 'system' },
      { action: 'message.state.rejected' },
      { subject: null },
      { parties: ['10XCZ-CEPS-GRIDE', '10X1001A1001A450'] },
      { details: { ...entry.details, bytes: 5121 } },
      { prev_hash: 'f'.repeat(64) },
    ];
    for (const v of variants) assert.notEqual(entryHash({ ...entry, ...v }), base, JSON.stringify(v));
  });

  it('writes timestamps to the microsecond in UTC', () => {
    assert.equal(chainTimestamp(new Date('2025-06-02T13:10:00.5+02:00')), '2025-06-02T11:10:00.500000Z');
    assert.throws(() => chainTimestamp(new Date('nope')), TypeError);
  });

  it('signs checkpoints over the canonical JSON of {seq, hash, at, keyId}', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const cp = { seq: 1000, hash: 'a'.repeat(64), at: '2025-06-02T11:10:00.000000Z', keyId: '0123456789abcdef' };
    const input = checkpointSigningInput(cp);
    assert.equal(
      input.toString('utf8'),
      `{"at":"2025-06-02T11:10:00.000000Z","hash":"${'a'.repeat(64)}","keyId":"0123456789abcdef","seq":1000}`,
    );
    const signature = sign(null, input, privateKey);
    assert.ok(verify(null, input, publicKey, signature));
    assert.ok(!verify(null, checkpointSigningInput({ ...cp, seq: 999 }), publicKey, signature));
  });
});
