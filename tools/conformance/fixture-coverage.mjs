#!/usr/bin/env node
// Checks that the hand-made fixtures exercise our IEC 62325 schemas completely:
//   - every document schema in xsd/iec62325 has at least one .valid. and one .invalid. fixture, and
//   - every element the schema declares (every path from the root, optional ones included) occurs in at
//     least one .valid. fixture of that namespace.
//
//   node tools/conformance/fixture-coverage.mjs [schemaDir] [fixtureDir]
//        defaults: xsd/iec62325 and test/conformance/fixtures/iec62325, relative to the repository root
// Exit 0 when complete, 1 otherwise (each gap printed). Called by tools/conformance/xsd-parity.sh. No dependencies.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseXml, localName, childrenNamed } from '../codegen/mini-xml.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const schemaDir = resolve(repoRoot, process.argv[2] ?? 'xsd/iec62325');
const fixtureDir = resolve(repoRoot, process.argv[3] ?? 'test/conformance/fixtures/iec62325');

/** Global complex types of a schema and of the schemas it includes (chameleon modules). */
function complexTypes(file, seen = new Set()) {
  if (seen.has(file)) return new Map();
  seen.add(file);
  const root = parseXml(readFileSync(file, 'utf8'));
  const types = new Map();
  for (const inc of childrenNamed(root, 'include')) {
    for (const [k, v] of complexTypes(join(dirname(file), inc.attrs.schemaLocation), seen)) types.set(k, v);
  }
  for (const t of childrenNamed(root, 'complexType')) types.set(t.attrs.name, t);
  return types;
}

/** Every element path ('Root/Child/Grandchild') a document of this schema can contain. */
function declaredPaths(file) {
  const root = parseXml(readFileSync(file, 'utf8'));
  const [top] = childrenNamed(root, 'element');
  const types = complexTypes(file);
  const paths = new Set([top.attrs.name]);
  const walk = (typeName, prefix, depth) => {
    const type = types.get(localName(typeName ?? ''));
    const [sequence] = type ? childrenNamed(type, 'sequence') : [];
    if (!sequence || depth > 10) return;
    for (const el of childrenNamed(sequence, 'element')) {
      const path = `${prefix}/${el.attrs.name}`;
      paths.add(path);
      walk(el.attrs.type, path, depth + 1);
    }
  };
  walk(top.attrs.type, top.attrs.name, 0);
  return { ns: root.attrs.targetNamespace, paths };
}

function usedPaths(el, prefix, out) {
  const path = prefix ? `${prefix}/${localName(el.name)}` : localName(el.name);
  out.add(path);
  for (const c of el.children) usedPaths(c, path, out);
  return out;
}

const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.xml'))
  .map((f) => {
    const root = parseXml(readFileSync(join(fixtureDir, f), 'utf8'));
    return { file: f, ns: root.ns[root.name.includes(':') ? root.name.split(':')[0] : ''], root };
  });

let gaps = 0;
const schemas = readdirSync(schemaDir).filter((f) => /^iec62325-.*\.xsd$/.test(f));
for (const xsd of schemas) {
  const { ns, paths } = declaredPaths(join(schemaDir, xsd));
  const mine = fixtures.filter((f) => f.ns === ns);
  const valid = mine.filter((f) => f.file.includes('.valid.'));
  const invalid = mine.filter((f) => f.file.includes('.invalid.'));
  const used = new Set();
  for (const v of valid) usedPaths(v.root, '', used);
  const missing = [...paths].filter((p) => !used.has(p));
  const problems = [];
  if (valid.length === 0) problems.push('no .valid. fixture');
  if (invalid.length === 0) problems.push('no .invalid. fixture in this namespace');
  for (const p of missing) problems.push(`no valid fixture contains ${p}`);
  gaps += problems.length;
  if (problems.length) console.log(`GAP ${xsd}:\n${problems.map((p) => `    ${p}`).join('\n')}`);
  else console.log(`full ${xsd}: ${paths.size} element paths in ${valid.length} valid fixtures, ${invalid.length} invalid fixtures`);
}
console.log(gaps ? `fixture coverage: ${gaps} gap(s)` : `fixture coverage: all ${schemas.length} document schemas fully exercised`);
process.exit(gaps ? 1 : 0);
