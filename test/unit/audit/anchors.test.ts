import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAnchors } from '../../../src/audit/anchors.js';
import { isHubError } from '../../../src/shared/errors.js';

const line = (o: Record<string, unknown>) =>
  JSON.stringify({ seq: 100, hash: 'a'.repeat(64), at: '2025-06-02T10:00:00.000000Z', keyId: '0123456789abcdef', signature: 'c2ln', ...o });

describe('published checkpoints as anchors', () => {
  it('reads the JSON lines `tps-hub audit checkpoints` prints, skipping blank lines', () => {
    const anchors = parseAnchors(`${line({})}\n\n${line({ seq: 200 })}\n`);
    assert.deepEqual(
      anchors.map((a) => a.seq),
      [100, 200],
    );
    assert.deepEqual(Object.keys(anchors[0] ?? {}).sort(), ['at', 'hash', 'keyId', 'seq', 'signature']);
  });

  it('refuses anything else, naming the line (INPUT_UNREADABLE)', () => {
    for (const bad of [
      'not json',
      line({ seq: '100' }),
      line({ seq: 0 }),
      line({ seq: 1.5 }),
      line({ hash: 'ABC' }),
      line({ keyId: 1 }),
      '[]',
      'null',
    ]) {
      assert.throws(
        () => parseAnchors(`${line({})}\n${bad}`, 'cps.jsonl'),
        (e) => isHubError(e, 'INPUT_UNREADABLE') && e.message.startsWith('cps.jsonl:2: '),
        bad,
      );
    }
  });
});
