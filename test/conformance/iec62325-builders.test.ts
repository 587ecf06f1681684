/**
 * Everything the builders produce for the fixtures is valid against the OFFICIAL ENTSO-E schemas
 * (../shared/conformance/iec62325), not only against ours. CI checks the same files again with xmllint
 * (tools/conformance/emit-builder-documents.mjs).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { buildDocument } from '../../src/iec62325/index.js';
import { SchemaRegistry, validateXml } from '../../src/xml/index.js';
import { IEC_FIXTURE_CASES } from '../builders/iec62325.js';
import { sharedPath } from '../support/paths.js';

describe('builder output against the official IEC 62325 schemas', () => {
  let registry: SchemaRegistry;
  before(() => {
    registry = SchemaRegistry.fromDirectories([sharedPath('conformance', 'iec62325')]);
  });
  after(() => registry.close());

  for (const c of IEC_FIXTURE_CASES) {
    it(`${c.root} ${c.version} ${c.name}`, () => {
      const r = validateXml(buildDocument(c.doc, { version: c.version }), registry);
      assert.deepEqual(r.issues, []);
      assert.equal(r.valid, true);
      assert.equal(r.version, c.version);
      assert.ok(r.documentType === c.root);
    });
  }
});
