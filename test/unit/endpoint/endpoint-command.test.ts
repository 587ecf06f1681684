/** `tps-hub endpoint token …` through its command module, on the environment's database. */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ENDPOINT_USAGE, runEndpointCommand, type EndpointCommandDeps } from '../../../src/endpoint/endpoint-command.js';
import { TokenVerifier } from '../../../src/endpoint/tokens.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import { openTestDatabase, storageName, type TestDatabase } from '../../support/backends.js';

const EP = '10V1001C--000446';
const OTHER = '10V1001C--000438';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    io: { stdout, stderr },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

describe(`endpoint token CLI on ${storageName}`, () => {
  let db: TestDatabase;
  let deps: EndpointCommandDeps;
  let opened = 0;
  let closed = 0;
  const endpoint = async (...argv: string[]) => {
    const s = io();
    const code = await runEndpointCommand(argv, s.io, deps);
    return { code, out: s.out, err: s.err };
  };
  const tokenOf = (out: string) => /^token: (\S+)$/m.exec(out)?.[1];
  const idOf = (out: string) => /created API token ([0-9a-f]{12}) /.exec(out)?.[1];

  before(async () => {
    db = await openTestDatabase();
    await migrate(db);
    deps = {
      openDatabase: async () => {
        opened += 1;
        return { db, close: async () => void (closed += 1) };
      },
    };
  });
  after(() => db.close());

  let token: string;
  let id: string;

  it('creates a token that verifies for its endpoint, and prints it once', async () => {
    const r = await endpoint('token', 'create', '--endpoint', EP, '--label', 'scheduling app');
    assert.equal(r.code, 0, r.err);
    token = tokenOf(r.out) ?? '';
    id = idOf(r.out) ?? '';
    assert.match(token, /^tpsk_[A-Za-z0-9_-]{43}$/);
    assert.match(id, /^[0-9a-f]{12}$/);
    assert.equal(r.out.split(token).length, 2, 'the token appears exactly once');
    assert.match(r.out, /scheduling app/);
    assert.equal(await new TokenVerifier(db, 0).endpointOf(token), EP);
    assert.equal(opened, closed, 'the database is closed after the command');
  });

  it('lists tokens without revealing them', async () => {
    const other = await endpoint('token', 'create', '--endpoint', OTHER);
    assert.equal(other.code, 0, other.err);
    const all = await endpoint('token', 'list');
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /^ID\s+ENDPOINT\s+LABEL\s+CREATED\s+REVOKED$/m);
    assert.match(all.out, new RegExp(`^${id}\\s+${EP}\\s+scheduling app\\s+\\S+Z\\s+-$`, 'm'));
    assert.ok(all.out.includes(OTHER));
    assert.ok(!all.out.includes('tpsk_'), 'list never shows a token');

    const mine = await endpoint('token', 'list', '--endpoint', EP);
    assert.equal(mine.code, 0, mine.err);
    assert.ok(mine.out.includes(id));
    assert.ok(!mine.out.includes(OTHER));

    const json = await endpoint('token', 'list', '--endpoint', EP, '--json');
    const parsed = JSON.parse(json.out) as Array<{ id: string; endpointCode: string; label: string; revokedAt?: string }>;
    assert.deepEqual(
      parsed.map((t) => [t.id, t.endpointCode, t.label, t.revokedAt]),
      [[id, EP, 'scheduling app', undefined]],
    );
  });

  it('revokes a token: it no longer verifies and shows as revoked', async () => {
    const r = await endpoint('token', 'revoke', '--id', id);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`revoked API token ${id}`));
    assert.equal(await new TokenVerifier(db, 0).endpointOf(token), undefined);
    const list = await endpoint('token', 'list', '--endpoint', EP);
    assert.match(list.out, new RegExp(`^${id}\\s+${EP}\\s+scheduling app\\s+\\S+Z\\s+\\S+Z$`, 'm'));

    const again = await endpoint('token', 'revoke', '--id', id);
    assert.equal(again.code, 1);
    assert.match(again.err, /TRANSPORT_INPUT_INVALID: no active API token/);
  });

  it('refuses an unknown or malformed id with exit status 1', async () => {
    const unknown = await endpoint('token', 'revoke', '--id', '0123456789ab');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /TRANSPORT_INPUT_INVALID/);
    const malformed = await endpoint('token', 'revoke', '--id', 'abc');
    assert.equal(malformed.code, 1);
    assert.match(malformed.err, /TRANSPORT_INPUT_INVALID/);
  });

  it('refuses an endpoint code that is not an EIC as a usage error', async () => {
    for (const bad of ['10V1001C--000447', 'ENDPOINT', '']) {
      const before = opened;
      const r = await endpoint('token', 'create', '--endpoint', bad);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, /--endpoint/);
      assert.match(r.err, /Usage: tps-hub endpoint/);
      assert.equal(opened, before, 'nothing is opened for a usage error');
    }
    const list = await endpoint('token', 'list', '--endpoint', 'nope');
    assert.equal(list.code, 2);
  });

  it('answers usage errors with exit status 2 and help with 0', async () => {
    for (const argv of [
      [],
      ['token'],
      ['token', 'rotate'],
      ['tokens'],
      ['token', 'create'],
      ['token', 'create', '--endpoint', EP, '--bogus'],
      ['token', 'revoke'],
    ]) {
      const r = await endpoint(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.ok(r.err.includes(ENDPOINT_USAGE), argv.join(' '));
    }
    for (const argv of [['help'], ['--help'], ['token', 'help']]) {
      const r = await endpoint(...argv);
      assert.equal(r.code, 0, argv.join(' '));
      assert.ok(r.out.includes(ENDPOINT_USAGE));
    }
  });
});
