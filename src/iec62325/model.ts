/**
 * Building blocks shared by the document models (ESMP, IEC 62325-351). The models are version-independent:
 * the same `GlDocument` is written as GL_MarketDocument 3:0 or 3:2; what a version cannot hold is reported by
 * the builder.
 *
 * Conventions of every model:
 * - Property names follow the XML element names in lowerCamelCase, without the flattening prefixes where a
 *   class is clear (`sender_MarketParticipant.mRID` → `sender.mRID`); repeated elements are arrays named
 *   after the element, singular (`timeSeries`, `period`, `point`), so a field path such as
 *   `timeSeries[2].period[0].point[5].quantity` reads the same in the model and in error messages.
 * - Optional elements are optional properties; the parser leaves absent ones out (it never sets undefined).
 *   Optional repeated elements (0..n) are optional arrays: absent and empty mean the same document, and the
 *   parser leaves them out when the document has none.
 * - Values are strings as written in the document: codes, identifiers, date-times (time.ts), decimal
 *   quantities (lexical, see decimal.ts). Only positions and revision numbers are numbers.
 * - Free-text values (xs:string: names, texts, identifiers) are kept exactly, white space included, as XSD
 *   `whiteSpace="preserve"` says; tokens (codes, dates, numbers: `whiteSpace="collapse"`) are trimmed.
 */
import type { TimeInterval } from './time.js';

export type { TimeInterval } from './time.js';

/** A coded identifier: `mRID` with its `codingScheme` attribute (A01 EIC, A10 GS1, NDK, …: CodingSchemeTypeList). */
export interface CodedId {
  readonly mRID: string;
  readonly codingScheme: string;
}

/** A market participant in a document header: PartyID_String (max 16) + role (RoleTypeList). */
export interface Participant extends CodedId {
  readonly role: string;
}

/** ESMP Reason: ReasonCodeTypeList code + optional text (max 512). */
export interface Reason {
  readonly code: string;
  readonly text?: string;
}

/** A point of a Series_Period. `quantity` is a lexical xs:decimal (see decimal.ts); GL adds secondaryQuantity. */
export interface Point {
  readonly position: number;
  readonly quantity: string;
  readonly secondaryQuantity?: string;
}

/** ESMP Series_Period: interval, resolution (xs:duration, e.g. PT15M) and 1..n points. */
export interface Period {
  readonly timeInterval: TimeInterval;
  readonly resolution: string;
  readonly point: readonly Point[];
}

/** A `…_DateAndOrTime.date` (xs:date, YYYY-MM-DD) and `….time` (xs:time, hh:mm:ssZ) pair, UTC. */
export interface DateAndTime {
  readonly date: string;
  readonly time: string;
}

/** Options of every builder. */
export interface BuildOptions {
  /** 'major:minor'; default: the version the hub emits (documents.ts). */
  readonly version?: string;
  /** Spaces per level; default 2. 0 writes the document on one line. */
  readonly indent?: number;
}
