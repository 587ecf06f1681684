/**
 * `tps-hub directory …` and `tps-hub certs …` through their command modules, on the environment's
 * database, with DATA_DIR in a temporary folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { readCertificate } from '../../../src/crypto/certificate-info.js';
import { readPrivateKey } from '../../../src/crypto/keys.js';
import {
  runCertsCommand,
  runDirectoryCommand,
  splitConfigOption,
  type DirectoryCommandDeps,
} from '../../../src/directory/directory-command.js';
import { verifyDirectoryDocument } from '../../../src/directory/document.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import { repoRoot } from '../../support/paths.js';
import { openTestDatabase, storageName, type TestDatabase } from '../../support/backends.js';

const DIRECTORY = '10V1001C--000438';
const EP = '10V1001C--000446';
const BROKER = '10V1001C--000470';
const ORG = '10X1001A1001A450';

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

describe(`directory and certs CLI on ${storageName}`, () => {
  let db: TestDatabase;
  let dataDir: string;
  let deps: DirectoryCommandDeps;
  const directory = async (...argv: string[]) => {
    const s = io();
    const code = await runDirectoryCommand(argv, s.io, deps);
    return { code, out: s.out, err: s.err };
  };
  const certs = async (...argv: string[]) => {
    const s = io();
    const code = await runCertsCommand(argv, s.io, deps);
    return { code, out: s.out, err: s.err };
  };

  before(async () => {
    db = await openTestDatabase();
    await migrate(db);
    dataDir = mkdtempSync(join(tmpdir(), 'tps-cli-'));
    deps = { dataDir, openDatabase: async () => ({ db, close: async () => undefined }) };
  });
  after(async () => {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the CA once, with a 0600 key', async () => {
    const r = await certs('init-ca', '--code', DIRECTORY, '--org', 'Grid Hub');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /created the directory CA 10V1001C--000438/);
    assert.equal(statSync(join(dataDir, 'keys', 'ca', 'ca.key')).mode & 0o777, 0o600);
    const again = await certs('init-ca', '--code', DIRECTORY, '--org', 'Grid Hub');
    assert.equal(again.code, 1);
    assert.match(again.err, /KEY_UNREADABLE: a CA already exists/);
    const bad = await certs('init-ca', '--code', '10V1001C--000439', '--org', 'x');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /DIRECTORY_INPUT_INVALID: --code 10V1001C--000439: check character is 9, expected 8/);
  });

  it('registers components and lists them', async () => {
    const r = await directory(
      'register',
      '--code',
      EP,
      '--type',
      'endpoint',
      '--org',
      'Aggregator',
      '--org-code',
      ORG,
      '--roles',
      'A52,A08',
      '--url',
      'https://ep.example.net:8443',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /registered 10V1001C--000446 {2}ENDPOINT .* A52,A08/);
    assert.equal(
      (
        await directory(
          'register',
          '--code',
          BROKER,
          '--type',
          'broker',
          '--org',
          'Broker',
          '--org-code',
          ORG,
          '--url',
          'amqps://broker:5671',
        )
      ).code,
      0,
    );
    const twice = await directory(
      'register',
      '--code',
      EP,
      '--type',
      'endpoint',
      '--org',
      'Aggregator',
      '--org-code',
      ORG,
      '--roles',
      'A52',
    );
    assert.equal(twice.code, 1);
    assert.match(twice.err, /DIRECTORY_COMPONENT_EXISTS/);
    const bad = await directory(
      'register',
      '--code',
      '10V1001C--000447',
      '--type',
      'endpoint',
      '--org',
      'x',
      '--org-code',
      ORG,
      '--roles',
      'A52,XX',
    );
    assert.equal(bad.code, 1);
    assert.match(bad.err, /code: check character is 7, expected 6/);
    assert.match(bad.err, /marketRoles\[1\]: "XX" is not a RoleTypeList code/);
    const usage = await directory('register', '--code', EP);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--type is required/);
    const list = await directory('list');
    assert.match(list.out, /10V1001C--000446 {2}ENDPOINT/);
    assert.match(list.out, /10V1001C--000470 {2}BROKER/);
    const json = JSON.parse((await directory('list', '--json')).out) as { code: string }[];
    assert.deepEqual(
      json.map((c) => c.code),
      [EP, BROKER],
    );
  });

  it('issues the three certificates with private keys 0600 outside the repository', async () => {
    const out = join(dataDir, 'endpoint');
    for (const usage of ['authentication', 'signing', 'encryption']) {
      const r = await certs('issue', '--component', EP, '--usage', usage, '--out', out);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`issued ${usage} certificate [0-9A-F]{32} for ${EP}`));
      assert.match(r.out, new RegExp(`certificate  ${join(out, `${usage}.crt`).replaceAll('/', '\\/')}`));
      assert.equal(statSync(join(out, `${usage}.key`)).mode & 0o777, 0o600);
      assert.ok(readPrivateKey(join(out, `${usage}.key`)));
      assert.equal(readCertificate(readFileSync(join(out, `${usage}.crt`), 'utf8')).usage, usage);
    }
    assert.ok(existsSync(join(out, 'ca.crt')));
    const again = await certs('issue', '--component', EP, '--usage', 'signing', '--out', out);
    assert.equal(again.code, 1);
    assert.match(again.err, /never overwritten/);
    const list = await directory('list');
    assert.match(list.out, /authentication {2}[0-9A-F]{32} {2}valid/);
  });

  it('refuses to write keys into the source tree (but allows its data/ folder)', async () => {
    const r = await certs('issue', '--component', EP, '--usage', 'signing', '--out', join(repoRoot, 'certs'));
    assert.equal(r.code, 2);
    assert.match(r.err, /refusing to write private keys into .*inside the source tree/);
    assert.equal(existsSync(join(repoRoot, 'certs', 'signing.key')), false);
    const unknownUsage = await certs('issue', '--component', EP, '--usage', 'stamping');
    assert.equal(unknownUsage.code, 1);
    assert.match(unknownUsage.err, /usage must be one of authentication, signing, encryption/);
    const unknownComponent = await certs('issue', '--component', '10V1001C--00049X', '--usage', 'signing', '--out', join(dataDir, 'x'));
    assert.equal(unknownComponent.code, 1);
    assert.match(unknownComponent.err, /DIRECTORY_COMPONENT_UNKNOWN/);
    assert.equal(existsSync(join(dataDir, 'x', 'signing.key')), false, 'no certificate, no key left behind');
  });

  it('renews: the old files keep their key under the old serial', async () => {
    const out = join(dataDir, 'endpoint');
    const old = readCertificate(readFileSync(join(out, 'signing.crt'), 'utf8'));
    const r = await certs('renew', '--serial', old.serial, '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`replaces     ${old.serial}`));
    assert.ok(existsSync(join(out, `signing-${old.serial}.key`)));
    assert.notEqual(readCertificate(readFileSync(join(out, 'signing.crt'), 'utf8')).serial, old.serial);
  });

  it('sets and lists message paths, routes, revokes, publishes and prints the document', async () => {
    const set = await directory('path', 'set', '--receiver', EP, '--message-type', '*', '--senders', '*', '--broker', BROKER);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /receives any message type from any sender via broker 10V1001C--000470/);
    const both = await directory(
      'path',
      'set',
      '--receiver',
      EP,
      '--message-type',
      'A01',
      '--senders',
      '*',
      '--direct',
      '--broker',
      BROKER,
    );
    assert.equal(both.code, 2);
    const list = await directory('path', 'list', '--receiver', EP);
    assert.match(list.out, /via broker/);
    const route = await directory('route', '--sender', EP, '--receiver', EP, '--message-type', 'A01');
    assert.match(route.out, /via broker 10V1001C--000470/);
    const noRoute = await directory('route', '--sender', EP, '--receiver', BROKER, '--message-type', 'A01');
    assert.equal(noRoute.code, 1);
    assert.match(noRoute.out, /RECEIVER_NOT_ENDPOINT/);

    const serial = readCertificate(readFileSync(join(dataDir, 'endpoint', 'authentication.crt'), 'utf8')).serial;
    const revoke = await directory('revoke', '--serial', serial, '--reason', 'keyCompromise');
    assert.equal(revoke.code, 0, revoke.err);
    assert.match(revoke.out, new RegExp(`revoked ${serial} \\(${EP} authentication\\)`));
    const badReason = await directory('revoke', '--serial', serial, '--reason', 'whatever');
    assert.equal(badReason.code, 1);
    const unknown = await directory('revoke', '--serial', '4ABCDEF', '--reason', 'keyCompromise');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /CERT_UNKNOWN/);

    const pub = await directory('publish', '--ttl-days', '7');
    assert.equal(pub.code, 0, pub.err);
    assert.match(pub.out, /published directory document \d+/);
    const doc = await directory('document');
    const verified = await verifyDirectoryDocument(doc.out.trim(), readFileSync(join(dataDir, 'keys', 'ca', 'ca.crt'), 'utf8'));
    assert.equal(verified.body.ttlMs, 7 * 86_400_000);
    assert.ok(verified.body.revoked.some((r) => r.serial === serial));
  });

  it('explains usage errors with exit status 2', async () => {
    assert.equal((await directory()).code, 2);
    assert.equal((await directory('frobnicate')).code, 2);
    const r = await directory('list', '--colour');
    assert.equal(r.code, 2);
    assert.match(r.err, /Unknown option '--colour'/);
    assert.equal((await certs('issue', '--usage', 'signing')).code, 2);
  });

  it('splits --config off for cli.ts', () => {
    assert.deepEqual(splitConfigOption(['list', '--config', 'a.json', '--json']), { configFile: 'a.json', rest: ['list', '--json'] });
    assert.deepEqual(splitConfigOption(['list', '--config=b.json']), { configFile: 'b.json', rest: ['list'] });
    assert.deepEqual(splitConfigOption(['list']), { rest: ['list'] });
  });
});
