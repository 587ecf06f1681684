import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { auditKeyPath, loadOrCreateAuditKey, publicKeyOfKeyFile, readPublicKey, readPublicKeyFile } from '../../../src/audit/audit-key.js';
import { isHubError } from '../../../src/shared/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'audit-key-'));

describe('audit signing key', () => {
  it('is created on first use: PKCS#8 PEM with mode 0600 in a 0700 directory, public key next to it', () => {
    const path = auditKeyPath(tmp());
    const key = loadOrCreateAuditKey(path);
    assert.equal(key.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
    assert.match(readFileSync(path, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(key.publicKeyPath, path.replace(/\.pem$/, '.pub.pem'));
    assert.match(readFileSync(key.publicKeyPath, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
    // key id: first 16 hex digits of SHA-256 of the raw 32-byte public key
    const raw = Buffer.from(key.publicKey.rawBase64, 'base64');
    assert.equal(raw.length, 32);
    assert.equal(key.keyId, createHash('sha256').update(raw).digest('hex').slice(0, 16));
    const data = Buffer.from('checkpoint');
    assert.ok(verify(null, data, key.publicKey.key, key.sign(data)));
  });

  it('is loaded, not replaced, on later starts', () => {
    const path = auditKeyPath(tmp());
    const first = loadOrCreateAuditKey(path);
    const again = loadOrCreateAuditKey(path);
    assert.equal(again.created, false);
    assert.equal(again.keyId, first.keyId);
    assert.equal(publicKeyOfKeyFile(path).keyId, first.keyId);
  });

  it('refuses a key file readable by group or others (KEY_UNREADABLE)', () => {
    for (const mode of [0o640, 0o604, 0o644]) {
      const path = auditKeyPath(tmp());
      loadOrCreateAuditKey(path);
      chmodSync(path, mode);
      assert.throws(
        () => loadOrCreateAuditKey(path),
        (e) => isHubError(e, 'KEY_UNREADABLE') && e.message.includes(`mode 0${mode.toString(8)}`) && e.message.includes('chmod 600'),
      );
    }
  });

  it('refuses a key file that is not an Ed25519 private key', () => {
    const dir = tmp();
    const path = join(dir, 'k.pem');
    writeFileSync(path, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    assert.throws(
      () => loadOrCreateAuditKey(path),
      (e) => isHubError(e, 'KEY_UNREADABLE') && /not an Ed25519/.test(e.message),
    );
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a key', { mode: 0o600 });
    assert.throws(
      () => loadOrCreateAuditKey(junk),
      (e) => isHubError(e, 'KEY_UNREADABLE'),
    );
  });

  it('refuses a public key file that belongs to another key', () => {
    const path = auditKeyPath(tmp());
    const key = loadOrCreateAuditKey(path);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    writeFileSync(key.publicKeyPath, other);
    assert.throws(
      () => loadOrCreateAuditKey(path),
      (e) => isHubError(e, 'AUDIT_KEY_UNAVAILABLE'),
    );
  });

  it('reads published public keys as SPKI PEM or raw base64, and refuses anything else', () => {
    const path = auditKeyPath(tmp());
    const key = loadOrCreateAuditKey(path);
    assert.equal(readPublicKeyFile(key.publicKeyPath).keyId, key.keyId);
    assert.equal(readPublicKey(key.publicKey.rawBase64).keyId, key.keyId);
    assert.equal(readPublicKey(`${key.publicKey.rawBase64}\n`).keyId, key.keyId);
    for (const bad of ['', 'AAAA', Buffer.alloc(33).toString('base64'), '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----']) {
      assert.throws(
        () => readPublicKey(bad),
        (e) => isHubError(e, 'AUDIT_KEY_UNAVAILABLE'),
        JSON.stringify(bad),
      );
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.throws(
      () => readPublicKey(rsa),
      (e) => isHubError(e, 'AUDIT_KEY_UNAVAILABLE'),
    );
    assert.throws(
      () => readPublicKeyFile(join(tmp(), 'absent.pem')),
      (e) => isHubError(e, 'AUDIT_KEY_UNAVAILABLE'),
    );
    assert.ok(existsSync(key.publicKeyPath));
  });
});
