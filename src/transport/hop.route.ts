/**
 * The component-to-component HTTP interface served on TRANSPORT_PORT behind mutual TLS
 * (docs/transport.md, "Hop protocol"; the TLS layer in tls.ts has already identified the peer):
 *
 * - `POST /transport/v1/messages` — items for the brokers and endpoints this server hosts; one
 *   result per item, in order (accepted | duplicate | rejected with a reason).
 * - `GET /transport/v1/directory` — the signed directory document (compact JWS), when this
 *   process runs the directory.
 * - `GET /transport/v1/ping` — who is hosted here (connectivity between components).
 */
import type { RequestListener } from 'node:http';
import express from 'express';
import { errorHandler, notFound, type ErrorLogger } from '../http/errors.js';
import { leanHandler, type LeanRoute } from '../http/lean.js';
import { HubError } from '../shared/errors.js';
import { peerOf } from './tls.js';
import { DIRECTORY_PATH, HOP_PATH, parseHopRequest, type HopItem, type HopResult } from './wire.js';

/** A hosted component that takes hop items (a broker, or the hosted endpoints). */
export interface HopReceiver {
  accept(peer: string, items: readonly HopItem[]): Promise<HopResult[]>;
}

export interface HopRouteDeps {
  /** Which receiver takes items addressed to `code` (undefined: not hosted here). */
  receiverOf(code: string): HopReceiver | undefined;
  /** The latest signed directory document, when this process is the directory. */
  readonly directoryDocument?: () => Promise<string | undefined>;
  readonly hosted: () => readonly string[];
  readonly logger: ErrorLogger;
  /** Largest request body taken (larger: 413 HTTP_ENTITY_TOO_LARGE); default 64 MiB. */
  readonly maxBodyBytes?: number;
}

export function createHopApp(deps: HopRouteDeps): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const limit = deps.maxBodyBytes ?? 64 * 1024 * 1024;

  // the hot route is lean (ADR 0009): every batch of messages and acknowledgements comes through it
  const hop: LeanRoute = {
    method: 'POST',
    pattern: new RegExp(`^${HOP_PATH}/?$`),
    async handle(req) {
      const peer = peerOf(req.raw);
      if (!peer) throw new HubError('AUTH_REQUIRED', 'no verified client certificate');
      const parsed = parseHopRequest(await req.json(limit));
      if (!parsed.ok) throw new HubError('TRANSPORT_INPUT_INVALID', parsed.problems.join('; '), { problems: parsed.problems });
      const results = new Array<HopResult>(parsed.items.length);
      // one call per receiving component, keeping each item's position
      const groups = new Map<HopReceiver | undefined, Array<{ index: number; item: HopItem }>>();
      parsed.items.forEach((item, index) => {
        const receiver = deps.receiverOf(item.to);
        const list = groups.get(receiver) ?? [];
        list.push({ index, item });
        groups.set(receiver, list);
      });
      for (const [receiver, list] of groups) {
        if (!receiver) {
          for (const { index, item } of list)
            results[index] = {
              messageId: item.envelope.messageId,
              status: 'rejected',
              reason: 'receiver_not_hosted',
              detail: `${item.to} is not hosted here`,
            };
          continue;
        }
        const answers = await receiver.accept(
          peer.componentCode,
          list.map((l) => l.item),
        );
        list.forEach((l, i) => {
          results[l.index] = answers[i] as HopResult;
        });
      }
      return { status: 200, body: { results } };
    },
  };

  app.get(DIRECTORY_PATH, async (_req, res) => {
    const doc = deps.directoryDocument ? await deps.directoryDocument() : undefined;
    if (doc === undefined) throw new HubError('DIRECTORY_STALE', 'this server publishes no directory document');
    res.type('application/jose').send(doc);
  });

  app.get('/transport/v1/ping', (req, res) => {
    res.json({ hosted: deps.hosted(), peer: peerOf(req)?.componentCode, time: new Date().toISOString() });
  });

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return leanHandler([hop], app, { error: (obj, msg) => deps.logger.error(obj, msg) });
}
