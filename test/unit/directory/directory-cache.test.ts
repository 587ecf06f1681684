import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCertificateAuthority, type CertificateAuthority } from '../../../src/crypto/ca.js';
import { createDirectoryCache, fileCacheStore, memoryCacheStore } from '../../../src/directory/directory-cache.js';
import { DOCUMENT_FORMAT, signDirectoryDocument, type DirectoryDocumentBody } from '../../../src/directory/document.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { HubError, isHubError } from '../../../src/shared/errors.js';

const DIRECTORY = '10V1001C--000438';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-03-01T00:00:00Z');

describe('directory cache (endpoint/broker side)', () => {
  let ca: CertificateAuthority;
  let dir: string;
  before(async () => {
    ca = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Directory', now: new Date('2026-01-01T00:00:00Z') });
    dir = mkdtempSync(join(tmpdir(), 'tps-cache-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const doc = async (contentId: number, issuedAt: Date, ttlMs = 28 * DAY) => {
    const body: DirectoryDocumentBody = {
      format: DOCUMENT_FORMAT,
      contentId,
      issuedAt: issuedAt.toISOString(),
      ttlMs,
      directoryCode: DIRECTORY,
      components: [],
      certificates: [],
      revoked: [],
      messagePaths: [],
    };
    return (await signDirectoryDocument(body, ca)).jws;
  };

  /** A directory that can be switched off, serving whatever document it was last given. */
  function fakeDirectory(initial: string) {
    let current = initial;
    let up = true;
    let calls = 0;
    return {
      fetch: async () => {
        calls += 1;
        if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:8443');
        return current;
      },
      serve: (jws: string) => {
        current = jws;
      },
      down: () => {
        up = false;
      },
      upAgain: () => {
        up = true;
      },
      get calls() {
        return calls;
      },
    };
  }

  it('works offline on the cached document until its TTL runs out, then DIRECTORY_STALE', async () => {
    const clock = fixedClock(T0);
    const directory = fakeDirectory(await doc(1, T0));
    const store = memoryCacheStore();
    const cache = createDirectoryCache({
      caCertificate: ca.certificatePem,
      fetch: directory.fetch,
      store,
      clock,
      refreshIntervalMs: HOUR,
      retryAfterMs: 60_000,
    });
    assert.equal((await cache.current()).contentId, 1);
    assert.ok(store.saved, 'the verified document is persisted');
    directory.down();
    clock.advance(27 * DAY);
    assert.equal((await cache.current()).contentId, 1, 'still usable on day 27 with the directory down');
    assert.match(cache.status().lastError ?? '', /ECONNREFUSED/);
    assert.equal(cache.status().stale, false);
    clock.advance(DAY - 1);
    assert.equal((await cache.current()).contentId, 1, 'usable until the last millisecond');
    clock.advance(1);
    await assert.rejects(
      cache.current(),
      (e) => isHubError(e, 'DIRECTORY_STALE') && /expired at 2026-03-29T00:00:00\.000Z.*ECONNREFUSED/.test(e.message),
    );
    assert.equal(cache.status().stale, true);
    // the directory comes back with a fresh document: usable again
    directory.upAgain();
    directory.serve(await doc(2, clock.now()));
    clock.advance(60_000);
    assert.equal((await cache.current()).contentId, 2);
  });

  it('refreshes only when the interval has passed, and retries a dead directory at most once per retry period', async () => {
    const clock = fixedClock(T0);
    const directory = fakeDirectory(await doc(1, T0));
    const cache = createDirectoryCache({
      caCertificate: ca.certificate,
      fetch: directory.fetch,
      store: memoryCacheStore(),
      clock,
      refreshIntervalMs: HOUR,
      retryAfterMs: 60_000,
    });
    await cache.current();
    await cache.current();
    clock.advance(HOUR - 1);
    await cache.current();
    assert.equal(directory.calls, 1);
    clock.advance(1);
    assert.equal((await cache.current()).contentId, 1);
    assert.equal(directory.calls, 2, 'asked again after an hour; same JWS = unchanged');
    directory.down();
    clock.advance(HOUR);
    await Promise.all([cache.current(), cache.current(), cache.current()]);
    assert.equal(directory.calls, 3, 'concurrent callers share one refresh');
    clock.advance(30_000);
    await cache.current();
    assert.equal(directory.calls, 3, 'no retry within a minute');
    clock.advance(30_000);
    await cache.current();
    assert.equal(directory.calls, 4);
  });

  it('takes a newer document and refuses one with a lower or equal contentId, keeping the held one', async () => {
    const clock = fixedClock(T0);
    const directory = fakeDirectory(await doc(5, T0));
    const cache = createDirectoryCache({ caCertificate: ca.certificate, fetch: directory.fetch, store: memoryCacheStore(), clock });
    await cache.current();
    directory.serve(await doc(6, T0));
    assert.deepEqual(await cache.refresh(), { status: 'updated', contentId: 6, previousContentId: 5 });
    directory.serve(await doc(4, new Date(T0.getTime() + HOUR)));
    const older = await cache.refresh();
    assert.equal(older.status, 'failed');
    assert.ok(
      older.status === 'failed' &&
        isHubError(older.error, 'DIRECTORY_DOCUMENT_INVALID') &&
        /contentId 4 is not newer than the held 6/.test(older.error.message),
    );
    directory.serve(await doc(6, new Date(T0.getTime() + HOUR))); // same id, different content: a replay or a fork
    assert.equal((await cache.refresh()).status, 'failed');
    assert.equal((await cache.current()).contentId, 6);
    // a document signed by someone else is refused too
    const rogue = await createCertificateAuthority({ code: DIRECTORY, organisation: 'Directory' });
    const body: DirectoryDocumentBody = {
      format: DOCUMENT_FORMAT,
      contentId: 99,
      issuedAt: T0.toISOString(),
      ttlMs: DAY,
      directoryCode: DIRECTORY,
      components: [],
      certificates: [],
      revoked: [],
      messagePaths: [],
    };
    directory.serve((await signDirectoryDocument(body, rogue)).jws);
    const forged = await cache.refresh();
    assert.ok(forged.status === 'failed' && /signature does not verify/.test(forged.error.message));
    assert.equal(cache.status().contentId, 6);
  });

  it('starts from the persisted file when the directory is unreachable, and ignores a tampered file', async () => {
    const path = join(dir, 'directory.jws');
    const clock = fixedClock(T0);
    const directory = fakeDirectory(await doc(3, T0));
    const first = createDirectoryCache({ caCertificate: ca.certificate, fetch: directory.fetch, store: fileCacheStore(path), clock });
    await first.current();
    assert.match(readFileSync(path, 'utf8'), /^ey/);
    // restart with the directory down
    directory.down();
    clock.advance(2 * DAY);
    const second = createDirectoryCache({ caCertificate: ca.certificate, fetch: directory.fetch, store: fileCacheStore(path), clock });
    await second.load();
    assert.equal((await second.current()).contentId, 3);
    // a tampered file is not trusted
    const [h, , s] = readFileSync(path, 'utf8').split('.');
    writeFileSync(path, `${h}.${Buffer.from('{"contentId":1000}').toString('base64url')}.${s}`);
    const warnings: string[] = [];
    const third = createDirectoryCache({
      caCertificate: ca.certificate,
      fetch: directory.fetch,
      store: fileCacheStore(path),
      clock,
      logger: { info: () => undefined, warn: (_o, m) => warnings.push(m) },
    });
    await third.load();
    await assert.rejects(
      third.current(),
      (e) => e instanceof HubError && e.code === 'DIRECTORY_STALE' && /no directory document is held/.test(e.message),
    );
    assert.ok(warnings.some((w) => /does not verify/.test(w)));
  });
});
