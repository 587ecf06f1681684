/**
 * `tps-hub serve` as a process: health and readiness, structured logs, graceful shutdown on
 * SIGTERM, data that survives a restart, and start-up errors that name what is wrong.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openPostgres } from '../../../src/infra/db/postgres.js';
import { realDatabaseUrl, realRedisUrl, storageName, queueName, uniqueName } from '../../support/backends.js';
import { runCli, startHubProcess } from '../../support/hub-process.js';

const schemas: string[] = [];
const backendEnv = (): Record<string, string> => ({
  ...(realDatabaseUrl ? { DATABASE_URL: realDatabaseUrl, DATABASE_SCHEMA: schemas[schemas.push(uniqueName('serve')) - 1] ?? '' } : {}),
  ...(realRedisUrl ? { REDIS_URL: realRedisUrl, QUEUE_PREFIX: uniqueName('serve') } : {}),
});

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe(`tps-hub serve (${storageName}, ${queueName})`, () => {
  after(async () => {
    if (!realDatabaseUrl || schemas.length === 0) return;
    const db = await openPostgres({ url: realDatabaseUrl });
    for (const s of schemas) await db.query(`drop schema if exists ${s} cascade`);
    await db.close();
  });

  it('answers /health with storage, queue and outbox status, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-'));
    const hub = await startHubProcess({ DATA_DIR: dataDir, ...backendEnv() });
    const health = await getJson(`${hub.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.deepEqual((health.body.storage as { kind: string }).kind, realDatabaseUrl ? 'postgres' : 'pglite');
    assert.deepEqual((health.body.queue as { kind: string }).kind, realRedisUrl ? 'bullmq' : 'in-process');
    assert.deepEqual(health.body.outbox, { pending: 0, inFlight: 0, failed: 0 });
    assert.deepEqual((await getJson(`${hub.url}/health/ready`)).body, { ready: true });
    assert.equal((await getJson(`${hub.url}/health/live`)).status, 200);
    const missing = await getJson(`${hub.url}/no-such-thing`);
    assert.equal(missing.status, 404);
    assert.equal((missing.body.error as { code: string }).code, 'HTTP_NOT_FOUND');

    hub.child.kill('SIGTERM');
    assert.equal(await hub.exited, 0);
    const messages = hub.logs.flatMap((l) => {
      try {
        return [JSON.parse(l) as { msg: string; level: string }];
      } catch {
        return [];
      }
    });
    assert.ok(messages.length >= 4, 'logs are JSON lines');
    assert.ok(messages.every((m) => typeof m.level === 'string' && typeof m.msg === 'string'));
    assert.ok(messages.some((m) => m.msg === 'tps-hub stopped'));
  });

  it('finishes a request in flight before it exits on SIGTERM', async () => {
    const hub = await startHubProcess({ DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-')), SHUTDOWN_TIMEOUT_MS: '5000', ...backendEnv() });
    // An open keep-alive connection must not hold the process up, and a response being written completes.
    const agentRes = await new Promise<number>((resolve, reject) => {
      const req = request(`${hub.url}/health`, { agent: false, headers: { connection: 'keep-alive' } }, (res) => {
        hub.child.kill('SIGTERM');
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(agentRes, 200);
    assert.equal(await hub.exited, 0);
  });

  if (!realDatabaseUrl) {
    it('keeps its data across a restart and refuses a second process on the same data directory', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hub-'));
      const first = await startHubProcess({ DATA_DIR: dataDir });
      const second = await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0' });
      assert.equal(second.code, 1);
      assert.match(second.stderr, /STORAGE_UNAVAILABLE: data directory .* is in use by process \d+/);
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);
      // The first run applied the migrations; the second finds them in place.
      const again = await startHubProcess({ DATA_DIR: dataDir });
      assert.ok(
        again.logs.some((l) => l.includes('"msg":"schema up to date"')),
        'no migration ran twice',
      );
      again.child.kill('SIGTERM');
      assert.equal(await again.exited, 0);
      // Each run recorded its start and stop in the audit log, sealed and verifiable.
      const verify = await runCli(['audit', 'verify', '--json'], { DATA_DIR: dataDir });
      assert.equal(verify.code, 0, verify.stderr);
      assert.equal((JSON.parse(verify.stdout) as { entries: number }).entries, 4);
      const exported = await runCli(['audit', 'export', '--action', 'hub.*'], { DATA_DIR: dataDir });
      assert.deepEqual(
        exported.stdout
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { action: string }).action),
        ['hub.started', 'hub.stopped', 'hub.started', 'hub.stopped'],
      );
    });
  }
});

describe('tps-hub start-up errors', () => {
  it('stops with exit 2 and a message naming the bad setting', async () => {
    const r = await runCli(['serve'], { PORT: 'eighty' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /CONFIG_INVALID: .*PORT: /);
  });

  it('stops with a clear message when PostgreSQL cannot be reached', async () => {
    const r = await runCli(['serve'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /STORAGE_UNAVAILABLE: PostgreSQL cannot be reached/);
  });

  it('rejects an unknown command with exit 2', async () => {
    const r = await runCli(['teleport']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /CLI_USAGE: unknown command "teleport"/);
  });

  it('prints the effective configuration without secrets', async () => {
    const r = await runCli(['config'], { DATABASE_URL: 'postgres://u:hunter2@127.0.0.1/x' });
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /hunter2/);
    assert.equal((JSON.parse(r.stdout) as { PORT: number }).PORT, 8080);
  });
});
