import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SchemaRegistry } from '../../../src/xml/schema-registry.js';
import { validateXml, type ValidationResult } from '../../../src/xml/validate.js';
import { repoPath, sharedPath } from '../../support/paths.js';
import { flexOffer, GL_NS_3_0, glMarketDocument, signedBody, signedMessage } from '../../support/xml-docs.js';

const samplesDir = sharedPath('samples', 'iec62325');
const hostile = (name: string): Buffer => readFileSync(repoPath('test', 'fixtures', 'xml', 'hostile', name));

/** 1-based line of the first occurrence of `marker`. */
function lineOf(text: string, marker: string): number {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `marker ${marker} not found`);
  return text.slice(0, at).split('\n').length;
}

function codes(r: ValidationResult): string[] {
  return r.issues.map((i) => i.code);
}

describe('validateXml with the official IEC 62325 schemas', () => {
  let registry: SchemaRegistry;
  before(() => {
    registry = SchemaRegistry.fromDirectories([sharedPath('conformance', 'iec62325')]);
  });
  after(() => registry.close());

  it('classifies every sample in ../shared/samples/iec62325: 7 valid, the unavailability one invalid at lines 55 and 74', () => {
    const files = readdirSync(samplesDir)
      .filter((f) => f.endsWith('.xml'))
      .sort();
    assert.equal(files.length, 8);
    const results = new Map(files.map((f) => [f, validateXml(readFileSync(join(samplesDir, f)), registry)]));
    const valid = files.filter((f) => results.get(f)?.valid);
    assert.deepEqual(
      valid,
      files.filter((f) => f !== 'hexagon__unavailability.consumption.xml'),
    );
    const bad = results.get('hexagon__unavailability.consumption.xml');
    assert.ok(bad);
    assert.equal(bad.valid, false);
    assert.equal(bad.documentType, 'Unavailability_MarketDocument');
    assert.equal(bad.version, '3:0');
    assert.equal(bad.family, 'iec62325');
    assert.deepEqual(
      bad.issues.map((i) => [i.code, i.line, i.column]),
      [
        ['XML_SCHEMA_INVALID', 55, null],
        ['XML_SCHEMA_INVALID', 74, null],
      ],
    );
    for (const i of bad.issues) assert.match(i.message, /quantity': '' is not a valid value of the atomic type 'xs:decimal'/);
  });

  it('detects document type, version and family of the valid samples', () => {
    const r = validateXml(readFileSync(join(samplesDir, 'hexagon__acknowledgement.invalidrequest.xml')), registry);
    assert.deepEqual([r.valid, r.documentType, r.version, r.family], [true, 'Acknowledgement_MarketDocument', '7:0', 'iec62325']);
    assert.deepEqual(r.notes, []);
  });

  it('accepts a generated 5 KB GL_MarketDocument', () => {
    const doc = glMarketDocument();
    assert.ok(doc.length > 5000 && doc.length < 7000);
    const r = validateXml(doc, registry);
    assert.deepEqual(r.issues, []);
    assert.equal(r.valid, true);
  });

  it('reports every schema error, each with its line and an unknown column', () => {
    const text = glMarketDocument()
      .replace('<type>A65</type>', '<type>ZZZ</type>')
      .replace('<createdDateTime>2016-02-26T07:24:53Z<', '<createdDateTime>yesterday<')
      .replace('<quantity>6010</quantity>', '<quantity>lots</quantity>');
    const r = validateXml(text, registry);
    assert.equal(r.valid, false);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.line, i.column]),
      [
        ['XML_SCHEMA_INVALID', lineOf(text, '<type>ZZZ'), null],
        ['XML_SCHEMA_INVALID', lineOf(text, '<createdDateTime>yesterday'), null],
        ['XML_SCHEMA_INVALID', lineOf(text, '<quantity>lots'), null],
      ],
    );
    assert.match(r.issues[0]?.message ?? '', /'ZZZ' is not a valid value/);
    assert.match(r.issues[2]?.message ?? '', /'lots' is not a valid value of the atomic type 'xs:decimal'/);
  });

  it('reports an unknown root element and namespace as XML_UNKNOWN_DOCUMENT at the root line', () => {
    const r = validateXml(hostile('unknown-document.xml'), registry);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.line]),
      [['XML_UNKNOWN_DOCUMENT', 2]],
    );
    assert.equal(r.issues[0]?.message, 'no known schema declares the root element Invoice in namespace urn:example:invoice:1:0');
    assert.deepEqual([r.valid, r.documentType, r.family], [false, null, null]);
  });

  it('reports a known root in an unsupported namespace version as XML_UNSUPPORTED_VERSION naming the supported ones', () => {
    const r = validateXml(hostile('wrong-version.xml'), registry);
    assert.deepEqual(codes(r), ['XML_UNSUPPORTED_VERSION']);
    assert.equal(r.issues[0]?.line, 2);
    assert.equal(
      r.issues[0]?.message,
      'GL_MarketDocument version 9:9 (namespace urn:iec62325.351:tc57wg16:451-6:generationloaddocument:9:9) is not supported; supported versions: 3:0, 3:1, 3:2',
    );
  });

  it('reports a known root in another document family namespace as unknown', () => {
    const r = validateXml(glMarketDocument({ namespace: 'urn:iec62325.351:tc57wg16:451-6:outagedocument:3:0' }), registry);
    assert.deepEqual(codes(r), ['XML_UNKNOWN_DOCUMENT']);
  });

  it('passes parse refusals through unchanged', () => {
    assert.deepEqual(codes(validateXml(hostile('malformed-tag-mismatch.xml'), registry)), ['XML_MALFORMED']);
    assert.deepEqual(codes(validateXml(hostile('xxe-file-entity.xml'), registry)), ['XML_DOCTYPE_FORBIDDEN']);
    assert.deepEqual(codes(validateXml(hostile('latin1-bytes.xml'), registry)), ['XML_NOT_UTF8']);
    assert.deepEqual(codes(validateXml(hostile('empty.xml'), registry)), ['XML_EMPTY']);
    assert.deepEqual(codes(validateXml(glMarketDocument(), registry, { maxBytes: 1000 })), ['XML_TOO_LARGE']);
    assert.deepEqual(codes(validateXml(glMarketDocument(), registry, { maxDepth: 3 })), ['XML_TOO_DEEP']);
  });

  it('returns the element tree of a valid document when asked, and none otherwise', () => {
    const r = validateXml(glMarketDocument({ mRID: 'abc' }), registry, { tree: true });
    assert.equal(r.root?.name, 'GL_MarketDocument');
    assert.equal(r.root?.children[0]?.text, 'abc');
    assert.equal(validateXml(glMarketDocument(), registry).root, undefined);
    assert.equal(validateXml(hostile('wrong-version.xml'), registry, { tree: true }).root, undefined);
  });

  it('ignores xsi:schemaLocation hints in the instance (the registry picks the schema)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tps-xsi-'));
    try {
      const lax = join(dir, 'lax.xsd');
      writeFileSync(
        lax,
        `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${GL_NS_3_0}"><xs:element name="GL_MarketDocument"/></xs:schema>`,
      );
      const doc = glMarketDocument()
        .replace('<type>A65</type>', '<type>ZZZ</type>')
        .replace(
          `xmlns="${GL_NS_3_0}"`,
          `xmlns="${GL_NS_3_0}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${GL_NS_3_0} file://${lax}"`,
        );
      assert.deepEqual(codes(validateXml(doc, registry)), ['XML_SCHEMA_INVALID']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validateXml with the official UFTP 3.1.0 schemas', () => {
  let registry: SchemaRegistry;
  before(() => {
    registry = SchemaRegistry.fromDirectories([sharedPath('conformance', 'uftp')]);
  });
  after(() => registry.close());

  it('validates a FlexOffer and reports its Version attribute as the version', () => {
    const r = validateXml(flexOffer(), registry);
    assert.deepEqual(r.issues, []);
    assert.deepEqual([r.valid, r.documentType, r.version, r.family], [true, 'FlexOffer', '3.1.0', 'uftp']);
  });

  it('validates the payload inside a SignedMessage and notes that the signature was not verified', () => {
    const r = validateXml(signedMessage(signedBody(flexOffer())), registry);
    assert.deepEqual(r.issues, []);
    assert.equal(r.valid, true);
    assert.equal(r.documentType, 'SignedMessage');
    assert.deepEqual(r.inner, { documentType: 'FlexOffer', version: '3.1.0', family: 'uftp' });
    assert.deepEqual(
      r.notes.map((n) => n.code),
      ['UFTP_SIGNATURE_NOT_VERIFIED'],
    );
    assert.match(r.notes[0]?.message ?? '', /not verified: no public key for agr\.example\.com \(AGR\)/);
  });

  it('accepts a Body broken over lines (xs:base64Binary allows white space)', () => {
    const body = signedBody(flexOffer()).replace(/(.{76})/g, '$1\n');
    assert.equal(validateXml(signedMessage(body), registry).valid, true);
  });

  it('reports schema errors of the payload with a Body prefix at the envelope line', () => {
    const inner = flexOffer().replace('Currency="EUR"', 'Currency="euro"');
    const r = validateXml(signedMessage(signedBody(inner)), registry);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.line, i.column]),
      [['XML_SCHEMA_INVALID', 2, null]],
    );
    assert.match(
      r.issues[0]?.message ?? '',
      /^Body: line 2: Element 'FlexOffer', attribute 'Currency': \[facet 'pattern'\] The value 'euro'/,
    );
    assert.equal(r.inner?.documentType, 'FlexOffer');
  });

  it('reports a malformed payload with its position inside the Body', () => {
    const r = validateXml(signedMessage(signedBody('<FlexOffer>\n  <x>\n</FlexOffer>')), registry);
    assert.deepEqual(codes(r), ['XML_MALFORMED']);
    assert.match(r.issues[0]?.message ?? '', /^Body: line 3, column \d+: Opening and ending tag mismatch/);
  });

  it('reports a payload SenderDomain that differs from the envelope', () => {
    const r = validateXml(signedMessage(signedBody(flexOffer({ senderDomain: 'other.example.com' })), 'agr.example.com'), registry);
    assert.deepEqual(codes(r), ['UFTP_SENDER_DOMAIN_MISMATCH']);
    assert.equal(
      r.issues[0]?.message,
      'Body: SenderDomain "other.example.com" differs from the SignedMessage SenderDomain "agr.example.com"',
    );
    assert.equal(r.valid, false);
  });

  it('refuses a Body that is not base64', () => {
    const r = validateXml('<SignedMessage SenderDomain="agr.example.com" SenderRole="AGR" Body="not base64!"/>', registry);
    assert.ok(codes(r).includes('UFTP_BODY_INVALID'));
    assert.equal(r.issues.find((i) => i.code === 'UFTP_BODY_INVALID')?.line, 1);
  });

  it('refuses a Body shorter than the 64-byte signature', () => {
    const r = validateXml(signedMessage(Buffer.alloc(10).toString('base64')), registry);
    assert.deepEqual(codes(r), ['UFTP_BODY_INVALID']);
    assert.equal(r.issues[0]?.message, 'Body decodes to 10 bytes; a signed message starts with a 64-byte Ed25519 signature');
  });

  it('refuses a SignedMessage inside a SignedMessage', () => {
    const r = validateXml(signedMessage(signedBody(signedMessage(signedBody(flexOffer())))), registry);
    assert.deepEqual(codes(r), ['UFTP_BODY_INVALID']);
    assert.match(r.issues[0]?.message ?? '', /^Body: .*not another SignedMessage/);
  });

  it('applies the hardened parser to the payload too', () => {
    const r = validateXml(signedMessage(signedBody('<!DOCTYPE x [<!ENTITY e "e">]><FlexOffer/>')), registry);
    assert.deepEqual(codes(r), ['XML_DOCTYPE_FORBIDDEN']);
    assert.match(r.issues[0]?.message ?? '', /^Body: line 1, column 1: DOCTYPE/);
  });
});
