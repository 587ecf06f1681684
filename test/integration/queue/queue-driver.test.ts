/**
 * The queue contract, run against the driver the environment selects (BullMQ on real Redis in
 * CI's second pass, in-process otherwise): the two drivers must behave the same.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createBullmqQueue } from '../../../src/infra/queue/bullmq.js';
import { isHubError } from '../../../src/shared/errors.js';
import type { Job, QueueDriver } from '../../../src/shared/queue.js';
import { eventually, openTestQueue, queueName, realRedisUrl, uniqueName } from '../../support/backends.js';

describe(`queue driver: ${queueName}`, () => {
  let q: QueueDriver | undefined;
  const open = () => (q = openTestQueue());
  afterEach(async () => {
    await q?.close();
    q = undefined;
  });

  it('delivers an enqueued job to the handler with its data', async () => {
    const d = open();
    const seen: Job<{ n: number }>[] = [];
    d.process<{ n: number }>('q.basic', async (job) => {
      seen.push(job);
    });
    const id = await d.enqueue('q.basic', { n: 42 }, { jobId: 'job-1' });
    assert.equal(id, 'job-1');
    await eventually(() => seen.length === 1, 'the job');
    assert.deepEqual(seen[0]?.data, { n: 42 });
    assert.equal(seen[0]?.attempt, 1);
  });

  it('ignores a second enqueue with the same job id while the job exists', async () => {
    const d = open();
    let calls = 0;
    await d.enqueue('q.dedupe', { v: 1 }, { jobId: 'same', delayMs: 300 });
    await d.enqueue('q.dedupe', { v: 2 }, { jobId: 'same', delayMs: 300 });
    d.process('q.dedupe', async () => {
      calls += 1;
    });
    await eventually(() => calls === 1, 'the first delivery');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(calls, 1);
  });

  it('holds a delayed job until its delay has passed', async () => {
    const d = open();
    const start = Date.now();
    let at = 0;
    d.process('q.delay', async () => {
      at = Date.now();
    });
    await d.enqueue('q.delay', {}, { delayMs: 400 });
    await eventually(() => at > 0, 'the delayed job');
    assert.ok(at - start >= 380, `ran after ${at - start} ms`);
  });

  it('retries a failing handler with exponential back-off, then succeeds', async () => {
    const d = open();
    const times: number[] = [];
    let completed = 0;
    d.process(
      'q.retry',
      async () => {
        times.push(Date.now());
        if (times.length < 3) throw new Error(`transient ${times.length}`);
      },
      { onCompleted: async () => void (completed += 1) },
    );
    await d.enqueue('q.retry', {}, { attempts: 4, backoffMs: 100 });
    await eventually(() => completed === 1, 'success on the third attempt');
    assert.equal(times.length, 3);
    const [t0 = 0, t1 = 0, t2 = 0] = times;
    assert.ok(t1 - t0 >= 90, `first retry after ${t1 - t0} ms`);
    assert.ok(t2 - t1 >= 190, `second retry after ${t2 - t1} ms (doubled)`);
  });

  it('reports a job whose attempts are exhausted as a final failure', async () => {
    const d = open();
    let attempts = 0;
    let final: { job: Job; error: Error } | undefined;
    d.process(
      'q.dead',
      async () => {
        attempts += 1;
        throw new Error('always broken');
      },
      {
        onFinalFailure: async (job, error) => {
          final = { job, error };
        },
      },
    );
    await d.enqueue('q.dead', {}, { jobId: 'dead-1', attempts: 2, backoffMs: 50 });
    await eventually(() => final !== undefined, 'the final failure');
    assert.equal(attempts, 2);
    assert.equal(final?.job.id, 'dead-1');
    assert.equal(final?.job.attempt, 2);
    assert.equal(final?.error.message, 'always broken');
  });

  it('runs at most `concurrency` handlers at once', async () => {
    const d = open();
    let active = 0;
    let peak = 0;
    let done = 0;
    d.process(
      'q.conc',
      async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 40));
        active -= 1;
        done += 1;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 12; i++) await d.enqueue('q.conc', { i });
    await eventually(() => done === 12, 'all 12 jobs');
    assert.equal(peak, 3);
  });

  it('adds a repeatable job on its schedule', async () => {
    const d = open();
    let ticks = 0;
    d.process('q.repeat', async () => {
      ticks += 1;
    });
    await d.repeat('q.repeat', 'every-100ms', 100, { tick: true });
    await eventually(() => ticks >= 3, 'three ticks', 5_000);
  });

  it('waits for running handlers when closed', async () => {
    const d = open();
    let finished = false;
    let started = false;
    d.process('q.close', async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await d.enqueue('q.close', {});
    await eventually(() => started, 'the handler to start');
    await d.close();
    q = undefined;
    assert.equal(finished, true);
  });

  it('rejects job ids and queue names that are not safe keys', async () => {
    const d = open();
    await assert.rejects(d.enqueue('q.bad', {}, { jobId: 'has:colon' }), (e) => isHubError(e, 'QUEUE_JOB_INVALID'));
    await assert.rejects(d.enqueue('Bad Queue', {}), (e) => isHubError(e, 'QUEUE_JOB_INVALID'));
  });

  it('reports itself healthy', async () => {
    const d = open();
    assert.equal((await d.health()).ok, true);
  });
});

if (realRedisUrl) {
  describe('queue driver: BullMQ/Redis close', () => {
    it(
      'never waits forever: a handler that does not finish is abandoned after the grace period (its job stays in Redis)',
      { timeout: 20_000 },
      async () => {
        const d = createBullmqQueue({ url: realRedisUrl as string, prefix: uniqueName('close'), closeGraceMs: 300 });
        let started = false;
        let release: () => void = () => undefined;
        d.process('q.stuck', async () => {
          started = true;
          await new Promise<void>((r) => (release = r)); // does not settle until the test lets it
        });
        await d.enqueue('q.stuck', {});
        await eventually(() => started, 'the handler to start');
        const t0 = Date.now();
        await d.close();
        const took = Date.now() - t0;
        release(); // lets BullMQ's timers for the job end, so this test process can exit
        assert.ok(took >= 250 && took < 5_000, `close took ${took} ms`);
      },
    );
  });
}
