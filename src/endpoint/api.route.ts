/**
 * The business-application REST API of hosted endpoints (raml/endpoint.raml): MADES send,
 * receive (long poll), confirmReceive, checkStatus and connectivityTest over HTTP/JSON. Every
 * route needs `Authorization: Bearer <token>` of the endpoint in the path (party scope): no
 * token → 401 AUTH_REQUIRED, another endpoint's token → 403 AUTH_FORBIDDEN.
 */
import type { LeanRequest, LeanRoute } from '../http/lean.js';
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

const SEND_FIELDS = new Set(['receiverCode', 'businessType', 'content', 'baMessageId', 'conversationId', 'senderApplication', 'expiresAt']);

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

const CODE = '(?<code>[^/]+)';
const route = (method: LeanRoute['method'], path: string, handle: LeanRoute['handle']): LeanRoute => ({
  method,
  pattern: new RegExp(`^/api/v1/endpoints/${path}/?$`),
  handle,
});

/** The endpoint API as lean routes (src/http/lean.ts): served without Express, answers as raml/endpoint.raml declares. */
export function endpointApiRoutes(deps: EndpointApiDeps): LeanRoute[] {
  const jsonLimit = Math.ceil(deps.maxContentBytes * 1.34) + 64 * 1024;

  /** The endpoint in the path, once the bearer token proves the caller is its business application. */
  const authorised = async (req: LeanRequest): Promise<string> => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    if (!m?.[1]) throw new HubError('AUTH_REQUIRED', 'send Authorization: Bearer <token> (tps-hub endpoint token create)');
    const endpoint = await deps.tokens.endpointOf(m[1]);
    if (!endpoint) throw new HubError('AUTH_REQUIRED', 'the token is unknown or revoked');
    const code = req.params.code as string;
    if (endpoint !== code) throw new HubError('AUTH_FORBIDDEN', `the token belongs to another endpoint than ${code}`);
    return code;
  };

  /** One query parameter at most once (a repeated one is as invalid as a malformed one). */
  const single = (req: LeanRequest, name: string): string | string[] | undefined => {
    const all = req.query.getAll(name);
    return all.length > 1 ? all : all[0];
  };

  return [
    route('POST', `${CODE}/messages`, async (req) => {
      const code = await authorised(req);
      const body = ((await req.json(jsonLimit)) ?? {}) as Record<string, unknown>;
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
      for (const k of Object.keys(body)) if (!SEND_FIELDS.has(k)) problems.push(`${k}: unknown field`);
      if (problems.length) throw new HubError('TRANSPORT_INPUT_INVALID', problems.join('; '), { problems });
      const result = await deps.endpoints.send(code, {
        receiverCode: receiverCode as string,
        businessType: businessType as string,
        content: bytes as Buffer,
        ...(baMessageId !== undefined ? { baMessageId } : {}),
        ...(conversationId !== undefined ? { conversationId } : {}),
        ...(senderApplication !== undefined ? { senderApplication } : {}),
        ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt) } : {}),
      });
      return { status: 201, body: result, headers: { location: `/api/v1/endpoints/${code}/messages/${result.messageId}` } };
    }),

    route('GET', `${CODE}/messages/(?<messageId>[^/]+)`, async (req) => {
      const code = await authorised(req);
      return { status: 200, body: await deps.endpoints.status(code, req.params.messageId as string) };
    }),

    route('GET', `${CODE}/inbox`, async (req) => {
      const code = await authorised(req);
      const num = (name: string, min: number, max: number): number | undefined => {
        const v = single(req, name);
        if (v === undefined) return undefined;
        const n = Number(v);
        if (typeof v !== 'string' || !Number.isInteger(n) || n < min || n > max)
          throw new HubError('TRANSPORT_INPUT_INVALID', `${name}: must be an integer from ${min} to ${max}`);
        return n;
      };
      const limit = num('limit', 1, 500);
      const wait = num('wait', 0, 60);
      const type = single(req, 'businessType');
      const businessType = typeof type === 'string' ? type : undefined;
      // A long poll ends after `wait` seconds at most, at once when a message arrives, when the hub
      // stops, or when the client goes away (then it takes nothing: no message waits out a lease
      // for a caller that cannot receive it).
      const messages = await deps.endpoints.receive(code, {
        ...(businessType !== undefined ? { businessType } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...(wait !== undefined ? { waitMs: wait * 1000 } : {}),
        signal: req.signal,
      });
      if (req.signal.aborted) return undefined;
      return { status: 200, body: { messages: messages.map(wire) } };
    }),

    route('POST', `${CODE}/inbox/confirm`, async (req) => {
      const code = await authorised(req);
      const ids = ((await req.json(jsonLimit)) as { messageIds?: unknown } | undefined)?.messageIds;
      if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string'))
        throw new HubError('TRANSPORT_INPUT_INVALID', 'messageIds: must be a list of message IDs');
      return { status: 200, body: await deps.endpoints.confirm(code, ids as string[]) };
    }),

    route('POST', `${CODE}/connectivity-test`, async (req) => {
      const code = await authorised(req);
      const body = ((await req.json(jsonLimit)) ?? {}) as { receiverCode?: unknown; timeoutSeconds?: unknown };
      if (typeof body.receiverCode !== 'string') throw new HubError('TRANSPORT_INPUT_INVALID', 'receiverCode: required');
      const t = body.timeoutSeconds;
      if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 60))
        throw new HubError('TRANSPORT_INPUT_INVALID', 'timeoutSeconds: an integer from 1 to 60');
      return { status: 200, body: await deps.endpoints.connectivityTest(code, body.receiverCode, (t ?? 10) * 1000) };
    }),
  ];
}
