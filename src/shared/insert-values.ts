/**
 * Multi-row inserts with one parameter per value: `insert into t (…) values (…), (…) <tail>`,
 * in chunks of ROWS_PER_STATEMENT rows. Kilobyte values (payloads, contents) stay out of array
 * literals, which the server would otherwise parse once more (ADR 0008).
 */
import type { Queryable } from './sql.js';

/** Rows per statement: with a dozen columns far below the protocol's 65,535 parameters. */
export const ROWS_PER_STATEMENT = 500;

/** Statement texts by shape (head, columns, tail, row count): built once, not at every call. */
const texts = new Map<string, string>();
const MAX_TEXTS = 2_000;

function statementText(head: string, columns: readonly string[], tail: string, n: number): string {
  const key = `${head}\u0000${columns.join('\u0001')}\u0000${tail}\u0000${n}`;
  let text = texts.get(key);
  if (text === undefined) {
    const values = Array.from({ length: n }, (_, j) => {
      const base = j * columns.length;
      return `(${columns.map((c, k) => c.replace('$', `$${base + k + 1}`)).join(', ')})`;
    });
    text = `${head} values ${values.join(', ')} ${tail}`;
    if (texts.size >= MAX_TEXTS) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/**
 * `head`: `insert into t (a, b, …)`; `columns`: each column's SQL with `$` where its parameter
 * goes, e.g. `'$'`, `'$::jsonb'`, `"decode($, 'base64')"`; `rows`: one value per column each;
 * `tail`: `on conflict … returning …`. Returns the rows every statement returned, in order.
 */
export async function insertValues<R = Record<string, unknown>>(
  q: Queryable,
  head: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  tail = '',
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    for (const row of chunk)
      if (row.length !== columns.length) throw new TypeError(`insertValues: a row has ${row.length} values for ${columns.length} columns`);
    const { rows: got } = await q.query<R>(statementText(head, columns, tail, chunk.length), chunk.flat());
    out.push(...got);
  }
  return out;
}
