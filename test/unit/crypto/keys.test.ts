import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, keyAlgorithmOf, readPrivateKey, writePrivateKey } from '../../../src/crypto/keys.js';
import { isHubError } from '../../../src/shared/errors.js';

describe('key files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tps-keys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the three algorithms', () => {
    assert.equal(keyAlgorithmOf(generateKeyPair('ec-p256').privateKey), 'ec-p256');
    assert.equal(keyAlgorithmOf(generateKeyPair('ed25519').publicKey), 'ed25519');
    assert.equal(keyAlgorithmOf(generateKeyPair('x25519').publicKey), 'x25519');
  });

  it('writes PKCS#8 PEM with mode 0600 into a 0700 folder, whatever the umask, and reads it back', () => {
    const old = process.umask(0o000);
    try {
      const keys = generateKeyPair('ed25519');
      const path = writePrivateKey(join(dir, 'a', 'b'), 'signing.key', keys.privateKey);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'a', 'b')).mode & 0o777, 0o700);
      const back = readPrivateKey(path);
      assert.ok(back.equals(keys.privateKey));
    } finally {
      process.umask(old);
    }
  });

  it('never overwrites a key file', () => {
    const keys = generateKeyPair('x25519');
    writePrivateKey(dir, 'once.key', keys.privateKey);
    assert.throws(
      () => writePrivateKey(dir, 'once.key', keys.privateKey),
      (e) => isHubError(e, 'KEY_UNREADABLE') && /already exists/.test(e.message),
    );
  });

  it('refuses group- or other-readable keys, symbolic links, missing files and non-keys', { skip: process.platform === 'win32' }, () => {
    const keys = generateKeyPair('ec-p256');
    const path = writePrivateKey(dir, 'loose.key', keys.privateKey);
    for (const mode of [0o640, 0o604, 0o644]) {
      chmodSync(path, mode);
      assert.throws(
        () => readPrivateKey(path),
        (e) => isHubError(e, 'KEY_UNREADABLE') && e.message.includes(`mode 0${mode.toString(8)}`) && /chmod 600/.test(e.message),
      );
    }
    chmodSync(path, 0o400);
    assert.ok(readPrivateKey(path));
    const link = join(dir, 'link.key');
    symlinkSync(path, link);
    assert.throws(
      () => readPrivateKey(link),
      (e) => isHubError(e, 'KEY_UNREADABLE') && /symbolic links/.test(e.message),
    );
    assert.throws(
      () => readPrivateKey(join(dir, 'missing.key')),
      (e) => isHubError(e, 'KEY_UNREADABLE'),
    );
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, 'not a key', { mode: 0o600 });
    assert.throws(
      () => readPrivateKey(junk),
      (e) => isHubError(e, 'KEY_UNREADABLE') && /not a PEM private key/.test(e.message),
    );
  });
});
