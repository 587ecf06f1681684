import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canMove, FAILURE_REASONS, isFinal, MESSAGE_STATES, TRANSITIONS } from '../../../src/transport/states.js';

describe('MADES message states', () => {
  it('walks the happy path ACCEPTED → TRANSPORTED → DELIVERED → RECEIVED', () => {
    assert.ok(canMove('ACCEPTED', 'TRANSPORTED'));
    assert.ok(canMove('TRANSPORTED', 'DELIVERED'));
    assert.ok(canMove('DELIVERED', 'RECEIVED'));
  });

  it('lets a DELIVERED acknowledgement overtake the TRANSPORTED one', () => {
    assert.ok(canMove('ACCEPTED', 'DELIVERED'));
  });

  it('never leaves RECEIVED or FAILED, and never goes back', () => {
    assert.ok(isFinal('RECEIVED') && isFinal('FAILED'));
    assert.equal(canMove('DELIVERED', 'TRANSPORTED'), false);
    assert.equal(canMove('RECEIVED', 'FAILED'), false);
  });

  it('does not fail a message the receiving endpoint already has', () => {
    assert.equal(canMove('DELIVERED', 'FAILED'), false);
  });

  it('only names known states', () => {
    for (const [from, tos] of Object.entries(TRANSITIONS)) {
      assert.ok((MESSAGE_STATES as readonly string[]).includes(from));
      for (const to of tos) assert.ok((MESSAGE_STATES as readonly string[]).includes(to));
    }
    assert.ok(Object.keys(FAILURE_REASONS).includes('expired'));
  });
});
