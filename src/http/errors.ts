/**
 * The one mapper from errors to HTTP answers. Bodies are always
 * `{ "error": { "code": "<STABLE_CODE>", "message": "…" } }`; internal errors never leak details.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isHubError, type ErrorCode } from '../shared/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  XML_MALFORMED: 400,
  XML_DOCTYPE_FORBIDDEN: 400,
  XML_TOO_LARGE: 413,
  XML_TOO_DEEP: 400,
  XML_NOT_UTF8: 400,
  XML_ENCODING_UNSUPPORTED: 400,
  XML_EMPTY: 400,
  XML_SCHEMA_INVALID: 400,
  XML_UNKNOWN_DOCUMENT: 400,
  XML_UNSUPPORTED_VERSION: 400,
  STORAGE_UNAVAILABLE: 503,
  QUEUE_UNAVAILABLE: 503,
  DIRECTORY_STALE: 503,
  AUTH_REQUIRED: 401,
  AUTH_FORBIDDEN: 403,
  CERT_INVALID: 401,
  CERT_REVOKED: 401,
  CERT_EXPIRED: 401,
  CERT_UNKNOWN: 401,
  TRANSPORT_PEER_REJECTED: 401,
  TRANSPORT_NO_ROUTE: 422,
  TRANSPORT_CONTENT_TOO_LARGE: 413,
  TRANSPORT_INPUT_INVALID: 400,
  TRANSPORT_MESSAGE_UNKNOWN: 404,
  TRANSPORT_DUPLICATE_MESSAGE: 409,
  TRANSPORT_IDENTITY_MISSING: 503,
  TRANSPORT_CRYPTO_FAILED: 503,
  PARTY_UNKNOWN: 404,
  TOKEN_INVALID: 401,
  TPS_PLATFORM_MISSING: 503,
  TPS_INPUT_INVALID: 400,
  TPS_REJECTED: 422,
  TPS_CONFLICT: 409,
  TPS_NOT_FOUND: 404,
};

export interface ErrorLogger {
  error(obj: object, msg: string): void;
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'HTTP_NOT_FOUND', message: `no resource at ${req.method} ${req.path}` } });
};

/** A stable error answer: the status and `{ error: { code, message } }`; `log` when the hub should record it. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: { readonly error: { readonly code: string; readonly message: string; readonly problems?: readonly unknown[] } };
  readonly log?: { readonly obj: Record<string, unknown>; readonly msg: string };
}

/** Maps any thrown value to its answer (shared by the Express error handler and the lean routes). */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (isHubError(err)) {
    const status = STATUS[err.code] ?? 400;
    return {
      status,
      // item-level problems (e.g. which asset of a batch, which field, which reason code) travel with the error
      body: {
        error: {
          code: err.code,
          message: err.message,
          ...(Array.isArray(err.details?.problems) ? { problems: err.details.problems } : {}),
        },
      },
      ...(status >= 500 ? { log: { obj: { code: err.code, err: err.message }, msg: 'request failed' } } : {}),
    };
  }
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser errors carry a status and a type (e.g. entity.too.large, entity.parse.failed)
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return {
      status: e.status,
      body: { error: { code: `HTTP_${e.type ?? 'BAD_REQUEST'}`.toUpperCase().replace(/\W/g, '_'), message: e.message ?? 'bad request' } },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal error; see the hub log' } },
    log: { obj: { err: e.message }, msg: 'unexpected error' },
  };
}

export function errorHandler(logger: ErrorLogger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const answer = errorAnswer(err);
    if (answer.log) logger.error({ ...answer.log.obj, path: req.path }, answer.log.msg);
    res.status(answer.status).json(answer.body);
  };
}
