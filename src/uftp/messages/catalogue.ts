/**
 * The UFTP 3.1.0 message catalogue as data: every payload message root element, who may send and
 * receive it, how requests and responses pair up, and in which USEF phase it is used.
 *
 * Modelled on the Shapeshifter Java library's UftpRoleInformation and UftpRequestResponseMapping, but
 * taken from the specification (docs/research/uftp.md section 3) and checked against our XSD
 * (xsd/uftp/3.1.0/) by test/unit/uftp/catalogue.test.ts. Code and tests read these tables; do not
 * duplicate them elsewhere.
 *
 * Deliberate deviations from the Java library:
 *  - Metering: the Java library lists Metering (and MeteringResponse) under all three roles, so its
 *    getSenderRole() resolves to AGR only by set order. The spec's direction is AGR -> DSO, and the
 *    official role schemas declare Metering only in UFTP-agr.xsd and UFTP-dso.xsd, so we list AGR as the
 *    only sender.
 *  - TestMessage/TestMessageResponse are paired here (the Java library leaves the pair out because the
 *    3.x TestMessageResponse carries no Result and no reference attribute).
 */

/** The UFTP specification version this catalogue (and xsd/uftp/3.1.0/) implements. */
export const UFTP_VERSION = '3.1.0';

/** USEF-RoleType of the 3.1.0 schema (BRP and MDC appear in prose only). */
export const USEF_ROLES = ['AGR', 'CRO', 'DSO'] as const;
export type UsefRole = (typeof USEF_ROLES)[number];

/** USEF market coordination phases, plus "connectivity" for the TestMessage pair. */
export const UFTP_PHASES = ['connectivity', 'contract', 'plan', 'validate', 'operate', 'settle'] as const;
export type UftpPhase = (typeof UFTP_PHASES)[number];

/** Root element of the transport envelope. It is not a payload message and not in UFTP_MESSAGES. */
export const UFTP_SIGNED_MESSAGE = 'SignedMessage';

/** Our XSD part files (xsd/uftp/3.1.0/) with the official 3.1.0 file each one mirrors and the official
 *  role entry schemas (UFTP-<role>.xsd) that declare the part's messages. */
export const UFTP_XSD_PARTS = {
  common: { file: 'common.xsd', official: 'UFTP-common.xsd', officialRoleSchemas: ['agr', 'cro', 'dso'] },
  'portfolio-agr-cro': { file: 'portfolio-agr-cro.xsd', official: 'UFTP-agr-cro.xsd', officialRoleSchemas: ['agr', 'cro'] },
  'portfolio-cro-dso': { file: 'portfolio-cro-dso.xsd', official: 'UFTP-cro-dso.xsd', officialRoleSchemas: ['cro', 'dso'] },
  'flex-agr-dso': { file: 'flex-agr-dso.xsd', official: 'UFTP-agr-dso.xsd', officialRoleSchemas: ['agr', 'dso'] },
  metering: { file: 'metering.xsd', official: 'UFTP-metering.xsd', officialRoleSchemas: ['agr', 'dso'] },
} as const;
export type UftpXsdPart = keyof typeof UFTP_XSD_PARTS;

/** The entry schema that declares every UFTP 3.1.0 element (relative to the repository root). */
export const UFTP_ENTRY_SCHEMA = 'xsd/uftp/3.1.0/UFTP-3.1.0.xsd';

interface UftpMessageInfoBase {
  /** Abbreviation used in the specification's validation tables (TM, FOF_R, ...). */
  readonly abbreviation: string;
  /** Roles that may send this message. */
  readonly senders: readonly UsefRole[];
  /** Roles that receive it. */
  readonly recipients: readonly UsefRole[];
  readonly phases: readonly UftpPhase[];
  /**
   * Name of the attribute ON THE RESPONSE that carries the request's MessageID (3.1.0 has one such
   * attribute per response; the unreleased main branch replaces them all with ReferenceMessageID).
   * The same value on both sides of a pair; null for the TestMessage pair, which has none in 3.1.0.
   */
  readonly referenceAttribute: string | null;
  /**
   * Whether the schema type derives from PayloadMessageResponseType and therefore requires Result (and
   * allows RejectionReason). True for every response except TestMessageResponse, and - a 3.x quirk - for
   * the FlexSettlement request.
   */
  readonly carriesResult: boolean;
  /** Which of our XSD parts declares the element. */
  readonly xsdPart: UftpXsdPart;
}

export interface UftpRequestInfo extends UftpMessageInfoBase {
  readonly kind: 'request';
  /** Root element name of the (asynchronous) response to this request. */
  readonly response: string;
  readonly request: null;
}

export interface UftpResponseInfo extends UftpMessageInfoBase {
  readonly kind: 'response';
  readonly response: null;
  /** Root element name of the request this message answers. */
  readonly request: string;
}

export type UftpMessageInfo = UftpRequestInfo | UftpResponseInfo;

const ALL_ROLES = USEF_ROLES;

/**
 * Every payload message root element of UFTP 3.1.0 (26 = 13 request/response pairs), keyed by its exact
 * element name. Order: as in the specification's message catalogue.
 */
export const UFTP_MESSAGES = {
  TestMessage: {
    kind: 'request',
    abbreviation: 'TM',
    senders: ALL_ROLES,
    recipients: ALL_ROLES,
    phases: ['connectivity'],
    response: 'TestMessageResponse',
    request: null,
    referenceAttribute: null,
    carriesResult: false,
    xsdPart: 'common',
  },
  TestMessageResponse: {
    kind: 'response',
    abbreviation: 'TM_R',
    senders: ALL_ROLES,
    recipients: ALL_ROLES,
    phases: ['connectivity'],
    response: null,
    request: 'TestMessage',
    referenceAttribute: null,
    carriesResult: false,
    xsdPart: 'common',
  },
  DSOPortfolioUpdate: {
    kind: 'request',
    abbreviation: 'DPU',
    senders: ['DSO'],
    recipients: ['CRO'],
    phases: ['contract'],
    response: 'DSOPortfolioUpdateResponse',
    request: null,
    referenceAttribute: 'DSOPortfolioUpdateResponseMessageID',
    carriesResult: false,
    xsdPart: 'portfolio-cro-dso',
  },
  DSOPortfolioUpdateResponse: {
    kind: 'response',
    abbreviation: 'DPU_R',
    senders: ['CRO'],
    recipients: ['DSO'],
    phases: ['contract'],
    response: null,
    request: 'DSOPortfolioUpdate',
    // sic: named after the response, but it holds the MessageID of the DSOPortfolioUpdate.
    referenceAttribute: 'DSOPortfolioUpdateResponseMessageID',
    carriesResult: true,
    xsdPart: 'portfolio-cro-dso',
  },
  AGRPortfolioUpdate: {
    kind: 'request',
    abbreviation: 'APU',
    senders: ['AGR'],
    recipients: ['CRO'],
    phases: ['contract'],
    response: 'AGRPortfolioUpdateResponse',
    request: null,
    referenceAttribute: 'AGRPortfolioUpdateMessageID',
    carriesResult: false,
    xsdPart: 'portfolio-agr-cro',
  },
  AGRPortfolioUpdateResponse: {
    kind: 'response',
    abbreviation: 'APU_R',
    senders: ['CRO'],
    recipients: ['AGR'],
    phases: ['contract'],
    response: null,
    request: 'AGRPortfolioUpdate',
    referenceAttribute: 'AGRPortfolioUpdateMessageID',
    carriesResult: true,
    xsdPart: 'portfolio-agr-cro',
  },
  AGRPortfolioQuery: {
    kind: 'request',
    abbreviation: 'APQ',
    senders: ['AGR'],
    recipients: ['CRO'],
    phases: ['plan'],
    response: 'AGRPortfolioQueryResponse',
    request: null,
    referenceAttribute: 'AGRPortfolioQueryMessageID',
    carriesResult: false,
    xsdPart: 'portfolio-agr-cro',
  },
  AGRPortfolioQueryResponse: {
    kind: 'response',
    abbreviation: 'APQ_R',
    senders: ['CRO'],
    recipients: ['AGR'],
    phases: ['plan'],
    response: null,
    request: 'AGRPortfolioQuery',
    referenceAttribute: 'AGRPortfolioQueryMessageID',
    carriesResult: true,
    xsdPart: 'portfolio-agr-cro',
  },
  DSOPortfolioQuery: {
    kind: 'request',
    abbreviation: 'DPQ',
    senders: ['DSO'],
    recipients: ['CRO'],
    phases: ['plan'],
    response: 'DSOPortfolioQueryResponse',
    request: null,
    referenceAttribute: 'DSOPortfolioQueryMessageID',
    carriesResult: false,
    xsdPart: 'portfolio-cro-dso',
  },
  DSOPortfolioQueryResponse: {
    kind: 'response',
    abbreviation: 'DPQ_R',
    senders: ['CRO'],
    recipients: ['DSO'],
    phases: ['plan'],
    response: null,
    request: 'DSOPortfolioQuery',
    referenceAttribute: 'DSOPortfolioQueryMessageID',
    carriesResult: true,
    xsdPart: 'portfolio-cro-dso',
  },
  FlexReservationUpdate: {
    kind: 'request',
    abbreviation: 'FRU',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['plan'],
    response: 'FlexReservationUpdateResponse',
    request: null,
    referenceAttribute: 'FlexReservationUpdateMessageID',
    carriesResult: false,
    xsdPart: 'flex-agr-dso',
  },
  FlexReservationUpdateResponse: {
    kind: 'response',
    abbreviation: 'FRU_R',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['plan'],
    response: null,
    request: 'FlexReservationUpdate',
    referenceAttribute: 'FlexReservationUpdateMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
  'D-Prognosis': {
    kind: 'request',
    abbreviation: 'DP',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['validate', 'operate'],
    response: 'D-PrognosisResponse',
    request: null,
    referenceAttribute: 'D-PrognosisMessageID',
    carriesResult: false,
    xsdPart: 'flex-agr-dso',
  },
  'D-PrognosisResponse': {
    kind: 'response',
    abbreviation: 'DP_R',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['validate', 'operate'],
    response: null,
    request: 'D-Prognosis',
    referenceAttribute: 'D-PrognosisMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
  FlexRequest: {
    kind: 'request',
    abbreviation: 'FR',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['validate'],
    response: 'FlexRequestResponse',
    request: null,
    referenceAttribute: 'FlexRequestMessageID',
    carriesResult: false,
    xsdPart: 'flex-agr-dso',
  },
  FlexRequestResponse: {
    kind: 'response',
    abbreviation: 'FR_R',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['validate'],
    response: null,
    request: 'FlexRequest',
    referenceAttribute: 'FlexRequestMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
  FlexOffer: {
    kind: 'request',
    abbreviation: 'FOF',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['validate'],
    response: 'FlexOfferResponse',
    request: null,
    referenceAttribute: 'FlexOfferMessageID',
    carriesResult: false,
    xsdPart: 'flex-agr-dso',
  },
  FlexOfferResponse: {
    kind: 'response',
    abbreviation: 'FOF_R',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['validate'],
    response: null,
    request: 'FlexOffer',
    referenceAttribute: 'FlexOfferMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
  FlexOfferRevocation: {
    kind: 'request',
    abbreviation: 'FOFR',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['validate', 'operate'],
    response: 'FlexOfferRevocationResponse',
    request: null,
    referenceAttribute: 'FlexOfferRevocationMessageID',
    carriesResult: false,
    xsdPart: 'flex-agr-dso',
  },
  FlexOfferRevocationResponse: {
    kind: 'response',
    abbreviation: 'FOFR_R',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['validate', 'operate'],
    response: null,
    request: 'FlexOfferRevocation',
    referenceAttribute: 'FlexOfferRevocationMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
  FlexOrder: {
    kind: 'request',
    abbreviation: 'FOR',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['validate', 'operate'],
    response: 'FlexOrderResponse',
    request: null,
    referenceAttribute: 'FlexOrderMessageID',
    carriesResult: false,
    xsdPart: 'flex-agr-dso',
  },
  FlexOrderResponse: {
    kind: 'response',
    abbreviation: 'FOR_R',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['validate', 'operate'],
    response: null,
    request: 'FlexOrder',
    referenceAttribute: 'FlexOrderMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
  Metering: {
    kind: 'request',
    abbreviation: 'M',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['settle'],
    response: 'MeteringResponse',
    request: null,
    referenceAttribute: 'MeteringMessageID',
    carriesResult: false,
    xsdPart: 'metering',
  },
  MeteringResponse: {
    kind: 'response',
    abbreviation: 'M_R',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['settle'],
    response: null,
    request: 'Metering',
    referenceAttribute: 'MeteringMessageID',
    carriesResult: true,
    xsdPart: 'metering',
  },
  FlexSettlement: {
    // 3.x quirk: the schema type extends PayloadMessageResponseType, so this request requires Result.
    kind: 'request',
    abbreviation: 'FS',
    senders: ['DSO'],
    recipients: ['AGR'],
    phases: ['settle'],
    response: 'FlexSettlementResponse',
    request: null,
    referenceAttribute: 'FlexSettlementMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
  FlexSettlementResponse: {
    kind: 'response',
    abbreviation: 'FS_R',
    senders: ['AGR'],
    recipients: ['DSO'],
    phases: ['settle'],
    response: null,
    request: 'FlexSettlement',
    referenceAttribute: 'FlexSettlementMessageID',
    carriesResult: true,
    xsdPart: 'flex-agr-dso',
  },
} as const satisfies Record<string, UftpMessageInfo>;

type Catalogue = typeof UFTP_MESSAGES;

/** Root element name of a UFTP 3.1.0 payload message. */
export type UftpPayloadName = keyof Catalogue;
/** Payload root names that are requests (including TestMessage). */
export type UftpRequestName = { [K in UftpPayloadName]: Catalogue[K]['kind'] extends 'request' ? K : never }[UftpPayloadName];
/** Payload root names that are responses (including TestMessageResponse). */
export type UftpResponseName = { [K in UftpPayloadName]: Catalogue[K]['kind'] extends 'response' ? K : never }[UftpPayloadName];

/** All payload root element names, in catalogue order. */
export const UFTP_PAYLOAD_ROOTS = Object.keys(UFTP_MESSAGES) as readonly UftpPayloadName[];

/** True iff `name` is the root element name of a UFTP 3.1.0 payload message (SignedMessage is not). */
export function isUftpPayloadRoot(name: string): name is UftpPayloadName {
  return Object.hasOwn(UFTP_MESSAGES, name);
}

/** Catalogue entry for a payload root, or undefined for anything else. */
export function uftpMessageInfo(name: string): UftpMessageInfo | undefined {
  return isUftpPayloadRoot(name) ? UFTP_MESSAGES[name] : undefined;
}

/** The response a request is answered with; undefined for responses and unknown names. */
export function responseFor<N extends UftpRequestName>(name: N): Catalogue[N]['response'];
export function responseFor(name: string): UftpResponseName | undefined;
export function responseFor(name: string): UftpResponseName | undefined {
  const info = uftpMessageInfo(name);
  return info?.kind === 'request' ? (info.response as UftpResponseName) : undefined;
}

/** The request a response answers; undefined for requests and unknown names. */
export function requestFor<N extends UftpResponseName>(name: N): Catalogue[N]['request'];
export function requestFor(name: string): UftpRequestName | undefined;
export function requestFor(name: string): UftpRequestName | undefined {
  const info = uftpMessageInfo(name);
  return info?.kind === 'response' ? (info.request as UftpRequestName) : undefined;
}

/** Roles that may send the message; empty for unknown names (and for SignedMessage, which is no payload). */
export function sendersOf(name: string): readonly UsefRole[] {
  return uftpMessageInfo(name)?.senders ?? [];
}

/** Roles that receive the message; empty for unknown names. */
export function recipientsOf(name: string): readonly UsefRole[] {
  return uftpMessageInfo(name)?.recipients ?? [];
}

/** Whether `sender` may send the message `name` to `recipient` according to the catalogue. */
export function isAllowedExchange(name: string, sender: UsefRole, recipient: UsefRole): boolean {
  const info = uftpMessageInfo(name);
  return info !== undefined && info.senders.includes(sender) && info.recipients.includes(recipient);
}
