import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { isHubError, type ErrorCode } from '../../../src/shared/errors.js';
import { attr, child, childText, path } from '../../../src/xml/element.js';
import { parseXml } from '../../../src/xml/parse.js';
import { SchemaRegistry } from '../../../src/xml/schema-registry.js';
import { validateXml } from '../../../src/xml/validate.js';
import { escapeAttribute, escapeText, XmlWriter } from '../../../src/xml/write.js';
import { sharedPath } from '../../support/paths.js';
import { GL_NS_3_0, glMarketDocument } from '../../support/xml-docs.js';

const throwsCode = (fn: () => unknown, code: ErrorCode, message?: RegExp): void => {
  assert.throws(fn, (e: unknown) => isHubError(e, code) && (message === undefined || message.test(e.message)));
};

describe('XML writer escaping (XML 1.0 §2.4, §3.3.3, §2.11)', () => {
  it('escapes & < > in text and & < > " TAB LF CR in attributes', () => {
    assert.equal(escapeText('a & b < c > d "q" \'s\''), 'a &amp; b &lt; c &gt; d "q" \'s\'');
    assert.equal(escapeText('x]]>y'), 'x]]&gt;y');
    assert.equal(escapeText('line1\r\nline2\ttab'), 'line1&#13;\nline2\ttab');
    assert.equal(escapeAttribute('a & "b" <c>\td\ne\rf'), 'a &amp; &quot;b&quot; &lt;c&gt;&#9;d&#10;e&#13;f');
    assert.equal(escapeText('plain'), 'plain');
  });

  it('keeps characters outside the BMP and other allowed characters', () => {
    assert.equal(escapeText('😀 é € \u0085 \u2028'), '😀 é € \u0085 \u2028');
  });

  for (const [label, bad] of [
    ['NUL', '\u0000'],
    ['a C0 control', 'a\u0001b'],
    ['VT', '\u000B'],
    ['an unpaired high surrogate', 'x\uD800'],
    ['an unpaired low surrogate', '\uDC00x'],
    ['U+FFFE', '\uFFFE'],
    ['U+FFFF', '\uFFFF'],
  ] as const) {
    it(`rejects ${label} (XML 1.0 §2.2) in text and in attributes`, () => {
      throwsCode(() => new XmlWriter().root('a').text(bad), 'XML_INVALID_CHAR', /text of <a> contains U\+/);
      throwsCode(() => new XmlWriter().root('a', undefined, { v: bad }), 'XML_INVALID_CHAR', /attribute v contains U\+/);
    });
  }

  it('names the offending character and where it is', () => {
    throwsCode(() => escapeText('ab\u0007'), 'XML_INVALID_CHAR', /^text contains U\+0007 at index 2/);
  });
});

describe('XmlWriter', () => {
  it('writes a declaration, a default namespace on the root, attributes in order, and self-closes empty elements', () => {
    const xml = new XmlWriter()
      .root('Doc', 'urn:x:1:0', { b: 2, a: 'one', skipped: undefined, alsoSkipped: null })
      .element('empty')
      .element('n', 42)
      .element('flag', true)
      .element('big', 12345678901234567890n)
      .optional('absent', undefined)
      .optional('present', 'p', { k: 'v' })
      .end()
      .toString();
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<Doc xmlns="urn:x:1:0" b="2" a="one"><empty/><n>42</n><flag>true</flag><big>12345678901234567890</big><present k="v">p</present></Doc>\n',
    );
  });

  it('indents stably and never inside an element that has text', () => {
    const xml = new XmlWriter({ indent: 2, declaration: false })
      .root('a')
      .start('b')
      .element('c', 'x')
      .start('d')
      .end()
      .end()
      .start('mixed')
      .text('t')
      .element('e', 'y')
      .end()
      .end()
      .toString();
    assert.equal(xml, '<a>\n  <b>\n    <c>x</c>\n    <d/>\n  </b>\n  <mixed>t<e>y</e></mixed>\n</a>\n');
  });

  it('rejects names that are not XML names', () => {
    for (const bad of ['', '1a', 'a b', 'a:b:c', ':a', 'a>', '-x']) {
      throwsCode(() => new XmlWriter().root(bad), 'XML_INVALID_NAME');
      throwsCode(() => new XmlWriter().root('a', undefined, { [bad]: 'v' }), 'XML_INVALID_NAME');
    }
    assert.doesNotThrow(() => new XmlWriter().root('p:a.b-c_d', undefined, { 'xmlns:p': 'urn:p', é: '1' }).end().toString());
  });

  it('rejects use out of order', () => {
    throwsCode(() => new XmlWriter().end(), 'XML_WRITER_STATE');
    throwsCode(() => new XmlWriter().text('x'), 'XML_WRITER_STATE');
    throwsCode(() => new XmlWriter().toString(), 'XML_WRITER_STATE', /no root/);
    throwsCode(() => new XmlWriter().root('a').start('b').toString(), 'XML_WRITER_STATE', /unclosed element\(s\): <a> <b>/);
    throwsCode(() => new XmlWriter().root('a').end().start('b'), 'XML_WRITER_STATE');
    throwsCode(() => new XmlWriter().root('a').start('b').root('c'), 'XML_WRITER_STATE');
  });

  it('rejects numbers that XML cannot carry', () => {
    assert.throws(() => new XmlWriter().root('a').element('n', Number.NaN), RangeError);
    assert.throws(() => new XmlWriter().root('a', undefined, { n: Number.POSITIVE_INFINITY }), RangeError);
  });

  it('writes UTF-8 bytes', () => {
    const buf = new XmlWriter({ declaration: false }).root('a').text('é').end().toBuffer();
    assert.deepEqual([...buf], [...Buffer.from('<a>é</a>\n', 'utf8')]);
  });
});

describe('round trip: write → parse', () => {
  let registry: SchemaRegistry;
  before(() => {
    registry = SchemaRegistry.fromDirectories([sharedPath('conformance', 'iec62325')]);
  });
  after(() => registry.close());

  it('reads back exactly what was written, awkward characters included', () => {
    const nasty = 'a & b < c > d "e" \'f\' ]]> \t tab\nnew line\r\ncrlf 😀 \u0085';
    const xml = new XmlWriter({ indent: 2 })
      .root('r', 'urn:round:trip', { v: nasty })
      .element('t', nasty)
      .start('list')
      .element('i', 1)
      .element('i', 2)
      .end()
      .end()
      .toString();
    const parsed = parseXml(xml);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.error));
    const root = parsed.value;
    assert.equal(root.ns, 'urn:round:trip');
    assert.equal(attr(root, 'v'), nasty);
    assert.equal(child(root, 't')?.text, nasty);
    assert.deepEqual(
      child(root, 'list')?.children.map((c) => c.text),
      ['1', '2'],
    );
  });

  it('builds a GL_MarketDocument that the official schema accepts and that reads back', () => {
    const xml = glMarketDocument({ points: 3, mRID: 'round-trip-1' });
    const r = validateXml(xml, registry, { tree: true });
    assert.deepEqual(r.issues, []);
    assert.equal(r.root?.ns, GL_NS_3_0);
    assert.equal(r.root && childText(r.root, 'mRID'), 'round-trip-1');
    const period = r.root && path(r.root, 'TimeSeries', 'Period');
    assert.deepEqual(
      period?.children.filter((c) => c.name === 'Point').map((p) => childText(p, 'quantity')),
      ['6001', '6002', '6003'],
    );
  });
});
