import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { isHubError } from '../../../src/shared/errors.js';
import { SchemaRegistry } from '../../../src/xml/schema-registry.js';
import { validateXml } from '../../../src/xml/validate.js';
import { sharedPath } from '../../support/paths.js';

const GL = 'urn:iec62325.351:tc57wg16:451-6:generationloaddocument';
const xs = (body: string, attrs = ''): string =>
  `<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" ${attrs}>\n${body}\n</xs:schema>\n`;

describe('SchemaRegistry over the official IEC 62325 schemas', () => {
  let registry: SchemaRegistry;
  before(() => {
    registry = SchemaRegistry.fromDirectories([sharedPath('conformance', 'iec62325')]);
  });
  after(() => registry.close());

  it('keys each document schema by its targetNamespace and root element', () => {
    const d = registry.detect('GL_MarketDocument', `${GL}:3:0`);
    assert.ok(d.ok);
    assert.equal(d.value.documentType, 'GL_MarketDocument');
    assert.equal(d.value.version, '3:0');
    assert.equal(d.value.family, 'iec62325');
    assert.equal(basename(d.value.schema.path), 'iec62325-451-6-generationload_v3_0.xsd');
    const ack = registry.detect('Acknowledgement_MarketDocument', 'urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:8:1');
    assert.ok(ack.ok && ack.value.version === '8:1');
  });

  it('treats the included code-list part as no entry schema and the code list as declaring no documents', () => {
    const names = registry.schemas.map((s) => basename(s.path));
    assert.ok(!names.includes('urn-entsoe-eu-local-extension-types.xsd'));
    assert.deepEqual(registry.schemas.find((s) => basename(s.path) === 'urn-entsoe-eu-wgedi-codelists.xsd')?.rootElements, []);
    assert.equal(registry.schemas.filter((s) => s.family === 'iec62325').length, 20);
    assert.deepEqual(registry.warnings, []);
  });

  it('names the supported versions for an unsupported one', () => {
    const d = registry.detect('Unavailability_MarketDocument', 'urn:iec62325.351:tc57wg16:451-6:outagedocument:2:0');
    assert.ok(!d.ok);
    assert.equal(d.error.code, 'XML_UNSUPPORTED_VERSION');
    assert.match(d.error.message, /supported versions: 3:0, 3:1, 4:0, 4:1$/);
  });

  it('reports unknown pairs as XML_UNKNOWN_DOCUMENT', () => {
    for (const [root, ns] of [
      ['Nope_MarketDocument', `${GL}:3:0`],
      ['GL_MarketDocument', null],
      ['GL_MarketDocument', 'urn:other'],
    ] as const) {
      const d = registry.detect(root, ns);
      assert.ok(!d.ok);
      assert.equal(d.error.code, 'XML_UNKNOWN_DOCUMENT');
    }
  });

  it('compiles a schema once and caches it', () => {
    const d = registry.detect('GL_MarketDocument', `${GL}:3:1`);
    assert.ok(d.ok);
    const first = registry.compiledSchema(d.value.schema);
    assert.ok(first.ok);
    assert.equal(registry.compiledSchema(d.value.schema), first);
  });
});

describe('SchemaRegistry over the official UFTP schemas (no targetNamespace, three role entry schemas, an unreleased subdirectory)', () => {
  let registry: SchemaRegistry;
  before(() => {
    registry = SchemaRegistry.fromDirectories([sharedPath('conformance', 'uftp')]);
  });
  after(() => registry.close());

  it('finds the role entry schemas, not the included parts', () => {
    assert.deepEqual(
      registry.schemas.map((s) => s.path.slice(sharedPath('conformance', 'uftp').length + 1)),
      [
        'UFTP-agr.xsd',
        'UFTP-dso.xsd',
        'UFTP-cro.xsd',
        'main-unreleased/UFTP-agr.xsd',
        'main-unreleased/UFTP-dso.xsd',
        'main-unreleased/UFTP-cro.xsd',
      ],
    );
    assert.ok(registry.schemas.every((s) => s.family === 'uftp' && s.targetNamespace === null));
  });

  it('keys messages by root name, preferring the top-level release over the subdirectory', () => {
    const offer = registry.detect('FlexOffer', null);
    assert.ok(offer.ok);
    assert.equal(offer.value.schema.path, sharedPath('conformance', 'uftp', 'UFTP-agr.xsd'));
    assert.equal(offer.value.family, 'uftp');
    const signed = registry.detect('SignedMessage', '');
    assert.ok(signed.ok && signed.value.documentType === 'SignedMessage');
  });

  it('finds messages only one role schema declares', () => {
    const cro = registry.schemas.find((s) => s.path.endsWith('/uftp/UFTP-cro.xsd'));
    const agr = registry.schemas.find((s) => s.path.endsWith('/uftp/UFTP-agr.xsd'));
    const onlyCroDso = cro?.rootElements.find((r) => !agr?.rootElements.includes(r));
    assert.ok(onlyCroDso, 'the CRO schema declares a message the AGR schema does not');
    const d = registry.detect(onlyCroDso, null);
    assert.ok(d.ok && !d.value.schema.path.includes('main-unreleased'));
  });
});

describe('SchemaRegistry on any directory', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tps-xsd-'));
    // a UFTP-like set: one entry schema including parts, in a version directory
    mkdirSync(join(dir, 'uftp', '3.1.0'), { recursive: true });
    writeFileSync(
      join(dir, 'uftp', '3.1.0', 'UFTP.xsd'),
      xs('<xs:include schemaLocation="common.xsd"/><xs:include schemaLocation="sub/agr.xsd"/>'),
    );
    writeFileSync(
      join(dir, 'uftp', '3.1.0', 'common.xsd'),
      xs(
        '<xs:element name="SignedMessage"><xs:complexType><xs:attribute name="Body" type="xs:base64Binary"/></xs:complexType></xs:element>',
      ),
    );
    mkdirSync(join(dir, 'uftp', '3.1.0', 'sub'));
    writeFileSync(
      join(dir, 'uftp', '3.1.0', 'sub', 'agr.xsd'),
      xs(
        '<xs:include schemaLocation="../common.xsd"/><xs:element name="Ping"><xs:complexType><xs:sequence><xs:element name="Local" type="xs:string"/></xs:sequence></xs:complexType></xs:element>',
      ),
    );
    // an IEC-like schema, one that does not compile, a non-schema and a file that is not XML
    mkdirSync(join(dir, 'iec'));
    writeFileSync(join(dir, 'iec', 'gl.xsd'), xs('<xs:element name="GL_MarketDocument" type="xs:string"/>', `targetNamespace="${GL}:3:0"`));
    writeFileSync(join(dir, 'iec', 'broken.xsd'), xs('<xs:element name="Broken" type="NoSuchType"/>', 'targetNamespace="urn:broken"'));
    writeFileSync(join(dir, 'iec', 'not-a-schema.xsd'), '<html><body/></html>');
    writeFileSync(join(dir, 'iec', 'garbage.xsd'), '<<<');
    writeFileSync(
      join(dir, 'iec', 'dangling.xsd'),
      xs('<xs:import namespace="urn:gone" schemaLocation="gone.xsd"/>', 'targetNamespace="urn:dangling"'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keys a no-namespace entry schema by the global elements of its whole include chain (and not local elements)', () => {
    const r = SchemaRegistry.fromDirectories([join(dir, 'uftp')]);
    try {
      assert.deepEqual(
        r.schemas.map((s) => [basename(s.path), s.family, s.version, [...s.rootElements].sort()]),
        [['UFTP.xsd', 'uftp', '3.1.0', ['Ping', 'SignedMessage']]],
      );
      assert.ok(!r.detect('Local', null).ok);
      const ping = r.detect('Ping', null);
      assert.ok(ping.ok && ping.value.version === '3.1.0');
      assert.equal(validateXml('<Ping><Local>x</Local></Ping>', r).valid, true);
      assert.deepEqual(
        validateXml('<Ping><Other/></Ping>', r).issues.map((i) => i.code),
        ['XML_SCHEMA_INVALID'],
      );
    } finally {
      r.close();
    }
  });

  it('skips files that are not schemas, with a warning, and reports a schema that does not compile when it is needed', () => {
    const r = SchemaRegistry.fromDirectories([join(dir, 'iec')]);
    try {
      assert.deepEqual(r.warnings.map((w) => basename(w.path)).sort(), ['dangling.xsd', 'garbage.xsd', 'not-a-schema.xsd']);
      assert.match(r.warnings.find((w) => w.path.endsWith('dangling.xsd'))?.reason ?? '', /imports .*gone\.xsd, which does not exist/);
      const v = validateXml('<Broken xmlns="urn:broken">x</Broken>', r);
      assert.deepEqual(
        v.issues.map((i) => i.code),
        ['XML_SCHEMA_LOAD_FAILED'],
      );
      assert.match(v.issues[0]?.message ?? '', /broken\.xsd could not be compiled: line 3: Element .*attribute 'type'/);
      assert.equal(validateXml(`<GL_MarketDocument xmlns="${GL}:3:0">x</GL_MarketDocument>`, r).valid, true);
    } finally {
      r.close();
    }
  });

  it('lets the first directory given win when two declare the same document', () => {
    const r = SchemaRegistry.fromDirectories([join(dir, 'iec'), sharedPath('conformance', 'iec62325')]);
    try {
      const d = r.detect('GL_MarketDocument', `${GL}:3:0`);
      assert.ok(d.ok && d.value.schema.path === join(dir, 'iec', 'gl.xsd'));
      const other = r.detect('GL_MarketDocument', `${GL}:3:2`);
      assert.ok(other.ok && other.value.schema.path.includes('conformance'));
    } finally {
      r.close();
    }
  });

  it('throws INPUT_UNREADABLE for a directory that does not exist', () => {
    assert.throws(
      () => SchemaRegistry.fromDirectories([join(dir, 'missing')]),
      (e: unknown) => isHubError(e, 'INPUT_UNREADABLE') && e.message.includes('missing'),
    );
  });

  it('cannot be used after close()', () => {
    const r = SchemaRegistry.fromDirectories([join(dir, 'iec')]);
    r.close();
    assert.throws(() => r.detect('GL_MarketDocument', `${GL}:3:0`), /closed/);
  });
});
