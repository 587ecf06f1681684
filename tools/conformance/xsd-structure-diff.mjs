#!/usr/bin/env node
// Structural parity of our IEC 62325 schemas with the official ENTSO-E ones, namespace by namespace.
//
//   node tools/conformance/xsd-structure-diff.mjs [ourDir] [officialDir]
//        defaults: xsd/iec62325 and ../shared/conformance/iec62325, relative to the repository root
//
// For every targetNamespace in ourDir, both sides are loaded with their includes and imports resolved
// (chameleon includes adopt the including namespace, as XSD 1.0 §4.2.1 says) and every global type,
// element and attribute of that namespace is reduced to a canonical form: names, element order,
// min/maxOccurs, the effective form (qualified or not), fixed/default/use, base and member types resolved to
// namespace + name, facets (lengths, patterns, ranges) and enumerations. Annotations and
// sawsdl:modelReference are ignored. Patterns given as several xs:pattern facets of one restriction are
// ORed (XSD 1.0 §4.3.4), so they are compared as (p1)|(p2)|….
// The set of global names must be the same too: an instance may name any of them in xsi:type.
// Exit 0 when every namespace is identical, 1 otherwise (each difference is printed). No dependencies.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseXml, localName, resolveQName } from '../codegen/mini-xml.mjs';

const XS = 'http://www.w3.org/2001/XMLSchema';
const ECL = 'urn:entsoe.eu:wgedi:codelists';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ourDir = resolve(repoRoot, process.argv[2] ?? 'xsd/iec62325');
const officialDir = resolve(repoRoot, process.argv[3] ?? '../shared/conformance/iec62325');

/** Loads a schema document and everything it includes/imports: Map ns -> Map 'kind name' -> canonical. */
function loadSchemaSet(file) {
  const components = new Map();
  const loaded = new Set();
  function load(path, chameleonNs) {
    const key = `${path}|${chameleonNs ?? ''}`;
    if (loaded.has(key)) return;
    loaded.add(key);
    const root = parseXml(readFileSync(path, 'utf8'));
    const tns = root.attrs.targetNamespace ?? chameleonNs ?? '';
    const doc = {
      tns,
      chameleon: root.attrs.targetNamespace === undefined && chameleonNs !== undefined,
      elementForm: root.attrs.elementFormDefault ?? 'unqualified',
      attributeForm: root.attrs.attributeFormDefault ?? 'unqualified',
      block: root.attrs.blockDefault ?? '',
      final: root.attrs.finalDefault ?? '',
    };
    for (const child of root.children) {
      const kind = localName(child.name);
      const loc = child.attrs.schemaLocation;
      if (kind === 'include') load(join(dirname(path), loc), tns);
      else if (kind === 'import') load(join(dirname(path), loc), undefined);
      else if (kind === 'annotation') continue;
      else {
        if (!components.has(tns)) components.set(tns, new Map());
        const name = `${kind} ${child.attrs.name}`;
        const text = canon(child, doc, 0, tns);
        const map = components.get(tns);
        if (map.has(name) && map.get(name) !== text) throw new Error(`${path}: ${name} declared twice differently`);
        map.set(name, text);
      }
    }
  }
  load(file, undefined);
  return components;
}

function nsLabel(ns, tns) {
  if (ns === XS) return 'xs';
  if (ns === ECL) return 'cl';
  if (ns === tns) return 'tns';
  return `{${ns}}`;
}

function qname(el, value, doc, tns) {
  let { ns, local } = resolveQName(el, value);
  if (ns === '' && doc.chameleon) ns = doc.tns;
  return `${nsLabel(ns, tns)}:${local}`;
}

const QNAME_ATTRS = new Set(['type', 'base', 'ref', 'itemType', 'substitutionGroup']);
const FACETS = ['length', 'minLength', 'maxLength', 'pattern', 'enumeration', 'whiteSpace', 'maxInclusive', 'maxExclusive', 'minInclusive', 'minExclusive', 'totalDigits', 'fractionDigits'];

function canon(el, doc, depth, tns) {
  const kind = localName(el.name);
  const attrs = {};
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k.includes(':') || k === 'xmlns') continue; // sawsdl:modelReference, namespace declarations
    if (QNAME_ATTRS.has(k)) attrs[k] = qname(el, v, doc, tns);
    else if (k === 'memberTypes') attrs[k] = v.trim().split(/\s+/).map((m) => qname(el, m, doc, tns)).join(' ');
    else attrs[k] = v;
  }
  if (kind === 'element' || kind === 'attribute') {
    if (attrs.minOccurs === '1') delete attrs.minOccurs;
    if (attrs.maxOccurs === '1') delete attrs.maxOccurs;
    if (depth > 0 && !attrs.ref && !attrs.form) attrs.form = kind === 'element' ? doc.elementForm : doc.attributeForm;
    if (attrs.use === 'optional') delete attrs.use;
  }
  if ((kind === 'complexType' || kind === 'element') && doc.block && !attrs.block) attrs.block = doc.block;
  if ((kind === 'complexType' || kind === 'simpleType' || kind === 'element') && doc.final && !attrs.final) attrs.final = doc.final;
  const head = `${kind}(${Object.keys(attrs).sort().map((k) => `${k}=${attrs[k]}`).join(',')})`;

  const kids = el.children.filter((c) => localName(c.name) !== 'annotation');
  if (kind === 'restriction') {
    const patterns = kids.filter((c) => localName(c.name) === 'pattern').map((c) => c.attrs.value);
    const enums = kids.filter((c) => localName(c.name) === 'enumeration').map((c) => c.attrs.value).sort();
    const others = kids.filter((c) => !['pattern', 'enumeration'].includes(localName(c.name)));
    const facets = others.map((c) => canon(c, doc, depth + 1, tns)).sort((a, b) => FACETS.indexOf(a) - FACETS.indexOf(b) || a.localeCompare(b));
    if (patterns.length) facets.push(`pattern(${patterns.join('|')})`);
    if (enums.length) facets.push(`enumeration(${enums.join(' ')})`);
    return `${head}{${facets.join('; ')}}`;
  }
  const inner = kids.map((c) => canon(c, doc, depth + 1, tns));
  return inner.length ? `${head}{${inner.join('; ')}}` : head;
}

/** The two canonical forms around their first difference (enumeration lists can be very long). */
function excerpt(ours, theirs) {
  let i = 0;
  while (i < ours.length && ours[i] === theirs[i]) i++;
  const from = Math.max(0, i - 80);
  const cut = (s) => `${from ? '…' : ''}${s.slice(from, i + 80)}${s.length > i + 80 ? '…' : ''}`;
  return `      ours:     ${cut(ours)}\n      official: ${cut(theirs)}`;
}

function schemaFiles(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xsd'))
    .map((f) => ({ file: join(dir, f), tns: parseXml(readFileSync(join(dir, f), 'utf8')).attrs.targetNamespace }))
    .filter((s) => s.tns);
}

const official = new Map(schemaFiles(officialDir).map((s) => [s.tns, s.file]));
let differences = 0;
let compared = 0;
for (const ours of schemaFiles(ourDir)) {
  const theirs = official.get(ours.tns);
  const label = ours.file.slice(ourDir.length + 1);
  if (!theirs) {
    console.log(`DIFF ${label}: no official schema has targetNamespace ${ours.tns}`);
    differences++;
    continue;
  }
  const a = loadSchemaSet(ours.file).get(ours.tns) ?? new Map();
  const b = loadSchemaSet(theirs).get(ours.tns) ?? new Map();
  const problems = [];
  for (const [name, text] of b) {
    if (!a.has(name)) problems.push(`missing ${name}`);
    else if (a.get(name) !== text) problems.push(`differs ${name}\n${excerpt(a.get(name), text)}`);
  }
  for (const name of a.keys()) if (!b.has(name)) problems.push(`extra ${name}`);
  compared++;
  if (problems.length) {
    differences += problems.length;
    console.log(`DIFF ${label} (${ours.tns}):`);
    for (const p of problems) console.log(`    ${p}`);
  } else {
    console.log(`same ${label}: ${a.size} global components, identical to ${theirs.slice(officialDir.length + 1)}`);
  }
}
console.log(differences ? `structure: ${differences} difference(s)` : `structure: ${compared} namespaces identical to the official schemas`);
process.exit(differences ? 1 : 0);
