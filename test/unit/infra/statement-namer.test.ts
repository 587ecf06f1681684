import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statementNamer } from '../../../src/infra/db/postgres.js';

describe('statementNamer (server-side prepared statements, PostgreSQL)', () => {
  it('names a statement by a digest of its text: the same text the same name, another text another name', () => {
    const a = statementNamer();
    const b = statementNamer();
    const one = a('select * from t where id = $1');
    assert.match(one ?? '', /^tps_[0-9a-f]{24}$/);
    assert.equal(a('select * from t where id = $1'), one);
    assert.equal(b('select * from t where id = $1'), one, 'every process names it alike');
    assert.notEqual(a('select * from t where id = $2'), one);
  });

  it('leaves long texts and statements past the cap unnamed, and keeps naming those it already named', () => {
    const namer = statementNamer(2, 40);
    assert.equal(namer(`select ${'x'.repeat(40)}`), undefined);
    const first = namer('select $1');
    assert.ok(first);
    assert.ok(namer('select $2'));
    assert.equal(namer('select $3'), undefined, 'the third distinct statement is past the cap of 2');
    assert.equal(namer('select $1'), first);
  });
});
