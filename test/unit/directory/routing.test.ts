import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component, MessagePath } from '../../../src/directory/model.js';
import { matchingPaths, resolveRoute, type RoutingData } from '../../../src/directory/routing.js';

const DSO = '10V1001C--000438';
const AGR = '10V1001C--000446';
const BRP = '10V1001C--000454';
const BROKER = '10V1001C--000462';

const comp = (code: string, type: Component['type'] = 'ENDPOINT', status: Component['status'] = 'ACTIVE'): Component => ({
  code,
  type,
  organisation: code,
  organisationCode: '10X1001A1001A450',
  marketRoles: type === 'ENDPOINT' ? ['A50'] : [],
  urls: [],
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function data(components: Component[], paths: MessagePath[]): RoutingData {
  const byCode = new Map(components.map((c) => [c.code, c]));
  return { component: (c) => byCode.get(c), pathsOf: (r) => paths.filter((p) => p.receiverCode === r) };
}

const path = (id: string, p: Partial<MessagePath>): MessagePath => ({
  id,
  receiverCode: DSO,
  messageType: '*',
  senders: '*',
  path: 'DIRECT',
  validFrom: '2026-01-01T00:00:00.000Z',
  ...p,
});

const at = new Date('2026-06-01T00:00:00Z');
const q = (senderCode: string, messageType = 'A01', when = at) => ({ senderCode, receiverCode: DSO, messageType, at: when });

describe('routing by message paths', () => {
  const components = [comp(DSO), comp(AGR), comp(BRP), comp(BROKER, 'BROKER')];

  it('routes DIRECT or through the broker, most specific path first', () => {
    const paths = [
      path('any', { path: { broker: BROKER } }),
      path('a01-from-agr', { messageType: 'A01', senders: [AGR] }),
      path('a01-anyone', { messageType: 'A01', path: { broker: BROKER } }),
    ];
    const d = data(components, paths);
    assert.deepEqual(resolveRoute(d, q(AGR)), { ok: true, value: { kind: 'DIRECT', receiverCode: DSO, pathId: 'a01-from-agr' } });
    assert.deepEqual(resolveRoute(d, q(BRP)), {
      ok: true,
      value: { kind: 'BROKER', receiverCode: DSO, broker: BROKER, pathId: 'a01-anyone' },
    });
    assert.deepEqual(resolveRoute(d, q(AGR, 'A95')), {
      ok: true,
      value: { kind: 'BROKER', receiverCode: DSO, broker: BROKER, pathId: 'any' },
    });
    assert.deepEqual(
      matchingPaths(paths, q(AGR)).map((p) => p.id),
      ['a01-from-agr', 'a01-anyone', 'any'],
    );
  });

  it('honours validity windows, and a newer declaration replaces an equally specific older one', () => {
    const paths = [
      path('old', { messageType: 'A01', validTo: '2026-05-01T00:00:00.000Z' }),
      path('current', { messageType: 'A01', path: { broker: BROKER }, validFrom: '2026-05-01T00:00:00.000Z' }),
      path('next', { messageType: 'A01', validFrom: '2026-07-01T00:00:00.000Z' }),
    ];
    const d = data(components, paths);
    const route = (when: string) => {
      const r = resolveRoute(d, q(AGR, 'A01', new Date(when)));
      return r.ok ? r.value.pathId : r.error[0]?.code;
    };
    assert.equal(route('2025-12-31T23:59:59Z'), 'NO_MESSAGE_PATH');
    assert.equal(route('2026-04-30T23:59:59Z'), 'old');
    assert.equal(route('2026-05-01T00:00:00Z'), 'current'); // validTo is exclusive
    assert.equal(route('2026-07-01T00:00:00Z'), 'next');
  });

  it('explains each rejection', () => {
    const d = data(
      [...components, comp('10V1001C--000470', 'ENDPOINT', 'SUSPENDED')],
      [path('p', { senders: [AGR], path: { broker: '10V1001C--00048Z' } })],
    );
    const code = (r: ReturnType<typeof resolveRoute>) => (r.ok ? 'ok' : r.error[0]?.code);
    assert.equal(code(resolveRoute(d, { ...q(AGR), receiverCode: '10V1001C--00049X' })), 'RECEIVER_UNKNOWN');
    assert.equal(code(resolveRoute(d, q('10V1001C--00049X'))), 'SENDER_UNKNOWN');
    assert.equal(code(resolveRoute(d, { ...q(AGR), receiverCode: BROKER })), 'RECEIVER_NOT_ENDPOINT');
    assert.equal(code(resolveRoute(d, { ...q(AGR), receiverCode: '10V1001C--000470' })), 'RECEIVER_SUSPENDED');
    assert.equal(code(resolveRoute(d, q(BRP))), 'NO_MESSAGE_PATH');
    assert.equal(code(resolveRoute(d, q(AGR))), 'BROKER_UNKNOWN');
    const text = resolveRoute(d, q(BRP));
    assert.ok(!text.ok);
    assert.match(text.error[0]?.text ?? '', /no message path .*10V1001C--000454 → 10V1001C--000438, message type A01/);
  });
});
