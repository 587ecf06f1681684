/** Query parameters the backends share: time windows and long-poll timeouts, checked with precise problems. */
import { HubError } from '../shared/errors.js';

export const MAX_WINDOW_MS = 31 * 86_400_000;
export const MAX_LONG_POLL_MS = 60_000;

const invalid = (field: string, message: string) =>
  new HubError('TPS_INPUT_INVALID', `${field}: ${message}`, { problems: [{ item: 0, field, message }] });

/** from/to: ISO 8601 instants, `to` after `from` and at most 31 days later. */
export function windowOf(query: Record<string, unknown>): { from: Date; to: Date } {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const from = new Date(text(query.from));
  const to = new Date(text(query.to));
  if (Number.isNaN(from.getTime())) throw invalid('from', 'an ISO 8601 instant');
  if (Number.isNaN(to.getTime())) throw invalid('to', 'an ISO 8601 instant');
  if (to <= from || to.getTime() - from.getTime() > MAX_WINDOW_MS) throw invalid('to', 'after from, at most 31 days later');
  return { from, to };
}

/** timeout: milliseconds 0–60000 (default 0). */
export function timeoutOf(query: unknown): number {
  const timeout = query === undefined ? 0 : Number(query);
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_LONG_POLL_MS)
    throw invalid('timeout', `milliseconds 0–${MAX_LONG_POLL_MS}`);
  return timeout;
}

/** TPS_INPUT_INVALID listing every problem (which item of a batch, which field). */
export function invalidInput(problems: readonly { readonly item: number; readonly field?: string; readonly message: string }[]): HubError {
  const text = problems.map((p) => `item ${p.item}${p.field ? ` ${p.field}` : ''}: ${p.message}`).join('; ');
  return new HubError('TPS_INPUT_INVALID', text.slice(0, 2000), { problems });
}

/** ?id=a,b or ?id=a&id=b: the IDs named, or undefined when the parameter is absent. */
export function idsOf(query: unknown): string[] | undefined {
  if (query === undefined) return undefined;
  return (Array.isArray(query) ? query : [query])
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
