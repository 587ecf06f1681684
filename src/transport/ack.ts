/**
 * Acknowledgements (MADES DELIVERED / RECEIVED, and FAILED with a reason) travel back to the
 * sending endpoint as messages of business type `tps-hub.ack` through the same hops. One ack
 * message carries many acknowledgements for one sender (one per delivered batch), so they cost
 * little. They are signed (Ed25519, the acknowledging component's signing certificate) but not
 * encrypted: they hold only message IDs, states and reason codes, which every hop already knows.
 *
 * Payload: JSON `{ v, signer, acks, sig }` where `acks` is the JSON text of the list (signed as
 * is, so no canonicalisation is needed) and `sig` = Ed25519("tps-hub/ack/1" ‖ 0 ‖ canonical
 * envelope ‖ 0 ‖ acks), base64url.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalEnvelope, type Envelope } from './envelope.js';
import type { Signer } from './protection.js';
import { FAILURE_REASONS, type FailureReason } from './states.js';
import { isMessageId } from './wire.js';

export const ACK_FORMAT = 'tps-hub/ack-1';
/** How long an acknowledgement may travel. */
export const ACK_TTL_MS = 24 * 3600_000;
export const ACK_STATES = ['DELIVERED', 'RECEIVED', 'FAILED'] as const;
export type AckState = (typeof ACK_STATES)[number];

export interface Acknowledgement {
  readonly messageId: string;
  readonly state: AckState;
  /** ISO 8601 UTC: when the acknowledging component saw it happen. */
  readonly at: string;
  readonly reason?: FailureReason;
  readonly detail?: string;
}

const PREFIX = Buffer.from('tps-hub/ack/1\u0000', 'utf8');
const SEP = Buffer.from([0]);
const MAX_ACKS = 10_000;

const signedBytes = (envelope: Envelope, acksJson: string) =>
  Buffer.concat([PREFIX, canonicalEnvelope(envelope), SEP, Buffer.from(acksJson, 'utf8')]);

export function signAcks(envelope: Envelope, acks: readonly Acknowledgement[], signer: Signer): string {
  const acksJson = JSON.stringify(acks);
  const sig = sign(null, signedBytes(envelope, acksJson), signer.key).toString('base64url');
  return JSON.stringify({ v: ACK_FORMAT, signer: signer.serial, acks: acksJson, sig });
}

export type OpenAcksResult =
  | { readonly ok: true; readonly acks: readonly Acknowledgement[]; readonly signerSerial: string }
  | {
      readonly ok: false;
      readonly reason: 'malformed' | 'signer_rejected' | 'bad_signature';
      readonly detail: string;
      readonly code?: string;
    };

function ackProblem(a: unknown, i: number): string | undefined {
  if (typeof a !== 'object' || a === null) return `acks[${i}]: must be an object`;
  const o = a as Record<string, unknown>;
  if (!isMessageId(o.messageId)) return `acks[${i}].messageId: must be a UUID`;
  if (!ACK_STATES.includes(o.state as AckState)) return `acks[${i}].state: must be one of ${ACK_STATES.join(', ')}`;
  if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))) return `acks[${i}].at: must be a timestamp`;
  if (o.state === 'FAILED' && !(typeof o.reason === 'string' && o.reason in FAILURE_REASONS))
    return `acks[${i}].reason: a FAILED acknowledgement needs a known reason`;
  if (o.detail !== undefined && (typeof o.detail !== 'string' || o.detail.length > 1000)) return `acks[${i}].detail: must be text ≤ 1000`;
  return undefined;
}

export function openAcks(
  payload: string,
  envelope: Envelope,
  signerKey: (serial: string, senderCode: string) => { ok: true; key: KeyObject } | { ok: false; code: string; detail: string },
): OpenAcksResult {
  let p: unknown;
  try {
    p = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'acknowledgement payload is not JSON' };
  }
  const o = p as Record<string, unknown>;
  if (o?.v !== ACK_FORMAT || typeof o.signer !== 'string' || typeof o.acks !== 'string' || typeof o.sig !== 'string')
    return { ok: false, reason: 'malformed', detail: `acknowledgement payload must be {v: "${ACK_FORMAT}", signer, acks, sig}` };
  const key = signerKey(o.signer, envelope.senderCode);
  if (!key.ok) return { ok: false, reason: 'signer_rejected', code: key.code, detail: key.detail };
  const sig = Buffer.from(o.sig, 'base64url');
  if (sig.length !== 64 || !verify(null, signedBytes(envelope, o.acks), key.key, sig))
    return { ok: false, reason: 'bad_signature', detail: `acknowledgements do not verify with certificate ${o.signer}` };
  let acks: unknown;
  try {
    acks = JSON.parse(o.acks);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'acks is not JSON' };
  }
  if (!Array.isArray(acks) || acks.length === 0 || acks.length > MAX_ACKS)
    return { ok: false, reason: 'malformed', detail: `acks must be a list of 1–${MAX_ACKS}` };
  for (let i = 0; i < acks.length; i++) {
    const problem = ackProblem(acks[i], i);
    if (problem) return { ok: false, reason: 'malformed', detail: problem };
  }
  return { ok: true, acks: acks as Acknowledgement[], signerSerial: o.signer };
}
