/** Parsers: dispatch by root + namespace, and every problem as an issue with its line and field path. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  buildAcknowledgement,
  buildConfiguration,
  buildGl,
  buildStatusRequest,
  detectAndParse,
  parseAcknowledgement,
  parseConfiguration,
  parseGl,
  parseStatusRequest,
  type IecIssue,
} from '../../../src/iec62325/index.js';
import type { Result } from '../../../src/shared/result.js';
import { parseXml } from '../../../src/xml/index.js';
import { aGlDocument, anAcknowledgement, anAssetRegistration, anAssetTimeSeries, aStatusRequest } from '../../builders/iec62325.js';

/** 1-based line of the first occurrence of `marker`. */
function lineOf(text: string, marker: string): number {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `marker ${marker} not found`);
  return text.slice(0, at).split('\n').length;
}

function issues<T>(r: Result<T, IecIssue[]>): [string, number | null, string | null][] {
  assert.equal(r.ok, false, 'expected issues');
  return r.ok ? [] : r.error.map((i) => [i.code, i.line, i.path]);
}

const gl = buildGl(aGlDocument());

describe('detectAndParse', () => {
  it('dispatches on root element and namespace', () => {
    const r = detectAndParse(buildStatusRequest(aStatusRequest(), { version: '4:0' }));
    assert.ok(r.ok);
    assert.equal(r.value.kind, 'statusRequest');
    assert.equal(r.value.version, '4:0');
    assert.equal(r.value.namespace, 'urn:iec62325.351:tc57wg16:451-5:statusrequestdocument:4:0');
    assert.deepEqual(r.value.document, aStatusRequest());
  });

  it('takes an element tree parsed before as well as text or bytes', () => {
    const tree = parseXml(gl);
    assert.ok(tree.ok);
    const fromTree = detectAndParse(tree.value);
    const fromBytes = detectAndParse(Buffer.from(gl, 'utf8'));
    assert.ok(fromTree.ok && fromBytes.ok);
    assert.deepEqual(fromTree.value, fromBytes.value);
    const direct = parseGl(tree.value);
    assert.ok(direct.ok);
    assert.deepEqual(direct.value, aGlDocument());
  });

  it('refuses an unknown document and an unsupported version of a known one, at the root line', () => {
    assert.deepEqual(issues(detectAndParse('<?xml version="1.0"?>\n<Foo xmlns="urn:x"/>')), [['XML_UNKNOWN_DOCUMENT', 2, null]]);
    const v31 = gl.replace(':generationloaddocument:3:2"', ':generationloaddocument:3:1"');
    const r = detectAndParse(v31);
    assert.deepEqual(issues(r), [['XML_UNSUPPORTED_VERSION', 2, null]]);
    assert.ok(!r.ok);
    assert.match(
      r.error[0]?.message ?? '',
      /GL_MarketDocument in namespace .*:3:1 is a version the hub does not accept; accepted: 3:2, 3:0/,
    );
    assert.deepEqual(issues(detectAndParse(gl.replace(' xmlns="urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:2"', ''))), [
      ['XML_UNKNOWN_DOCUMENT', 2, null],
    ]);
  });

  it('passes on the XML layer’s issues for input that is not well-formed', () => {
    const r = detectAndParse('<GL_MarketDocument><mRID></GL_MarketDocument>');
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.error[0]?.code, 'XML_MALFORMED');
    assert.equal(r.error[0]?.path, null);
    assert.deepEqual(issues(detectAndParse('')), [['XML_EMPTY', null, null]]);
  });

  it('a specific parser refuses another document', () => {
    assert.deepEqual(issues(parseGl(buildAcknowledgement(anAcknowledgement()))), [['XML_UNKNOWN_DOCUMENT', 2, null]]);
    assert.deepEqual(issues(parseAcknowledgement(gl.replace(':3:2"', ':3:1"'))), [['XML_UNKNOWN_DOCUMENT', 2, null]]);
  });
});

describe('issues carry the line and the field path', () => {
  it('a missing required element', () => {
    const xml = gl.replace(/\n *<curveType>A01<\/curveType>/, '');
    assert.deepEqual(issues(parseGl(xml)), [['IEC_DOCUMENT_INVALID', lineOf(xml, '<Period>'), 'timeSeries[0].curveType']]);
  });

  it('an unexpected element, also one in another namespace', () => {
    const xml = gl.replace('<curveType>A01</curveType>', '<curveType>A01</curveType><remark>x</remark>');
    const r = parseGl(xml);
    assert.deepEqual(issues(r), [['IEC_DOCUMENT_INVALID', lineOf(xml, '<remark>'), 'timeSeries[0]']]);
    assert.ok(!r.ok);
    assert.match(r.error[0]?.message ?? '', /unexpected element <remark> in <TimeSeries> \(GL_MarketDocument 3:2\)/);
    const foreign = gl.replace('<type>A67</type>', '<type>A67</type><x:type xmlns:x="urn:other">A67</x:type>');
    const f = parseGl(foreign);
    assert.ok(!f.ok);
    assert.match(f.error[0]?.message ?? '', /unexpected element <type> in namespace urn:other/);
  });

  it('an element of the other version (3:2 name in a 3:0 document)', () => {
    const v30 = buildGl(aGlDocument(), { version: '3:0' }).replace(
      '<quantity_Measure_Unit.name>KWT</quantity_Measure_Unit.name>',
      '<quantity_Measurement_Unit.name>KWT</quantity_Measurement_Unit.name>',
    );
    const line = lineOf(v30, '<quantity_Measurement_Unit.name>');
    assert.deepEqual(issues(parseGl(v30)), [
      ['IEC_DOCUMENT_INVALID', line, 'timeSeries[0]'],
      ['IEC_DOCUMENT_INVALID', line + 1, 'timeSeries[0].measurementUnit'],
    ]);
  });

  it('a value problem found by the model checks gets the line of its element', () => {
    const xml = gl.replace(
      '<position>17</position>\n        <quantity>-11.00</quantity>',
      '<position>17</position>\n        <quantity>-11,00</quantity>',
    );
    assert.notEqual(xml, gl);
    assert.deepEqual(issues(parseGl(xml)), [['IEC_DOCUMENT_INVALID', lineOf(xml, '-11,00'), 'timeSeries[0].period[0].point[16].quantity']]);
    const code = gl.replace('<businessType>A07</businessType>', '<businessType>X07</businessType>');
    assert.deepEqual(issues(parseGl(code)), [['IEC_DOCUMENT_INVALID', lineOf(code, 'X07'), 'timeSeries[0].businessType']]);
    const offset = gl.replace('<createdDateTime>2026-03-01T10:15:00Z', '<createdDateTime>2026-03-01T11:15:00+01:00');
    const r = parseGl(offset);
    assert.deepEqual(issues(r), [['IEC_DOCUMENT_INVALID', lineOf(offset, '<createdDateTime>'), 'createdDateTime']]);
    assert.ok(!r.ok);
    assert.match(r.error[0]?.message ?? '', /^createdDateTime: '2026-03-01T11:15:00\+01:00' is not in UTC/);
  });

  it('attributes: a missing codingScheme, an undeclared attribute, xsi:nil, a wrong fixed unit', () => {
    const noScheme = gl.replace('<sender_MarketParticipant.mRID codingScheme="A01">', '<sender_MarketParticipant.mRID>');
    assert.deepEqual(issues(parseGl(noScheme)), [
      ['IEC_DOCUMENT_INVALID', lineOf(noScheme, '<sender_MarketParticipant.mRID>'), 'sender.codingScheme'],
    ]);
    const extra = gl.replace('<type>A67</type>', '<type lang="en">A67</type>');
    assert.deepEqual(issues(parseGl(extra)), [['IEC_DOCUMENT_INVALID', lineOf(extra, '<type '), 'type']]);
    const nil = gl.replace('<type>A67</type>', '<type xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="false">A67</type>');
    assert.deepEqual(issues(parseGl(nil)), [['IEC_DOCUMENT_INVALID', lineOf(nil, '<type '), 'type']]);
    const schemaLocation = gl.replace(
      'generationloaddocument:3:2">',
      'generationloaddocument:3:2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x x.xsd">',
    );
    assert.ok(parseGl(schemaLocation).ok, 'xsi:schemaLocation is allowed');
    const cfg = buildConfiguration(
      anAssetRegistration({ timeSeries: [anAssetTimeSeries({ mktPSRType: { psrType: 'B25', nominalP: '0.011' } })] }),
    );
    const wrongUnit = cfg.replace(
      '<nominalIP_PowerSystemResources.nominalP unit="MAW">',
      '<nominalIP_PowerSystemResources.nominalP unit="KWT">',
    );
    assert.deepEqual(issues(parseConfiguration(wrongUnit)), [
      ['IEC_DOCUMENT_INVALID', lineOf(wrongUnit, 'unit="KWT"'), 'timeSeries[0].mktPSRType.nominalP'],
    ]);
  });

  it('text where only elements belong, and elements where only text belongs', () => {
    const text = gl.replace('<TimeSeries>', '<TimeSeries>stray');
    assert.deepEqual(issues(parseGl(text)), [['IEC_DOCUMENT_INVALID', lineOf(text, 'stray'), 'timeSeries[0]']]);
    const nested = buildStatusRequest(aStatusRequest()).replace(
      '<attribute>DocumentType</attribute>',
      '<attribute><b>DocumentType</b></attribute>',
    );
    assert.deepEqual(issues(parseStatusRequest(nested)), [
      ['IEC_DOCUMENT_INVALID', lineOf(nested, '<b>'), 'attributeInstanceComponent[0].attribute'],
    ]);
  });

  it('a revision number is an ESMPVersion_String (1–999, no leading zero, no white space)', () => {
    for (const bad of ['0', '01', '1000', ' 1', '1.0']) {
      const xml = gl.replace('<revisionNumber>1</revisionNumber>', `<revisionNumber>${bad}</revisionNumber>`);
      assert.deepEqual(issues(parseGl(xml)), [['IEC_DOCUMENT_INVALID', lineOf(xml, '<revisionNumber>'), 'revisionNumber']], bad);
    }
  });

  it('reports every problem of a document: structure first, then values', () => {
    const xml = gl
      .replace('<mRID>5f0c3a6e9d1b4c2a8e7f6d5c4b3a2910</mRID>', `<mRID>${'m'.repeat(61)}</mRID>`)
      .replace('<objectAggregation>A06</objectAggregation>', '')
      .replace('<position>96</position>', '<position>97</position>');
    const r = parseGl(xml);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.error.map((i) => i.path),
      ['timeSeries[0].objectAggregation', 'mRID', 'timeSeries[0].period[0].point[95].position'],
    );
    assert.ok(r.error.every((i) => i.line !== null && i.line > 1));
  });
});
