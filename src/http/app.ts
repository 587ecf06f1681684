/**
 * The hub's HTTP request handler: the lean routes (hot REST routes without Express, lean.ts),
 * then the express application (health, 404), one error mapper, request logs alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import { errorHandler, notFound, type ErrorLogger } from './errors.js';
import { healthRouter, type HealthSource } from './health.route.js';
import { leanHandler, type LeanRoute } from './lean.js';

export interface HttpLogger extends ErrorLogger {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface HttpDeps {
  readonly health: HealthSource;
  readonly logger: HttpLogger;
  /** Routers of the contexts this process runs, mounted before the 404. */
  readonly routers?: readonly Router[];
  /** Lean routes of the contexts this process runs (e.g. the endpoint API), tried first. */
  readonly routes?: readonly LeanRoute[];
}

export function createHttpApp(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const line = { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (req.path.startsWith('/health')) deps.logger.debug(line, 'request');
      else deps.logger.info(line, 'request');
    });
    next();
  });
  app.use(healthRouter(deps.health));
  for (const r of deps.routers ?? []) app.use(r);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return leanHandler(deps.routes ?? [], app, deps.logger);
}
