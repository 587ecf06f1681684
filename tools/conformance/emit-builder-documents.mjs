#!/usr/bin/env node
// Writes every IEC 62325-451 document the hub's builders produce for the test fixtures, so that CI can validate
// them with xmllint against the OFFICIAL ENTSO-E schema of each document's namespace.
//
//   npx tsc -p tsconfig.json && node tools/conformance/emit-builder-documents.mjs <outDir>
//
// Reads the COMPILED code: dist/test/builders/iec62325.js (IEC_FIXTURE_CASES: every document type in every
// version the hub emits or accepts) and dist/src/iec62325/index.js (buildDocument). One file per case:
//   <outDir>/<root>_<major>_<minor>.<case>.xml      e.g. GL_MarketDocument_3_2.schedule-a01.xml
// (the version's ':' is written '_', as in the official schema file names, so the names are portable).
// Prints one line per file and the namespace it declares; exits 1 when a builder throws, 2 on bad usage.
// Plain Node ESM, no dependencies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outArg = process.argv[2];
if (outArg === undefined || process.argv.length > 3) {
  console.error('usage: node tools/conformance/emit-builder-documents.mjs <outDir>');
  process.exit(2);
}
const outDir = resolve(outArg);

async function load(rel) {
  const path = join(repoRoot, rel);
  try {
    return await import(pathToFileURL(path).href);
  } catch (e) {
    console.error(`emit-builder-documents: cannot load ${rel} (run npx tsc -p tsconfig.json first): ${e.message}`);
    process.exit(2);
  }
}

const { IEC_FIXTURE_CASES } = await load('dist/test/builders/iec62325.js');
const { buildDocument, DOCUMENTS } = await load('dist/src/iec62325/index.js');

mkdirSync(outDir, { recursive: true });
const seen = new Set();
let failures = 0;
let written = 0;
for (const c of IEC_FIXTURE_CASES) {
  const file = `${c.root}_${c.version.replace(':', '_')}.${c.name}.xml`;
  if (seen.has(file)) {
    console.error(`duplicate case ${file}`);
    failures += 1;
    continue;
  }
  seen.add(file);
  let xml;
  try {
    xml = buildDocument(c.doc, { version: c.version });
  } catch (e) {
    console.error(`FAILED ${file}: ${e.message}`);
    failures += 1;
    continue;
  }
  writeFileSync(join(outDir, file), xml);
  written += 1;
  const spec = DOCUMENTS.find((d) => d.root === c.root);
  const namespace = spec?.versions.find((v) => v.version === c.version)?.namespace ?? '?';
  console.log(`${file}\t${namespace}`);
}

// Every document type must appear in every version the table lists (emitted and accepted).
for (const spec of DOCUMENTS) {
  for (const v of spec.versions) {
    if (!IEC_FIXTURE_CASES.some((c) => c.root === spec.root && c.version === v.version)) {
      console.error(`no fixture case for ${spec.root} ${v.version}`);
      failures += 1;
    }
  }
}
console.log(`${written} documents written to ${outDir}${failures > 0 ? `; ${failures} problem(s)` : ''}`);
process.exit(failures > 0 ? 1 : 0);
