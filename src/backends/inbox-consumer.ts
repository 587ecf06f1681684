/**
 * A backend reads the documents its endpoint received (MADES receive + confirmReceive) and
 * answers them, at least once and idempotently: the effects of a message and the record that it
 * was processed (with the answers to send) commit in one transaction keyed on the transport
 * message ID; the answers are sent after the commit, and only then is the message confirmed.
 * A crash anywhere repeats at most the sending of the stored answers, which the receivers
 * de-duplicate by document mRID. A handler that throws for a document (a bug, not an outage)
 * does not block the inbox: the message is recorded with a rejecting answer built by `onError`.
 */
import type { Endpoints } from '../endpoint/endpoint.js';
import type { InboxMessage } from '../endpoint/store.js';
import { isHubError } from '../shared/errors.js';
import type { Database, Queryable } from '../shared/sql.js';

/** A document to send from the backend's endpoint after the transaction committed. */
export interface Answer {
  readonly receiverCode: string;
  readonly businessType: string;
  readonly content: string;
}

export interface ConsumerLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface InboxConsumerOptions {
  readonly db: Database;
  readonly endpoints: Endpoints;
  readonly endpointCode: string;
  readonly logger: ConsumerLogger;
  /** Applies one message in `tx`; returns the documents to send in answer. `afterCommit` runs a step once committed. */
  handle(tx: Queryable, message: InboxMessage, afterCommit: (step: () => void) => void): Promise<Answer[]>;
  /** The answer to a message whose handler threw (e.g. a rejecting acknowledgement). */
  onError(message: InboxMessage, error: Error): Answer[];
  /** Messages per receive; default 50. */
  readonly batch?: number;
}

export interface InboxConsumer {
  /** Processes what is waiting now; resolves with how many messages it handled (for tests and tools). */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const RETRY_MS = 1_000;
const LONG_POLL_MS = 25_000;

export function createInboxConsumer(o: InboxConsumerOptions): InboxConsumer {
  let running = false;
  let loop: Promise<void> | undefined;
  let abort: AbortController | undefined;

  const processOne = async (m: InboxMessage): Promise<void> => {
    let answers: Answer[];
    const after: (() => void)[] = [];
    try {
      answers = await o.db.transaction(async (tx) => {
        const fresh = await tx.query(
          `insert into backend_inbox (endpoint_code, message_id) values ($1, $2) on conflict do nothing returning message_id`,
          [o.endpointCode, m.messageId],
        );
        if (fresh.rowCount === 0) return stored(tx, m.messageId);
        const out = await o.handle(tx, m, (step) => after.push(step));
        await tx.query('update backend_inbox set answers = $3 where endpoint_code = $1 and message_id = $2', [
          o.endpointCode,
          m.messageId,
          JSON.stringify(out),
        ]);
        return out;
      });
    } catch (e) {
      if (isHubError(e, 'STORAGE_UNAVAILABLE')) throw e; // an outage: the message comes back later
      o.logger.error(
        { err: (e as Error).message, messageId: m.messageId, endpoint: o.endpointCode },
        'document handler failed; answered with a rejection',
      );
      const out = o.onError(m, e as Error);
      await o.db.query(
        `insert into backend_inbox (endpoint_code, message_id, answers) values ($1, $2, $3) on conflict (endpoint_code, message_id) do update set answers = excluded.answers`,
        [o.endpointCode, m.messageId, JSON.stringify(out)],
      );
      answers = out;
    }
    for (const step of after) step();
    // all at once: sealed in parallel by the protection pool, accepted in one group commit
    await Promise.all(
      answers.map((a) =>
        o.endpoints
          .send(o.endpointCode, { receiverCode: a.receiverCode, businessType: a.businessType, content: Buffer.from(a.content, 'utf8') })
          .catch((e: unknown) => {
            // the answer stays recorded; it is sent again if the message is delivered again
            o.logger.warn({ err: (e as Error).message, to: a.receiverCode, endpoint: o.endpointCode }, 'could not send an answer');
          }),
      ),
    );
    await o.endpoints.confirm(o.endpointCode, [m.messageId]);
  };

  const stored = async (tx: Queryable, messageId: string): Promise<Answer[]> => {
    const { rows } = await tx.query<{ answers: Answer[] }>(
      'select answers from backend_inbox where endpoint_code = $1 and message_id = $2',
      [o.endpointCode, messageId],
    );
    return rows[0]?.answers ?? [];
  };

  const receiveAndProcess = async (waitMs: number, signal?: AbortSignal): Promise<number> => {
    const messages = await o.endpoints.receive(o.endpointCode, { limit: o.batch ?? 50, waitMs, ...(signal ? { signal } : {}) });
    for (const m of messages) await processOne(m);
    return messages.length;
  };

  return {
    async drain() {
      let total = 0;
      for (;;) {
        const n = await receiveAndProcess(0);
        total += n;
        if (n === 0) return total;
      }
    },
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          abort = new AbortController();
          try {
            await receiveAndProcess(LONG_POLL_MS, abort.signal);
          } catch (e) {
            if (!running) break;
            o.logger.warn({ err: (e as Error).message, endpoint: o.endpointCode }, 'inbox consumer failing; retrying');
            await new Promise((r) => setTimeout(r, RETRY_MS).unref());
          }
        }
      })();
    },
    async stop() {
      running = false;
      abort?.abort();
      await loop;
    },
  };
}
