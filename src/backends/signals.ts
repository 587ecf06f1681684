/**
 * The backends' waits (a request's acknowledgement, a party's change feed) on the shared keyed
 * waiters (src/shared/waiters.ts): a wait re-reads the database each time it is woken and at
 * least every `pollMs`, so a change committed by another hub process is seen too, only later.
 */
import { Waiters } from '../shared/waiters.js';

export class Signals {
  readonly #waiters = new Waiters();
  #closed = false;

  /** Ends every wait now and every later one at once (shutdown: long polls answer instead of holding the server). */
  close(): void {
    this.#closed = true;
    this.#waiters.closeAll();
  }

  notify(key: string): void {
    this.#waiters.notify(key);
  }

  /**
   * Calls `check` until it returns a value other than undefined, or until `waitMs` has passed
   * (then returns the last check's undefined). Between checks it sleeps until `notify(key)` or `pollMs`.
   */
  async until<T>(key: string, waitMs: number, check: () => Promise<T | undefined>, pollMs = 250): Promise<T | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const waiting = this.#waiters.wait(key); // before the look: a notification during it is not lost
      try {
        const found = await check();
        if (found !== undefined || Date.now() >= deadline || this.#closed) return found;
        await waiting.until(Math.min(pollMs, Math.max(0, deadline - Date.now())));
      } finally {
        waiting.cancel();
      }
    }
  }
}
