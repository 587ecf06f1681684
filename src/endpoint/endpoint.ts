/**
 * Hosted endpoints (IEC 62325-503 MADES; docs/transport.md): the API business applications use
 * — send, receive (long poll), confirm, status with trace, connectivity test — and the inbound
 * side that takes messages and acknowledgements from a broker (or, on a DIRECT path, from the
 * sending endpoint). Content is sealed for the receiver at `send` (the plain content is never
 * stored on the sending side); the receiver verifies it against its cached directory before it
 * stores it, de-duplicates on message ID, and acknowledges DELIVERED and RECEIVED back.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditTrail } from '../audit/record.js';
import { messageStateAction } from '../audit/actions.js';
import type { DirectoryView } from '../directory/document.js';
import { isEic } from '../directory/eic.js';
import { HubError } from '../shared/errors.js';
import { createGroupCommit } from '../shared/group-commit.js';
import type { Clock } from '../shared/clock.js';
import type { Database, Queryable } from '../shared/sql.js';
import { ACK_TTL_MS, openAcks, signAcks, type Acknowledgement } from '../transport/ack.js';
import type { Envelope } from '../transport/envelope.js';
import { enqueueItems, type NewQueueItem } from '../transport/hop-queue.js';
import type { HopOutcome } from '../transport/hop-sender.js';
import type { ComponentIdentity } from '../transport/identity.js';
import type { ProtectionFailureReason } from '../transport/protection.js';
import type { ProtectionPool } from '../transport/protection-pool.js';
import { decideRoute, isInternalType, nextHopOf } from '../transport/routes.js';
import { isFailureReason, type FailureReason, type MessageState } from '../transport/states.js';
import type { TrustCache } from '../transport/trust.js';
import {
  ACK_BUSINESS_TYPE,
  CONNECTIVITY_TEST_TYPE,
  envelopeProblems,
  isBusinessType,
  toEnvelope,
  type HopItem,
  type HopResult,
} from '../transport/wire.js';
import { Waiters } from '../shared/waiters.js';
import {
  applyStates,
  confirmInbox,
  existingInbox,
  expireOverdue,
  getSent,
  inboxIdsOf,
  insertInbox,
  insertSent,
  type NewSent,
  takeInbox,
  type AppliedChange,
  type InboxMessage,
  type NewInboxRow,
  type SentMessage,
  type StateChange,
} from './store.js';

export const DEFAULT_EXPIRY_MS = 24 * 3600_000;
export const MAX_EXPIRY_MS = 30 * 86_400_000;
/** How long a received-but-unconfirmed message stays hidden from other receive calls. */
export const DEFAULT_VISIBILITY_MS = 30_000;
export const MAX_RECEIVE_LIMIT = 500;
export const MAX_WAIT_MS = 60_000;

export interface SendRequest {
  readonly receiverCode: string;
  readonly businessType: string;
  readonly content: Buffer;
  readonly baMessageId?: string;
  readonly conversationId?: string;
  readonly senderApplication?: string;
  readonly expiresAt?: Date;
}

export interface SendResult {
  readonly messageId: string;
  readonly state: MessageState;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ReceiveOptions {
  readonly businessType?: string;
  readonly limit?: number;
  readonly waitMs?: number;
  /** Aborted when the caller went away: the long poll ends without taking messages it could not hand over. */
  readonly signal?: AbortSignal;
}

export interface ConfirmResult {
  readonly confirmed: readonly string[];
  readonly alreadyConfirmed: readonly string[];
  readonly unknown: readonly string[];
}

export interface ConnectivityResult {
  readonly receiverCode: string;
  readonly messageId: string;
  readonly reachable: boolean;
  readonly state: MessageState;
  readonly reason?: string;
  readonly roundTripMs: number;
  readonly status: SentMessage;
}

export interface EndpointDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly audit: AuditTrail;
  readonly identities: ReadonlyMap<string, ComponentIdentity>;
  readonly trust: TrustCache;
  /** Seals and opens (on worker threads unless it has none). */
  readonly protection: ProtectionPool;
  view(): Promise<DirectoryView>;
  kick(fromCode: string, toCode: string): void;
  readonly maxContentBytes: number;
  readonly visibilityMs?: number;
  /**
   * When several processes share the database: the notification channel on which a delivery
   * announces the endpoints it stored messages for (committed with them), so long polls in every
   * process wake at once (`wake`). Absent: only this process's long polls wake at once.
   */
  readonly inboxChannel?: string;
}

export interface Endpoints {
  readonly codes: readonly string[];
  send(endpointCode: string, request: SendRequest): Promise<SendResult>;
  receive(endpointCode: string, options?: ReceiveOptions): Promise<InboxMessage[]>;
  confirm(endpointCode: string, messageIds: readonly string[]): Promise<ConfirmResult>;
  status(endpointCode: string, messageId: string): Promise<SentMessage>;
  connectivityTest(endpointCode: string, receiverCode: string, timeoutMs?: number): Promise<ConnectivityResult>;
  /** Items a TLS peer handed to hosted endpoints; one result per item, in order. */
  accept(peer: string, items: readonly HopItem[]): Promise<HopResult[]>;
  /** The next hop's answers for this endpoint's queued items (hop-sender callback). */
  onOutcomes(tx: Queryable, fromCode: string, outcomes: readonly HopOutcome[]): Promise<void>;
  /** Messages left ACCEPTED/TRANSPORTED past expiry + grace end FAILED expired. */
  expireOverdue(graceMs: number): Promise<number>;
  /** Wakes the long polls waiting for this endpoint's inbox (a delivery another process announced). */
  wake(endpointCode: string): void;
  /** Wakes long polls on shutdown. */
  close(): void;
}

const PROTECTION_REASON: Record<ProtectionFailureReason, FailureReason> = {
  malformed: 'malformed_message',
  not_for_us: 'rejected_signature',
  envelope_mismatch: 'tampered_envelope',
  decryption_failed: 'rejected_signature',
  signer_rejected: 'rejected_certificate',
  bad_signature: 'rejected_signature',
};

function invalid(problems: string[]): never {
  throw new HubError('TRANSPORT_INPUT_INVALID', problems.join('; '), { problems });
}

export function createEndpoints(deps: EndpointDeps): Endpoints {
  const { db, clock, audit } = deps;
  const waiters = new Waiters();
  const visibilityMs = deps.visibilityMs ?? DEFAULT_VISIBILITY_MS;

  const identity = (code: string): ComponentIdentity => {
    const id = deps.identities.get(code);
    if (!id) throw new HubError('TRANSPORT_MESSAGE_UNKNOWN', `endpoint ${code} is not hosted here`, { endpoint: code });
    return id;
  };

  const stateAudit = (
    actor: string,
    c: AppliedChange | (StateChange & { receiverCode: string; businessType: string }),
    sender: string,
  ): AuditEntry => ({
    actor,
    action: messageStateAction(c.state),
    subject: c.messageId,
    parties: [sender, c.receiverCode],
    details: {
      businessType: c.businessType,
      by: c.by,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.detail ? { detail: c.detail } : {}),
    },
    at: new Date(c.at),
  });

  const ackItem = (from: ComponentIdentity, to: string, receiverCode: string, acks: Acknowledgement[], now: Date): NewQueueItem => {
    const envelope: Envelope = {
      messageId: randomUUID(),
      senderCode: from.code,
      receiverCode,
      businessType: ACK_BUSINESS_TYPE,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ACK_TTL_MS).toISOString(),
    };
    return { fromCode: from.code, toCode: to, kind: 'ack', envelope, payload: signAcks(envelope, acks, from.signer) };
  };

  /** Groups acknowledgements by (next hop, original sender): one ack message each. */
  const ackItems = (
    from: ComponentIdentity,
    acks: Array<{ via: string; sender: string; ack: Acknowledgement }>,
    now: Date,
  ): NewQueueItem[] => {
    const groups = new Map<string, { via: string; sender: string; acks: Acknowledgement[] }>();
    for (const a of acks) {
      const k = `${a.via}|${a.sender}`;
      const g = groups.get(k) ?? { via: a.via, sender: a.sender, acks: [] };
      g.acks.push(a.ack);
      groups.set(k, g);
    }
    return [...groups.values()].map((g) => ackItem(from, g.via, g.sender, g.acks, now));
  };

  /**
   * The ACCEPTED write: the message row, its outbox row and its audit entry commit together.
   * Concurrent sends share one transaction (group commit); each caller's answer is its own.
   */
  const accepting = createGroupCommit<NewSent & { payload: string }, void>(async (batch) => {
    await db.transaction(async (tx) => {
      await insertSent(tx, batch);
      await enqueueItems(
        tx,
        batch.map((m) => ({
          fromCode: m.envelope.senderCode,
          toCode: m.nextHop,
          kind: 'message' as const,
          envelope: m.envelope,
          payload: m.payload,
        })),
      );
      await audit.recordMany(
        tx,
        batch.map(({ envelope: e }) =>
          stateAudit(
            e.senderCode,
            {
              messageId: e.messageId,
              state: 'ACCEPTED',
              at: e.createdAt,
              by: e.senderCode,
              receiverCode: e.receiverCode,
              businessType: e.businessType,
            },
            e.senderCode,
          ),
        ),
      );
    });
    const hops = new Map(batch.map((m) => [`${m.envelope.senderCode}>${m.nextHop}`, [m.envelope.senderCode, m.nextHop] as const]));
    for (const [from, to] of hops.values()) deps.kick(from, to);
    return batch.map(() => undefined);
  });

  async function sendInternal(endpointCode: string, r: SendRequest, internal: boolean): Promise<SendResult> {
    const me = identity(endpointCode);
    const problems: string[] = [];
    if (!isEic(r.receiverCode)) problems.push('receiverCode: must be an EIC code');
    if (!isBusinessType(r.businessType)) problems.push('businessType: must be 1–100 of A-Z a-z 0-9 . _ : -');
    else if (!internal && isInternalType(r.businessType)) problems.push(`businessType: ${r.businessType} is reserved for the transport`);
    const now = clock.now();
    const expiresAt = r.expiresAt ?? new Date(now.getTime() + DEFAULT_EXPIRY_MS);
    if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()) problems.push('expiresAt: must be in the future');
    else if (expiresAt.getTime() - now.getTime() > MAX_EXPIRY_MS) problems.push('expiresAt: at most 30 days ahead');
    const envelope: Envelope = {
      messageId: randomUUID(),
      senderCode: endpointCode,
      receiverCode: r.receiverCode,
      businessType: r.businessType,
      ...(r.baMessageId !== undefined ? { baMessageId: r.baMessageId } : {}),
      ...(r.conversationId !== undefined ? { conversationId: r.conversationId } : {}),
      ...(r.senderApplication !== undefined ? { senderApplication: r.senderApplication } : {}),
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    if (problems.length === 0) problems.push(...envelopeProblems(envelope).filter((p) => /ba|conversation|senderApplication/.test(p)));
    if (problems.length) invalid(problems);
    if (r.content.length > deps.maxContentBytes)
      throw new HubError(
        'TRANSPORT_CONTENT_TOO_LARGE',
        `content of ${r.content.length} bytes exceeds the limit of ${deps.maxContentBytes}`,
        {
          size: r.content.length,
          limit: deps.maxContentBytes,
        },
      );
    const view = await deps.view();
    const route = decideRoute(view, endpointCode, r.receiverCode, r.businessType, now);
    if (!route.ok) throw new HubError('TRANSPORT_NO_ROUTE', `${route.reason}: ${route.detail}`, { reason: route.reason });
    const recipient = deps.trust.recipient(view, r.receiverCode);
    if ('code' in recipient)
      throw new HubError('TRANSPORT_NO_ROUTE', `receiver ${r.receiverCode}: ${recipient.detail}`, { reason: recipient.code });
    const payload = await deps.protection.seal(envelope, r.content, me.signer, recipient);
    const nextHop = nextHopOf(route.route);
    await accepting.submit({ envelope, nextHop, size: r.content.length, payload });
    return { messageId: envelope.messageId, state: 'ACCEPTED', createdAt: envelope.createdAt, expiresAt: envelope.expiresAt };
  }

  /** Applies acknowledgements that arrived for `endpointCode`, audited. */
  async function applyAcks(
    tx: Queryable,
    endpointCode: string,
    reporter: string,
    reporterIsBroker: boolean,
    acks: readonly Acknowledgement[],
  ) {
    const changes: StateChange[] = acks.map((a) => ({
      messageId: a.messageId,
      state: a.state,
      at: a.at,
      by: reporter,
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.detail ? { detail: a.detail } : {}),
    }));
    const applied = await applyStates(tx, endpointCode, changes, { code: reporter, isBroker: reporterIsBroker });
    await audit.recordMany(
      tx,
      applied.map((c) => stateAudit(endpointCode, c, endpointCode)),
    );
  }

  async function acceptForEndpoint(
    view: DirectoryView,
    peer: string,
    items: Array<{ index: number; item: HopItem }>,
    results: HopResult[],
  ) {
    const now = clock.now();
    const nowIso = now.toISOString();
    const peerIsBroker = view.component(peer)?.type === 'BROKER';
    const signerKey = deps.trust.signerKey(view, now.getTime());
    const ackBatches: Array<{ endpoint: string; reporter: string; isBroker: boolean; acks: readonly Acknowledgement[] }> = [];
    const inbox: NewInboxRow[] = [];
    const inboxIndex = new Map<string, number>();
    const reject = (index: number, messageId: string, reason: FailureReason, detail: string) => {
      results[index] = { messageId, status: 'rejected', reason, detail };
    };

    const candidates: Array<{ index: number; item: HopItem; envelope: Envelope; me: ComponentIdentity }> = [];
    for (const { index, item } of items) {
      const id = item.envelope.messageId;
      const problems = envelopeProblems(item.envelope);
      if (problems.length) {
        reject(index, id, 'malformed_message', problems.join('; '));
        continue;
      }
      const envelope = toEnvelope(item.envelope as unknown as Record<string, unknown>);
      const me = deps.identities.get(item.to);
      if (!me || envelope.receiverCode !== item.to) {
        reject(index, id, 'receiver_not_hosted', `${envelope.receiverCode} is not hosted by the server that hosts ${item.to}`);
        continue;
      }
      if (!peerIsBroker && peer !== envelope.senderCode) {
        reject(index, id, 'sender_not_allowed', `${peer} is neither a broker nor the sender ${envelope.senderCode}`);
        continue;
      }
      if (item.kind === 'ack') {
        if (envelope.businessType !== ACK_BUSINESS_TYPE) {
          reject(index, id, 'malformed_message', `an ack item must have business type ${ACK_BUSINESS_TYPE}`);
          continue;
        }
        const opened = openAcks(item.payload, envelope, signerKey);
        if (!opened.ok) {
          reject(
            index,
            id,
            opened.reason === 'signer_rejected'
              ? 'rejected_certificate'
              : opened.reason === 'bad_signature'
                ? 'rejected_signature'
                : 'malformed_message',
            opened.detail,
          );
          continue;
        }
        const reporterIsBroker = view.component(envelope.senderCode)?.type === 'BROKER';
        ackBatches.push({ endpoint: me.code, reporter: envelope.senderCode, isBroker: reporterIsBroker, acks: opened.acks });
        results[index] = { messageId: id, status: 'accepted' };
        continue;
      }
      if (isInternalType(envelope.businessType) && envelope.businessType !== CONNECTIVITY_TEST_TYPE) {
        reject(index, id, 'malformed_message', `business type ${envelope.businessType} is reserved`);
        continue;
      }
      if (!peerIsBroker) {
        // the sender hands a message over itself only on a DIRECT path its receiver declares for it
        const route = decideRoute(view, envelope.senderCode, envelope.receiverCode, envelope.businessType, now);
        if (!route.ok) {
          reject(index, id, route.reason, route.detail);
          continue;
        }
        if (route.route.kind !== 'DIRECT') {
          reject(index, id, 'no_message_path', `the receiver's message path goes through broker ${route.route.broker}, not DIRECT`);
          continue;
        }
      }
      if (Date.parse(envelope.expiresAt) <= now.getTime()) {
        reject(index, id, 'expired', `expired at ${envelope.expiresAt}`);
        continue;
      }
      candidates.push({ index, item, envelope, me });
    }

    const seen = await existingInbox(
      db,
      candidates.map((c) => c.envelope.messageId),
    );
    // opened side by side (worker threads), then taken in order: the first copy of an ID that opens wins
    const fresh = candidates.filter((c) => !seen.has(c.envelope.messageId));
    for (const c of candidates)
      if (seen.has(c.envelope.messageId)) results[c.index] = { messageId: c.envelope.messageId, status: 'duplicate' };
    const openedAll = await Promise.all(
      fresh.map((c) => deps.protection.open(c.item.payload, c.envelope, (kid) => c.me.decryptionKeys.get(kid), signerKey)),
    );
    fresh.forEach((c, i) => {
      const id = c.envelope.messageId;
      const opened = openedAll[i] as Awaited<ReturnType<ProtectionPool['open']>>;
      if (inboxIndex.has(id)) {
        results[c.index] = { messageId: id, status: 'duplicate' };
        return;
      }
      if (!opened.ok) {
        reject(c.index, id, PROTECTION_REASON[opened.error.reason], opened.error.detail);
        return;
      }
      inboxIndex.set(id, c.index);
      inbox.push({
        envelope: c.envelope,
        via: peer,
        content: opened.content,
        ...(c.envelope.businessType === CONNECTIVITY_TEST_TYPE ? { receivedAt: nowIso } : {}),
      });
    });

    if (inbox.length === 0 && ackBatches.length === 0) return;
    const written = await db.transaction(async (tx) => {
      const inserted = await insertInbox(tx, inbox, nowIso);
      const stored = inbox.filter((r) => inserted.has(r.envelope.messageId));
      const acks: Array<{ via: string; sender: string; ack: Acknowledgement }> = [];
      const entries: AuditEntry[] = [];
      for (const r of stored) {
        const me = deps.identities.get(r.envelope.receiverCode) as ComponentIdentity;
        acks.push({ via: peer, sender: r.envelope.senderCode, ack: { messageId: r.envelope.messageId, state: 'DELIVERED', at: nowIso } });
        if (r.receivedAt)
          acks.push({ via: peer, sender: r.envelope.senderCode, ack: { messageId: r.envelope.messageId, state: 'RECEIVED', at: nowIso } });
        entries.push(
          stateAudit(
            me.code,
            {
              messageId: r.envelope.messageId,
              state: 'DELIVERED',
              at: nowIso,
              by: me.code,
              receiverCode: me.code,
              businessType: r.envelope.businessType,
            },
            r.envelope.senderCode,
          ),
        );
      }
      const byEndpoint = new Map<string, typeof acks>();
      for (const a of acks) {
        const receiver = inbox.find((r) => r.envelope.messageId === a.ack.messageId)?.envelope.receiverCode as string;
        byEndpoint.set(receiver, [...(byEndpoint.get(receiver) ?? []), a]);
      }
      const queued: NewQueueItem[] = [];
      for (const [code, list] of byEndpoint) queued.push(...ackItems(deps.identities.get(code) as ComponentIdentity, list, now));
      await enqueueItems(tx, queued);
      await audit.recordMany(tx, entries);
      for (const b of ackBatches) await applyAcks(tx, b.endpoint, b.reporter, b.isBroker, b.acks);
      // the endpoints that got new messages: their long polls wake here, and in other processes through the notification
      const storedFor = [...new Set(stored.map((r) => r.envelope.receiverCode))];
      if (deps.inboxChannel && storedFor.length > 0) await tx.query('select pg_notify($1, $2)', [deps.inboxChannel, storedFor.join(',')]);
      return { inserted, queued, storedFor };
    });
    for (const [id, index] of inboxIndex) results[index] = { messageId: id, status: written.inserted.has(id) ? 'accepted' : 'duplicate' };
    for (const q of written.queued) deps.kick(q.fromCode, q.toCode);
    for (const code of written.storedFor) waiters.notify(code);
  }

  const endpoints: Endpoints = {
    codes: [...deps.identities.keys()],

    send: (endpointCode, request) => sendInternal(endpointCode, request, false),

    async receive(endpointCode, options = {}) {
      identity(endpointCode);
      const limit = Math.min(Math.max(options.limit ?? 100, 1), MAX_RECEIVE_LIMIT);
      const waitMs = Math.min(Math.max(options.waitMs ?? 0, 0), MAX_WAIT_MS);
      if (options.businessType !== undefined && !isBusinessType(options.businessType))
        invalid(['businessType: must be 1–100 of A-Z a-z 0-9 . _ : -']);
      const deadline = Date.now() + waitMs;
      const signal = options.signal;
      for (;;) {
        if (signal?.aborted) return [];
        const waiting = waiters.wait(endpointCode); // registered before the query: a delivery in between still wakes us
        const got = await takeInbox(db, endpointCode, options.businessType, limit, visibilityMs);
        const left = deadline - Date.now();
        if (got.length > 0 || left <= 0) {
          waiting.cancel();
          return got;
        }
        // a notification from another process may have been missed (listener reconnecting): look again at least every second
        signal?.addEventListener('abort', waiting.wake, { once: true });
        await waiting.until(Math.min(left, 1_000));
        signal?.removeEventListener('abort', waiting.wake);
      }
    },

    async confirm(endpointCode, messageIds) {
      const me = identity(endpointCode);
      const bad = messageIds.filter((id) => typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id));
      if (bad.length || messageIds.length === 0 || messageIds.length > MAX_RECEIVE_LIMIT)
        invalid([`messageIds: 1–${MAX_RECEIVE_LIMIT} lower-case UUIDs${bad.length ? `; not UUIDs: ${bad.slice(0, 5).join(', ')}` : ''}`]);
      const ids = [...new Set(messageIds)];
      const now = clock.now();
      const nowIso = now.toISOString();
      const { confirmed, queued } = await db.transaction(async (tx) => {
        const rows = await confirmInbox(tx, endpointCode, ids, nowIso);
        const items = ackItems(
          me,
          rows.map((r) => ({ via: r.via, sender: r.senderCode, ack: { messageId: r.messageId, state: 'RECEIVED' as const, at: nowIso } })),
          now,
        );
        await enqueueItems(tx, items);
        await audit.recordMany(
          tx,
          rows.map((r) =>
            stateAudit(
              endpointCode,
              {
                messageId: r.messageId,
                state: 'RECEIVED',
                at: nowIso,
                by: endpointCode,
                receiverCode: endpointCode,
                businessType: r.businessType,
              },
              r.senderCode,
            ),
          ),
        );
        return { confirmed: rows.map((r) => r.messageId), queued: items };
      });
      for (const q of queued) deps.kick(q.fromCode, q.toCode);
      const done = new Set(confirmed);
      const held = await inboxIdsOf(
        db,
        endpointCode,
        ids.filter((id) => !done.has(id)),
      );
      return {
        confirmed,
        alreadyConfirmed: ids.filter((id) => !done.has(id) && held.has(id)),
        unknown: ids.filter((id) => !done.has(id) && !held.has(id)),
      };
    },

    async status(endpointCode, messageId) {
      identity(endpointCode);
      const m = /^[0-9a-f-]{36}$/.test(messageId) ? await getSent(db, endpointCode, messageId) : undefined;
      if (!m) throw new HubError('TRANSPORT_MESSAGE_UNKNOWN', `endpoint ${endpointCode} sent no message ${messageId}`, { messageId });
      return m;
    },

    async connectivityTest(endpointCode, receiverCode, timeoutMs = 10_000) {
      const started = Date.now();
      const sent = await sendInternal(
        endpointCode,
        {
          receiverCode,
          businessType: CONNECTIVITY_TEST_TYPE,
          content: Buffer.from(`connectivity test from ${endpointCode} at ${new Date().toISOString()}`),
          expiresAt: new Date(clock.now().getTime() + timeoutMs),
        },
        true,
      );
      let status = await endpoints.status(endpointCode, sent.messageId);
      while (status.state !== 'RECEIVED' && status.state !== 'FAILED' && Date.now() - started < timeoutMs) {
        await new Promise((r) => setTimeout(r, 25));
        status = await endpoints.status(endpointCode, sent.messageId);
      }
      return {
        receiverCode,
        messageId: sent.messageId,
        reachable: status.state === 'RECEIVED',
        state: status.state,
        ...(status.failureReason ? { reason: status.failureReason } : {}),
        roundTripMs: Date.now() - started,
        status,
      };
    },

    async accept(peer, items) {
      const view = await deps.view();
      const results: HopResult[] = new Array<HopResult>(items.length);
      await acceptForEndpoint(
        view,
        peer,
        items.map((item, index) => ({ index, item })),
        results,
      );
      return results;
    },

    async onOutcomes(tx, fromCode, outcomes) {
      const at = clock.now().toISOString();
      const changes: StateChange[] = [];
      for (const o of outcomes) {
        if (o.item.kind !== 'message') continue;
        const to = o.item.toCode;
        if (o.outcome === 'accepted' || o.outcome === 'duplicate')
          changes.push({ messageId: o.item.envelope.messageId, state: 'TRANSPORTED', at, by: to });
        else {
          const reason = o.outcome === 'expired' ? 'expired' : isFailureReason(o.result?.reason) ? o.result.reason : 'malformed_message';
          const detail = o.outcome === 'expired' ? `not handed to ${to} before ${o.item.envelope.expiresAt}` : (o.result?.detail ?? reason);
          changes.push({ messageId: o.item.envelope.messageId, state: 'FAILED', at, by: to, reason, detail });
        }
      }
      const applied = await applyStates(tx, fromCode, changes);
      await audit.recordMany(
        tx,
        applied.map((c) => stateAudit(fromCode, c, fromCode)),
      );
    },

    async expireOverdue(graceMs) {
      const at = clock.now().toISOString();
      const applied = await db.transaction(async (tx) => {
        const changes = await expireOverdue(tx, endpoints.codes, graceMs, at);
        await audit.recordMany(
          tx,
          changes.map((c) => stateAudit(c.by, c, c.by)),
        );
        return changes;
      });
      return applied.length;
    },

    wake(endpointCode) {
      waiters.notify(endpointCode);
    },

    close() {
      waiters.closeAll();
    },
  };
  return endpoints;
}
