/** raml/endpoint.raml describes the business-application API exactly: each answer of a running hub has a declared status and body type. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../src/app/hub.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { createToken } from '../../src/endpoint/tokens.js';
import { eventually } from '../support/backends.js';
import { loadRaml } from '../support/raml-contract.js';
import { AGR_CODE, DSO_CODE, dropNetworkSchema, provisionNetwork, type TestNetwork } from '../support/transport-network.js';

describe('raml/endpoint.raml', () => {
  const contract = loadRaml('endpoint.raml');
  let net: TestNetwork;
  let hub: Hub;
  let agr: string;
  let dso: string;
  const checked = new Set<string>();

  /** Calls the hub and checks the answer against the operation declared for `ramlPath`. */
  const call = async (ramlPath: string, method: string, url: string, token: string | undefined, body?: unknown) => {
    const op = contract.operations.find((o) => o.path === ramlPath && o.method === method);
    assert.ok(op, `${method} ${ramlPath} is declared`);
    const res = await fetch(`${hub.url}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    assert.ok(op.responses.has(res.status), `status ${res.status} is not declared for ${method} ${ramlPath}: ${JSON.stringify(json)}`);
    const type = op.responses.get(res.status);
    assert.ok(type, `no body type declared for ${res.status}`);
    assert.deepEqual(contract.check(type, json), [], `${method} ${ramlPath} ${res.status} body matches ${type}: ${JSON.stringify(json)}`);
    checked.add(`${method} ${ramlPath} ${res.status}`);
    return { status: res.status, body: json };
  };

  before(async () => {
    net = await provisionNetwork();
    hub = await startHub(loadConfig(net.env), createLogger('silent'));
    agr = (await createToken(hub.db, AGR_CODE, 'raml')).token;
    dso = (await createToken(hub.db, DSO_CODE, 'raml')).token;
  });
  after(async () => {
    await hub?.stop();
    await dropNetworkSchema(net);
  });

  it('parses without errors and declares the five operations', () => {
    assert.deepEqual(contract.errors, []);
    assert.deepEqual(contract.operations.map((o) => `${o.method} ${o.path}`).sort(), [
      'GET /api/v1/endpoints/{code}/inbox',
      'GET /api/v1/endpoints/{code}/messages/{messageId}',
      'POST /api/v1/endpoints/{code}/connectivity-test',
      'POST /api/v1/endpoints/{code}/inbox/confirm',
      'POST /api/v1/endpoints/{code}/messages',
    ]);
  });

  it('every operation answers as declared, successes and errors', async () => {
    const send = '/api/v1/endpoints/{code}/messages';
    const sent = await call(send, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, agr, {
      receiverCode: DSO_CODE,
      businessType: 'A67',
      content: Buffer.from('<doc/>').toString('base64'),
      baMessageId: 'b-1',
    });
    assert.equal(sent.status, 201);
    const id = sent.body.messageId as string;
    assert.equal((await call(send, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, agr, { receiverCode: 'x' })).status, 400);
    assert.equal((await call(send, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, undefined, {})).status, 401);
    assert.equal((await call(send, 'POST', `/api/v1/endpoints/${DSO_CODE}/messages`, agr, {})).status, 403);
    assert.equal(
      (
        await call(send, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, agr, {
          receiverCode: '10V1001C--00099I',
          businessType: 'A67',
          content: 'aGk=',
        })
      ).status,
      422,
    );

    const inbox = '/api/v1/endpoints/{code}/inbox';
    const page = await call(inbox, 'GET', `/api/v1/endpoints/${DSO_CODE}/inbox?wait=10`, dso);
    assert.equal((page.body.messages as unknown[]).length, 1);
    assert.equal((await call(inbox, 'GET', `/api/v1/endpoints/${DSO_CODE}/inbox?limit=0`, dso)).status, 400);

    const confirm = '/api/v1/endpoints/{code}/inbox/confirm';
    assert.equal((await call(confirm, 'POST', `/api/v1/endpoints/${DSO_CODE}/inbox/confirm`, dso, { messageIds: [id] })).status, 200);
    assert.equal((await call(confirm, 'POST', `/api/v1/endpoints/${DSO_CODE}/inbox/confirm`, dso, { messageIds: 'x' })).status, 400);

    const status = '/api/v1/endpoints/{code}/messages/{messageId}';
    await eventually(
      async () => (await call(status, 'GET', `/api/v1/endpoints/${AGR_CODE}/messages/${id}`, agr)).body.state === 'RECEIVED',
      'RECEIVED',
    );
    assert.equal(
      (await call(status, 'GET', `/api/v1/endpoints/${AGR_CODE}/messages/00000000-0000-4000-8000-000000000000`, agr)).status,
      404,
    );

    const ping = '/api/v1/endpoints/{code}/connectivity-test';
    const test = await call(ping, 'POST', `/api/v1/endpoints/${AGR_CODE}/connectivity-test`, agr, {
      receiverCode: DSO_CODE,
      timeoutSeconds: 10,
    });
    assert.equal(test.body.reachable, true);
    assert.equal((await call(ping, 'POST', `/api/v1/endpoints/${AGR_CODE}/connectivity-test`, agr, { timeoutSeconds: 99 })).status, 400);
    assert.ok(checked.size >= 13);
  });

  it('would notice a body that breaks the contract', () => {
    assert.notDeepEqual(contract.check('SendResult', { messageId: 'm', state: 'SENT' }), []);
  });
});
