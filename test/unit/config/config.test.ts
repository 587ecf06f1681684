import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { describeConfig, loadConfig, readConfigFile, SETTINGS } from '../../../src/config/config.js';
import { isHubError } from '../../../src/shared/errors.js';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isHubError(e, 'CONFIG_INVALID'), `expected CONFIG_INVALID, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected a configuration error');
}

describe('configuration', () => {
  it('defaults to the embedded hub on 127.0.0.1:8080 with ./data', () => {
    const c = loadConfig({});
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.redisUrl, undefined);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8080);
    assert.equal(c.dataDir, resolve('./data'));
    assert.equal(c.logLevel, 'info');
    assert.equal(c.xml.maxBytes, 10 * 1024 * 1024);
    assert.equal(c.xml.maxDepth, 64);
    assert.ok(c.roles.includes('api') && c.roles.includes('worker'));
  });

  it('reads every setting from the environment', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HOST: '0.0.0.0',
      PORT: '9090',
      DATA_DIR: '/tmp/x',
      LOG_LEVEL: 'debug',
      XML_MAX_BYTES: '2048',
      XML_MAX_DEPTH: '32',
      ROLES: 'api, worker',
    });
    assert.equal(c.databaseUrl, 'postgres://u:p@127.0.0.1:5432/test');
    assert.equal(c.port, 9090);
    assert.equal(c.xml.maxBytes, 2048);
    assert.deepEqual(c.roles, ['api', 'worker']);
  });

  it('treats an empty variable as absent', () => {
    assert.equal(loadConfig({ DATABASE_URL: '', PORT: '' }).port, 8080);
  });

  it('uses PostgreSQL prepared statements unless DATABASE_PREPARED_STATEMENTS is false', () => {
    assert.equal(loadConfig({}).databasePreparedStatements, true);
    assert.equal(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements, false);
    assert.equal(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'true' }).databasePreparedStatements, true);
  });

  it('lets the environment win over the file', () => {
    assert.equal(loadConfig({ PORT: '7000' }, { PORT: 6000, HOST: '::1' }).port, 7000);
    assert.equal(loadConfig({}, { PORT: 6000, HOST: '::1' }).host, '::1');
  });

  for (const [env, setting] of [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ XML_MAX_BYTES: '-1' }, 'XML_MAX_BYTES'],
    [{ ROLES: 'api,teleport' }, 'ROLES'],
    [{ DATABASE_PREPARED_STATEMENTS: 'yes' }, 'DATABASE_PREPARED_STATEMENTS'],
  ] as const) {
    it(`stops with a message naming ${setting} for ${JSON.stringify(env)}`, () => {
      const msg = configError(() => loadConfig(env));
      assert.match(msg, new RegExp(`${setting}: `));
    });
  }

  it('reports every bad setting at once', () => {
    const msg = configError(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }));
    assert.match(msg, /PORT: /);
    assert.match(msg, /LOG_LEVEL: /);
  });

  it('never shows a password in an error or in the printed configuration', () => {
    const msg = configError(() => loadConfig({ DATABASE_URL: 'postgres://u:secret@host/db', PORT: 'x' }));
    assert.doesNotMatch(msg, /secret/);
    const shown = JSON.stringify(describeConfig(loadConfig({ DATABASE_URL: 'postgres://u:secret@host/db' })));
    assert.doesNotMatch(shown, /secret/);
    assert.match(shown, /\*\*\*/);
  });

  it('rejects a config file with an unknown key, bad JSON or a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'a.json'), '{"PROT": 1}');
    writeFileSync(join(dir, 'b.json'), '{"PORT": ');
    assert.match(
      configError(() => readConfigFile(join(dir, 'a.json'))),
      /unknown setting PROT/,
    );
    assert.match(
      configError(() => readConfigFile(join(dir, 'b.json'))),
      /not valid JSON/,
    );
    assert.match(
      configError(() => readConfigFile(join(dir, 'none.json'))),
      /cannot be read/,
    );
  });

  it('documents every setting', () => {
    for (const [name, s] of Object.entries(SETTINGS)) assert.ok(s.doc.length > 10, `${name} has no documentation`);
  });
});
