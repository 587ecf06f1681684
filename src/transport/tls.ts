/**
 * The component-to-component HTTPS layer with mutual TLS (docs/transport.md "Ports").
 *
 * Two checks, in two layers:
 *
 * 1. TLS: both sides present a certificate that chains to the directory CA (the only trust
 *    anchor); the client also checks the server's subjectAltName against the host it dialled.
 *    A peer without a certificate, or with one from another CA, never gets past the handshake.
 * 2. Application (`PeerCheck`): revocation, usage and which component the certificate belongs
 *    to. The server runs it on every request (cheap; a revocation takes effect on connections
 *    that are already open) and answers `401 { error: { code, message } }` with
 *    `connection: close` without calling the handler. The client runs it once per new TLS
 *    connection, inside Node's own server verification (`checkServerIdentity`), so no request
 *    byte is written to a server that fails it. TLS session resumption is off on the client,
 *    because Node skips `checkServerIdentity` for a resumed session.
 *
 * The client maps every failure to one HubError (TRANSPORT_UNREACHABLE, TRANSPORT_TIMEOUT,
 * TRANSPORT_TLS, TRANSPORT_PEER_REJECTED, TRANSPORT_PROTOCOL) with `details.url`; any HTTP status
 * is an answer, not an error. A Node server refuses a client certificate by closing the connection
 * after the handshake, without an alert; with TLS 1.3 the client sees that as a reset of a new
 * connection before any answer, which is therefore reported as TRANSPORT_TLS, not UNREACHABLE.
 * Nothing here logs.
 */
import { X509Certificate } from 'node:crypto';
import type { ClientRequest, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import { checkServerIdentity as defaultCheckServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import { HubError, isHubError } from '../shared/errors.js';

export interface TlsIdentity {
  readonly certPem: string;
  readonly keyPem: string;
  /** directory CA certificate (trust anchor) */
  readonly caPem: string;
}

/** Application check of the peer after the TLS layer verified the chain: revocation, usage, which component. */
export type PeerCheck = (peer: X509Certificate) => { ok: true; componentCode: string } | { ok: false; code: string; message: string };

export interface Peer {
  readonly componentCode: string;
  readonly serial: string;
}

export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5000;
export const DEFAULT_CLIENT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_SOCKETS = 16;
/** Largest response body the client collects; a larger one is TRANSPORT_PROTOCOL. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const peers = new WeakMap<IncomingMessage, Peer>();

/** The verified peer of a request served by createComponentServer (undefined for requests that did not pass, which never reach the handler). */
export function peerOf(req: IncomingMessage): Peer | undefined {
  return peers.get(req);
}

type CheckResult = ReturnType<PeerCheck>;

/** Runs a check; a check that throws is a rejection, not a crash. */
function runCheck(check: PeerCheck, cert: X509Certificate): CheckResult {
  try {
    return check(cert);
  } catch (e) {
    return { ok: false, code: isHubError(e) ? e.code : 'CERT_INVALID', message: `the certificate check failed: ${(e as Error).message}` };
  }
}

function refuse(res: ServerResponse, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(401, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}

export function createComponentServer(opts: {
  identity: TlsIdentity;
  handler: RequestListener;
  checkPeer: PeerCheck;
  /** default 5000 */ keepAliveTimeoutMs?: number;
}): Server {
  const { identity, handler, checkPeer } = opts;
  const server = createServer(
    {
      cert: identity.certPem,
      key: identity.keyPem,
      ca: [identity.caPem],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      // rejectUnauthorized already refused anything without a CA-issued certificate; belt and braces
      const cert = socket.authorized ? socket.getPeerX509Certificate() : undefined;
      if (!cert) {
        refuse(res, 'CERT_INVALID', 'no verified client certificate');
        return;
      }
      const verdict = runCheck(checkPeer, cert);
      if (!verdict.ok) {
        refuse(res, verdict.code, verdict.message);
        return;
      }
      peers.set(req, { componentCode: verdict.componentCode, serial: cert.serialNumber });
      handler(req, res);
    },
  );
  server.keepAliveTimeout = opts.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  return server;
}

export interface ComponentResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface ComponentClient {
  /** Throws HubError TRANSPORT_UNREACHABLE | TRANSPORT_TIMEOUT | TRANSPORT_TLS | TRANSPORT_PEER_REJECTED | TRANSPORT_PROTOCOL (with details {url}). Any HTTP status is returned, not thrown. */
  request(
    url: string,
    init?: { method?: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number },
  ): Promise<ComponentResponse>;
  /** JSON convenience: sends JSON, expects a JSON answer (content-type application/json) else TRANSPORT_PROTOCOL. */
  postJson<T>(url: string, body: unknown, timeoutMs?: number): Promise<{ status: number; body: T }>;
  close(): void;
}

/** The error our `checkServerIdentity` returns when the application check refuses the server; Node destroys the socket with it. */
class ServerRejected extends Error {
  constructor(
    readonly checkCode: string,
    readonly checkMessage: string,
  ) {
    super(`${checkCode}: ${checkMessage}`);
    this.name = 'ServerRejected';
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
]);
const TLS_CODE =
  /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|HOSTNAME_MISMATCH|EPROTO$)/;

/**
 * Maps a Node error of one request to the transport error a caller can act on. `freshHandshake`:
 * the request was the first on a connection whose TLS handshake completed and no answer came.
 */
function transportError(e: unknown, url: string, freshHandshake = false): HubError {
  if (isHubError(e)) return e;
  if (e instanceof ServerRejected) {
    return new HubError(
      'TRANSPORT_PEER_REJECTED',
      `${url}: the server certificate was rejected: ${e.message}`,
      { url, checkCode: e.checkCode, checkMessage: e.checkMessage },
      { cause: e },
    );
  }
  const err = e as NodeJS.ErrnoException;
  const code = typeof err.code === 'string' ? err.code : '';
  const message = err.message ?? String(e);
  const details = { url, ...(code ? { cause: code } : {}) };
  const text = `${url}: ${code ? `${code} ` : ''}${message}`;
  // the server closed the connection during the handshake (e.g. it refused our certificate)
  if (TLS_CODE.test(code) || /before secure TLS connection was established|SSL|TLS|alert/i.test(message)) {
    return new HubError('TRANSPORT_TLS', text, details, { cause: e });
  }
  // A Node server checks the client certificate after the handshake and just closes the connection
  // (no alert), so with TLS 1.3 a refused client certificate shows as a reset of a brand-new connection.
  if (freshHandshake && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return new HubError(
      'TRANSPORT_TLS',
      `${text} (the server closed the new connection right after the TLS handshake without answering: it refused our client certificate)`,
      details,
      { cause: e },
    );
  }
  if (UNREACHABLE_CODES.has(code) || /socket hang up|aborted/i.test(message)) {
    return new HubError('TRANSPORT_UNREACHABLE', text, details, { cause: e });
  }
  return new HubError('TRANSPORT_PROTOCOL', text, details, { cause: e });
}

const isJson = (contentType: string | undefined): boolean => /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType ?? '');

export function createComponentClient(opts: {
  identity: TlsIdentity;
  checkServer: PeerCheck;
  /** default 10000 */ timeoutMs?: number;
  /** default 16 */ maxSockets?: number;
}): ComponentClient {
  const { identity, checkServer } = opts;
  const defaultTimeout = opts.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  const agent = new Agent({
    keepAlive: true,
    maxSockets: opts.maxSockets ?? DEFAULT_MAX_SOCKETS,
    cert: identity.certPem,
    key: identity.keyPem,
    ca: [identity.caPem],
    minVersion: 'TLSv1.2',
    // Node skips checkServerIdentity on a resumed session: every new connection does a full handshake
    maxCachedSessions: 0,
    // runs once per new TLS connection, after the chain verified and before any request byte is sent
    checkServerIdentity: (hostname: string, cert: PeerCertificate): Error | undefined => {
      const nameError = defaultCheckServerIdentity(hostname, cert);
      if (nameError) return nameError;
      let x509: X509Certificate;
      try {
        x509 = new X509Certificate(cert.raw);
      } catch (e) {
        return new ServerRejected('CERT_INVALID', `the server certificate cannot be parsed: ${(e as Error).message}`);
      }
      const verdict = runCheck(checkServer, x509);
      return verdict.ok ? undefined : new ServerRejected(verdict.code, verdict.message);
    },
  });

  const usedSockets = new WeakSet<TLSSocket>();

  function request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number } = {},
  ): Promise<ComponentResponse> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.reject(new HubError('TRANSPORT_INPUT_INVALID', `${JSON.stringify(url)} is not a URL`, { url }));
    }
    if (target.protocol !== 'https:') {
      return Promise.reject(new HubError('TRANSPORT_INPUT_INVALID', `${url}: only https URLs are allowed`, { url }));
    }
    const timeoutMs = init.timeoutMs ?? defaultTimeout;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      return Promise.reject(new HubError('TRANSPORT_INPUT_INVALID', `timeout must be a positive number of milliseconds`, { url }));
    }
    const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
    const headers: Record<string, string | number> = { ...init.headers };
    if (body !== undefined) headers['content-length'] = body.length;

    return new Promise<ComponentResponse>((resolve, reject) => {
      let req: ClientRequest;
      try {
        req = httpsRequest(target, { agent, method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers });
      } catch (e) {
        // a bad method or header value
        reject(new HubError('TRANSPORT_INPUT_INVALID', `${url}: ${(e as Error).message}`, { url }, { cause: e }));
        return;
      }
      let settled = false;
      const finish = (error: HubError | undefined, response?: ComponentResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else if (response) resolve(response);
      };
      const timer = setTimeout(() => {
        const error = new HubError('TRANSPORT_TIMEOUT', `${url}: no complete answer within ${timeoutMs} ms`, { url, timeoutMs });
        finish(error);
        req.destroy(error);
      }, timeoutMs);
      // first request on a new connection, and no answer yet: a reset then means the server refused our certificate
      let fresh = false;
      let socket: TLSSocket | undefined;
      const freshHandshake = (): boolean => fresh && socket?.authorized === true;
      req.on('socket', (s) => {
        socket = s as TLSSocket;
        fresh = !usedSockets.has(socket);
        usedSockets.add(socket);
      });
      req.on('error', (e) => finish(transportError(e, url, freshHandshake())));
      req.on('response', (res) => {
        fresh = false;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            const error = new HubError('TRANSPORT_PROTOCOL', `${url}: the answer is larger than ${MAX_RESPONSE_BYTES} bytes`, { url });
            finish(error);
            req.destroy(error);
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (e) => finish(transportError(e, url)));
        res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) }));
      });
      req.end(body);
    });
  }

  async function postJson<T>(url: string, body: unknown, timeoutMs?: number): Promise<{ status: number; body: T }> {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify(body),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    const contentType = res.headers['content-type'];
    if (typeof contentType !== 'string' || !isJson(contentType)) {
      throw new HubError('TRANSPORT_PROTOCOL', `${url}: expected a JSON answer, got ${String(contentType ?? 'no content type')}`, {
        url,
        status: res.status,
      });
    }
    try {
      return { status: res.status, body: JSON.parse(res.body.toString('utf8')) as T };
    } catch (e) {
      throw new HubError(
        'TRANSPORT_PROTOCOL',
        `${url}: the answer is not valid JSON: ${(e as Error).message}`,
        { url, status: res.status },
        { cause: e },
      );
    }
  }

  return {
    request,
    postJson,
    close: () => agent.destroy(),
  };
}
