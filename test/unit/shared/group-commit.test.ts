import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupCommit } from '../../../src/shared/group-commit.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('group commit', () => {
  it('writes a lone caller at once, in a batch of one', async () => {
    const batches: number[][] = [];
    const g = createGroupCommit<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((i) => i * 10);
    });
    assert.equal(await g.submit(7), 70);
    assert.deepEqual(batches, [[7]]);
  });

  it('writes callers that arrive during a write together in the next one, each with its own answer', async () => {
    const batches: number[][] = [];
    const g = createGroupCommit<number, string>(async (items) => {
      batches.push([...items]);
      await tick();
      return items.map((i) => `r${i}`);
    });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => g.submit(i)));
    assert.deepEqual(answers, ['r1', 'r2', 'r3', 'r4', 'r5']);
    // the first starts a write alone; the four that came meanwhile share the next
    assert.deepEqual(batches, [[1], [2, 3, 4, 5]]);
  });

  it('never writes more than maxItems at once', async () => {
    const sizes: number[] = [];
    const g = createGroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      await tick();
      return [...items];
    }, 3);
    await Promise.all(Array.from({ length: 10 }, (_, i) => g.submit(i)));
    assert.deepEqual(sizes, [1, 3, 3, 3]);
  });

  it('when a shared write fails, retries each item alone: only the bad one fails', async () => {
    const batches: number[][] = [];
    const g = createGroupCommit<number, number>(async (items) => {
      batches.push([...items]);
      await tick();
      if (items.includes(3)) throw new Error('item 3 is bad');
      return [...items];
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => g.submit(i)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[2] as PromiseRejectedResult).reason), /item 3 is bad/);
    assert.deepEqual(batches, [[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('keeps working after a failure', async () => {
    let fail = true;
    const g = createGroupCommit<number, number>(async (items) => {
      if (fail) throw new Error('storage unavailable');
      return [...items];
    });
    await assert.rejects(g.submit(1), /storage unavailable/);
    fail = false;
    assert.equal(await g.submit(2), 2);
  });
});
