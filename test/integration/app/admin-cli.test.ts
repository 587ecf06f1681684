/**
 * The administrative CLI as an operator uses it (`certs/dev-keys.sh`): CA, component, message
 * path, three certificates, a published directory document — each change recorded and sealed
 * in the audit log, and no private key readable by others.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectPath } from '../../../src/shared/paths.js';
import { runCli } from '../../support/hub-process.js';

describe('administration from the command line', () => {
  it('creates a development set with certs/dev-keys.sh and audits every change', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'devkeys-')), 'set');
    const r = spawnSync('bash', [projectPath('certs', 'dev-keys.sh'), out], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' },
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const endpoint = '10V-TPS-HUB-EP1G';
    for (const usage of ['authentication', 'signing', 'encryption']) {
      assert.match(readFileSync(join(out, endpoint, `${usage}.crt`), 'utf8'), /BEGIN CERTIFICATE/);
      assert.equal(statSync(join(out, endpoint, `${usage}.key`)).mode & 0o077, 0, `${usage}.key is private`);
    }
    assert.match(readFileSync(join(out, 'directory.jws'), 'utf8'), /^[\w-]+\.[\w-]+\.[\w-]+\s*$/);

    const env = { DATA_DIR: out, DATABASE_URL: '' };
    const list = await runCli(['directory', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${endpoint}\\s+ENDPOINT\\s+ACTIVE`));

    const verify = await runCli(['audit', 'verify', '--json'], env);
    assert.equal(verify.code, 0, verify.stderr);
    assert.ok((JSON.parse(verify.stdout) as { entries: number }).entries >= 5);
    const actions = (await runCli(['audit', 'export'], env)).stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { action: string }).action);
    assert.ok(actions.includes('component.registered'), actions.join(','));
    assert.equal(actions.filter((a) => a === 'certificate.issued').length, 3);
  });

  it('refuses an invalid component code with a clear message and changes nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'admin-'));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    const bad = await runCli(
      [
        'directory',
        'register',
        '--code',
        '10V1001C--00043X',
        '--type',
        'endpoint',
        '--org',
        'x',
        '--org-code',
        '10X1001A1001A450',
        '--roles',
        'A52',
        '--url',
        'https://localhost:8443',
      ],
      env,
    );
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /DIRECTORY_INPUT_INVALID/);
    const list = await runCli(['directory', 'list'], env);
    assert.match(list.stdout, /no components registered/);
  });
});
