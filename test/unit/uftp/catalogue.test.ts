import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { projectPath } from '../../../src/shared/paths.js';
import {
  UFTP_ENTRY_SCHEMA,
  UFTP_MESSAGES,
  UFTP_PAYLOAD_ROOTS,
  UFTP_SIGNED_MESSAGE,
  UFTP_VERSION,
  UFTP_XSD_PARTS,
  USEF_ROLES,
  isAllowedExchange,
  isUftpPayloadRoot,
  recipientsOf,
  requestFor,
  responseFor,
  sendersOf,
  uftpMessageInfo,
  type UftpMessageInfo,
} from '../../../src/uftp/messages/index.js';

// ---------------------------------------------------------------------------------------------
// A tiny XSD reader: enough for our own schema files (tags and attributes, comments skipped).
// ---------------------------------------------------------------------------------------------

interface XsdNode {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XsdNode[];
}

function parseXsd(text: string): XsdNode {
  const src = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  const root: XsdNode = { name: '#root', attrs: {}, children: [] };
  const stack: XsdNode[] = [root];
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>/g;
  for (const m of src.matchAll(tagRe)) {
    const [, close = '', name = '', rawAttrs = '', selfClose = ''] = m;
    if (close) {
      assert.equal(stack.pop()?.name, name, `unbalanced </${name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1] ?? ''] = a[2] ?? '';
    const node: XsdNode = { name, attrs, children: [] };
    stack.at(-1)?.children.push(node);
    if (!selfClose) stack.push(node);
  }
  assert.equal(stack.length, 1, 'unclosed element in XSD');
  return root;
}

interface SchemaFile {
  readonly file: string;
  readonly schema: XsdNode;
}

/** Loads the entry schema and every file it includes, each once. */
function loadSchemaSet(entry: string): SchemaFile[] {
  const out: SchemaFile[] = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const schema = parseXsd(readFileSync(path, 'utf8')).children.find((c) => c.name === 'xs:schema');
    assert.ok(schema, `${path} has an xs:schema root`);
    out.push({ file: path, schema });
    for (const inc of schema.children.filter((c) => c.name === 'xs:include')) {
      visit(join(dirname(path), inc.attrs.schemaLocation ?? ''));
    }
  };
  visit(projectPath(entry));
  return out;
}

const schemaSet = loadSchemaSet(UFTP_ENTRY_SCHEMA);
const topLevel = (kind: string): XsdNode[] => schemaSet.flatMap((f) => f.schema.children.filter((c) => c.name === kind));
const globalElements = new Map(topLevel('xs:element').map((e) => [e.attrs.name ?? '', e.attrs.type ?? '']));
const complexTypes = new Map(topLevel('xs:complexType').map((t) => [t.attrs.name ?? '', t]));

function descendants(node: XsdNode): XsdNode[] {
  return node.children.flatMap((c) => [c, ...descendants(c)]);
}

/** Base type of a complex type derived by extension, if any. */
function baseOf(typeName: string): string | undefined {
  const type = complexTypes.get(typeName);
  assert.ok(type, `complexType ${typeName} is declared`);
  return descendants(type).find((n) => n.name === 'xs:extension')?.attrs.base;
}

/** The chain typeName, base, base of base, ... */
function ancestry(typeName: string): string[] {
  const chain = [typeName];
  for (let base = baseOf(typeName); base !== undefined; base = complexTypes.has(base) ? baseOf(base) : undefined) chain.push(base);
  return chain;
}

/** Attribute declarations made by the type itself (not inherited). */
function ownAttributes(typeName: string): Map<string, Readonly<Record<string, string>>> {
  const type = complexTypes.get(typeName);
  assert.ok(type, `complexType ${typeName} is declared`);
  const direct = [
    ...type.children,
    ...descendants(type)
      .filter((n) => n.name === 'xs:extension')
      .flatMap((e) => e.children),
  ];
  return new Map(direct.filter((n) => n.name === 'xs:attribute').map((a) => [a.attrs.name ?? '', a.attrs]));
}

/** Own and inherited attribute names. */
function allAttributes(typeName: string): Set<string> {
  return new Set(ancestry(typeName).flatMap((t) => [...ownAttributes(t).keys()]));
}

function typeOfElement(name: string): string {
  const type = globalElements.get(name);
  assert.ok(type, `global element ${name} is declared`);
  return type;
}

const entries = Object.entries(UFTP_MESSAGES) as [string, UftpMessageInfo][];

// ---------------------------------------------------------------------------------------------

describe('UFTP 3.1.0 message catalogue', () => {
  it('implements UFTP version 3.1.0 with the three USEF roles of the schema', () => {
    assert.equal(UFTP_VERSION, '3.1.0');
    assert.deepEqual([...USEF_ROLES], ['AGR', 'CRO', 'DSO']);
    const roleType = topLevel('xs:simpleType').find((t) => t.attrs.name === 'USEF-RoleType');
    assert.ok(roleType);
    const values = descendants(roleType)
      .filter((n) => n.name === 'xs:enumeration')
      .map((n) => n.attrs.value);
    assert.deepEqual(values, [...USEF_ROLES]);
  });

  it('lists every payload element that the 3.1.0 schema declares, and nothing else', () => {
    const declared = [...globalElements.keys()].filter((n) => n !== UFTP_SIGNED_MESSAGE).sort();
    assert.deepEqual([...UFTP_PAYLOAD_ROOTS].sort(), declared);
    assert.equal(UFTP_PAYLOAD_ROOTS.length, 26);
    assert.ok(globalElements.has(UFTP_SIGNED_MESSAGE), 'the schema declares the SignedMessage envelope');
  });

  it('has no target namespace in any schema file (UFTP XML is in no namespace)', () => {
    for (const { file, schema } of schemaSet) assert.equal(schema.attrs.targetNamespace, undefined, file);
  });

  it('places every message in the XSD part the catalogue names', () => {
    for (const [name, info] of entries) {
      const part = schemaSet.find((f) => f.file === projectPath('xsd/uftp/3.1.0', UFTP_XSD_PARTS[info.xsdPart].file));
      assert.ok(part, `${name}: part ${info.xsdPart} is included by the entry schema`);
      const names = part.schema.children.filter((c) => c.name === 'xs:element').map((c) => c.attrs.name);
      assert.ok(names.includes(name), `${name} is declared in ${UFTP_XSD_PARTS[info.xsdPart].file}`);
    }
  });

  it('derives every payload type from PayloadMessageType, and only payload types', () => {
    for (const name of UFTP_PAYLOAD_ROOTS) assert.ok(ancestry(typeOfElement(name)).includes('PayloadMessageType'), name);
    assert.ok(!ancestry(typeOfElement(UFTP_SIGNED_MESSAGE)).includes('PayloadMessageType'));
  });

  it('pairs every request with an existing response that points back to it', () => {
    const requests = entries.filter(([, i]) => i.kind === 'request');
    const responses = entries.filter(([, i]) => i.kind === 'response');
    assert.equal(requests.length, 13);
    assert.equal(responses.length, 13);
    for (const [name, info] of requests) {
      assert.ok(info.response !== null && isUftpPayloadRoot(info.response), `${name}: response ${info.response} exists`);
      const response = UFTP_MESSAGES[info.response];
      assert.equal(response.kind, 'response');
      assert.equal(response.request, name);
      assert.equal(response.referenceAttribute, info.referenceAttribute, `${name}: both sides name the same reference attribute`);
      assert.deepEqual(response.phases, info.phases, `${name}: a response belongs to the phases of its request`);
    }
    for (const [name, info] of responses) {
      assert.ok(info.request !== null && isUftpPayloadRoot(info.request), `${name}: request ${info.request} exists`);
      assert.equal(UFTP_MESSAGES[info.request].response, name);
    }
  });

  it('names, for every response, a required UUID reference attribute that the response type declares', () => {
    for (const [name, info] of entries.filter(([, i]) => i.kind === 'response')) {
      if (info.referenceAttribute === null) continue;
      const attr = ownAttributes(typeOfElement(name)).get(info.referenceAttribute);
      assert.ok(attr, `${name} declares ${info.referenceAttribute}`);
      assert.equal(attr.type, 'UUIDType', `${name}@${info.referenceAttribute} is a UUID`);
      assert.equal(attr.use, 'required', `${name}@${info.referenceAttribute} is required`);
    }
  });

  it('keeps the 3.1.0 attribute name DSOPortfolioUpdateResponseMessageID (sic)', () => {
    assert.equal(UFTP_MESSAGES.DSOPortfolioUpdateResponse.referenceAttribute, 'DSOPortfolioUpdateResponseMessageID');
    assert.ok(allAttributes(typeOfElement('DSOPortfolioUpdateResponse')).has('DSOPortfolioUpdateResponseMessageID'));
    assert.ok(!allAttributes(typeOfElement('DSOPortfolioUpdateResponse')).has('DSOPortfolioUpdateMessageID'));
  });

  it('gives TestMessageResponse no reference attribute and no Result, as the 3.1.0 schema does', () => {
    assert.equal(UFTP_MESSAGES.TestMessageResponse.referenceAttribute, null);
    const attrs = allAttributes(typeOfElement('TestMessageResponse'));
    assert.deepEqual([...attrs].sort(), ['ConversationID', 'MessageID', 'RecipientDomain', 'SenderDomain', 'TimeStamp', 'Version']);
  });

  it('marks exactly the messages whose type requires Result (all responses but TestMessageResponse, plus FlexSettlement)', () => {
    for (const [name, info] of entries) {
      const extendsResponse = ancestry(typeOfElement(name)).includes('PayloadMessageResponseType');
      assert.equal(info.carriesResult, extendsResponse, name);
    }
    assert.equal(UFTP_MESSAGES.FlexSettlement.carriesResult, true);
  });

  it('lets the recipient of a request send its response, and vice versa', () => {
    for (const [name, info] of entries) {
      assert.ok(info.senders.length > 0 && info.recipients.length > 0, name);
      for (const r of [...info.senders, ...info.recipients]) assert.ok(USEF_ROLES.includes(r), `${name}: ${r} is a role`);
      if (info.kind === 'request') {
        const response = UFTP_MESSAGES[info.response as keyof typeof UFTP_MESSAGES];
        assert.deepEqual(response.senders, info.recipients, name);
        assert.deepEqual(response.recipients, info.senders, name);
      }
    }
  });

  it('routes each message between the roles whose official role schemas declare it', () => {
    for (const [name, info] of entries) {
      const schemas: readonly string[] = UFTP_XSD_PARTS[info.xsdPart].officialRoleSchemas;
      for (const role of [...info.senders, ...info.recipients]) {
        assert.ok(schemas.includes(role.toLowerCase()), `${name}: ${role} handles a message its role schema declares`);
      }
    }
  });

  it('answers the helper questions from the table', () => {
    assert.equal(isUftpPayloadRoot('FlexOffer'), true);
    assert.equal(isUftpPayloadRoot('D-Prognosis'), true);
    assert.equal(isUftpPayloadRoot('SignedMessage'), false);
    assert.equal(isUftpPayloadRoot('toString'), false);
    assert.equal(isUftpPayloadRoot('flexoffer'), false);
    assert.equal(responseFor('FlexOffer'), 'FlexOfferResponse');
    assert.equal(responseFor('TestMessage'), 'TestMessageResponse');
    assert.equal(responseFor('FlexOfferResponse'), undefined);
    assert.equal(responseFor('Nope'), undefined);
    assert.equal(requestFor('D-PrognosisResponse'), 'D-Prognosis');
    assert.equal(requestFor('D-Prognosis'), undefined);
    assert.deepEqual(sendersOf('FlexRequest'), ['DSO']);
    assert.deepEqual(sendersOf('Metering'), ['AGR']);
    assert.deepEqual(sendersOf('TestMessage'), ['AGR', 'CRO', 'DSO']);
    assert.deepEqual(sendersOf('SignedMessage'), []);
    assert.deepEqual(recipientsOf('AGRPortfolioQuery'), ['CRO']);
    assert.equal(uftpMessageInfo('FlexOrder')?.referenceAttribute, 'FlexOrderMessageID');
    assert.equal(uftpMessageInfo('Unknown'), undefined);
    assert.equal(isAllowedExchange('FlexOffer', 'AGR', 'DSO'), true);
    assert.equal(isAllowedExchange('FlexOffer', 'DSO', 'AGR'), false);
    assert.equal(isAllowedExchange('DSOPortfolioUpdate', 'DSO', 'CRO'), true);
    assert.equal(isAllowedExchange('TestMessage', 'CRO', 'AGR'), true);
  });

  it('has a valid and an invalid test vector for every payload message and for SignedMessage', () => {
    const fixtures = readdirSync(projectPath('test/conformance/fixtures/uftp/3.1.0'));
    for (const name of [...UFTP_PAYLOAD_ROOTS, UFTP_SIGNED_MESSAGE]) {
      assert.ok(fixtures.includes(`${name}.valid.1.xml`), `${name}.valid.1.xml exists`);
      assert.ok(fixtures.includes(`${name}.invalid.1.xml`), `${name}.invalid.1.xml exists`);
    }
    for (const f of fixtures) {
      const root = /^(.+)\.(valid|invalid)\.\d+\.xml$/.exec(f)?.[1];
      assert.ok(
        root !== undefined && (isUftpPayloadRoot(root) || root === UFTP_SIGNED_MESSAGE),
        `${f} is named <Message>.(in)valid.<n>.xml`,
      );
    }
  });
});
