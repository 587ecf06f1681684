import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { XmlElement } from '../../../src/xml/element.js';
import { attr, child, childText, children, path } from '../../../src/xml/element.js';
import type { XmlIssue } from '../../../src/xml/issue.js';
import { formatIssue } from '../../../src/xml/issue.js';
import { XmlElement as LibxmlElement, XmlText, type XmlTreeNode } from 'libxml2-wasm';
import { withLibxmlDocument } from '../../../src/xml/libxml.js';
import { DEFAULT_MAX_BYTES } from '../../../src/xml/limits.js';
import { parseXml, type XmlParseResult } from '../../../src/xml/parse.js';
import { repoPath, sharedPath } from '../../support/paths.js';

const hostile = (name: string): Buffer => readFileSync(repoPath('test', 'fixtures', 'xml', 'hostile', name));

function onlyIssue(r: XmlParseResult): XmlIssue {
  assert.equal(r.ok, false, 'expected the input to be refused');
  if (r.ok) throw new Error('unreachable');
  assert.equal(r.error.length, 1, `expected one issue, got ${JSON.stringify(r.error)}`);
  const issue = r.error[0];
  assert.ok(issue);
  return issue;
}

function tree(r: XmlParseResult): XmlElement {
  if (!r.ok) assert.fail(`expected a document, got ${JSON.stringify(r.error)}`);
  return r.value;
}

interface Plain {
  name: string;
  ns: string;
  attrs: Record<string, string>;
  text: string;
  line: number;
  children: Plain[];
}

function normalise(el: XmlElement): Plain {
  return { name: el.name, ns: el.ns, attrs: { ...el.attrs }, text: el.text, line: el.line, children: el.children.map(normalise) };
}

/** The same view read from libxml2's DOM (only unqualified attributes occur in the samples). */
function fromLibxml(el: LibxmlElement): Plain {
  const attrs: Record<string, string> = {};
  for (const a of el.attrs) attrs[a.name] = a.value;
  const kids: Plain[] = [];
  let text = '';
  for (let c: XmlTreeNode | null = el.firstChild; c !== null; c = c.next) {
    if (c instanceof LibxmlElement) kids.push(fromLibxml(c));
    else if (c instanceof XmlText) text += c.content;
  }
  return { name: el.name, ns: el.namespaceUri, attrs, text, line: el.line, children: kids };
}

function nested(depth: number): string {
  return `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;
}

describe('parseXml refuses bad input with a precise issue', () => {
  it('reports malformed XML as XML_MALFORMED with libxml2 line and column', () => {
    const issue = onlyIssue(parseXml(hostile('malformed-tag-mismatch.xml')));
    assert.equal(issue.code, 'XML_MALFORMED');
    assert.equal(issue.line, 5);
    assert.equal(issue.column, 18);
    assert.equal(issue.message, 'Opening and ending tag mismatch: type line 5 and typ');
    assert.equal(formatIssue(issue), 'line 5, column 18: Opening and ending tag mismatch: type line 5 and typ');
  });

  it('refuses a DOCTYPE with an external entity to file:///etc/passwd (XXE)', () => {
    const issue = onlyIssue(parseXml(hostile('xxe-file-entity.xml')));
    assert.deepEqual([issue.code, issue.line, issue.column], ['XML_DOCTYPE_FORBIDDEN', 2, 1]);
  });

  it('refuses a billion-laughs entity expansion', () => {
    const issue = onlyIssue(parseXml(hostile('billion-laughs.xml')));
    assert.deepEqual([issue.code, issue.line, issue.column], ['XML_DOCTYPE_FORBIDDEN', 2, 1]);
  });

  it('refuses an external DTD', () => {
    const issue = onlyIssue(parseXml(hostile('external-dtd.xml')));
    assert.deepEqual([issue.code, issue.line], ['XML_DOCTYPE_FORBIDDEN', 2]);
  });

  it('refuses a DOCTYPE given as a string too', () => {
    assert.equal(onlyIssue(parseXml('<!DOCTYPE a><a/>')).code, 'XML_DOCTYPE_FORBIDDEN');
  });

  it('refuses an undeclared entity reference as XML_MALFORMED (no DTD, so only the five predefined entities)', () => {
    const issue = onlyIssue(parseXml(hostile('undeclared-entity.xml')));
    assert.deepEqual([issue.code, issue.line, issue.column], ['XML_MALFORMED', 3, 14]);
    assert.match(issue.message, /Entity 'secret' not defined/);
  });

  it('refuses namespace errors as XML_MALFORMED (Namespaces in XML 1.0)', () => {
    const issue = onlyIssue(parseXml('<p:a/>'));
    assert.deepEqual(
      [issue.code, issue.line, issue.column, issue.message],
      ['XML_MALFORMED', 1, 5, 'Namespace prefix p on a is not defined'],
    );
    assert.equal(onlyIssue(parseXml('<a xmlns:p=""/>')).code, 'XML_MALFORMED');
  });

  it('refuses a document over the default 10 MiB as XML_TOO_LARGE before parsing', () => {
    const big = `<a>${'x'.repeat(DEFAULT_MAX_BYTES)}</a>`;
    const issue = onlyIssue(parseXml(big));
    assert.equal(issue.code, 'XML_TOO_LARGE');
    assert.equal(issue.line, null);
    assert.equal(issue.message, `the document is ${DEFAULT_MAX_BYTES + 7} bytes; the limit is ${DEFAULT_MAX_BYTES} bytes`);
  });

  it('applies a configured size limit, counting UTF-8 bytes', () => {
    assert.equal(onlyIssue(parseXml('<a>éé</a>', { maxBytes: 10 })).code, 'XML_TOO_LARGE'); // 11 bytes
    assert.equal(parseXml('<a>é</a>', { maxBytes: 9 }).ok, true); // 9 bytes
  });

  it('refuses nesting deeper than 64 as XML_TOO_DEEP at the offending element', () => {
    assert.equal(parseXml(nested(64)).ok, true);
    const issue = onlyIssue(parseXml(`<r>\n${nested(64)}</r>`));
    assert.equal(issue.code, 'XML_TOO_DEEP');
    assert.equal(issue.line, 2);
    assert.equal(issue.column, 190); // the 64th <a> on line 2 is the 65th level
    assert.equal(issue.message, 'element <a> is nested 65 levels deep; the limit is 64');
  });

  it('applies a configured depth limit, and counts empty elements as a level', () => {
    assert.equal(parseXml('<a><b><c/></b></a>', { maxDepth: 3 }).ok, true);
    assert.equal(onlyIssue(parseXml('<a><b><c/></b></a>', { maxDepth: 2 })).code, 'XML_TOO_DEEP');
  });

  it('refuses a very deep document without handing it to libxml2', () => {
    const t0 = performance.now();
    const issue = onlyIssue(parseXml(nested(100_000)));
    assert.equal(issue.code, 'XML_TOO_DEEP');
    assert.ok(performance.now() - t0 < 1000);
  });

  it('refuses non-UTF-8 bytes (Latin-1 é) with the byte offset, line and column', () => {
    const issue = onlyIssue(parseXml(hostile('latin1-bytes.xml')));
    assert.equal(issue.code, 'XML_NOT_UTF8');
    assert.deepEqual([issue.line, issue.column], [3, 12]);
    assert.equal(issue.message, 'byte offset 137: byte 0xE9 does not begin a valid UTF-8 sequence; the document must be encoded in UTF-8');
  });

  it('refuses a string with an unpaired surrogate (it cannot be encoded as UTF-8)', () => {
    const issue = onlyIssue(parseXml('<a>\n x\uD800y</a>'));
    assert.deepEqual([issue.code, issue.line, issue.column], ['XML_NOT_UTF8', 2, 3]);
  });

  it('refuses encoding="ISO-8859-1" in the XML declaration', () => {
    const issue = onlyIssue(parseXml(hostile('encoding-iso-8859-1.xml')));
    assert.deepEqual([issue.code, issue.line, issue.column], ['XML_ENCODING_UNSUPPORTED', 1, 21]);
    assert.equal(issue.message, 'the XML declaration names encoding "ISO-8859-1"; only UTF-8 is accepted');
  });

  it('accepts encoding="utf-8" in any letter case (XML 1.0 §4.3.3)', () => {
    assert.equal(parseXml("<?xml version='1.0' encoding='utf-8'?><a/>").ok, true);
  });

  it('refuses empty input as XML_EMPTY', () => {
    assert.equal(onlyIssue(parseXml(hostile('empty.xml'))).code, 'XML_EMPTY');
    assert.equal(onlyIssue(parseXml('')).code, 'XML_EMPTY');
    assert.equal(onlyIssue(parseXml(' \n\t ')).code, 'XML_EMPTY');
    assert.equal(onlyIssue(parseXml(Buffer.from([0xef, 0xbb, 0xbf]))).code, 'XML_EMPTY');
  });

  it('accepts a UTF-8 byte-order mark, in bytes and in a string', () => {
    const sample = readFileSync(sharedPath('samples', 'iec62325', 'hexagon__gl.load.singlepoint.xml'));
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), sample]);
    assert.equal(tree(parseXml(withBom)).name, 'GL_MarketDocument');
    assert.equal(tree(parseXml(`\uFEFF${sample.toString('utf8')}`)).name, 'GL_MarketDocument');
  });

  it('does not process XInclude', () => {
    const root = tree(parseXml(hostile('xinclude.xml')));
    const inc = root.children[0];
    assert.equal(inc?.name, 'include');
    assert.equal(inc?.ns, 'http://www.w3.org/2001/XInclude');
    assert.ok(!JSON.stringify(root).includes('root:'));
  });
});

describe('libxml2 options on their own (defence in depth, DOCTYPE pre-check bypassed)', () => {
  it('does not expand an external entity (XXE), even to a readable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tps-xxe-'));
    try {
      const secret = join(dir, 'secret.txt');
      writeFileSync(secret, 'TOP-SECRET-MARKER');
      const doc = Buffer.from(`<!DOCTYPE a [<!ENTITY x SYSTEM "file://${secret}">]><a>&x;</a>`);
      const content = withLibxmlDocument(doc, (d) => d.root.content);
      assert.equal(content.ok, true);
      assert.ok(content.ok && !content.value.includes('TOP-SECRET-MARKER'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not load an external DTD', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tps-dtd-'));
    try {
      const dtd = join(dir, 'evil.dtd');
      writeFileSync(dtd, '<!ENTITY ext "EXTERNAL-DTD-LOADED">');
      const r = withLibxmlDocument(Buffer.from(`<!DOCTYPE a SYSTEM "file://${dtd}"><a>&ext;</a>`), (d) => d.root.content);
      assert.ok(!(r.ok && r.value.includes('EXTERNAL-DTD-LOADED')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses billion laughs by its entity amplification limit', () => {
    const r = withLibxmlDocument(hostile('billion-laughs.xml'), () => 'parsed');
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error[0]?.code, 'XML_MALFORMED');
      assert.match(r.error[0]?.message ?? '', /amplification/);
    }
  });
});

describe('parseXml returns a plain element tree', () => {
  const ns = 'urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:0';

  it('reads root name, namespace, children in order, text, attributes and lines of a real sample', () => {
    const root = tree(parseXml(readFileSync(sharedPath('samples', 'iec62325', 'hexagon__gl.load.singlepoint.xml'))));
    assert.equal(root.name, 'GL_MarketDocument');
    assert.equal(root.ns, ns);
    assert.equal(root.line, 2);
    assert.deepEqual(
      root.children.slice(0, 4).map((c) => c.name),
      ['mRID', 'revisionNumber', 'type', 'process.processType'],
    );
    assert.equal(childText(root, 'mRID'), '5693afe33ce749e4b0cea17f1f64f211');
    const sender = child(root, 'sender_MarketParticipant.mRID');
    assert.equal(sender?.text, '10X1001A1001A450');
    assert.equal(sender && attr(sender, 'codingScheme'), 'A01');
    assert.equal(sender?.line, 7);
    const point = path(root, 'TimeSeries', 'Period', 'Point');
    assert.equal(point && childText(point, 'quantity'), '6288');
    assert.equal(point?.line, 29);
    assert.equal(children(root, 'TimeSeries').length, 1);
  });

  it('agrees with libxml2 on every element name, namespace, attribute, text and line of the samples', () => {
    const dir = sharedPath('samples', 'iec62325');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.xml'))) {
      const bytes = readFileSync(join(dir, f));
      const ours = tree(parseXml(bytes));
      const theirs = withLibxmlDocument(bytes, (d) => fromLibxml(d.root));
      assert.ok(theirs.ok);
      assert.deepEqual(normalise(ours), theirs.value, f);
    }
  });

  it('decodes entities and character references and normalises attribute values (XML 1.0 §2.11, §3.3.3, §4.6)', () => {
    const root = tree(parseXml('<a t="x&#10;y\tz&amp;&quot;">1 &lt; 2 &amp;&amp; &#x41;&#66; &gt;<![CDATA[<raw> & ]]>\r\nend</a>'));
    assert.equal(root.attrs['t'], 'x\ny z&"');
    assert.equal(root.text, '1 < 2 && AB ><raw> & \nend');
  });

  it('resolves prefixed and default namespaces for elements and attributes', () => {
    const root = tree(parseXml('<p:r xmlns:p="urn:p" xmlns="urn:d" xmlns:q="urn:q"><c q:x="1" y="2"/><q:d xmlns="urn:e"><e/></q:d></p:r>'));
    assert.deepEqual([root.name, root.ns], ['r', 'urn:p']);
    const [c, d] = root.children;
    assert.deepEqual([c?.name, c?.ns], ['c', 'urn:d']);
    assert.deepEqual({ ...c?.attrs }, { '{urn:q}x': '1', y: '2' });
    assert.deepEqual([d?.name, d?.ns, d?.children[0]?.ns], ['d', 'urn:q', 'urn:e']);
    assert.equal(c && attr(c, 'x', 'urn:q'), '1');
  });

  it('keeps attributes named like Object.prototype members as plain data', () => {
    const root = tree(parseXml('<a __proto__="p" constructor="c" toString="t"/>'));
    assert.equal(root.attrs['__proto__'], 'p');
    assert.equal(root.attrs['constructor'], 'c');
    assert.equal(Object.getPrototypeOf(root.attrs), null);
  });

  it('ignores comments and processing instructions and counts CR LF as one line', () => {
    const root = tree(parseXml('<?xml version="1.0"?>\r\n<!-- c <x/> -->\r\n<a>\r\n<?pi x?>\r\n  <b/>\r\n</a>'));
    assert.deepEqual(
      root.children.map((c) => [c.name, c.line]),
      [['b', 5]],
    );
  });

  it('numbers an element by the line its start tag ends on, like libxml2', () => {
    const root = tree(parseXml('<a\n x="1"\n>\n<b\n/></a>'));
    assert.deepEqual([root.line, root.children[0]?.line], [3, 5]);
  });

  it('treats names with no namespace as ns ""', () => {
    const root = tree(parseXml('<SignedMessage SenderDomain="a.example.com"/>'));
    assert.deepEqual([root.ns, root.attrs['SenderDomain']], ['', 'a.example.com']);
  });
});
