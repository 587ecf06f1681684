import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeBase64 } from '../../../src/shared/base64.js';

describe('decodeBase64 (strict RFC 4648 §4, padded)', () => {
  it('decodes what Buffer encodes, for every padding length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      assert.deepEqual(decodeBase64(bytes.toString('base64')), bytes, `${n} bytes`);
    }
  });

  it('refuses anything that is not padded standard base64', () => {
    for (const bad of ['Q', 'QUJ', 'Q===', 'QQ=A', '=QQQ', '====', 'QU-D', 'QU_D', 'QU D', 'QUJD\n', 'QUJD====', 'QU$D', 'é123']) {
      assert.equal(decodeBase64(bad), undefined, JSON.stringify(bad));
    }
  });
});
