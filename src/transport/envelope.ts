/**
 * The MADES envelope (IEC 62325-503; docs/transport.md): the fields brokers route on.
 * Its canonical byte form is what the payload protection binds the content to.
 */
export interface Envelope {
  readonly messageId: string;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly businessType: string;
  readonly baMessageId?: string;
  readonly conversationId?: string;
  readonly senderApplication?: string;
  /** ISO 8601 UTC */
  readonly createdAt: string;
  /** ISO 8601 UTC; after it the message ends FAILED `expired`. */
  readonly expiresAt: string;
}

const FIELDS = [
  'messageId',
  'senderCode',
  'receiverCode',
  'businessType',
  'baMessageId',
  'conversationId',
  'senderApplication',
  'createdAt',
  'expiresAt',
] as const;

/**
 * Canonical bytes: the fields in a fixed order, absent optional fields as null, JSON-encoded.
 * Fixed order (not sorted keys) keeps it cheap on the hot path; any change is a new version.
 */
export function canonicalEnvelope(e: Envelope): Buffer {
  return Buffer.from(JSON.stringify(['tps-hub/envelope/1', ...FIELDS.map((f) => e[f] ?? null)]), 'utf8');
}
