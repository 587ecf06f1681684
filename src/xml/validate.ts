/**
 * Validation = hardened parse + detection + XSD validation, reporting every problem found.
 * For a UFTP SignedMessage the Body is unwrapped (64-byte Ed25519 signature ‖ payload) and the
 * payload is validated the same way; its issues are reported with a `Body: ` prefix at the
 * envelope's line. The signature itself is not verified here (no keys): a note says so.
 */
import type { XmlElement } from './element.js';
import { formatLocation, xmlIssue, type XmlIssue } from './issue.js';
import { withLibxmlDocument } from './libxml.js';
import { resolveLimits, type ResolvedLimits, type XmlLimits } from './limits.js';
import { precheck, type XmlInput } from './precheck.js';
import type { SchemaRegistry, XmlFamily } from './schema-registry.js';
import { unwrapSignedBody } from './signed-message.js';
import { buildElementTree } from './tree.js';

export interface XmlValidateOptions extends XmlLimits {
  /** Also return the element tree of a valid document (saves a second parse for readers). */
  readonly tree?: boolean;
}

/** Information that is not an error. */
export interface XmlNote {
  readonly code: 'UFTP_SIGNATURE_NOT_VERIFIED';
  readonly message: string;
}

export interface DocumentIdentity {
  /** Root element local name, e.g. 'GL_MarketDocument'; null when not detected. */
  readonly documentType: string | null;
  /** IEC 62325: '3:0' from the namespace. UFTP: the root's Version attribute, else the schema directory's version. */
  readonly version: string | null;
  readonly family: XmlFamily | null;
}

export interface ValidationResult extends DocumentIdentity {
  readonly valid: boolean;
  /** Every problem found, in document order per stage; empty when valid. */
  readonly issues: readonly XmlIssue[];
  readonly notes: readonly XmlNote[];
  /** The message inside a UFTP SignedMessage Body, when the Body could be unwrapped and detected. */
  readonly inner?: DocumentIdentity;
  /** The element tree, when `tree: true` was asked for and the document is valid. */
  readonly root?: XmlElement;
}

interface Inspection extends DocumentIdentity {
  readonly issues: XmlIssue[];
  readonly rootLine: number | null;
  readonly senderDomain: string | undefined;
  readonly senderRole: string | undefined;
  readonly body: string | undefined;
}

const NOT_DETECTED: DocumentIdentity = { documentType: null, version: null, family: null };

export function validateXml(input: XmlInput, registry: SchemaRegistry, options?: XmlValidateOptions): ValidationResult {
  return run(input, registry, resolveLimits(options), options?.tree === true, false).result;
}

interface Run {
  readonly result: ValidationResult;
  /** The root's SenderDomain attribute (UFTP), compared with the envelope's by the caller. */
  readonly senderDomain?: string | undefined;
}

function run(input: XmlInput, registry: SchemaRegistry, limits: ResolvedLimits, wantTree: boolean, insideBody: boolean): Run {
  const checked = precheck(input, limits);
  if (!checked.ok) return { result: invalid(NOT_DETECTED, checked.error) };

  const inspected = withLibxmlDocument(checked.value.bytes, (doc): Inspection => {
    const root = doc.root;
    const rootLine = root.line > 0 ? root.line : null;
    const detected = registry.detect(root.name, root.namespaceUri);
    const base = { rootLine, senderDomain: undefined, senderRole: undefined, body: undefined };
    if (!detected.ok) return { ...NOT_DETECTED, ...base, issues: [{ ...detected.error, line: rootLine }] };
    const d = detected.value;
    const identity: DocumentIdentity = { documentType: d.documentType, version: d.version, family: d.family };
    const compiled = registry.compiledSchema(d.schema);
    if (!compiled.ok) return { ...identity, ...base, issues: [compiled.error] };
    const issues = compiled.value.validate(doc);
    if (d.family !== 'uftp') return { ...identity, ...base, issues };
    return {
      ...identity,
      version: root.attr('Version')?.value ?? d.version,
      issues,
      rootLine,
      senderDomain: root.attr('SenderDomain')?.value,
      senderRole: root.attr('SenderRole')?.value,
      body: d.documentType === 'SignedMessage' ? root.attr('Body')?.value : undefined,
    };
  });
  if (!inspected.ok) return { result: invalid(NOT_DETECTED, inspected.error) };

  const ins = inspected.value;
  const identity: DocumentIdentity = { documentType: ins.documentType, version: ins.version, family: ins.family };
  const issues = ins.issues;
  const notes: XmlNote[] = [];
  let inner: DocumentIdentity | undefined;
  if (ins.documentType === 'SignedMessage' && ins.body !== undefined) {
    const envelope = checkSignedBody(ins, registry, limits, insideBody);
    issues.push(...envelope.issues);
    notes.push(...envelope.notes);
    inner = envelope.inner;
  }

  const senderDomain = ins.senderDomain;
  if (issues.length > 0) return { result: { ...invalid(identity, issues), notes, ...(inner && { inner }) }, senderDomain };
  let root: XmlElement | undefined;
  if (wantTree) {
    const tree = buildElementTree(checked.value.text, limits.maxDepth);
    if (!tree.ok) return { result: invalid(identity, tree.error), senderDomain };
    root = tree.value;
  }
  return { result: { ...identity, valid: true, issues, notes, ...(inner && { inner }), ...(root && { root }) }, senderDomain };
}

interface EnvelopeCheck {
  readonly issues: XmlIssue[];
  readonly notes: XmlNote[];
  readonly inner?: DocumentIdentity;
}

/**
 * UFTP SignedMessage: unwraps the Body (signature ‖ payload), validates the payload like any
 * document, reports its issues as `Body: line N: …` at the envelope's line, and compares the
 * payload's SenderDomain with the envelope's (UFTP-common.xsd, SignedMessageType/@SenderDomain: "if not, the
 * message must be rejected as invalid"; rejection reason "Mismatch SenderDomain").
 */
function checkSignedBody(ins: Inspection, registry: SchemaRegistry, limits: ResolvedLimits, insideBody: boolean): EnvelopeCheck {
  const at = ins.rootLine;
  if (insideBody) {
    return {
      issues: [xmlIssue('UFTP_BODY_INVALID', 'a SignedMessage Body must contain a payload message, not another SignedMessage', at)],
      notes: [],
    };
  }
  const unwrapped = unwrapSignedBody(ins.body ?? '');
  if (!unwrapped.ok) return { issues: [xmlIssue('UFTP_BODY_INVALID', unwrapped.error, at)], notes: [] };

  const notes: XmlNote[] = [
    {
      code: 'UFTP_SIGNATURE_NOT_VERIFIED',
      message: `the Body's Ed25519 signature was not verified: no public key for ${ins.senderDomain ?? '?'} (${ins.senderRole ?? '?'}) is available here`,
    },
  ];
  const { result: payload, senderDomain: innerDomain } = run(unwrapped.value.payload, registry, limits, false, true);
  const issues: XmlIssue[] = payload.issues.map((i) => ({
    code: i.code,
    line: at,
    column: null,
    message: `Body: ${formatLocation(i.line, i.column)}${i.message}`,
  }));
  if (innerDomain !== undefined && ins.senderDomain !== undefined && innerDomain !== ins.senderDomain) {
    issues.push(
      xmlIssue(
        'UFTP_SENDER_DOMAIN_MISMATCH',
        `Body: SenderDomain "${innerDomain}" differs from the SignedMessage SenderDomain "${ins.senderDomain}"`,
        at,
      ),
    );
  }
  return { issues, notes, inner: { documentType: payload.documentType, version: payload.version, family: payload.family } };
}

function invalid(identity: DocumentIdentity, issues: readonly XmlIssue[]): ValidationResult {
  return { ...identity, valid: false, issues, notes: [] };
}
