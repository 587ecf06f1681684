import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insertValues, ROWS_PER_STATEMENT } from '../../../src/shared/insert-values.js';
import type { Queryable } from '../../../src/shared/sql.js';

function recorder() {
  const calls: Array<{ text: string; params: readonly unknown[] }> = [];
  const q: Queryable = {
    query: <R>(text: string, params: readonly unknown[] = []) => {
      calls.push({ text, params });
      return Promise.resolve({ rows: params.filter((_, i) => i % 2 === 0).map((id) => ({ id })) as R[], rowCount: params.length / 2 });
    },
    exec: () => Promise.resolve(),
  };
  return { q, calls };
}

describe('insertValues (multi-row inserts, one parameter per value)', () => {
  it('numbers the parameters row by row into each column template, with the tail after the values', async () => {
    const { q, calls } = recorder();
    const out = await insertValues(
      q,
      'insert into t (a, b)',
      ['$', "decode($, 'base64')"],
      [
        ['x', 'eA=='],
        ['y', 'eQ=='],
      ],
      'returning a',
    );
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.text, "insert into t (a, b) values ($1, decode($2, 'base64')), ($3, decode($4, 'base64')) returning a");
    assert.deepEqual(calls[0]?.params, ['x', 'eA==', 'y', 'eQ==']);
    assert.deepEqual(out, [{ id: 'x' }, { id: 'y' }]);
  });

  it(`splits into statements of at most ${ROWS_PER_STATEMENT} rows and returns every statement's rows in order`, async () => {
    const { q, calls } = recorder();
    const rows = Array.from({ length: 2 * ROWS_PER_STATEMENT + 1 }, (_, i) => [`r${i}`, i]);
    const out = await insertValues(q, 'insert into t (a, b)', ['$', '$::int'], rows);
    assert.deepEqual(
      calls.map((c) => c.params.length / 2),
      [ROWS_PER_STATEMENT, ROWS_PER_STATEMENT, 1],
    );
    assert.match(calls[1]?.text ?? '', /^insert into t \(a, b\) values \(\$1, \$2::int\), /);
    assert.deepEqual(
      out.map((r) => (r as { id: string }).id),
      rows.map((r) => r[0]),
    );
  });

  it('gives a statement of the same shape the same text each time (one prepared statement), another row count another text', async () => {
    const { q, calls } = recorder();
    await insertValues(q, 'insert into t (a, b)', ['$', '$'], [['x', 'y']]);
    await insertValues(q, 'insert into t (a, b)', ['$', '$'], [['z', 'w']]);
    await insertValues(
      q,
      'insert into t (a, b)',
      ['$', '$'],
      [
        ['x', 'y'],
        ['z', 'w'],
      ],
    );
    await insertValues(q, 'insert into t (a, b)', ['$', '$::jsonb'], [['x', '{}']]);
    assert.equal(calls[0]?.text, 'insert into t (a, b) values ($1, $2) ');
    assert.equal(calls[1]?.text, calls[0]?.text);
    assert.equal(calls[2]?.text, 'insert into t (a, b) values ($1, $2), ($3, $4) ');
    assert.equal(calls[3]?.text, 'insert into t (a, b) values ($1, $2::jsonb) ');
    assert.deepEqual(calls[1]?.params, ['z', 'w']);
  });

  it('writes nothing for no rows, and refuses a row with the wrong number of values', async () => {
    const { q, calls } = recorder();
    assert.deepEqual(await insertValues(q, 'insert into t (a)', ['$'], []), []);
    assert.equal(calls.length, 0);
    await assert.rejects(insertValues(q, 'insert into t (a, b)', ['$', '$'], [['only one']]), TypeError);
    assert.equal(calls.length, 0);
  });
});
