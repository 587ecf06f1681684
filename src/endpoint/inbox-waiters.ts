/**
 * Long-poll support: receive calls waiting for an endpoint's inbox, woken when this process
 * stores a message for it, or when another process sharing the database announces one
 * (PostgreSQL notification, endpoint.ts `inboxChannel`); the caller's periodic look covers a
 * notification that was missed.
 */
export interface Waiting {
  /** Resolves when woken or after `ms`. */
  until(ms: number): Promise<void>;
  /** Ends the wait now (the caller went away). */
  readonly wake: () => void;
  cancel(): void;
}

export class InboxWaiters {
  readonly #waiting = new Map<string, Set<() => void>>();
  #closed = false;

  wait(endpointCode: string): Waiting {
    let wake!: () => void;
    let woken = this.#closed;
    const set = this.#waiting.get(endpointCode) ?? new Set<() => void>();
    this.#waiting.set(endpointCode, set);
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

  notify(endpointCode: string): void {
    for (const f of [...(this.#waiting.get(endpointCode) ?? [])]) f();
  }

  closeAll(): void {
    this.#closed = true;
    for (const set of this.#waiting.values()) for (const f of [...set]) f();
  }
}
