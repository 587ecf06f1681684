/**
 * The transport end to end in one hub (all roles), over loopback HTTPS with mutual TLS: an
 * endpoint's business application sends, the broker relays, the receiving endpoint verifies,
 * stores and acknowledges; DELIVERED and RECEIVED come back to the sender with the trace.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../../src/app/hub.js';
import { createLogger } from '../../../src/app/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import { createToken } from '../../../src/endpoint/tokens.js';
import { eventually, queueName, storageName } from '../../support/backends.js';
import { AGR_CODE, BRP_CODE, DSO_CODE, dropNetworkSchema, provisionNetwork, type TestNetwork } from '../../support/transport-network.js';

describe(`transport end to end (${storageName}, ${queueName})`, () => {
  let net: TestNetwork;
  let hub: Hub;
  let agrToken: string;
  let dsoToken: string;

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${hub.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    net = await provisionNetwork({ endpoints: [AGR_CODE, DSO_CODE, BRP_CODE] });
    hub = await startHub(loadConfig(net.env), createLogger('silent'));
    assert.ok(hub.transport?.endpoints, 'the transport runs with hosted endpoints');
    agrToken = (await createToken(hub.db, AGR_CODE, 'agr app')).token;
    dsoToken = (await createToken(hub.db, DSO_CODE, 'dso app')).token;
  });
  after(async () => {
    await hub?.stop();
    await dropNetworkSchema(net);
  });

  it('carries a message ACCEPTED → TRANSPORTED → DELIVERED → RECEIVED, content intact, acknowledged back', async () => {
    const content = randomBytes(3000);
    const sent = await api(agrToken, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, {
      receiverCode: DSO_CODE,
      businessType: 'A67',
      content: content.toString('base64'),
      baMessageId: 'schedule-1',
      conversationId: 'conv-1',
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.state, 'ACCEPTED');
    const id = sent.body.messageId as string;

    const got = await api(dsoToken, 'GET', `/api/v1/endpoints/${DSO_CODE}/inbox?wait=10`);
    assert.equal(got.status, 200);
    const messages = got.body.messages as Array<Record<string, string>>;
    assert.equal(messages.length, 1);
    const m = messages[0] as Record<string, string>;
    assert.equal(m.messageId, id);
    assert.equal(m.senderCode, AGR_CODE);
    assert.equal(m.baMessageId, 'schedule-1');
    assert.deepEqual(Buffer.from(m.content as string, 'base64'), content);

    await eventually(
      async () => (await api(agrToken, 'GET', `/api/v1/endpoints/${AGR_CODE}/messages/${id}`)).body.state === 'DELIVERED',
      'DELIVERED',
    );
    const confirmed = await api(dsoToken, 'POST', `/api/v1/endpoints/${DSO_CODE}/inbox/confirm`, { messageIds: [id] });
    assert.deepEqual(confirmed.body, { confirmed: [id], alreadyConfirmed: [], unknown: [] });
    await eventually(
      async () => (await api(agrToken, 'GET', `/api/v1/endpoints/${AGR_CODE}/messages/${id}`)).body.state === 'RECEIVED',
      'RECEIVED',
    );
    const status = (await api(agrToken, 'GET', `/api/v1/endpoints/${AGR_CODE}/messages/${id}`)).body;
    assert.deepEqual(
      (status.trace as Array<{ state: string }>).map((t) => t.state),
      ['ACCEPTED', 'TRANSPORTED', 'DELIVERED', 'RECEIVED'],
    );
    // once confirmed it is not handed out again; confirming twice is harmless
    assert.deepEqual((await api(dsoToken, 'GET', `/api/v1/endpoints/${DSO_CODE}/inbox`)).body.messages, []);
    assert.deepEqual((await api(dsoToken, 'POST', `/api/v1/endpoints/${DSO_CODE}/inbox/confirm`, { messageIds: [id] })).body, {
      confirmed: [],
      alreadyConfirmed: [id],
      unknown: [],
    });
    // every state change is in the audit log, at the component that saw it
    const { rows } = await hub.db.query<{ actor: string; action: string }>(
      'select actor, action from audit_event where subject = $1 union all select actor, action from audit_log where subject = $1',
      [id],
    );
    const seen = rows.map((r) => `${r.actor} ${r.action}`).sort();
    for (const want of [
      `${AGR_CODE} message.state.accepted`,
      `${AGR_CODE} message.state.transported`,
      `${AGR_CODE} message.state.delivered`,
      `${AGR_CODE} message.state.received`,
      `${DSO_CODE} message.state.delivered`,
      `${DSO_CODE} message.state.received`,
      `10V1001C--000470 broker.message.queued`,
      `10V1001C--000470 broker.message.forwarded`,
    ])
      assert.ok(seen.includes(want), `audit has ${want}: ${seen.join(', ')}`);
  });

  it('ends a long poll whose client went away, without taking the message that arrives next', async () => {
    const brpToken = (await createToken(hub.db, BRP_CODE, 'brp app')).token;
    const gone = new AbortController();
    const poll = fetch(`${hub.url}/api/v1/endpoints/${BRP_CODE}/inbox?wait=30`, {
      headers: { authorization: `Bearer ${brpToken}` },
      signal: gone.signal,
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    gone.abort();
    await poll;
    await new Promise((r) => setTimeout(r, 200));
    const sent = await api(agrToken, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, {
      receiverCode: BRP_CODE,
      businessType: 'A67',
      content: Buffer.from('after the poll went away').toString('base64'),
    });
    assert.equal(sent.status, 201);
    // the abandoned poll would otherwise have taken it under a 30 s visibility lease
    let got: Array<Record<string, string>> = [];
    await eventually(
      async () => {
        got = (await api(brpToken, 'GET', `/api/v1/endpoints/${BRP_CODE}/inbox`)).body.messages as Array<Record<string, string>>;
        return got.length > 0;
      },
      'the next receive gets the message',
      10_000,
    );
    assert.deepEqual(
      got.map((m) => m.messageId),
      [sent.body.messageId],
    );
    await api(brpToken, 'POST', `/api/v1/endpoints/${BRP_CODE}/inbox/confirm`, { messageIds: [sent.body.messageId] });
  });

  it('scopes the API to the token’s endpoint', async () => {
    const other = await api(agrToken, 'GET', `/api/v1/endpoints/${DSO_CODE}/inbox`);
    assert.equal(other.status, 403);
    assert.equal((other.body.error as { code: string }).code, 'AUTH_FORBIDDEN');
    const none = await fetch(`${hub.url}/api/v1/endpoints/${DSO_CODE}/inbox`);
    assert.equal(none.status, 401);
    const bad = await api('tpsk_' + 'x'.repeat(43), 'GET', `/api/v1/endpoints/${DSO_CODE}/inbox`);
    assert.equal(bad.status, 401);
    // a sender cannot read another endpoint's message status
    const sent = await api(agrToken, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, {
      receiverCode: DSO_CODE,
      businessType: 'A67',
      content: 'aGk=',
    });
    const peek = await api(dsoToken, 'GET', `/api/v1/endpoints/${DSO_CODE}/messages/${String(sent.body.messageId)}`);
    assert.equal(peek.status, 404);
  });

  it('refuses bad sends with precise errors and stores nothing', async () => {
    const before = (await hub.db.query<{ n: string }>('select count(*) as n from endpoint_messages')).rows[0]?.n;
    const cases: Array<[unknown, number, string]> = [
      [{ receiverCode: 'nonsense', businessType: 'A67', content: 'aGk=' }, 400, 'TRANSPORT_INPUT_INVALID'],
      [{ receiverCode: DSO_CODE, businessType: 'A67', content: '%%%' }, 400, 'TRANSPORT_INPUT_INVALID'],
      [{ receiverCode: DSO_CODE, businessType: 'A67', content: 'aGk-' }, 400, 'TRANSPORT_INPUT_INVALID'],
      [{ receiverCode: DSO_CODE, businessType: 'A67', content: 'aG=k' }, 400, 'TRANSPORT_INPUT_INVALID'],
      [{ receiverCode: DSO_CODE, businessType: 'tps-hub.ack', content: 'aGk=' }, 400, 'TRANSPORT_INPUT_INVALID'],
      [{ receiverCode: DSO_CODE, businessType: 'A67', content: 'aGk=', expiresAt: '2020-01-01T00:00:00Z' }, 400, 'TRANSPORT_INPUT_INVALID'],
      [{ receiverCode: DSO_CODE, businessType: 'A67', content: 'aGk=', colour: 'blue' }, 400, 'TRANSPORT_INPUT_INVALID'],
      [{ receiverCode: '10V1001C--00099I', businessType: 'A67', content: 'aGk=' }, 422, 'TRANSPORT_NO_ROUTE'],
    ];
    for (const [body, status, code] of cases) {
      const r = await api(agrToken, 'POST', `/api/v1/endpoints/${AGR_CODE}/messages`, body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal((r.body.error as { code: string }).code, code, JSON.stringify(r.body));
    }
    // bodies refused before they are read as a send: broken JSON, a bare value, too large, another charset
    const raw = async (body: string | Buffer, contentType = 'application/json') => {
      const res = await fetch(`${hub.url}/api/v1/endpoints/${AGR_CODE}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agrToken}`, 'content-type': contentType },
        body,
      });
      return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
    };
    assert.deepEqual(await raw('{"receiverCode": '), { status: 400, code: 'HTTP_ENTITY_PARSE_FAILED' });
    assert.deepEqual(await raw('42'), { status: 400, code: 'HTTP_ENTITY_PARSE_FAILED' });
    assert.deepEqual(await raw(Buffer.alloc(Math.ceil(loadConfig(net.env).transport.maxContentBytes * 1.34) + 128 * 1024, 0x20)), {
      status: 413,
      code: 'HTTP_ENTITY_TOO_LARGE',
    });
    assert.deepEqual(await raw('{}', 'application/json; charset=utf-16'), { status: 415, code: 'HTTP_CHARSET_UNSUPPORTED' });
    // no JSON content type: no body at all, so every field is missing
    assert.deepEqual(await raw('{}', 'text/plain'), { status: 400, code: 'TRANSPORT_INPUT_INVALID' });
    const afterCount = (await hub.db.query<{ n: string }>('select count(*) as n from endpoint_messages')).rows[0]?.n;
    assert.equal(afterCount, before);
    assert.equal((await api(agrToken, 'GET', `/api/v1/endpoints/${AGR_CODE}/messages/${randomUUID()}`)).status, 404, 'still serving');
  });

  it('answers a connectivity test end to end', async () => {
    const r = await api(agrToken, 'POST', `/api/v1/endpoints/${AGR_CODE}/connectivity-test`, {
      receiverCode: BRP_CODE,
      timeoutSeconds: 10,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.reachable, true, JSON.stringify(r.body));
    assert.equal(r.body.state, 'RECEIVED');
    // the test message is not handed to the receiving application
    const brpToken = (await createToken(hub.db, BRP_CODE, 'brp')).token;
    assert.deepEqual((await api(brpToken, 'GET', `/api/v1/endpoints/${BRP_CODE}/inbox`)).body.messages, []);
  });
});
