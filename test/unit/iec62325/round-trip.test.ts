/**
 * Model → XML → model for every document type and version (IEC_FIXTURE_CASES), every built document valid
 * against our schemas (xsd/iec62325, identical to the official ones), and lexical decimals kept byte for byte.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  buildAcknowledgement,
  buildConfiguration,
  buildDocument,
  buildGl,
  buildResourceMapping,
  buildStatusRequest,
  buildUnavailability,
  detectAndParse,
  DOCUMENTS,
  parseAcknowledgement,
  parseConfiguration,
  parseGl,
  parseResourceMapping,
  parseStatusRequest,
  parseUnavailability,
  type IecDocument,
  type IecIssue,
} from '../../../src/iec62325/index.js';
import type { Result } from '../../../src/shared/result.js';
import { parseXml, SchemaRegistry, validateXml } from '../../../src/xml/index.js';
import { aCapacityLimit, aGlDocument, aGlTimeSeries, anAcknowledgement, aPeriod, IEC_FIXTURE_CASES } from '../../builders/iec62325.js';
import { repoPath } from '../../support/paths.js';

/** The parser of a kind, applied to XML text. */
function parseAs(doc: IecDocument, xml: string): Result<unknown, IecIssue[]> {
  switch (doc.kind) {
    case 'acknowledgement':
      return parseAcknowledgement(xml);
    case 'statusRequest':
      return parseStatusRequest(xml);
    case 'generationLoad':
      return parseGl(xml);
    case 'unavailability':
      return parseUnavailability(xml);
    case 'configuration':
      return parseConfiguration(xml);
    case 'resourceMapping':
      return parseResourceMapping(xml);
  }
}

function parsedDocument(xml: string): IecDocument['document'] {
  const r = detectAndParse(xml);
  if (!r.ok) assert.fail(`parse failed: ${r.error.map((i) => `${i.line ?? '?'}: ${i.message}`).join('; ')}`);
  return r.value.document;
}

describe('round trip of every document type and version', () => {
  let registry: SchemaRegistry;
  before(() => {
    registry = SchemaRegistry.fromDirectories([repoPath('xsd')]);
  });
  after(() => registry.close());

  it('covers every document type in every version the hub emits or accepts', () => {
    for (const d of DOCUMENTS) {
      for (const v of d.versions) {
        assert.ok(
          IEC_FIXTURE_CASES.some((c) => c.root === d.root && c.version === v.version),
          `a fixture for ${d.root} ${v.version}`,
        );
      }
    }
  });

  for (const c of IEC_FIXTURE_CASES) {
    it(`${c.root} ${c.version} ${c.name}: valid against xsd/, parses back to the same model, rebuilds the same bytes`, () => {
      const xml = buildDocument(c.doc, { version: c.version });
      const v = validateXml(xml, registry);
      assert.deepEqual(v.issues, []);
      assert.equal(v.valid, true);
      assert.equal(v.documentType, c.root);
      assert.equal(v.version, c.version);

      const detected = detectAndParse(xml);
      assert.ok(detected.ok, detected.ok ? '' : JSON.stringify(detected.error));
      assert.equal(detected.value.kind, c.doc.kind);
      assert.equal(detected.value.root, c.root);
      assert.equal(detected.value.version, c.version);
      assert.deepEqual(detected.value.document, c.doc.document);

      const direct = parseAs(c.doc, xml);
      assert.ok(direct.ok);
      assert.deepEqual(direct.value, c.doc.document);

      assert.equal(buildDocument(detected.value, { version: c.version }), xml);
      // one-line output reads back the same
      assert.deepEqual(parsedDocument(buildDocument(c.doc, { version: c.version, indent: 0 })), c.doc.document);
    });
  }

  it('writes the version the hub emits when no version is given', () => {
    const emitted = new Map(DOCUMENTS.map((d) => [d.kind, d.versions.find((v) => v.emitted)?.namespace]));
    for (const c of IEC_FIXTURE_CASES.filter(
      (x) => x.version === DOCUMENTS.find((d) => d.root === x.root)?.versions.find((v) => v.emitted)?.version,
    )) {
      const root = parseXml(buildDocument(c.doc));
      assert.ok(root.ok);
      assert.equal(root.value.ns, emitted.get(c.doc.kind), c.name);
    }
    assert.match(buildAcknowledgement(anAcknowledgement()), /acknowledgementdocument:8:1/);
  });
});

describe('version-independent models', () => {
  it('the same GL model is written as 3:0 or 3:2, differing only in namespace and the unit element name', () => {
    const doc = aGlDocument();
    const v30 = buildGl(doc, { version: '3:0' });
    const v32 = buildGl(doc, { version: '3:2' });
    assert.equal(v30.replace(':3:0"', ':3:2"').replaceAll('quantity_Measure_Unit.name', 'quantity_Measurement_Unit.name'), v32);
    assert.deepEqual(parsedDocument(v30), parsedDocument(v32));
  });

  it('the same capacity limit is written as outage 3:0 or 4:1', () => {
    const doc = aCapacityLimit();
    assert.deepEqual(parsedDocument(buildUnavailability(doc, { version: '3:0' })), doc);
    assert.deepEqual(parsedDocument(buildUnavailability(doc, { version: '4:1' })), doc);
  });
});

describe('decimal quantities keep their lexical form (decision: quantities are strings)', () => {
  const spellings = ['1.50', '-0.0', '+2', '.5', '007', '-11.000', '123456789012345678901234567890.123456789', '0'];

  for (const version of ['3:2', '3:0']) {
    it(`GL ${version}: every spelling survives model → XML → model and XML → model → XML`, () => {
      const doc = aGlDocument({
        timeSeries: [
          aGlTimeSeries({ period: [aPeriod(spellings, { timeInterval: { start: '2026-03-01T23:00Z', end: '2026-03-02T01:00Z' } })] }),
        ],
      });
      const xml = buildGl(doc, { version });
      for (const s of spellings) assert.ok(xml.includes(`<quantity>${s}</quantity>`), s);
      const back = parseGl(xml);
      assert.ok(back.ok);
      assert.deepEqual(
        back.value.timeSeries[0]?.period?.[0]?.point.map((p) => p.quantity),
        spellings,
      );
      assert.equal(buildGl(back.value, { version }), xml);
    });
  }

  it('quantities are not numbers: 1.50 is not turned into 1.5, and a value beyond 2^53 keeps its digits', () => {
    const xml = buildGl(
      aGlDocument({
        timeSeries: [
          aGlTimeSeries({
            period: [aPeriod(['1.50', '9007199254740993'], { timeInterval: { start: '2026-03-01T23:00Z', end: '2026-03-01T23:30Z' } })],
          }),
        ],
      }),
    );
    assert.ok(xml.includes('<quantity>1.50</quantity>'));
    assert.ok(xml.includes('<quantity>9007199254740993</quantity>'));
  });

  it('free text keeps its white space (xs:string), tokens are trimmed (whiteSpace collapse)', () => {
    const doc = anAcknowledgement({
      reason: [
        { code: 'A02', text: '  two spaces before, one after ' },
        { code: 'A95', text: ' ' },
      ],
    });
    const xml = buildAcknowledgement(doc);
    assert.deepEqual(parsedDocument(xml), doc);
    const padded = xml.replace('<code>A02</code>', '<code>\n      A02\n    </code>');
    assert.notEqual(padded, xml);
    assert.deepEqual(parsedDocument(padded), doc);
  });
});

describe('each builder writes its own root', () => {
  it('status request, configuration and resource mapping builders name their document', () => {
    const first = (root: string) => IEC_FIXTURE_CASES.find((c) => c.root === root)?.doc;
    const sr = first('StatusRequest_MarketDocument');
    const cfg = first('Configuration_MarketDocument');
    const rm = first('ResourceMapping_MarketDocument');
    assert.ok(sr?.kind === 'statusRequest' && cfg?.kind === 'configuration' && rm?.kind === 'resourceMapping');
    assert.match(
      buildStatusRequest(sr.document),
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<StatusRequest_MarketDocument xmlns="urn:iec62325\.351:tc57wg16:451-5:statusrequestdocument:4:1">/,
    );
    assert.match(
      buildConfiguration(cfg.document),
      /<Configuration_MarketDocument xmlns="urn:iec62325\.351:tc57wg16:451-6:configurationdocument:3:3">/,
    );
    assert.match(
      buildResourceMapping(rm.document),
      /<ResourceMapping_MarketDocument xmlns="urn:iec62325\.351:tc57wg16:451-n:resourcemappingdocument:1:1">/,
    );
  });
});
