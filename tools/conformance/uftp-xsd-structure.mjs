#!/usr/bin/env node
// Structural comparison of two UFTP XSD sets, ignoring documentation, comments, file layout and
// attribute order: every global element, simple type and complex type is reduced to a canonical
// one-line-per-fact form (names, base types, derivation, facets, enumerations, particles with
// min/maxOccurs in sequence order, attributes with type/use/default/fixed, abstract flags).
// The two sets must produce identical fact lists.
//
// Usage: node tools/conformance/uftp-xsd-structure.mjs <our-entry.xsd> <official-entry.xsd>...
//   The official side is the union of the given entry schemas (and everything they include).
// Exit status 0 = identical, 1 = differences (printed), 2 = usage / read error.
// No dependencies: XSD files are plain enough for a small tag scanner (no CDATA, no DTD).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Parses XML text into a tree of { name, attrs, children }; comments and text are dropped. */
function parseXml(text, file) {
  const src = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  const root = { name: '#root', attrs: {}, children: [] };
  const stack = [root];
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const attrRe = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let m;
  while ((m = tagRe.exec(src)) !== null) {
    const [, close, name, rawAttrs, selfClose] = m;
    if (close) {
      const top = stack.pop();
      if (!top || top.name !== name) throw new Error(`${file}: unbalanced </${name}>`);
      continue;
    }
    const attrs = {};
    let a;
    while ((a = attrRe.exec(rawAttrs)) !== null) attrs[a[1]] = a[2] ?? a[3] ?? '';
    const node = { name, attrs, children: [] };
    stack[stack.length - 1].children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`${file}: unclosed <${stack[stack.length - 1].name}>`);
  return root;
}

/** Loads an entry schema and every schema it includes (transitively, each file once). */
function loadSet(entries) {
  const seen = new Set();
  const globals = [];
  const visit = (path) => {
    const abs = resolve(path);
    if (seen.has(abs)) return;
    seen.add(abs);
    const root = parseXml(readFileSync(abs, 'utf8'), abs);
    const schema = root.children.find((c) => c.name === 'xs:schema');
    if (!schema) throw new Error(`${abs}: no xs:schema root`);
    if (schema.attrs.targetNamespace !== undefined) globals.push({ kind: 'targetNamespace', node: schema, file: abs });
    globals.push({ kind: 'schemaAttrs', node: schema, file: abs });
    for (const child of schema.children) {
      if (child.name === 'xs:include' || child.name === 'xs:import' || child.name === 'xs:redefine') {
        if (child.name !== 'xs:include') throw new Error(`${abs}: unsupported ${child.name}`);
        visit(resolve(dirname(abs), child.attrs.schemaLocation));
      } else if (child.name !== 'xs:annotation') {
        globals.push({ kind: child.name, node: child, file: abs });
      }
    }
  };
  for (const e of entries) visit(e);
  return globals;
}

const IGNORED = new Set(['xs:annotation']);

/** Canonical description of a schema component subtree (documentation dropped, attributes sorted
 *  except that the ORDER of particles inside sequences is kept, and attribute declarations are
 *  sorted by name because their order is not significant). */
function canon(node, indent = '') {
  const attrs = { ...node.attrs };
  if (node.name === 'xs:attribute' && attrs.use === undefined && attrs.ref === undefined) attrs.use = 'optional';
  if ((node.name === 'xs:element' && indent !== '') || node.name === 'xs:sequence' || node.name === 'xs:choice') {
    attrs.minOccurs ??= '1';
    attrs.maxOccurs ??= '1';
  }
  const head = `${indent}${node.name}${Object.keys(attrs).sort().map((k) => ` ${k}=${JSON.stringify(attrs[k])}`).join('')}`;
  let kids = node.children.filter((c) => !IGNORED.has(c.name));
  const orderFree = (c) => c.name === 'xs:attribute' || c.name === 'xs:attributeGroup' || c.name === 'xs:enumeration' || c.name === 'xs:pattern' ||
    ['xs:length', 'xs:minLength', 'xs:maxLength', 'xs:minInclusive', 'xs:maxInclusive', 'xs:minExclusive', 'xs:maxExclusive', 'xs:totalDigits', 'xs:fractionDigits', 'xs:whiteSpace'].includes(c.name);
  const ordered = kids.filter((c) => !orderFree(c));
  const free = kids.filter(orderFree).map((c) => canon(c, indent + '  ')).sort();
  return [head, ...ordered.map((c) => canon(c, indent + '  ')), ...free].join('\n');
}

function facts(globals) {
  const out = new Map();
  for (const g of globals) {
    if (g.kind === 'schemaAttrs') {
      const a = g.node.attrs;
      const key = `schema elementFormDefault=${a.elementFormDefault ?? 'unqualified'} attributeFormDefault=${a.attributeFormDefault ?? 'unqualified'} blockDefault=${a.blockDefault ?? ''} finalDefault=${a.finalDefault ?? ''}`;
      out.set(key, key);
      continue;
    }
    if (g.kind === 'targetNamespace') {
      const key = `targetNamespace ${g.node.attrs.targetNamespace}`;
      out.set(key, key);
      continue;
    }
    const key = `${g.kind} ${g.node.attrs.name}`;
    const text = canon(g.node);
    const prev = out.get(key);
    if (prev !== undefined && prev !== text) throw new Error(`conflicting duplicate definitions of ${key}`);
    out.set(key, text);
  }
  return out;
}

const [ours, ...official] = process.argv.slice(2);
if (!ours || official.length === 0) {
  console.error('usage: uftp-xsd-structure.mjs <our-entry.xsd> <official-entry.xsd>...');
  process.exit(2);
}
let a, b;
try {
  a = facts(loadSet([ours]));
  b = facts(loadSet(official));
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(2);
}
const problems = [];
for (const [k, v] of a) {
  if (!b.has(k)) problems.push(`only in ours:     ${k}`);
  else if (b.get(k) !== v) problems.push(`differs:          ${k}\n--- ours\n${v}\n--- official\n${b.get(k)}`);
}
for (const k of b.keys()) if (!a.has(k)) problems.push(`only in official: ${k}`);
const counts = (m, p) => [...m.keys()].filter((k) => k.startsWith(p)).length;
console.log(`structure: ${counts(a, 'xs:element')} global elements, ${counts(a, 'xs:complexType')} complex types, ${counts(a, 'xs:simpleType')} simple types in ours; ` +
  `${counts(b, 'xs:element')} / ${counts(b, 'xs:complexType')} / ${counts(b, 'xs:simpleType')} in the official union`);
if (problems.length > 0) {
  console.log(problems.join('\n'));
  console.log(`structure: ${problems.length} difference(s)`);
  process.exit(1);
}
console.log('structure: identical (names, types, facets, enumerations, defaults, use, occurrence, order)');
