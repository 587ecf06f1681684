/**
 * XML layer benchmark (not a test: it never fails on time). Run: `npm run bench:xml`.
 * Prints operations per second on one core for parse+validate of a ≈5 KB and a ≈500 KB
 * GL_MarketDocument and a UFTP FlexOffer, the cost of each stage, the writer, and peak RSS.
 *
 * Schemas: BENCH_SCHEMAS (IEC 62325 dir) / BENCH_UFTP_SCHEMAS; by default our own xsd/iec62325 and
 * xsd/uftp/3.1.0 when they declare the documents, else the official ones in ../shared/conformance.
 */
import { existsSync, readFileSync } from 'node:fs';
import { XmlDocument, XmlElement as LibxmlElement, XmlText } from 'libxml2-wasm';
import type { XmlTreeNode } from 'libxml2-wasm';
import { checkDepth } from '../../src/xml/depth.js';
import { SAFE_PARSE_OPTIONS } from '../../src/xml/libxml.js';
import { resolveLimits } from '../../src/xml/limits.js';
import { parseXml } from '../../src/xml/parse.js';
import { precheck } from '../../src/xml/precheck.js';
import { SchemaRegistry } from '../../src/xml/schema-registry.js';
import { buildElementTree } from '../../src/xml/tree.js';
import { validateXml } from '../../src/xml/validate.js';
import { repoPath, sharedPath } from '../support/paths.js';
import { flexOffer, GL_NS_3_0, glMarketDocument, glMarketDocumentOfSize, signedBody, signedMessage } from '../support/xml-docs.js';

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * Runs `fn` for at least `minMs` of wall time and prints operations per second twice: per
 * wall-clock second and per CPU second of this process (user + system). On a shared machine the
 * CPU figure is the steadier measure of what one core does.
 */
function bench(label: string, fn: () => unknown, minMs = 1500): void {
  for (let i = 0; i < 50; i++) fn(); // warm up
  gc();
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const fmt = (v: number): string => Math.round(v).toLocaleString('en-US').padStart(9);
  console.log(
    `${label.padEnd(56)} ${fmt((n / elapsed) * 1000)}/s wall ${fmt((n / cpuMs) * 1000)}/s cpu  ${((cpuMs / n) * 1000).toFixed(1).padStart(8)} µs cpu`,
  );
}

function pickDir(envName: string, ours: string, official: string, root: string, ns: string | null): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (existsSync(ours)) {
    const r = SchemaRegistry.fromDirectories([ours]);
    try {
      if (r.detect(root, ns).ok) return ours;
    } finally {
      r.close();
    }
  }
  return official;
}

/** Walks libxml2's DOM through the WASM boundary into plain objects: the alternative to tree.ts. */
function libxmlDomToObjects(el: LibxmlElement): unknown {
  const attrs: Record<string, string> = {};
  for (const a of el.attrs) attrs[a.name] = a.value;
  const kids: unknown[] = [];
  let text = '';
  for (let c: XmlTreeNode | null = el.firstChild; c !== null; c = c.next) {
    if (c instanceof LibxmlElement) kids.push(libxmlDomToObjects(c));
    else if (c instanceof XmlText) text += c.content;
  }
  return { name: el.name, ns: el.namespaceUri, attrs, children: kids, text, line: el.line };
}

const iecDir = pickDir('BENCH_SCHEMAS', repoPath('xsd', 'iec62325'), sharedPath('conformance', 'iec62325'), 'GL_MarketDocument', GL_NS_3_0);
const uftpDir = pickDir('BENCH_UFTP_SCHEMAS', repoPath('xsd', 'uftp', '3.1.0'), sharedPath('conformance', 'uftp'), 'FlexOffer', null);
const iec = SchemaRegistry.fromDirectories([iecDir]);
const uftp = SchemaRegistry.fromDirectories([uftpDir]);

const gl5 = Buffer.from(glMarketDocument());
const gl500 = Buffer.from(glMarketDocumentOfSize(500 * 1024));
const fixture = repoPath('test', 'conformance', 'fixtures', 'uftp', '3.1.0', 'FlexOffer.valid.1.xml');
const offerFixture = existsSync(fixture) ? readFileSync(fixture) : undefined;
const offer3 = Buffer.from(flexOffer());
const signed = Buffer.from(signedMessage(signedBody(offer3)));

console.log(`node ${process.version}, IEC schemas ${iecDir}, UFTP schemas ${uftpDir}`);
console.log(
  `documents: GL ${gl5.length} B and ${gl500.length} B, FlexOffer ${offer3.length} B, fixture ${offerFixture?.length ?? '—'} B, SignedMessage ${signed.length} B`,
);
for (const [name, doc, reg] of [
  ['GL 5 KB', gl5, iec],
  ['GL 500 KB', gl500, iec],
  ['FlexOffer', offer3, uftp],
  ['SignedMessage', signed, uftp],
] as const) {
  const r = validateXml(doc, reg);
  if (!r.valid) throw new Error(`${name} is not valid: ${JSON.stringify(r.issues.slice(0, 3))}`);
}

console.log('\n— validation (hardened parse + detect + XSD), one core');
bench('validateXml GL_MarketDocument 5 KB', () => validateXml(gl5, iec));
bench('validateXml GL_MarketDocument 500 KB', () => validateXml(gl500, iec), 3000);
bench('validateXml UFTP FlexOffer ~3 KB', () => validateXml(offer3, uftp));
if (offerFixture) bench(`validateXml UFTP FlexOffer fixture (${offerFixture.length} B)`, () => validateXml(offerFixture, uftp));
bench('validateXml UFTP SignedMessage(FlexOffer) incl. Body', () => validateXml(signed, uftp));
bench('validateXml GL 5 KB + element tree', () => validateXml(gl5, iec, { tree: true }));

console.log('\n— stages, GL_MarketDocument 5 KB');
const limits = resolveLimits(undefined);
const text5 = gl5.toString('utf8');
bench('pre-checks (UTF-8, declaration, DOCTYPE, depth)', () => precheck(gl5, limits));
bench('  of which depth pre-scan', () => checkDepth(text5, 64));
bench('libxml2 parse + dispose', () => XmlDocument.fromBuffer(gl5, { option: SAFE_PARSE_OPTIONS }).dispose());
const glSchema = iec.detect('GL_MarketDocument', GL_NS_3_0);
if (glSchema.ok) {
  const compiled = iec.compiledSchema(glSchema.value.schema);
  const parsed = XmlDocument.fromBuffer(gl5, { option: SAFE_PARSE_OPTIONS });
  if (compiled.ok) bench('XSD validation only (libxml2, document parsed once)', () => compiled.value.validate(parsed));
  parsed.dispose();
}
bench('element tree in JS (tree.ts)', () => buildElementTree(text5, 64));
bench('element tree by walking libxml2 DOM (alternative)', () => {
  const d = XmlDocument.fromBuffer(gl5, { option: SAFE_PARSE_OPTIONS });
  try {
    return libxmlDomToObjects(d.root);
  } finally {
    d.dispose();
  }
});
bench('parseXml (pre-checks + libxml2 + tree)', () => parseXml(gl5));

console.log('\n— stages, GL_MarketDocument 500 KB');
const text500 = gl500.toString('utf8');
bench('pre-checks', () => precheck(gl500, limits), 1000);
bench('  of which depth pre-scan', () => checkDepth(text500, 64), 1000);
bench('element tree in JS (tree.ts)', () => buildElementTree(text500, 64), 1000);

console.log('\n— writer');
bench('XmlWriter GL_MarketDocument 5 KB (indent 2) built', () => glMarketDocument());
bench('XmlWriter UFTP FlexOffer ~3 KB built', () => flexOffer());

iec.close();
uftp.close();
gc();
console.log(
  `\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, RSS now ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
);
