/** A party as it appears in a document header (`*_MarketParticipant`: mRID, coding scheme, market role). */
import type { Participant } from '../iec62325/index.js';
import type { Party } from './registry.js';
import { PARTY_ROLES } from './roles.js';

export const participantOf = (p: Party): Participant => ({
  mRID: p.code,
  codingScheme: p.codingScheme,
  role: PARTY_ROLES[p.role].marketRole ?? 'A32',
});
