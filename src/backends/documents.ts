/**
 * What every backend (TPS, AGR/BRP, DSO) does with IEC 62325 documents at its edge: read a
 * received one (size and nesting limits, XSD validation against the hub's schemas, then the
 * typed model) and answer with an Acknowledgement_MarketDocument 8:1 (docs/iec62325-profile.md §8).
 */
import { randomUUID } from 'node:crypto';
import {
  buildAcknowledgement,
  detectAndParse,
  formatEsmpDateTime,
  type DetectedDocument,
  type Participant,
  type Reason,
} from '../iec62325/index.js';
import type { RejectedTimeSeries } from '../iec62325/index.js';
import { projectPath } from '../shared/paths.js';
import { formatIssue, SchemaRegistry, validateXml } from '../xml/index.js';

let registry: SchemaRegistry | undefined;
/** The hub's own schemas (xsd/), compiled on first use and kept. */
export const hubSchemas = (): SchemaRegistry => (registry ??= SchemaRegistry.fromDirectories([projectPath('xsd')]));

/**
 * How the backends write the documents they send: without indentation. They are for machines; the white
 * space of an indented document costs every receiver parsing and validating (a 200-asset share: 18 % less
 * to read). `tps-hub validate` and any XML tool show them indented if a person wants to read one.
 */
export const WIRE = { indent: 0 } as const;

/** The reason codes the backends answer with (ReasonCodeTypeList, profile §8). */
export const REASON = {
  accepted: 'A01',
  rejected: 'A02',
  partlyAccepted: 'A03',
  timeSeriesRejected: 'A20',
  notValidDocument: 'A94',
  mandatoryMissing: 'A69',
  versionConflict: 'A51',
  receiverIncorrect: 'A53',
  senderInvalid: 'A78',
  processTypeInvalid: 'A79',
  domainInvalid: 'A80',
  intervalIncorrect: 'A04',
  notCompliant: 'A59',
  noData: '999',
} as const;

export type ReadResult =
  { readonly ok: true; readonly doc: DetectedDocument } | { readonly ok: false; readonly reasons: Reason[]; readonly mRID?: string };

/** Reads a received document; a document that is not valid comes back as A94 reasons with line and message. */
export function readDocument(content: Buffer): ReadResult {
  const checked = validateXml(content, hubSchemas(), { tree: true });
  if (!checked.valid || !checked.root) {
    const reasons = checked.issues.slice(0, 20).map((i) => ({ code: REASON.notValidDocument, text: formatIssue(i).slice(0, 512) }));
    return { ok: false, reasons: reasons.length ? reasons : [{ code: REASON.notValidDocument, text: 'not a valid document' }] };
  }
  const parsed = detectAndParse(checked.root);
  if (!parsed.ok) {
    return { ok: false, reasons: parsed.error.slice(0, 20).map((i) => ({ code: REASON.notValidDocument, text: i.message.slice(0, 512) })) };
  }
  return { ok: true, doc: parsed.value };
}

/** mRID, revision, type, process type and creation time of a received document, as an acknowledgement names them. */
export function receivedOf(doc: DetectedDocument): {
  mRID: string;
  revisionNumber?: number;
  type?: string;
  processType?: string;
  createdDateTime: string;
} {
  const d = doc.document as { mRID: string; revisionNumber?: number; type?: string; processType?: string; createdDateTime: string };
  return {
    mRID: d.mRID,
    ...(d.revisionNumber !== undefined ? { revisionNumber: d.revisionNumber } : {}),
    ...(d.type !== undefined ? { type: d.type } : {}),
    ...(d.processType !== undefined ? { processType: d.processType } : {}),
    createdDateTime: d.createdDateTime,
  };
}

export interface AckInput {
  readonly from: Participant;
  readonly to: Participant;
  readonly received?: ReturnType<typeof receivedOf>;
  /** Empty: accepted (A01). Otherwise rejected (A02) with these specific reasons. */
  readonly problems: readonly Reason[];
  readonly rejectedTimeSeries?: readonly RejectedTimeSeries[];
  readonly now: Date;
}

export function buildAck(a: AckInput): string {
  const reason: Reason[] =
    a.problems.length === 0
      ? [{ code: REASON.accepted }]
      : [{ code: REASON.rejected }, ...a.problems.map((p) => ({ ...p, ...(p.text ? { text: p.text.slice(0, 512) } : {}) }))];
  return buildAcknowledgement(
    {
      mRID: randomUUID(),
      createdDateTime: esmpTime(a.now),
      sender: a.from,
      receiver: { mRID: a.to.mRID, codingScheme: a.to.codingScheme, role: a.to.role },
      ...(a.received ? { received: a.received } : {}),
      ...(a.rejectedTimeSeries?.length ? { rejectedTimeSeries: a.rejectedTimeSeries } : {}),
      reason,
    },
    WIRE,
  );
}

/** ESMP_DateTime of an instant: whole seconds, UTC (`YYYY-MM-DDThh:mm:ssZ`). */
export const esmpTime = (d: Date): string => formatEsmpDateTime(new Date(Math.floor(d.getTime() / 1000) * 1000));

/** The business type a document travels under (MADES envelope): its root element's name. */
export const businessTypeOf = (root: string): string => root;
