/**
 * Health and readiness (raml/health.raml):
 * - GET /health        storage, queue and outbox status; 200 when all is well, 503 otherwise
 * - GET /health/live   the process answers (liveness probe)
 * - GET /health/ready  200 while the hub takes traffic, 503 before start-up ends and during shutdown
 */
import { Router } from 'express';

export interface ComponentHealth {
  readonly ok: boolean;
  readonly kind: string;
  readonly latencyMs?: number;
  readonly detail?: string;
}

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly storage: ComponentHealth;
  readonly queue: ComponentHealth;
  readonly outbox?: { readonly pending: number; readonly inFlight: number; readonly failed: number };
}

export interface HealthSource {
  report(): Promise<HealthReport>;
  isReady(): boolean;
}

export function healthRouter(source: HealthSource): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    const report = await source.report();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  r.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/health/ready', (_req, res) => {
    const ready = source.isReady();
    res.status(ready ? 200 : 503).json({ ready });
  });
  return r;
}
