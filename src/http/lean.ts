/**
 * Lean routes: the hot REST routes (the endpoint API, raml/endpoint.raml) served on node:http
 * without Express, whose per-request machinery (prototype swaps on req/res, router layers)
 * measured ≈ 150 µs of CPU per request — as much as the rest of a send (ADR 0009). Everything
 * else falls through to the Express app. Answers are exactly the Express app's: JSON bodies,
 * errors as `{ "error": { "code", "message" } }` through the one mapper (errors.ts), request
 * log lines alike; JSON request bodies are read like `express.json()` reads them (only for a
 * JSON content type, objects and arrays only, a size limit, UTF-8).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorAnswer } from './errors.js';

/** An HTTP-level refusal of a request body, mapped like body-parser's errors (`HTTP_<TYPE>`). */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LeanRequest {
  /** The underlying request (for edge facts such as the TLS peer, transport/tls.ts). */
  readonly raw: IncomingMessage;
  /** Path parameters (named groups of the route's pattern), URI-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly path: string;
  header(name: string): string | undefined;
  /** Aborted when the client goes away before the answer (long polls stop waiting). */
  readonly signal: AbortSignal;
  /** The request body as JSON, or undefined when its content type is not JSON (as express.json does). */
  json(limitBytes: number): Promise<unknown>;
}

export interface LeanAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LeanRoute {
  readonly method: 'GET' | 'POST';
  /** Anchored, with named groups for the path parameters, e.g. /^\/api\/v1\/endpoints\/(?<code>[^/]+)\/messages$/. */
  readonly pattern: RegExp;
  /** Resolves to the answer, or to undefined when there is nobody left to answer (the client went away). */
  handle(request: LeanRequest): Promise<LeanAnswer | undefined>;
}

export interface LeanLogger {
  /** Request log lines (absent: none, as on the hop server). */
  info?(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Reads a JSON body like express.json(): strict (object or array), limited, UTF-8, no content coding. */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !JSON_TYPE.test(type)) return undefined;
  const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(type)?.[2]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new BodyError(415, 'charset.unsupported', `unsupported charset "${charset.toUpperCase()}"`);
  const coding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (coding !== 'identity') throw new BodyError(415, 'encoding.unsupported', `unsupported content encoding "${coding}"`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyError(413, 'entity.too.large', 'request entity too large');
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else {
        // the rest is not read (the answer closes the connection)
        stop();
        reject(new BodyError(413, 'entity.too.large', 'request entity too large'));
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onGone = () => {
      stop();
      reject(new BodyError(400, 'request.aborted', 'the request body ended before its end'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
  const text = body.toString('utf8');
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw new BodyError(400, 'entity.parse.failed', 'the body must be a JSON object or array');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new BodyError(400, 'entity.parse.failed', (e as Error).message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * A request handler that serves `routes` and hands every other request to `fallback` (the
 * Express app). A body refused before it was read in full closes the connection after the answer.
 */
export function leanHandler(
  routes: readonly LeanRoute[],
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
  logger: LeanLogger,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let route: LeanRoute | undefined;
    let match: RegExpExecArray | null = null;
    for (const r of routes) {
      if (r.method !== req.method) continue;
      match = r.pattern.exec(path);
      if (match) {
        route = r;
        break;
      }
    }
    if (!route || !match) {
      fallback(req, res);
      return;
    }
    const start = process.hrtime.bigint();
    if (logger.info)
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        logger.info?.({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const params: Record<string, string> = {};
    let request: LeanRequest | undefined;
    try {
      for (const [k, v] of Object.entries(match.groups ?? {})) params[k] = decodeURIComponent(v);
      request = {
        raw: req,
        params,
        query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        path,
        header: (name) => {
          const v = req.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(', ') : v;
        },
        signal: gone.signal,
        json: (limit) => readJsonBody(req, limit),
      };
    } catch {
      send(res, 400, { error: { code: 'HTTP_BAD_REQUEST', message: `malformed path ${path}` } });
      return;
    }
    void answer(route, request, req, res, path, logger);
  };
}

/** Runs the route and writes its answer, or the error's (a handler that throws synchronously included). */
async function answer(
  route: LeanRoute,
  request: LeanRequest,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  logger: LeanLogger,
): Promise<void> {
  try {
    const answer = await route.handle(request);
    if (answer && !res.headersSent && !res.destroyed) send(res, answer.status, answer.body, answer.headers);
  } catch (err) {
    const mapped = errorAnswer(err);
    if (mapped.log) logger.error({ ...mapped.log.obj, path }, mapped.log.msg);
    if (res.headersSent || res.destroyed) return;
    // the body was not read to its end: answer, then close rather than read the rest
    const unread = err instanceof BodyError && !req.readableEnded;
    send(res, mapped.status, mapped.body, unread ? { connection: 'close' } : {});
  }
}
