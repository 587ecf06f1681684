import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  validateComponentInput,
  validateComponentPatch,
  validateMessagePathInput,
  validateRevocationReason,
  type Component,
} from '../../../src/directory/model.js';
import { isHubError } from '../../../src/shared/errors.js';

const good = {
  code: '10V1001C--000446',
  type: 'ENDPOINT',
  organisation: 'Aggregator A/S',
  organisationCode: '10X1001A1001A450',
  marketRoles: ['A52', 'A08'],
  urls: ['https://ep.example.net:8443', 'amqps://broker.example.net:5671'],
  contact: { person: 'Ops', email: 'ops@example.net', phone: '+45 12 34 56 78' },
};

function problems(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (e) {
    assert.ok(isHubError(e, 'DIRECTORY_INPUT_INVALID'), String(e));
    return Object.fromEntries((e.details?.problems as { path: string; message: string }[]).map((p) => [p.path, p.message]));
  }
  assert.fail('expected DIRECTORY_INPUT_INVALID');
}

describe('directory model validation', () => {
  it('accepts a complete endpoint', () => {
    assert.equal(validateComponentInput(good).code, good.code);
    assert.equal(validateComponentInput({ ...good, type: 'BROKER', marketRoles: [] }).type, 'BROKER');
  });

  it('reports every problem at once, with field paths', () => {
    const p = problems(() =>
      validateComponentInput({
        code: '10V1001C--000447',
        type: 'GATEWAY',
        organisation: '',
        organisationCode: '10V1001C--000438',
        marketRoles: ['A52', 'Z99', 'A52'],
        urls: ['ftp://x', 'not a url', 'https://user:pw@x.example'],
        contact: { email: 'nope', fax: '1' },
        colour: 'blue',
      }),
    );
    assert.match(p.code ?? '', /check character is 7, expected 6/);
    assert.match(p.type ?? '', /one of ENDPOINT, BROKER, COMPONENT_DIRECTORY/);
    assert.match(p.organisation ?? '', /required/);
    assert.match(p.organisationCode ?? '', /X-code/);
    assert.match(p['marketRoles[1]'] ?? '', /"Z99" is not a RoleTypeList code/);
    assert.match(p['marketRoles[2]'] ?? '', /listed twice/);
    assert.match(p['urls[0]'] ?? '', /https:\/\/ or amqps:\/\//);
    assert.match(p['urls[1]'] ?? '', /not a URL/);
    assert.match(p['urls[2]'] ?? '', /credentials/);
    assert.match(p['contact.email'] ?? '', /e-mail/);
    assert.match(p['contact.fax'] ?? '', /not a contact field/);
    assert.match(p.colour ?? '', /not a known field/);
  });

  it('requires a market role for endpoints only', () => {
    assert.match(problems(() => validateComponentInput({ ...good, marketRoles: [] })).marketRoles ?? '', /at least one market role/);
    const noRoles = Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'marketRoles'));
    assert.match(problems(() => validateComponentInput(noRoles)).marketRoles ?? '', /at least one market role/);
  });

  it('validates patches against the current component', () => {
    const current = { ...good, marketRoles: ['A52'], status: 'ACTIVE', createdAt: '', updatedAt: '' } as unknown as Component;
    assert.deepEqual(validateComponentPatch({ urls: [] }, current), { urls: [] });
    assert.match(problems(() => validateComponentPatch({ code: '10V1001C--000438' }, current)).code ?? '', /cannot be changed/);
    assert.match(problems(() => validateComponentPatch({ marketRoles: [] }, current)).marketRoles ?? '', /at least one/);
    const broker = { ...current, type: 'BROKER', marketRoles: [] } as unknown as Component;
    assert.match(problems(() => validateComponentPatch({ type: 'ENDPOINT' }, broker)).marketRoles ?? '', /at least one/);
    assert.match(problems(() => validateComponentPatch({ status: 'GONE' }, current)).status ?? '', /ACTIVE, SUSPENDED/);
  });

  it('validates message paths', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const ok = validateMessagePathInput(
      { receiverCode: good.code, messageType: 'A01', senders: ['10V1001C--000446', '10V1001C--000438'], path: 'DIRECT' },
      now,
    );
    assert.equal(ok.validFrom, '2026-01-01T00:00:00.000Z');
    const p = problems(() =>
      validateMessagePathInput(
        {
          receiverCode: '10X1001A1001A450',
          messageType: 'A 01',
          senders: [],
          path: { broker: 'x' },
          validFrom: '2026-02-01T00:00:00Z',
          validTo: '2026-01-01T00:00:00Z',
        },
        now,
      ),
    );
    assert.match(p.receiverCode ?? '', /V-code/);
    assert.match(p.messageType ?? '', /message type/);
    assert.match(p.senders ?? '', /'\*' or a non-empty list/);
    assert.match(p['path.broker'] ?? '', /16 characters/);
    assert.match(p.validTo ?? '', /after validFrom/);
    const dup = problems(() =>
      validateMessagePathInput(
        { receiverCode: good.code, messageType: '*', senders: ['10V1001C--000438', '10V1001C--000438'], path: 'DIRECT' },
        now,
      ),
    );
    assert.match(dup['senders[1]'] ?? '', /listed twice/);
    assert.equal(validateMessagePathInput({ receiverCode: good.code, messageType: '*', senders: '*', path: 'DIRECT' }, now).senders, '*');
  });

  it('knows the RFC 5280 revocation reasons', () => {
    assert.equal(validateRevocationReason('keyCompromise'), 'keyCompromise');
    assert.throws(
      () => validateRevocationReason('bored'),
      (e) => isHubError(e, 'DIRECTORY_INPUT_INVALID') && /keyCompromise/.test(e.message),
    );
  });
});
