/**
 * In-process wake-ups for the backends' waits (a request's acknowledgement, a party's change
 * feed). A wait re-reads the database each time it wakes and at least every `pollMs`, so a
 * change committed by another hub process is seen too, only a little later.
 */
export class Signals {
  readonly #waiting = new Map<string, Set<() => void>>();
  #closed = false;

  /** Ends every wait now and every later one at once (shutdown: long polls answer instead of holding the server). */
  close(): void {
    this.#closed = true;
    for (const key of [...this.#waiting.keys()]) this.notify(key);
  }

  notify(key: string): void {
    for (const wake of [...(this.#waiting.get(key) ?? [])]) wake();
  }

  /**
   * Calls `check` until it returns a value other than undefined, or until `waitMs` has passed
   * (then returns the last check's undefined). Between checks it sleeps until `notify(key)` or `pollMs`.
   */
  async until<T>(key: string, waitMs: number, check: () => Promise<T | undefined>, pollMs = 250): Promise<T | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = await check();
      if (found !== undefined || Date.now() >= deadline || this.#closed) return found;
      await new Promise<void>((resolve) => {
        const set = this.#waiting.get(key) ?? new Set<() => void>();
        const wake = () => {
          clearTimeout(timer);
          set.delete(wake);
          if (set.size === 0) this.#waiting.delete(key);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(pollMs, Math.max(0, deadline - Date.now())));
        set.add(wake);
        this.#waiting.set(key, set);
      });
    }
  }
}
