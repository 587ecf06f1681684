import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../../../src/shared/clock.js';
import type { QueueDriver } from '../../../src/shared/queue.js';
import type { Database, QueryResult } from '../../../src/shared/sql.js';
import { createHopSender, REKICK_WINDOW_MS } from '../../../src/transport/hop-sender.js';
import type { ComponentClient } from '../../../src/transport/tls.js';

/** A database whose claim finds no rows; `hold` makes the next claim wait until released. */
function fakeDb() {
  let gate: Promise<void> | undefined;
  const db: Database = {
    kind: 'postgres',
    async query<R>(): Promise<QueryResult<R>> {
      await gate;
      return { rows: [], rowCount: 0 };
    },
    exec: () => Promise.resolve(),
    transaction: (fn) => fn(db),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return {
    db,
    hold: (): (() => void) => {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

function recordingDriver() {
  const jobIds: string[] = [];
  const driver = {
    kind: 'in-process',
    enqueue: (_queue: string, _data: unknown, opts?: { jobId?: string }) => {
      jobIds.push(opts?.jobId ?? '?');
      return Promise.resolve(opts?.jobId ?? '?');
    },
  } as unknown as QueueDriver;
  return { driver, jobIds };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('hop kicks (hop-sender.ts)', () => {
  const make = () => {
    const { db, hold } = fakeDb();
    const { driver, jobIds } = recordingDriver();
    const hops = createHopSender({
      db,
      driver,
      clock: systemClock,
      logger: { warn: () => undefined, info: () => undefined, debug: () => undefined },
      clientOf: () => ({}) as ComponentClient,
      urlOf: () => Promise.resolve('https://127.0.0.1:1'),
      onOutcomes: () => Promise.resolve(),
    });
    return { hops, jobIds, hold };
  };

  it('queues a kick under the hop’s job ID, so kicks for a hop with a job waiting collapse into it', async () => {
    const { hops, jobIds } = make();
    hops.kick('A', 'B');
    await settle();
    assert.deepEqual(jobIds, ['hop.A.B']);
  });

  it('while the hop flushes here, a kick asks that flush for one more pass instead of queueing a job', async () => {
    const { hops, jobIds, hold } = make();
    const release = hold();
    const flushing = hops.flush('A', 'B');
    hops.kick('A', 'B');
    await settle();
    assert.deepEqual(jobIds, []);
    release();
    await flushing;
  });

  it('right after a flush ended (its job may still be held by the queue) a kick takes a fresh job ID; later the hop’s own again', async () => {
    const { hops, jobIds } = make();
    await hops.flush('A', 'B');
    hops.kick('A', 'B');
    hops.kick('A', 'C'); // another hop is not affected
    await settle();
    assert.equal(jobIds.length, 2);
    assert.match(jobIds[0] ?? '', /^hop\.A\.B\.r\d+$/);
    assert.equal(jobIds[1], 'hop.A.C');
    await new Promise((r) => setTimeout(r, REKICK_WINDOW_MS + 50));
    hops.kick('A', 'B');
    await settle();
    assert.equal(jobIds[2], 'hop.A.B');
  });
});
