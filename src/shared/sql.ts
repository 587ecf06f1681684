/**
 * The storage port. Contexts write their repositories against these two interfaces; the
 * drivers in `src/infra/db/` implement them on PGlite (embedded) or PostgreSQL (pg pool).
 * Both speak the same SQL dialect (PGlite is PostgreSQL compiled to WebAssembly), so every
 * statement and migration is written once.
 */
export interface QueryResult<R> {
  readonly rows: R[];
  /** Rows returned by a SELECT or changed by INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Business changes and their outbox rows go through the same `tx`.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Round trip to the server; throws STORAGE_UNAVAILABLE when it cannot be reached. */
  ping(): Promise<void>;
  /**
   * PostgreSQL only (several processes share the database): calls `onPayload` for every
   * `pg_notify(channel, payload)` any process commits, on a dedicated connection that reconnects
   * by itself (notifications sent while it is down are missed; callers keep a fallback). Resolves
   * to a function that stops listening. Absent on the embedded database (one process).
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
