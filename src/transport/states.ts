/**
 * MADES message states (IEC 62325-503; docs/transport.md) as data: the state machine every
 * endpoint and broker follows, and the failure reasons a FAILED state carries.
 */
export const MESSAGE_STATES = ['ACCEPTED', 'TRANSPORTED', 'DELIVERED', 'RECEIVED', 'FAILED'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** Allowed transitions. Acknowledgements can overtake each other, so a state may be skipped. */
export const TRANSITIONS: Readonly<Record<MessageState, readonly MessageState[]>> = {
  ACCEPTED: ['TRANSPORTED', 'DELIVERED', 'RECEIVED', 'FAILED'],
  TRANSPORTED: ['DELIVERED', 'RECEIVED', 'FAILED'],
  DELIVERED: ['RECEIVED'],
  RECEIVED: [],
  FAILED: [],
};

export const FAILURE_REASONS = {
  expired: 'the message was not delivered before it expired',
  unknown_receiver: 'the receiver code is not a registered endpoint',
  no_message_path: 'the receiver declares no message path for this sender and business type',
  rejected_signature: 'the receiving endpoint could not verify the sender signature or decrypt the content',
  rejected_certificate: "the sender's certificate is unknown, revoked or expired",
  content_too_large: 'the content is larger than the transport allows',
  tampered_envelope: 'the envelope does not match the one the sender signed and encrypted',
  malformed_message: 'the message or its protection is not in the transport format',
  unknown_sender: 'the sender is not a registered component',
  sender_not_allowed: 'the component that handed the message over may not send it',
  receiver_not_hosted: 'the receiving server does not host the addressed component',
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS;

/** Whether a message in `from` may move to `to`; re-applying the current state is a no-op, not an error. */
export function canMove(from: MessageState, to: MessageState): boolean {
  return TRANSITIONS[from].includes(to);
}

export const isFinal = (s: MessageState): boolean => TRANSITIONS[s].length === 0;

export const isFailureReason = (r: string | undefined): r is FailureReason => r !== undefined && r in FAILURE_REASONS;
