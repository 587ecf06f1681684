/**
 * Authentication of the backends' REST interfaces: `Authorization: Bearer <JWT>` (src/parties/
 * tokens.ts). No or a malformed header → 401 AUTH_REQUIRED; a token that does not verify → 401
 * TOKEN_INVALID; a party of a role the interface is not for → 403 AUTH_FORBIDDEN. The verified
 * caller's scope is then the only way handlers reach the stores.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PartyRole } from '../parties/roles.js';
import type { Caller, TokenVerifier } from '../parties/tokens.js';
import { HubError } from '../shared/errors.js';
import { scopeOf, type PartyScope } from './scope.js';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

export function requireParty(tokens: TokenVerifier, roles: readonly PartyRole[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const m = BEARER.exec(req.get('authorization') ?? '');
    if (!m?.[1]) {
      next(new HubError('AUTH_REQUIRED', 'send Authorization: Bearer <token> (tps-hub tokens issue --party <code>)'));
      return;
    }
    tokens.verify(m[1]).then(
      (caller: Caller) => {
        if (!roles.includes(caller.role)) {
          next(new HubError('AUTH_FORBIDDEN', `this interface is for ${roles.join(' and ')} parties; the token is of a ${caller.role}`));
          return;
        }
        res.locals.scope = scopeOf(caller);
        next();
      },
      (e: unknown) => next(e),
    );
  };
}

/** The scope `requireParty` established for this request. */
export function scopeOfRequest(res: Response): PartyScope {
  const scope = res.locals.scope as PartyScope | undefined;
  if (!scope) throw new HubError('AUTH_REQUIRED');
  return scope;
}

/** Wraps an async handler so its rejection reaches the error mapper. */
export const handler =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };
