/**
 * Routing by receiver-declared message paths (pure; used by the directory and by endpoints and
 * brokers on their cached directory document).
 *
 * A path matches a message when, at time `at`, validFrom ≤ at < validTo, its messageType is the
 * message's or '*', and its senders are '*' or include the sender. When several match, the most
 * specific wins: an exact message type beats '*', then a sender list beats '*'. Among equally
 * specific paths the one valid from the latest instant wins (a newer declaration replaces an
 * older one without deleting it), then the smallest id (deterministic).
 */
import { fail, ok, type Rejection, type Result } from '../shared/result.js';
import type { Component, MessagePath } from './model.js';

export const ROUTE_REJECTIONS = {
  SENDER_UNKNOWN: 'the sender is not a registered component',
  RECEIVER_UNKNOWN: 'the receiver is not a registered component',
  RECEIVER_SUSPENDED: 'the receiver is suspended',
  RECEIVER_NOT_ENDPOINT: 'messages are addressed to endpoints only',
  NO_MESSAGE_PATH: 'the receiver declares no message path for this sender and message type',
  BROKER_UNKNOWN: 'the message path names a broker that is not registered',
  BROKER_SUSPENDED: 'the message path names a suspended broker',
} as const;
export type RouteRejectionCode = keyof typeof ROUTE_REJECTIONS;

export type Route =
  | { readonly kind: 'DIRECT'; readonly receiverCode: string; readonly pathId: string }
  | { readonly kind: 'BROKER'; readonly receiverCode: string; readonly broker: string; readonly pathId: string };

export interface RouteQuery {
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly messageType: string;
  readonly at: Date;
}

export interface RoutingData {
  component(code: string): Component | undefined;
  /** The receiver's message paths (any validity; filtered here). */
  pathsOf(receiverCode: string): readonly MessagePath[];
}

const reject = (code: RouteRejectionCode, detail: string): Result<never, Rejection[]> =>
  fail([{ code, text: `${ROUTE_REJECTIONS[code]}: ${detail}` }]);

function specificity(p: MessagePath): number {
  return (p.messageType === '*' ? 0 : 2) + (p.senders === '*' ? 0 : 1);
}

/** The paths that apply to `q`, best first. */
export function matchingPaths(paths: readonly MessagePath[], q: RouteQuery): MessagePath[] {
  const at = q.at.getTime();
  return paths
    .filter(
      (p) =>
        p.receiverCode === q.receiverCode &&
        (p.messageType === '*' || p.messageType === q.messageType) &&
        (p.senders === '*' || p.senders.includes(q.senderCode)) &&
        Date.parse(p.validFrom) <= at &&
        (p.validTo === undefined || at < Date.parse(p.validTo)),
    )
    .sort(
      (a, b) =>
        specificity(b) - specificity(a) || Date.parse(b.validFrom) - Date.parse(a.validFrom) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

export function resolveRoute(data: RoutingData, q: RouteQuery): Result<Route, Rejection[]> {
  const sender = data.component(q.senderCode);
  if (!sender) return reject('SENDER_UNKNOWN', q.senderCode);
  const receiver = data.component(q.receiverCode);
  if (!receiver) return reject('RECEIVER_UNKNOWN', q.receiverCode);
  if (receiver.type !== 'ENDPOINT') return reject('RECEIVER_NOT_ENDPOINT', `${q.receiverCode} is a ${receiver.type}`);
  if (receiver.status !== 'ACTIVE') return reject('RECEIVER_SUSPENDED', q.receiverCode);
  const [best] = matchingPaths(data.pathsOf(q.receiverCode), q);
  if (!best)
    return reject('NO_MESSAGE_PATH', `${q.senderCode} → ${q.receiverCode}, message type ${q.messageType}, at ${q.at.toISOString()}`);
  if (best.path === 'DIRECT') return ok({ kind: 'DIRECT', receiverCode: q.receiverCode, pathId: best.id });
  const broker = data.component(best.path.broker);
  if (!broker || broker.type !== 'BROKER') return reject('BROKER_UNKNOWN', best.path.broker);
  if (broker.status !== 'ACTIVE') return reject('BROKER_SUSPENDED', best.path.broker);
  return ok({ kind: 'BROKER', receiverCode: q.receiverCode, broker: broker.code, pathId: best.id });
}
