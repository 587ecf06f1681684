/**
 * The component-to-component wire format (docs/transport.md, "Hop protocol"): what one
 * component hands to the next in `POST /transport/v1/messages`, and the per-item answer.
 * Validation here is the only trust boundary for envelopes arriving from the network.
 */
import { isEic } from '../directory/eic.js';
import type { Envelope } from './envelope.js';

export const HOP_PATH = '/transport/v1/messages';
export const DIRECTORY_PATH = '/transport/v1/directory';

/** Business type of acknowledgement messages (DELIVERED, RECEIVED, FAILED travelling back to the sender). */
export const ACK_BUSINESS_TYPE = 'tps-hub.ack';
/** Business type of connectivity-test messages: the receiving endpoint confirms them itself. */
export const CONNECTIVITY_TEST_TYPE = 'tps-hub.connectivity-test';

export const ITEM_KINDS = ['message', 'ack'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface HopItem {
  readonly kind: ItemKind;
  /** The component at the receiving server that takes the item: a broker or an endpoint. */
  readonly to: string;
  readonly envelope: Envelope;
  /** Compact JWE (message) or signed acknowledgements (ack, ack.ts). */
  readonly payload: string;
}

export interface HopRequest {
  readonly items: readonly HopItem[];
}

/** accepted: the next hop has it durably; duplicate: it had it already; rejected: it never will (reason). */
export const HOP_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export type HopStatus = (typeof HOP_STATUSES)[number];

export interface HopResult {
  readonly messageId: string;
  readonly status: HopStatus;
  readonly reason?: string;
  readonly detail?: string;
}

export interface HopResponse {
  readonly results: readonly HopResult[];
}

/** Most items per hop request, and the most payload bytes (a single larger item travels alone). */
export const MAX_ITEMS_PER_REQUEST = 500;
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const FREE_TEXT_MAX = 200;

export const isMessageId = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
export const isBusinessType = (v: unknown): v is string => typeof v === 'string' && TOKEN.test(v);

function freeText(v: unknown): boolean {
  // printable text without control characters (it is logged, audited and put in headers)
  return (
    typeof v === 'string' && v.length > 0 && v.length <= FREE_TEXT_MAX && ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007f')
  );
}

/** Problems of an envelope from the network (or a business application); [] when it is sound. */
export function envelopeProblems(e: unknown): string[] {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return ['envelope: must be an object'];
  const o = e as Record<string, unknown>;
  const p: string[] = [];
  if (!isMessageId(o.messageId)) p.push('envelope.messageId: must be a lower-case UUID');
  for (const f of ['senderCode', 'receiverCode'] as const) if (!isEic(o[f])) p.push(`envelope.${f}: must be an EIC code`);
  if (!isBusinessType(o.businessType))
    p.push('envelope.businessType: must be 1–100 of A-Z a-z 0-9 . _ : -, starting with a letter or digit');
  for (const f of ['baMessageId', 'conversationId', 'senderApplication'] as const)
    if (o[f] !== undefined && !freeText(o[f])) p.push(`envelope.${f}: must be 1–${FREE_TEXT_MAX} printable characters when present`);
  for (const f of ['createdAt', 'expiresAt'] as const)
    if (typeof o[f] !== 'string' || !ISO_UTC.test(o[f]) || Number.isNaN(Date.parse(o[f])))
      p.push(`envelope.${f}: must be an ISO 8601 UTC timestamp (…Z)`);
  const known = new Set([
    'messageId',
    'senderCode',
    'receiverCode',
    'businessType',
    'baMessageId',
    'conversationId',
    'senderApplication',
    'createdAt',
    'expiresAt',
  ]);
  for (const k of Object.keys(o)) if (!known.has(k)) p.push(`envelope.${k}: unknown field`);
  return p;
}

/** An envelope with exactly the known fields (drops nothing valid; used after envelopeProblems passed). */
export function toEnvelope(o: Record<string, unknown>): Envelope {
  const s = (k: string) => o[k] as string;
  return {
    messageId: s('messageId'),
    senderCode: s('senderCode'),
    receiverCode: s('receiverCode'),
    businessType: s('businessType'),
    ...(o.baMessageId !== undefined ? { baMessageId: s('baMessageId') } : {}),
    ...(o.conversationId !== undefined ? { conversationId: s('conversationId') } : {}),
    ...(o.senderApplication !== undefined ? { senderApplication: s('senderApplication') } : {}),
    createdAt: s('createdAt'),
    expiresAt: s('expiresAt'),
  };
}

export type ParsedHopRequest =
  { readonly ok: true; readonly items: readonly HopItem[] } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks a hop request body. A malformed body or item structure rejects the whole request
 * (400: the peer has a bug); envelope problems are per item and answered as `rejected`.
 */
export function parseHopRequest(body: unknown): ParsedHopRequest {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { items?: unknown }).items))
    return { ok: false, problems: ['body: must be {"items": [...]}'] };
  const raw = (body as { items: unknown[] }).items;
  if (raw.length === 0) return { ok: false, problems: ['items: must not be empty'] };
  if (raw.length > MAX_ITEMS_PER_REQUEST) return { ok: false, problems: [`items: at most ${MAX_ITEMS_PER_REQUEST} per request`] };
  const problems: string[] = [];
  raw.forEach((it, i) => {
    if (typeof it !== 'object' || it === null) return problems.push(`items[${i}]: must be an object`);
    const o = it as Record<string, unknown>;
    if (!ITEM_KINDS.includes(o.kind as ItemKind)) problems.push(`items[${i}].kind: must be one of ${ITEM_KINDS.join(', ')}`);
    if (!isEic(o.to)) problems.push(`items[${i}].to: must be an EIC code`);
    if (typeof o.payload !== 'string' || o.payload.length === 0) problems.push(`items[${i}].payload: must be a non-empty string`);
    if (typeof o.envelope !== 'object' || o.envelope === null) problems.push(`items[${i}].envelope: must be an object`);
    else if (!isMessageId((o.envelope as Record<string, unknown>).messageId))
      problems.push(`items[${i}].envelope.messageId: must be a lower-case UUID`);
    return undefined;
  });
  if (problems.length) return { ok: false, problems };
  return { ok: true, items: raw as HopItem[] };
}

export function parseHopResponse(body: unknown, sent: readonly HopItem[]): HopResult[] | undefined {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { results?: unknown }).results)) return undefined;
  const results = (body as { results: unknown[] }).results;
  if (results.length !== sent.length) return undefined;
  const out: HopResult[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i] as Record<string, unknown> | null;
    if (!r || r.messageId !== sent[i]?.envelope.messageId || !HOP_STATUSES.includes(r.status as HopStatus)) return undefined;
    out.push({
      messageId: r.messageId as string,
      status: r.status as HopStatus,
      ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
      ...(typeof r.detail === 'string' ? { detail: r.detail.slice(0, 1000) } : {}),
    });
  }
  return out;
}
