/**
 * Audit action names: stable, dotted, lower case (`context.object.verb`). Regulators and tests
 * filter on them, so a name is never renamed or reused — add new ones instead. The audit log
 * requirement: "every state change and every administrative change (component, certificate,
 * revocation) is appended". Contexts may record names not listed here if they follow the pattern.
 */
export const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export const AUDIT_ACTIONS = {
  // administrative changes (src/directory, src/crypto)
  componentRegistered: 'component.registered',
  componentUpdated: 'component.updated',
  componentRemoved: 'component.removed',
  certificateIssued: 'certificate.issued',
  certificateRevoked: 'certificate.revoked',
  // parties and their credentials (src/parties, src/tps/platform.ts)
  platformInitialised: 'platform.initialised',
  partyAdded: 'party.added',
  tokenIssued: 'token.issued',
  tokenRevoked: 'token.revoked',
  // operation of the hub itself: when it ran, with which roles (src/app/hub.ts)
  hubStarted: 'hub.started',
  hubStopped: 'hub.stopped',
} as const;

/** `message.state.<state>`, e.g. `message.state.accepted`: one per message state change. */
export function messageStateAction(state: string): string {
  const action = `message.state.${state.toLowerCase()}`;
  if (!ACTION_PATTERN.test(action)) throw new TypeError(`audit: ${JSON.stringify(state)} is not a valid message state name`);
  return action;
}
