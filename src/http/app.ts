/** The express application: routers per RAML resource group, one error mapper, request logs. */
import express, { type Express, type Router } from 'express';
import { errorHandler, notFound, type ErrorLogger } from './errors.js';
import { healthRouter, type HealthSource } from './health.route.js';

export interface HttpLogger extends ErrorLogger {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface HttpDeps {
  readonly health: HealthSource;
  readonly logger: HttpLogger;
  /** Routers of the contexts this process runs (e.g. the endpoint API), mounted before the 404. */
  readonly routers?: readonly Router[];
}

export function createHttpApp(deps: HttpDeps): Express {
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
  return app;
}
