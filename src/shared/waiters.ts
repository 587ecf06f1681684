/**
 * Long-poll support, keyed: waits (an endpoint's receive calls, a backend's feeds and
 * acknowledgement waits) woken when this process notifies their key — e.g. after storing a
 * message, or when another process sharing the database announces one (PostgreSQL notification,
 * endpoint.ts `inboxChannel`). A wait is registered before the caller looks, so a notification
 * during the look is not lost; the caller's periodic look covers what another process did.
 */
export interface Waiting {
  /** Resolves when woken or after `ms`. */
  until(ms: number): Promise<void>;
  /** Ends the wait now (the caller went away). */
  readonly wake: () => void;
  cancel(): void;
}

export class Waiters {
  readonly #waiting = new Map<string, Set<() => void>>();
  #closed = false;

  wait(key: string): Waiting {
    let wake!: () => void;
    let woken = this.#closed;
    const set = this.#waiting.get(key) ?? new Set<() => void>();
    this.#waiting.set(key, set);
    const fire = () => {
      woken = true;
      set.delete(fire);
      wake?.();
    };
    set.add(fire);
    return {
      until: (ms) =>
        new Promise<void>((resolve) => {
          if (woken) return resolve();
          const t = setTimeout(() => {
            set.delete(fire);
            resolve();
          }, ms);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        }),
      wake: fire,
      cancel: () => {
        set.delete(fire);
      },
    };
  }

  notify(key: string): void {
    for (const f of [...(this.#waiting.get(key) ?? [])]) f();
  }

  closeAll(): void {
    this.#closed = true;
    for (const set of this.#waiting.values()) for (const f of [...set]) f();
  }
}
