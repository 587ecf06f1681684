/**
 * The directory as an endpoint or broker sees it: the last verified directory document, kept in a
 * small store (a file by default), refreshed from the directory when older than the refresh
 * interval, and used while the directory is unreachable — until `issuedAt + ttlMs`. After that
 * every use fails with DIRECTORY_STALE until a fresh document arrives.
 *
 * - The fetch function is injected (the mTLS HTTP client comes later); it returns the compact JWS.
 * - A fetched document must verify with the configured CA certificate and carry a contentId
 *   greater than the held one; an older or replayed one is refused (DIRECTORY_DOCUMENT_INVALID)
 *   and the held one stays. The very same JWS again is "unchanged", not an error.
 * - A failed refresh is retried at most every `retryAfterMs`, so a dead directory is not asked on
 *   every message. Concurrent callers share one refresh.
 * - The store is re-verified on load: a tampered or foreign file is ignored, not trusted.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../shared/clock.js';
import { HubError } from '../shared/errors.js';
import { DirectoryView, verifyDirectoryDocument } from './document.js';

/** Where the last verified document is kept between restarts. */
export interface DirectoryCacheStore {
  load(): Promise<string | undefined>;
  save(jws: string): Promise<void>;
}

/** Atomic file store: written to `<path>.tmp`, then renamed over `path`. */
export function fileCacheStore(path: string): DirectoryCacheStore {
  return {
    async load() {
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async save(jws) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, jws, { mode: 0o644 });
      renameSync(tmp, path);
    },
  };
}

export function memoryCacheStore(initial?: string): DirectoryCacheStore & { readonly saved: string | undefined } {
  let saved = initial;
  return {
    get saved() {
      return saved;
    },
    load: async () => saved,
    save: async (jws) => {
      saved = jws;
    },
  };
}

export interface CacheLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DirectoryCacheOptions {
  /** The directory CA certificate (trust anchor), from configuration. */
  readonly caCertificate: X509Certificate | string;
  /** Fetches the current document (compact JWS) from the directory. */
  readonly fetch: () => Promise<string>;
  readonly store: DirectoryCacheStore;
  readonly clock: Clock;
  /** Ask the directory again when the last successful check is this old (default 1 hour). */
  readonly refreshIntervalMs?: number;
  /** After a failed refresh, wait this long before asking again (default 1 minute). */
  readonly retryAfterMs?: number;
  readonly logger?: CacheLogger;
}

export type RefreshOutcome =
  | { readonly status: 'updated'; readonly contentId: number; readonly previousContentId?: number }
  | { readonly status: 'unchanged'; readonly contentId: number }
  | { readonly status: 'failed'; readonly error: HubError | Error };

export interface DirectoryCacheStatus {
  readonly contentId?: number;
  readonly issuedAt?: string;
  readonly expiresAt?: string;
  readonly lastCheckedAt?: string;
  readonly lastFailureAt?: string;
  readonly lastError?: string;
  /** True when no usable document is held (none, or past its TTL). */
  readonly stale: boolean;
}

export interface DirectoryCache {
  /** Loads and re-verifies the stored document (call once at start-up). */
  load(): Promise<void>;
  /** The current view, refreshing first when due; DIRECTORY_STALE when nothing usable is held. */
  current(): Promise<DirectoryView>;
  /** Asks the directory now. Never throws: failures are in the outcome and keep the held document. */
  refresh(): Promise<RefreshOutcome>;
  status(): DirectoryCacheStatus;
}

export const DEFAULT_REFRESH_INTERVAL_MS = 3_600_000;
export const DEFAULT_RETRY_AFTER_MS = 60_000;

export function createDirectoryCache(options: DirectoryCacheOptions): DirectoryCache {
  const ca = typeof options.caCertificate === 'string' ? new X509Certificate(options.caCertificate) : options.caCertificate;
  const { clock, store, logger } = options;
  const refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  let view: DirectoryView | undefined;
  let lastCheckedAt: number | undefined;
  let lastFailureAt: number | undefined;
  let lastError: Error | undefined;
  let inFlight: Promise<RefreshOutcome> | undefined;

  const usable = (now: number) => view !== undefined && now < view.document.expiresAt.getTime();

  async function doRefresh(): Promise<RefreshOutcome> {
    const now = clock.now().getTime();
    try {
      const jws = (await options.fetch()).trim();
      if (view && jws === view.document.jws) {
        lastCheckedAt = now;
        lastError = undefined;
        return { status: 'unchanged', contentId: view.contentId };
      }
      const previous = view?.contentId;
      const verified = await verifyDirectoryDocument(jws, ca, previous === undefined ? {} : { previousContentId: previous });
      await store.save(verified.jws);
      view = new DirectoryView(verified, ca, clock);
      lastCheckedAt = now;
      lastError = undefined;
      logger?.info(
        { contentId: verified.contentId, previousContentId: previous, expiresAt: verified.expiresAt.toISOString() },
        'directory document updated',
      );
      return { status: 'updated', contentId: verified.contentId, ...(previous !== undefined ? { previousContentId: previous } : {}) };
    } catch (e) {
      lastFailureAt = now;
      lastError = e as Error;
      logger?.warn(
        {
          err: (e as Error).message,
          code: (e as HubError).code,
          heldContentId: view?.contentId,
          expiresAt: view?.document.expiresAt.toISOString(),
        },
        'directory refresh failed; keeping the held document',
      );
      return { status: 'failed', error: e as Error };
    }
  }

  const cache: DirectoryCache = {
    async load() {
      const jws = await store.load();
      if (jws === undefined) return;
      try {
        const verified = await verifyDirectoryDocument(jws.trim(), ca);
        if (!view || verified.contentId > view.contentId) view = new DirectoryView(verified, ca, clock);
      } catch (e) {
        logger?.warn({ err: (e as Error).message }, 'stored directory document does not verify; ignored');
      }
    },

    refresh() {
      inFlight ??= doRefresh().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },

    async current() {
      const now = clock.now().getTime();
      const due = view === undefined || lastCheckedAt === undefined || now - lastCheckedAt >= refreshIntervalMs;
      const mayRetry = lastFailureAt === undefined || now - lastFailureAt >= retryAfterMs;
      if (due && (mayRetry || inFlight)) await cache.refresh();
      const t = clock.now().getTime();
      if (view && usable(t)) return view;
      const why = lastError ? `; last refresh failed: ${lastError.message}` : '';
      throw new HubError(
        'DIRECTORY_STALE',
        view
          ? `the directory document ${view.contentId} expired at ${view.document.expiresAt.toISOString()} and no fresh one could be fetched${why}`
          : `no directory document is held and none could be fetched${why}`,
        { ...(view ? { contentId: view.contentId, expiresAt: view.document.expiresAt.toISOString() } : {}) },
      );
    },

    status() {
      const now = clock.now().getTime();
      return {
        ...(view
          ? { contentId: view.contentId, issuedAt: view.document.issuedAt.toISOString(), expiresAt: view.document.expiresAt.toISOString() }
          : {}),
        ...(lastCheckedAt !== undefined ? { lastCheckedAt: new Date(lastCheckedAt).toISOString() } : {}),
        ...(lastFailureAt !== undefined ? { lastFailureAt: new Date(lastFailureAt).toISOString() } : {}),
        ...(lastError ? { lastError: lastError.message } : {}),
        stale: !usable(now),
      };
    },
  };
  return cache;
}
