/**
 * The business-application REST API of hosted endpoints (raml/endpoint.raml): MADES send,
 * receive (long poll), confirmReceive, checkStatus and connectivityTest over HTTP/JSON. Every
 * route needs `Authorization: Bearer <token>` of the endpoint in the path (party scope): no
 * token → 401 AUTH_REQUIRED, another endpoint's token → 403 AUTH_FORBIDDEN.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { HubError } from '../shared/errors.js';
import type { Endpoints } from './endpoint.js';
import type { InboxMessage } from './store.js';
import type { TokenVerifier } from './tokens.js';
import { decodeBase64 } from '../shared/base64.js';

export interface EndpointApiDeps {
  readonly endpoints: Endpoints;
  readonly tokens: TokenVerifier;
  readonly maxContentBytes: number;
}

function field(body: Record<string, unknown>, name: string, problems: string[], required = false): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) problems.push(`${name}: required`);
    return undefined;
  }
  if (typeof v !== 'string') {
    problems.push(`${name}: must be a string`);
    return undefined;
  }
  return v;
}

const wire = (m: InboxMessage) => ({
  messageId: m.messageId,
  senderCode: m.senderCode,
  receiverCode: m.receiverCode,
  businessType: m.businessType,
  ...(m.baMessageId !== undefined ? { baMessageId: m.baMessageId } : {}),
  ...(m.conversationId !== undefined ? { conversationId: m.conversationId } : {}),
  ...(m.senderApplication !== undefined ? { senderApplication: m.senderApplication } : {}),
  createdAt: m.createdAt,
  expiresAt: m.expiresAt,
  deliveredAt: m.deliveredAt,
  content: m.content.toString('base64'),
});

export function endpointApiRouter(deps: EndpointApiDeps): Router {
  const router = Router();
  const json = express.json({ limit: Math.ceil(deps.maxContentBytes * 1.34) + 64 * 1024 });

  const auth = (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) return next(new HubError('AUTH_REQUIRED', 'send Authorization: Bearer <token> (tps-hub endpoint token create)'));
    deps.tokens
      .endpointOf(m[1])
      .then((endpoint) => {
        if (!endpoint) return next(new HubError('AUTH_REQUIRED', 'the token is unknown or revoked'));
        if (endpoint !== req.params.code)
          return next(new HubError('AUTH_FORBIDDEN', `the token belongs to another endpoint than ${String(req.params.code)}`));
        next();
      })
      .catch(next);
  };

  const code = (req: Request) => String(req.params.code);

  router.post('/api/v1/endpoints/:code/messages', auth, json, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new HubError('TRANSPORT_INPUT_INVALID', 'the body must be a JSON object');
    const problems: string[] = [];
    const receiverCode = field(body, 'receiverCode', problems, true);
    const businessType = field(body, 'businessType', problems, true);
    const content = field(body, 'content', problems, true);
    const baMessageId = field(body, 'baMessageId', problems);
    const conversationId = field(body, 'conversationId', problems);
    const senderApplication = field(body, 'senderApplication', problems);
    const expiresAt = field(body, 'expiresAt', problems);
    const bytes = content === undefined ? undefined : decodeBase64(content);
    if (content !== undefined && !bytes) problems.push('content: must be base64');
    if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) problems.push('expiresAt: must be an ISO 8601 timestamp');
    const known = new Set(['receiverCode', 'businessType', 'content', 'baMessageId', 'conversationId', 'senderApplication', 'expiresAt']);
    for (const k of Object.keys(body)) if (!known.has(k)) problems.push(`${k}: unknown field`);
    if (problems.length) throw new HubError('TRANSPORT_INPUT_INVALID', problems.join('; '), { problems });
    const result = await deps.endpoints.send(code(req), {
      receiverCode: receiverCode as string,
      businessType: businessType as string,
      content: bytes as Buffer,
      ...(baMessageId !== undefined ? { baMessageId } : {}),
      ...(conversationId !== undefined ? { conversationId } : {}),
      ...(senderApplication !== undefined ? { senderApplication } : {}),
      ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt) } : {}),
    });
    res
      .status(201)
      .location(`/api/v1/endpoints/${code(req)}/messages/${result.messageId}`)
      .json(result);
  });

  router.get('/api/v1/endpoints/:code/messages/:messageId', auth, async (req, res) => {
    res.json(await deps.endpoints.status(code(req), String(req.params.messageId)));
  });

  router.get('/api/v1/endpoints/:code/inbox', auth, async (req, res) => {
    const q = req.query;
    const num = (name: string, min: number, max: number): number | undefined => {
      const v = q[name];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (typeof v !== 'string' || !Number.isInteger(n) || n < min || n > max)
        throw new HubError('TRANSPORT_INPUT_INVALID', `${name}: must be an integer from ${min} to ${max}`);
      return n;
    };
    const limit = num('limit', 1, 500);
    const wait = num('wait', 0, 60);
    const businessType = typeof q.businessType === 'string' ? q.businessType : undefined;
    // A long poll ends after `wait` seconds at most, at once when a message arrives, when the hub
    // stops, or when the client goes away (then it takes nothing: no message waits out a lease
    // for a caller that cannot receive it).
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const messages = await deps.endpoints.receive(code(req), {
      ...(businessType !== undefined ? { businessType } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(wait !== undefined ? { waitMs: wait * 1000 } : {}),
      signal: gone.signal,
    });
    if (gone.signal.aborted) return;
    res.json({ messages: messages.map(wire) });
  });

  router.post('/api/v1/endpoints/:code/inbox/confirm', auth, json, async (req, res) => {
    const ids = (req.body as { messageIds?: unknown } | undefined)?.messageIds;
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string'))
      throw new HubError('TRANSPORT_INPUT_INVALID', 'messageIds: must be a list of message IDs');
    res.json(await deps.endpoints.confirm(code(req), ids as string[]));
  });

  router.post('/api/v1/endpoints/:code/connectivity-test', auth, json, async (req, res) => {
    const body = (req.body ?? {}) as { receiverCode?: unknown; timeoutSeconds?: unknown };
    if (typeof body.receiverCode !== 'string') throw new HubError('TRANSPORT_INPUT_INVALID', 'receiverCode: required');
    const t = body.timeoutSeconds;
    if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 60))
      throw new HubError('TRANSPORT_INPUT_INVALID', 'timeoutSeconds: an integer from 1 to 60');
    res.json(await deps.endpoints.connectivityTest(code(req), body.receiverCode, (t ?? 10) * 1000));
  });

  return router;
}
