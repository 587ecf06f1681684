/** The document table (src/iec62325/documents.ts) against our schemas: every fact it states is in the XSD. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

import {
  ACKNOWLEDGEMENT,
  CONFIGURATION,
  DOCUMENTS,
  emittedVersion,
  findDocument,
  FLOAT_LEXICAL,
  GENERATION_LOAD,
  RESOURCE_MAPPING,
  STATUS_REQUEST,
  UNAVAILABILITY,
  versionOf,
} from '../../../src/iec62325/index.js';
import { isHubError } from '../../../src/shared/errors.js';
import { parseXml, type XmlElement } from '../../../src/xml/index.js';
import { repoPath } from '../../support/paths.js';

const XS = 'http://www.w3.org/2001/XMLSchema';

function schema(file: string): XmlElement {
  const r = parseXml(readFileSync(repoPath('xsd', 'iec62325', file)));
  assert.ok(r.ok, `${file} parses`);
  return r.value;
}

const named = (root: XmlElement, kind: 'simpleType' | 'complexType', name: string): XmlElement | undefined =>
  root.children.find((c) => c.ns === XS && c.name === kind && c.attrs.name === name);

function facet(root: XmlElement, type: string, facetName: string): string | undefined {
  const restriction = named(root, 'simpleType', type)?.children.find((c) => c.name === 'restriction');
  return restriction?.children.find((c) => c.name === facetName)?.attrs.value;
}

/** The xs:element children of a complex type's sequence: [name, minOccurs]. */
function sequence(root: XmlElement, type: string): [string, string][] {
  const seq = named(root, 'complexType', type)?.children.find((c) => c.name === 'sequence');
  assert.ok(seq, `complexType ${type} has a sequence`);
  return seq.children.filter((c) => c.name === 'element').map((c) => [c.attrs.name ?? '', c.attrs.minOccurs ?? '1']);
}

describe('the document table', () => {
  it('has the six documents, each emitting exactly one version: ack 8:1, status request 4:1, GL 3:2, outage 4:1, configuration 3:3, resource mapping 1:1', () => {
    assert.deepEqual(
      DOCUMENTS.map((d) => [d.root, d.versions.filter((v) => v.emitted).map((v) => v.version), d.versions.map((v) => v.version)]),
      [
        ['Acknowledgement_MarketDocument', ['8:1'], ['8:1', '7:0']],
        ['StatusRequest_MarketDocument', ['4:1'], ['4:1', '4:0']],
        ['GL_MarketDocument', ['3:2'], ['3:2', '3:0']],
        ['Unavailability_MarketDocument', ['4:1'], ['4:1', '3:0']],
        ['Configuration_MarketDocument', ['3:3'], ['3:3', '3:0']],
        ['ResourceMapping_MarketDocument', ['1:1'], ['1:1']],
      ],
    );
    for (const d of DOCUMENTS) assert.equal(emittedVersion(d).emitted, true);
  });

  it('names, for every version, a schema file in xsd/iec62325 whose targetNamespace is the version namespace', () => {
    for (const d of DOCUMENTS) {
      for (const v of d.versions) {
        assert.equal(v.namespace, `${d.namespaceBase}:${v.version}`);
        assert.ok(existsSync(repoPath('xsd', 'iec62325', v.schemaFile)), v.schemaFile);
        const root = schema(v.schemaFile);
        assert.equal(root.attrs.targetNamespace, v.namespace, v.schemaFile);
        assert.ok(
          root.children.some((c) => c.name === 'element' && c.attrs.name === d.root),
          `${v.schemaFile} declares ${d.root}`,
        );
        assert.equal(facet(root, 'ID_String', 'maxLength'), String(v.idMaxLength), `${v.schemaFile} ID_String`);
      }
    }
  });

  it('states the ResourceID_String length and the float pattern of each version as the schemas have them', () => {
    for (const d of [GENERATION_LOAD, UNAVAILABILITY, CONFIGURATION]) {
      for (const v of d.versions) {
        const root = schema(v.schemaFile);
        assert.equal(facet(root, 'ResourceID_String-base', 'maxLength'), String(v.resourceIdMaxLength), v.schemaFile);
        assert.equal(facet(root, 'ESMP_ActivePower-base', 'pattern'), FLOAT_LEXICAL[v.floatLexical].xsdPattern, v.schemaFile);
      }
    }
    for (const v of RESOURCE_MAPPING.versions)
      assert.equal(facet(schema(v.schemaFile), 'ResourceID_String-base', 'maxLength'), String(v.resourceIdMaxLength));
  });

  it('names the unit element of GL and outage time series per version (quantity_Measure_Unit.name → quantity_Measurement_Unit.name)', () => {
    for (const d of [GENERATION_LOAD, UNAVAILABILITY]) {
      for (const v of d.versions) {
        const names = sequence(schema(v.schemaFile), 'TimeSeries').map(([n]) => n);
        assert.ok(names.includes(v.quantityUnitElement), `${v.schemaFile}: ${v.quantityUnitElement}`);
        const other =
          v.quantityUnitElement === 'quantity_Measure_Unit.name' ? 'quantity_Measurement_Unit.name' : 'quantity_Measure_Unit.name';
        assert.ok(!names.includes(other), `${v.schemaFile} has no ${other}`);
      }
    }
    assert.equal(versionOf(GENERATION_LOAD, '3:0').quantityUnitElement, 'quantity_Measure_Unit.name');
    assert.equal(versionOf(GENERATION_LOAD, '3:2').quantityUnitElement, 'quantity_Measurement_Unit.name');
  });

  it('states the other differences: ack processType, outage document Reason, configuration resource and generating-unit order', () => {
    for (const v of ACKNOWLEDGEMENT.versions) {
      const names = sequence(schema(v.schemaFile), 'Acknowledgement_MarketDocument').map(([n]) => n);
      assert.equal(names.includes('received_MarketDocument.process.processType'), v.receivedProcessType, v.version);
    }
    for (const v of UNAVAILABILITY.versions) {
      const reason = sequence(schema(v.schemaFile), 'Unavailability_MarketDocument').find(([n]) => n === 'Reason');
      assert.equal(reason?.[1], String(v.documentReasonMinOccurs), v.version);
    }
    for (const v of CONFIGURATION.versions) {
      const root = schema(v.schemaFile);
      const names = sequence(root, 'TimeSeries').map(([n]) => n);
      assert.equal(names.includes('RegisteredResource'), v.registeredResource === 'class', v.version);
      assert.equal(names.includes('registeredResource.mRID'), v.registeredResource === 'flat', v.version);
      assert.deepEqual(
        sequence(root, 'MktGeneratingUnit').map(([n]) => n),
        v.generatingUnitOrder,
        v.version,
      );
    }
  });

  it('GL and outage quantities are xs:decimal in every version, so schedules may be negative (consumption)', () => {
    for (const d of [GENERATION_LOAD, UNAVAILABILITY]) {
      for (const v of d.versions) {
        const point = named(schema(v.schemaFile), 'complexType', 'Point')?.children.find((c) => c.name === 'sequence');
        const quantity = point?.children.find((c) => c.attrs.name === 'quantity');
        assert.equal(quantity?.attrs.type, 'xs:decimal', v.schemaFile);
      }
    }
  });

  it('finds a document by root and namespace, and refuses an unknown version', () => {
    assert.equal(findDocument('GL_MarketDocument', 'urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:0')?.version.version, '3:0');
    assert.equal(findDocument('GL_MarketDocument', 'urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:1'), undefined);
    assert.equal(findDocument('Acknowledgement_MarketDocument', 'urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:2'), undefined);
    assert.equal(versionOf(STATUS_REQUEST).version, '4:1');
    assert.throws(
      () => versionOf(STATUS_REQUEST, '4:2'),
      (e: unknown) => isHubError(e, 'XML_UNSUPPORTED_VERSION') && /supported versions: 4:1, 4:0/.test(e.message),
    );
  });
});
