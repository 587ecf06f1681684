/**
 * Business outcomes are data, not exceptions. A `Rejection` fills a UFTP `RejectionReason`
 * or an IEC 62325-451-1 Acknowledgement `Reason` (code + text).
 */
export interface Rejection {
  /** Protocol code, e.g. an IEC 62325 ReasonCodeTypeList value ('A02') or a UFTP reason name. */
  readonly code: string;
  /** Human-readable text computed from the data ("ISP 12 overlaps ISP 11"). */
  readonly text: string;
}

export type Result<T, E = Rejection[]> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
