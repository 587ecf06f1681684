/**
 * Route decisions shared by endpoints and brokers, on the cached directory view. Business
 * messages follow the receiver's declared message path (src/directory/routing.ts);
 * acknowledgements and connectivity tests follow any path the receiver declares for the sender
 * (they exist to serve such a path), and acknowledgements travel back the way the message came.
 */
import type { DirectoryView } from '../directory/document.js';
import type { Route } from '../directory/routing.js';
import type { FailureReason } from './states.js';
import { ACK_BUSINESS_TYPE, CONNECTIVITY_TEST_TYPE } from './wire.js';

export type RouteDecision = { ok: true; route: Route } | { ok: false; reason: FailureReason; detail: string };

const REASON_OF: Record<string, FailureReason> = {
  SENDER_UNKNOWN: 'unknown_sender',
  RECEIVER_UNKNOWN: 'unknown_receiver',
  RECEIVER_SUSPENDED: 'unknown_receiver',
  RECEIVER_NOT_ENDPOINT: 'unknown_receiver',
  NO_MESSAGE_PATH: 'no_message_path',
  BROKER_UNKNOWN: 'no_message_path',
  BROKER_SUSPENDED: 'no_message_path',
};

export const isInternalType = (businessType: string): boolean =>
  businessType === ACK_BUSINESS_TYPE || businessType === CONNECTIVITY_TEST_TYPE;

export function decideRoute(view: DirectoryView, senderCode: string, receiverCode: string, businessType: string, at: Date): RouteDecision {
  if (businessType === CONNECTIVITY_TEST_TYPE) {
    // any message type the receiver accepts from this sender: the first business path found
    const types = new Set(view.messagePaths(receiverCode).map((p) => p.messageType));
    for (const t of ['*', ...types]) {
      const r = view.routeFor(senderCode, receiverCode, t === '*' ? CONNECTIVITY_TEST_TYPE : t, at);
      if (r.ok) return { ok: true, route: r.value };
    }
  }
  const r = view.routeFor(senderCode, receiverCode, businessType, at);
  if (r.ok) return { ok: true, route: r.value };
  const first = r.error[0];
  return { ok: false, reason: REASON_OF[first?.code ?? ''] ?? 'no_message_path', detail: first?.text ?? 'no route' };
}

/** The component the sender hands a message to: the path's broker, or the receiver on a DIRECT path. */
export const nextHopOf = (route: Route): string => (route.kind === 'BROKER' ? route.broker : route.receiverCode);

/** Acknowledgements: the receiver must be an active endpoint; no path is needed (they answer one). */
export function ackReceiverProblem(view: DirectoryView, receiverCode: string): string | undefined {
  const c = view.component(receiverCode);
  if (!c) return `${receiverCode} is not in the directory`;
  if (c.type !== 'ENDPOINT') return `${receiverCode} is a ${c.type}, not an endpoint`;
  if (c.status !== 'ACTIVE') return `${receiverCode} is suspended`;
  return undefined;
}

/** The https base URL of a component (its first https:// URL in the directory). */
export function httpsUrlOf(view: DirectoryView, code: string): string | undefined {
  const u = view.component(code)?.urls.find((x) => x.startsWith('https://'));
  return u === undefined ? undefined : new URL(u).origin;
}
