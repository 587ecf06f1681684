/**
 * The broker (IEC 62325-503 MADES; docs/transport.md): durable store-and-forward with one queue
 * per recipient endpoint (transport_queue rows from the broker to that endpoint). It decides on
 * the envelope alone — sender, receiver, business type, expiry — and never holds a key that
 * could open a payload. What it cannot deliver it answers for: a message refused on arrival is
 * `rejected` in the answer to the sending endpoint; one that expires in its queue, or that the
 * receiving endpoint refuses, becomes a FAILED acknowledgement signed by the broker and sent to
 * the sender.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditTrail } from '../audit/record.js';
import type { DirectoryView } from '../directory/document.js';
import type { Clock } from '../shared/clock.js';
import type { Database, Queryable } from '../shared/sql.js';
import { ACK_TTL_MS, signAcks, type Acknowledgement } from '../transport/ack.js';
import type { Envelope } from '../transport/envelope.js';
import { enqueueItems, type NewQueueItem } from '../transport/hop-queue.js';
import type { HopOutcome } from '../transport/hop-sender.js';
import type { ComponentIdentity } from '../transport/identity.js';
import { ackReceiverProblem, decideRoute } from '../transport/routes.js';
import { isFailureReason, type FailureReason } from '../transport/states.js';
import { ACK_BUSINESS_TYPE, envelopeProblems, toEnvelope, type HopItem, type HopResult } from '../transport/wire.js';

export const BROKER_AUDIT = {
  queued: 'broker.message.queued',
  forwarded: 'broker.message.forwarded',
  failed: 'broker.message.failed',
} as const;

export interface BrokerDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly audit: AuditTrail;
  readonly identity: ComponentIdentity;
  view(): Promise<DirectoryView>;
  /** Asks for a flush of a hop after a commit. */
  kick(fromCode: string, toCode: string): void;
  /** Largest payload accepted (JWE text length). */
  readonly maxPayloadChars: number;
}

export interface Broker {
  readonly code: string;
  /** Items a TLS peer handed to this broker; one result per item, in order. */
  accept(peer: string, items: readonly HopItem[]): Promise<HopResult[]>;
  /** Answers of receiving endpoints to the broker's deliveries (hop-sender callback). */
  onOutcomes(tx: Queryable, toCode: string, outcomes: readonly HopOutcome[]): Promise<() => void>;
}

export function createBroker(deps: BrokerDeps): Broker {
  const code = deps.identity.code;
  const rejected = (messageId: string, reason: FailureReason, detail: string): HopResult => ({
    messageId,
    status: 'rejected',
    reason,
    detail,
  });

  /** A FAILED acknowledgement from the broker to the sender of `envelope`. */
  const failedAck = (envelope: Envelope, reason: FailureReason, detail: string, now: Date): NewQueueItem => {
    const ackEnvelope: Envelope = {
      messageId: randomUUID(),
      senderCode: code,
      receiverCode: envelope.senderCode,
      businessType: ACK_BUSINESS_TYPE,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ACK_TTL_MS).toISOString(),
    };
    const acks: Acknowledgement[] = [
      { messageId: envelope.messageId, state: 'FAILED', at: now.toISOString(), reason, detail: detail.slice(0, 1000) },
    ];
    return {
      fromCode: code,
      toCode: envelope.senderCode,
      kind: 'ack',
      envelope: ackEnvelope,
      payload: signAcks(ackEnvelope, acks, deps.identity.signer),
    };
  };

  return {
    code,

    async accept(peer, items) {
      const view = await deps.view();
      const now = deps.clock.now();
      const results: HopResult[] = [];
      const toQueue: NewQueueItem[] = [];
      const taken = new Set<string>();
      for (const item of items) {
        const id = item.envelope.messageId;
        const problems = envelopeProblems(item.envelope);
        if (problems.length) {
          results.push(rejected(id, 'malformed_message', problems.join('; ')));
          continue;
        }
        const envelope = toEnvelope(item.envelope as unknown as Record<string, unknown>);
        if (peer !== envelope.senderCode) {
          results.push(rejected(id, 'sender_not_allowed', `the TLS peer ${peer} is not the sender ${envelope.senderCode}`));
          continue;
        }
        if (Date.parse(envelope.expiresAt) <= now.getTime()) {
          results.push(rejected(id, 'expired', `expired at ${envelope.expiresAt}`));
          continue;
        }
        if (item.payload.length > deps.maxPayloadChars) {
          results.push(rejected(id, 'content_too_large', `payload of ${item.payload.length} characters exceeds ${deps.maxPayloadChars}`));
          continue;
        }
        if (item.kind === 'ack') {
          const problem =
            envelope.businessType === ACK_BUSINESS_TYPE
              ? ackReceiverProblem(view, envelope.receiverCode)
              : 'an ack item must have business type ' + ACK_BUSINESS_TYPE;
          if (problem) {
            results.push(rejected(id, 'unknown_receiver', problem));
            continue;
          }
        } else {
          const route = decideRoute(view, envelope.senderCode, envelope.receiverCode, envelope.businessType, now);
          if (!route.ok) {
            results.push(rejected(id, route.reason, route.detail));
            continue;
          }
          if (route.route.kind !== 'BROKER' || route.route.broker !== code) {
            const via = route.route.kind === 'BROKER' ? `broker ${route.route.broker}` : 'DIRECT';
            results.push(rejected(id, 'no_message_path', `the receiver's message path goes ${via}, not through broker ${code}`));
            continue;
          }
        }
        if (taken.has(id)) {
          // the same message ID again in this request: taken once, like a re-send in a later request
          results.push({ messageId: id, status: 'duplicate' });
          continue;
        }
        taken.add(id);
        results.push({ messageId: id, status: 'accepted' });
        toQueue.push({ fromCode: code, toCode: envelope.receiverCode, kind: item.kind, envelope, payload: item.payload });
      }
      if (toQueue.length === 0) return results;
      const fresh = await deps.db.transaction(async (tx) => {
        const inserted = await enqueueItems(tx, toQueue);
        const entries: AuditEntry[] = toQueue
          .filter((q) => q.kind === 'message' && inserted.has(q.envelope.messageId))
          .map((q) => ({
            actor: code,
            action: BROKER_AUDIT.queued,
            subject: q.envelope.messageId,
            parties: [q.envelope.senderCode, q.envelope.receiverCode],
            details: { businessType: q.envelope.businessType, expiresAt: q.envelope.expiresAt },
            at: now,
          }));
        await deps.audit.recordMany(tx, entries);
        return inserted;
      });
      for (const r of toQueue) if (fresh.has(r.envelope.messageId)) deps.kick(code, r.toCode);
      // items that were already queued (a re-send after a lost answer) are duplicates
      const queuedIds = new Set(toQueue.map((q) => q.envelope.messageId));
      return results.map((r) =>
        r.status === 'accepted' && queuedIds.has(r.messageId) && !fresh.has(r.messageId) ? { ...r, status: 'duplicate' } : r,
      );
    },

    async onOutcomes(tx, toCode, outcomes) {
      const now = deps.clock.now();
      const acks: NewQueueItem[] = [];
      const entries: AuditEntry[] = [];
      for (const o of outcomes) {
        if (o.item.kind !== 'message') continue; // an undeliverable acknowledgement is not acknowledged
        const e = o.item.envelope;
        const parties = [e.senderCode, e.receiverCode];
        if (o.outcome === 'accepted' || o.outcome === 'duplicate') {
          entries.push({
            actor: code,
            action: BROKER_AUDIT.forwarded,
            subject: e.messageId,
            parties,
            details: { to: toCode, answer: o.outcome },
            at: now,
          });
          continue;
        }
        const reason: FailureReason =
          o.outcome === 'expired' ? 'expired' : isFailureReason(o.result?.reason) ? o.result.reason : 'malformed_message';
        const detail =
          o.outcome === 'expired'
            ? `expired at ${e.expiresAt} in the broker's queue for ${toCode}`
            : `${toCode}: ${o.result?.detail ?? reason}`;
        acks.push(failedAck(e, reason, detail, now));
        entries.push({
          actor: code,
          action: BROKER_AUDIT.failed,
          subject: e.messageId,
          parties,
          details: { to: toCode, reason, detail },
          at: now,
        });
      }
      await enqueueItems(tx, acks);
      await deps.audit.recordMany(tx, entries);
      return () => {
        for (const a of acks) deps.kick(code, a.toCode);
      };
    },
  };
}
