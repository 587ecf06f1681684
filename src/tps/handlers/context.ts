/**
 * What a TPS document handler gets and returns. A handler checks the document against the
 * business rules and, only when every rule passes, applies it in the transaction it is given;
 * it never applies part of a document (F4–F9: "nothing half-applied").
 */
import type { Answer } from '../../backends/inbox-consumer.js';
import type { Participant, Reason, RejectedTimeSeries } from '../../iec62325/index.js';
import type { Party } from '../../parties/registry.js';
import type { Queryable } from '../../shared/sql.js';

export interface HandlerContext {
  readonly tx: Queryable;
  /** The party whose endpoint sent the document (authenticated by the transport). */
  readonly sender: Party;
  readonly tps: Party;
  readonly tpsEndpointCode: string;
  readonly now: Date;
  /** The header participant of a party, as the TPS writes it in documents. */
  participant(party: Party): Participant;
  /** Looks a party up by code (e.g. the DSO of a grid area). */
  party(code: string): Promise<Party | undefined>;
}

export interface HandlerOutcome {
  /** Empty: accepted. */
  readonly problems: readonly Reason[];
  readonly rejectedTimeSeries?: readonly RejectedTimeSeries[];
  /** Documents the TPS sends on (to other parties) after accepting this one. */
  readonly forward: readonly Answer[];
}

export const rejected = (problems: readonly Reason[], rejectedTimeSeries?: readonly RejectedTimeSeries[]): HandlerOutcome => ({
  problems,
  ...(rejectedTimeSeries?.length ? { rejectedTimeSeries } : {}),
  forward: [],
});

/** Groups per-series problems into Rejected_TimeSeries with reason A20 + the specifics. */
export function rejectedSeries(problems: readonly { timeSeries: string; code: string; text: string }[]): RejectedTimeSeries[] {
  const by = new Map<string, Reason[]>();
  for (const p of problems) by.set(p.timeSeries, [...(by.get(p.timeSeries) ?? []), { code: p.code, text: p.text.slice(0, 512) }]);
  return [...by].map(([mRID, reasons]) => ({ mRID, reason: [{ code: 'A20' }, ...reasons] }));
}

/** Document-level reasons that summarise series problems (each distinct code once, with the first text). */
export function summarise(problems: readonly { code: string; text: string }[], max = 20): Reason[] {
  return problems.slice(0, max).map((p) => ({ code: p.code, text: p.text.slice(0, 512) }));
}
