/**
 * Group commit: callers that arrive while a write is in flight are written together in the next
 * one (one transaction, multi-row statements) instead of one transaction each. A lone caller is
 * written at once (no timer, no added latency); under load the batch grows by itself up to
 * `maxItems`. Each caller gets its own answer: when a batch of several fails, every item is
 * retried alone, so one bad item cannot fail the others (and a failed item has written nothing).
 */
export type BatchWriter<T, R> = (items: readonly T[]) => Promise<readonly R[]>;

export interface GroupCommit<T, R> {
  submit(item: T): Promise<R>;
}

interface Pending<T, R> {
  readonly item: T;
  resolve(r: R): void;
  reject(e: unknown): void;
}

export function createGroupCommit<T, R>(write: BatchWriter<T, R>, maxItems = 256): GroupCommit<T, R> {
  let queue: Array<Pending<T, R>> = [];
  let writing = false;

  const writeAlone = async (p: Pending<T, R>) => {
    try {
      const [r] = await write([p.item]);
      p.resolve(r as R);
    } catch (e) {
      p.reject(e);
    }
  };

  const writeBatch = async (batch: Array<Pending<T, R>>) => {
    if (batch.length === 1) return writeAlone(batch[0] as Pending<T, R>);
    let results: readonly R[];
    try {
      results = await write(batch.map((p) => p.item));
    } catch {
      for (const p of batch) await writeAlone(p);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i] as R));
  };

  const drain = async () => {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxItems);
        queue = queue.slice(batch.length);
        await writeBatch(batch);
      }
    } finally {
      writing = false;
    }
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
