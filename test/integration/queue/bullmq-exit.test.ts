/**
 * A process that used the BullMQ driver ends by itself once the driver is closed, whatever Redis
 * did meanwhile: still up, killed (the driver's clients are reconnecting at close), or killed and
 * restarted empty while jobs were flowing (the case that held a CI run: a test process that had
 * passed its test and never exited). Each case runs the driver in a child process that talks to a
 * private redis-server; the child must exit within a deadline after close() returned.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoPath } from '../../support/paths.js';
import { redisServerBinary, startPrivateRedis, type PrivateRedis } from '../../support/redis-server.js';

const driverUrl = pathToFileURL(repoPath('dist', 'src', 'infra', 'queue', 'bullmq.js')).href;

/**
 * The child: handles `q.work` jobs and obeys one command per stdin line —
 * `enqueue N` (retries while Redis is down, answers `handled <total>` once all are handled) and
 * `close` (answers `closed <ms>`). It ends its script after close; nothing else keeps it alive.
 */
const child = `
import { createBullmqQueue } from ${JSON.stringify(driverUrl)};
import { createInterface } from 'node:readline';
const d = createBullmqQueue({ url: process.argv[1], prefix: 'exit-' + process.pid, closeGraceMs: 500 });
let handled = 0, wanted = 0, serial = 0;
d.process('q.work', async () => { handled++; }, { concurrency: 4 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [cmd, n] = line.split(' ');
  if (cmd === 'enqueue') {
    wanted += Number(n);
    for (let i = 0; i < Number(n); i++) {
      for (;;) { try { await d.enqueue('q.work', { i }, { jobId: 'j' + serial }); serial++; break; } catch { await sleep(50); } }
    }
    while (handled < wanted) await sleep(10);
    console.log('handled ' + handled);
  } else if (cmd === 'close') {
    const t0 = Date.now();
    await d.close();
    console.log('closed ' + (Date.now() - t0));
    lines.close();
    process.stdin.destroy();
  }
}
`;

interface Child {
  send(line: string): void;
  next(timeoutMs: number): Promise<string>;
  exited(timeoutMs: number): Promise<number | null | 'still running'>;
}

function startChild(redisUrl: string): Child {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', child, redisUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
  const queued: string[] = [];
  let waiter: ((line: string) => void) | undefined;
  createInterface({ input: proc.stdout }).on('line', (line) => {
    if (waiter) waiter(line);
    else queued.push(line);
  });
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    send: (line) => proc.stdin.write(`${line}\n`),
    next: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const ready = queued.shift();
        if (ready !== undefined) return resolve(ready);
        const timer = setTimeout(() => {
          waiter = undefined;
          proc.kill('SIGKILL');
          reject(new Error(`the child did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        waiter = (line) => {
          clearTimeout(timer);
          waiter = undefined;
          resolve(line);
        };
      }),
    exited: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        exit,
        new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (outcome === 'still running') proc.kill('SIGKILL');
      return outcome;
    },
  };
}

async function closeAndExpectExit(c: Child): Promise<number> {
  c.send('close');
  const closed = await c.next(15_000);
  const ms = Number(/^closed (\d+)$/.exec(closed)?.[1]);
  assert.ok(ms < 5_000, `close() took ${closed}`);
  // ioredis gives a closing socket up to 2 s (its disconnect timeout) before it destroys it
  const t0 = Date.now();
  assert.equal(await c.exited(10_000), 0, 'the process ends by itself after close()');
  return Date.now() - t0;
}

describe(
  'BullMQ driver: the process exits after close()',
  { skip: redisServerBinary ? false : 'redis-server is not installed (CI installs it)' },
  () => {
    const withRedis = async (body: (redis: PrivateRedis) => Promise<void>) => {
      const redis = await startPrivateRedis();
      try {
        await body(redis);
      } finally {
        await redis.kill();
      }
    };

    it('with Redis up', { timeout: 60_000 }, () =>
      withRedis(async (redis) => {
        const c = startChild(redis.url);
        c.send('enqueue 20');
        assert.equal(await c.next(15_000), 'handled 20');
        console.log(`exit ${await closeAndExpectExit(c)} ms after close()`);
      }),
    );

    it('with Redis killed before close (every client reconnecting)', { timeout: 60_000 }, () =>
      withRedis(async (redis) => {
        const c = startChild(redis.url);
        c.send('enqueue 20');
        assert.equal(await c.next(15_000), 'handled 20');
        await redis.kill();
        await new Promise((r) => setTimeout(r, 300)); // a few reconnect attempts
        console.log(`exit ${await closeAndExpectExit(c)} ms after close()`);
      }),
    );

    it('with Redis killed and restarted empty while jobs flow', { timeout: 60_000 }, () =>
      withRedis(async (redis) => {
        const c = startChild(redis.url);
        c.send('enqueue 20');
        assert.equal(await c.next(15_000), 'handled 20');
        await redis.kill();
        c.send('enqueue 20'); // retried by the child until Redis is back
        await new Promise((r) => setTimeout(r, 300));
        await redis.start();
        assert.equal(await c.next(30_000), 'handled 40');
        console.log(`exit ${await closeAndExpectExit(c)} ms after close()`);
      }),
    );
  },
);
