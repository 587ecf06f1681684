/** raml/health.raml describes the health interface exactly: every operation answers as declared. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../src/app/hub.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { loadRaml } from '../support/raml-contract.js';

describe('raml/health.raml', () => {
  const contract = loadRaml('health.raml');
  let hub: Hub;
  before(async () => {
    hub = await startHub(
      loadConfig({ PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'raml-')), LOG_LEVEL: 'silent' }),
      createLogger('silent'),
    );
  });
  after(() => hub.stop());

  it('parses without errors', () => {
    assert.deepEqual(contract.errors, []);
    assert.ok(contract.operations.length >= 3);
  });

  it('declares the health operations', () => {
    assert.deepEqual(contract.operations.map((o) => `${o.method} ${o.path}`).sort(), [
      'GET /health',
      'GET /health/live',
      'GET /health/ready',
    ]);
  });

  for (const path of ['/health', '/health/live', '/health/ready']) {
    it(`GET ${path} answers with a declared status and a body of the declared type`, async () => {
      const op = contract.operations.find((o) => o.path === path && o.method === 'GET');
      assert.ok(op);
      const res = await fetch(`${hub.url}${path}`);
      assert.ok(op.responses.has(res.status), `status ${res.status} is not declared for GET ${path}`);
      const type = op.responses.get(res.status);
      assert.ok(type, `no body type declared for ${res.status}`);
      assert.deepEqual(contract.check(type, await res.json()), []);
    });
  }

  it('would notice a body that breaks the contract', () => {
    assert.notDeepEqual(contract.check('HealthReport', { status: 'fine', version: 1 }), []);
  });
});
