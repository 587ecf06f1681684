import { randomUUID } from 'node:crypto';

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
