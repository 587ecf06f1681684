import { createHash, randomUUID } from 'node:crypto';

/** Injected identifier source (UUIDs in production, sequences in tests). */
export interface IdGenerator {
  /** RFC 4122 UUID, as UFTP MessageID/ConversationID and MADES messageID use. */
  uuid(): string;
  /**
   * An IEC 62325 mRID: 32 lower-case hex digits (a UUID without dashes), which fits the
   * 35-character ID_String of the older ESMP schema versions as well as the 60 of the newer.
   */
  mrid(): string;
}

export const randomIds: IdGenerator = {
  uuid: () => randomUUID(),
  mrid: () => randomUUID().replaceAll('-', ''),
};

/** Deterministic ids for tests: 00000000-0000-4000-8000-000000000001, … */
export function sequentialIds(prefix = 0): IdGenerator {
  let n = 0;
  const next = () => {
    n += 1;
    const hex = (prefix * 1_000_000 + n).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${hex}`;
  };
  return { uuid: next, mrid: () => next().replaceAll('-', '') };
}

/**
 * A UUID derived from names (the same names give the same UUID, e.g. the mRID of the TPS's
 * document to one party for one source document, stable across revisions): SHA-256 of the
 * names, shaped as an RFC 9562 version 8 (custom) UUID.
 */
export function derivedUuid(...names: readonly string[]): string {
  const h = createHash('sha256').update(names.join('\n')).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
