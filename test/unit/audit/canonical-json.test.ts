import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../../src/audit/canonical-json.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts object members and writes no whitespace, at every depth', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    assert.equal(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }));
  });

  it('sorts keys by UTF-16 code units, not by code points (RFC 8785 §3.2.3)', () => {
    // U+1F600 is the pair D83D DE00, which sorts before U+FB33 in UTF-16 though after it by code point.
    assert.equal(canonicalJson({ '\ufb33': 1, '\u{1F600}': 2, a: 3, '\u20ac': 4 }), '{"a":3,"\u20ac":4,"\u{1F600}":2,"\ufb33":1}');
    assert.equal(canonicalJson({ B: 1, a: 2, _: 3, '1': 4 }), '{"1":4,"B":1,"_":3,"a":2}');
  });

  it('writes numbers in ECMAScript shortest round-trip form', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [0.1 + 0.2, '0.30000000000000004'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [2 ** 53, '9007199254740992'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [333333333.3333333, '333333333.3333333'],
    ];
    for (const [n, text] of cases) assert.equal(canonicalJson(n), text, `number ${n}`);
  });

  it('keeps non-ASCII text literal and escapes only quote, backslash and control characters', () => {
    assert.equal(canonicalJson('é€😀 "q" \\'), '"é€😀 \\"q\\" \\\\"');
    assert.equal(canonicalJson('\u0000\b\t\n\f\r\u001f\u007f'), '"\\u0000\\b\\t\\n\\f\\r\\u001f\u007f"');
    assert.equal(canonicalJson('</script>\u2028'), '"</script>\u2028"');
    assert.equal(Buffer.byteLength(canonicalJson('€'), 'utf8'), 5);
  });

  it('refuses values that are not JSON', () => {
    for (const bad of [
      NaN,
      Infinity,
      -Infinity,
      1n,
      undefined,
      () => 1,
      Symbol('s'),
      new Date(0),
      new Map(),
      '\ud800',
      { k: '\udc00x' },
      [undefined],
    ]) {
      assert.throws(() => canonicalJson(bad), TypeError, `value of type ${typeof bad}`);
    }
    assert.throws(() => canonicalJson({ ['\ud83d']: 1 }), TypeError);
  });

  it('leaves out object members whose value is undefined, as JSON.stringify does', () => {
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
    assert.equal(canonicalJson(Object.assign(Object.create(null) as object, { z: 1, y: 2 })), '{"y":2,"z":1}');
  });

  it('round-trips: parsing canonical JSON and serialising again gives the same text', () => {
    const value = { n: [1, 2.5, -3e-9, 12345678901234], s: 'ünïcödé 😀', o: { '': null, ' ': false }, e: [], eo: {} };
    const once = canonicalJson(value);
    assert.equal(canonicalJson(JSON.parse(once)), once);
    assert.deepEqual(JSON.parse(once), value);
  });
});
