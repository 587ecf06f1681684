import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { decodeUtf8Strict, firstInvalidUtf8Offset } from '../../../src/xml/utf8.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('strict UTF-8 (RFC 3629)', () => {
  it('accepts 1- to 4-byte sequences', () => {
    const ok = Buffer.from('aé€😀', 'utf8');
    assert.equal(firstInvalidUtf8Offset(ok), ok.length);
    assert.deepEqual(decodeUtf8Strict(ok), { ok: true, text: 'aé€😀' });
  });

  it('finds a Latin-1 byte', () => assert.equal(firstInvalidUtf8Offset(bytes(0x61, 0x62, 0xe9, 0x63)), 2));
  it('finds an overlong encoding', () => assert.equal(firstInvalidUtf8Offset(bytes(0x61, 0xc0, 0xaf)), 1));
  it('finds an overlong 3-byte encoding', () => assert.equal(firstInvalidUtf8Offset(bytes(0xe0, 0x80, 0xaf)), 0));
  it('finds an encoded surrogate', () => assert.equal(firstInvalidUtf8Offset(bytes(0x61, 0xed, 0xa0, 0x80)), 1));
  it('finds a code point above U+10FFFF', () => assert.equal(firstInvalidUtf8Offset(bytes(0xf4, 0x90, 0x80, 0x80)), 0));
  it('finds a truncated sequence at the end', () => assert.equal(firstInvalidUtf8Offset(bytes(0x61, 0xe2, 0x82)), 1));
  it('finds a lone continuation byte', () => assert.equal(firstInvalidUtf8Offset(bytes(0x80)), 0));

  it('reports where the bad byte is as offset, line and column', () => {
    const r = decodeUtf8Strict(Buffer.concat([Buffer.from('<a>\r\n  é', 'utf8'), bytes(0xff)]));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.deepEqual([r.issue.code, r.issue.line, r.issue.column], ['XML_NOT_UTF8', 2, 4]);
      assert.match(r.issue.message, /^byte offset 9: byte 0xFF /);
    }
  });
});
