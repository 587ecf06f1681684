/**
 * Every libxml2 document lives in WASM memory, which the JavaScript garbage collector does not
 * manage; a missed dispose grows it by ~25 MB per 1,000 documents. 20,000 bad documents of every
 * kind (malformed, schema-invalid, unknown, hostile, broken SignedMessage payloads) must leave
 * memory where it was after warm-up — checked exactly with libxml2-wasm's allocation tracker
 * (no libxml2 object left undisposed) and coarsely with RSS and heap after a full GC.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { diag } from 'libxml2-wasm';
import { parseXml } from '../../../src/xml/parse.js';
import { SchemaRegistry } from '../../../src/xml/schema-registry.js';
import { validateXml } from '../../../src/xml/validate.js';
import { forceGc } from '../../support/gc.js';
import { repoPath, sharedPath } from '../../support/paths.js';
import { flexOffer, glMarketDocument, signedBody, signedMessage } from '../../support/xml-docs.js';

const MB = 1024 * 1024;

describe('memory stays bounded over 20,000 bad documents', () => {
  let iec: SchemaRegistry;
  let uftp: SchemaRegistry;
  before(() => {
    diag.configure({ enabled: true });
    iec = SchemaRegistry.fromDirectories([sharedPath('conformance', 'iec62325')]);
    uftp = SchemaRegistry.fromDirectories([sharedPath('conformance', 'uftp')]);
  });
  after(() => diag.configure({ enabled: false }));

  it('disposes every document on every path', async () => {
    const hostile = (name: string): Buffer => readFileSync(repoPath('test', 'fixtures', 'xml', 'hostile', name));
    const gl = glMarketDocument();
    const inputs: { doc: Buffer; registry: SchemaRegistry; code: string; wellFormed: boolean }[] = [
      { doc: hostile('malformed-tag-mismatch.xml'), registry: iec, code: 'XML_MALFORMED', wellFormed: false },
      {
        doc: Buffer.from(gl.replace('<type>A65</type>', '<type>ZZZ</type>').replace('<quantity>6010<', '<quantity>x<')),
        registry: iec,
        code: 'XML_SCHEMA_INVALID',
        wellFormed: true,
      },
      { doc: hostile('wrong-version.xml'), registry: iec, code: 'XML_UNSUPPORTED_VERSION', wellFormed: true },
      { doc: hostile('unknown-document.xml'), registry: iec, code: 'XML_UNKNOWN_DOCUMENT', wellFormed: true },
      { doc: hostile('xxe-file-entity.xml'), registry: iec, code: 'XML_DOCTYPE_FORBIDDEN', wellFormed: false },
      { doc: hostile('billion-laughs.xml'), registry: iec, code: 'XML_DOCTYPE_FORBIDDEN', wellFormed: false },
      { doc: hostile('latin1-bytes.xml'), registry: iec, code: 'XML_NOT_UTF8', wellFormed: false },
      { doc: hostile('undeclared-entity.xml'), registry: iec, code: 'XML_MALFORMED', wellFormed: false },
      { doc: Buffer.from(`${'<a>'.repeat(80)}${'</a>'.repeat(80)}`), registry: iec, code: 'XML_TOO_DEEP', wellFormed: false },
      {
        doc: Buffer.from(signedMessage(signedBody(flexOffer().replace('Currency="EUR"', 'Currency="x"')))),
        registry: uftp,
        code: 'XML_SCHEMA_INVALID',
        wellFormed: true,
      },
      {
        doc: Buffer.from(signedMessage(signedBody('<FlexOffer><a></FlexOffer>'))),
        registry: uftp,
        code: 'XML_MALFORMED',
        wellFormed: true,
      },
    ];
    const round = (i: number): void => {
      const input = inputs[i % inputs.length];
      assert.ok(input);
      const r = validateXml(input.doc, input.registry);
      if (r.valid || r.issues[0]?.code !== input.code)
        assert.fail(`document ${i % inputs.length}: expected ${input.code}, got ${JSON.stringify(r.issues[0])}`);
      if (i % 7 === 0) assert.equal(parseXml(input.doc).ok, input.wellFormed);
    };

    // libxml2-wasm keeps a WeakRef per wrapper, and WeakRef targets live until the current job
    // ends (ECMA-262 KeepDuringJob): yield between batches, as any server or CLI loop does.
    const settle = async (): Promise<void> => {
      await new Promise((resolve) => setImmediate(resolve));
      forceGc();
    };
    for (let i = 0; i < 5_000; i++) round(i); // warm up: JIT, compiled schemas, WASM heap high-water mark
    await settle();
    const before = process.memoryUsage();
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) {
      round(i);
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    const seconds = (performance.now() - t0) / 1000;
    await settle();
    const afterRun = process.memoryUsage();
    const rssGrowth = (afterRun.rss - before.rss) / MB;
    const heapGrowth = (afterRun.heapUsed - before.heapUsed) / MB;
    console.log(
      `20,000 bad documents in ${seconds.toFixed(1)} s; RSS ${(before.rss / MB).toFixed(0)} → ${(afterRun.rss / MB).toFixed(0)} MB (${rssGrowth.toFixed(1)}), heap ${(before.heapUsed / MB).toFixed(1)} → ${(afterRun.heapUsed / MB).toFixed(1)} MB`,
    );
    // A leaked document per failure would add hundreds of MB here; allocator and JIT settle in less.
    assert.ok(rssGrowth < 48, `RSS grew by ${rssGrowth.toFixed(1)} MB`);
    assert.ok(heapGrowth < 4, `JS heap grew by ${heapGrowth.toFixed(1)} MB`);

    // exact: once the registries are closed, no libxml2 object of any kind is left undisposed
    iec.close();
    uftp.close();
    const live = diag.report() as Record<string, { totalInstances: number }> | undefined;
    assert.ok(live !== undefined, 'the libxml2-wasm tracker is enabled');
    assert.deepEqual(
      Object.entries(live).map(([cls, r]) => [cls, r.totalInstances]),
      [],
    );
  });
});
