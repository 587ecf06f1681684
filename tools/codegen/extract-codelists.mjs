#!/usr/bin/env node
// Extracts the ENTSO-E code lists (the data behind every `type`, `businessType`, `reason code`, … of the
// IEC 62325-451 documents) from the OFFICIAL schemas into our data table
// src/iec62325/codelists/codelists.json. Run once per ENTSO-E code-list release, by a developer:
//
//   node tools/codegen/extract-codelists.mjs [officialDir]     (default ../shared/conformance/iec62325)
//   npm run codegen                                            (then regenerate our XSDs from the JSON)
//
// Reads  <officialDir>/urn-entsoe-eu-wgedi-codelists.xsd       (Standard…TypeList enumerations, unions)
//        <officialDir>/urn-entsoe-eu-local-extension-types.xsd (Local…Type placeholders)
// Keeps  code + title per code (code definitions are left out to keep the table small), and per list
//        its Uid, definition, the names of its Standard and Local member types and the Local codes.
// Local codes already in codelists.json that are not in the official extension file (DREM local
// codes added per the IEC 62325 extension rules) are kept, so re-extracting never drops them.
// Plain Node ESM, no dependencies.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseXml, childrenNamed, localName, resolveQName } from './mini-xml.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const officialDir = resolve(repoRoot, process.argv[2] ?? '../shared/conformance/iec62325');
const outFile = join(repoRoot, 'src/iec62325/codelists/codelists.json');
const ECL = 'urn:entsoe.eu:wgedi:codelists';

const listsXsd = parseXml(readFileSync(join(officialDir, 'urn-entsoe-eu-wgedi-codelists.xsd'), 'utf8'));
const localXsd = parseXml(readFileSync(join(officialDir, 'urn-entsoe-eu-local-extension-types.xsd'), 'utf8'));
if (listsXsd.attrs.targetNamespace !== ECL) throw new Error(`unexpected targetNamespace ${listsXsd.attrs.targetNamespace}`);

const clean = (s) => s.replace(/\s+/g, ' ').trim();
/** Text of a descendant path such as ['annotation', 'documentation', 'Uid'], or undefined. */
function textAt(el, path) {
  let cur = el;
  for (const step of path) {
    cur = cur && childrenNamed(cur, step)[0];
  }
  return cur ? clean(cur.text) : undefined;
}

/** name -> simpleType element, for one schema. */
function simpleTypes(schema) {
  return new Map(childrenNamed(schema, 'simpleType').map((t) => [t.attrs.name, t]));
}

function enumerations(simpleType, where) {
  const [restriction] = childrenNamed(simpleType, 'restriction');
  const base = restriction && resolveQName(restriction, restriction.attrs.base);
  if (!base || base.local !== 'NMTOKEN' || restriction.children.some((c) => localName(c.name) !== 'enumeration')) {
    throw new Error(`${where}: ${simpleType.attrs.name} is not a plain xs:NMTOKEN enumeration`);
  }
  return childrenNamed(restriction, 'enumeration');
}

const standard = simpleTypes(listsXsd);
const local = simpleTypes(localXsd);
const previous = existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')) : undefined;

const lists = {};
let codeCount = 0;
const unions = childrenNamed(listsXsd, 'simpleType').filter((t) => childrenNamed(t, 'union').length === 1);
for (const union of unions) {
  const name = union.attrs.name;
  const [u] = childrenNamed(union, 'union');
  const members = u.attrs.memberTypes.trim().split(/\s+/).map((m) => resolveQName(u, m));
  const std = members.find((m) => m.local.startsWith('Standard'));
  const loc = members.find((m) => m.local.startsWith('Local'));
  if (members.length !== 2 || !std || !loc || members.some((m) => m.ns !== ECL)) {
    throw new Error(`${name}: expected a union of one Standard… and one Local… type, got ${u.attrs.memberTypes}`);
  }
  const stdType = standard.get(std.local);
  const locType = local.get(loc.local);
  if (!stdType || !locType) throw new Error(`${name}: member type ${!stdType ? std.local : loc.local} not found`);

  const officialLocal = enumerations(locType, 'local extension').map((e) => e.attrs.value);
  const kept = (previous?.lists?.[name]?.local ?? []).filter((c) => !officialLocal.includes(c));
  const entry = { standardType: std.local, localType: loc.local };
  // A second union over the same member types (CodingSchemeType = CodingSchemeTypeList) is an alias:
  // its codes are not repeated.
  const aliasOf = Object.keys(lists).find((k) => lists[k].standardType === std.local && lists[k].localType === loc.local);
  if (aliasOf) {
    lists[name] = { ...entry, aliasOf };
    continue;
  }
  const codes = enumerations(stdType, 'code list').map((e) => {
    const title = textAt(e, ['annotation', 'documentation', 'CodeDescription', 'Title']);
    return { code: e.attrs.value, title: title ?? '' };
  });
  const seen = new Set();
  for (const { code } of codes) {
    if (seen.has(code)) throw new Error(`${name}: duplicate code ${code}`);
    seen.add(code);
  }
  codeCount += codes.length;
  lists[name] = {
    ...entry,
    uid: textAt(stdType, ['annotation', 'documentation', 'Uid']) || null,
    definition: textAt(stdType, ['annotation', 'documentation', 'Definition']) ?? '',
    codes,
    local: [...officialLocal, ...kept],
  };
}

// Every Standard and Local type must belong to a union: nothing of the official file is left behind.
const usedStd = new Set(Object.values(lists).map((l) => l.standardType));
const usedLoc = new Set(Object.values(lists).map((l) => l.localType));
const orphans = [
  ...[...standard.keys()].filter((n) => n.startsWith('Standard') && !usedStd.has(n)),
  ...[...local.keys()].filter((n) => !usedLoc.has(n)),
];
if (orphans.length) throw new Error(`types not reachable from any union: ${orphans.join(', ')}`);

const doc = ['annotation', 'documentation'];
const table = {
  version: textAt(listsXsd, [...doc, 'Version']),
  release: textAt(listsXsd, [...doc, 'Release']),
  releaseDate: textAt(listsXsd, [...doc, 'ReleaseDate']),
  title: textAt(listsXsd, [...doc, 'Title']),
  source:
    'ENTSO-E WG EDI code lists (urn-entsoe-eu-wgedi-codelists.xsd + urn-entsoe-eu-local-extension-types.xsd), ' +
    'extracted by tools/codegen/extract-codelists.mjs; codes and titles only',
  namespace: ECL,
  lists,
};

/** JSON with one code per line: small, and a new ENTSO-E release diffs line by line. */
function serialise(t) {
  const head = Object.entries(t)
    .filter(([k]) => k !== 'lists')
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const body = Object.entries(t.lists).map(([name, l]) => {
    const fields = Object.entries(l).map(([k, v]) => {
      if (k !== 'codes') return `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
      const rows = v.map((c) => `        ${JSON.stringify(c)}`).join(',\n');
      return `      "codes": [\n${rows}\n      ]`;
    });
    return `    ${JSON.stringify(name)}: {\n${fields.join(',\n')}\n    }`;
  });
  return `{\n${head.join('\n')}\n  "lists": {\n${body.join(',\n')}\n  }\n}\n`;
}

writeFileSync(outFile, serialise(table));
console.log(
  `wrote ${relative(repoRoot, outFile)}: code list version ${table.version} release ${table.release} ` +
    `(${table.releaseDate}), ${Object.keys(lists).length} lists, ${codeCount} codes`,
);
