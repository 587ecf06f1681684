/**
 * Recording: business code appends an audit event INSIDE its own transaction (audit log
 * requirement: "every state change and every administrative change … is appended"), so the
 * record commits or rolls back with the change it describes. One insert into `audit_event`, no
 * lock beyond the row's own: the hash chain is built later by the sealer (sealer.ts).
 */
import type { Clock } from '../shared/clock.js';
import { insertValues } from '../shared/insert-values.js';
import type { Queryable } from '../shared/sql.js';
import { ACTION_PATTERN } from './actions.js';
import { canonicalJson } from './canonical-json.js';

export interface AuditEntry {
  /** Who did it: a component code, a party, `system`, or an administrator's user name. */
  readonly actor: string;
  /** Stable dotted name, e.g. `message.state.accepted`, `certificate.revoked` (actions.ts). */
  readonly action: string;
  /** What it concerns: a message ID, component code, certificate serial…; null when nothing in particular. */
  readonly subject?: string | null;
  /** Parties whose data it concerns (sender, receiver…), for regulator queries. */
  readonly parties?: readonly string[];
  /** Any JSON object: who sent what to whom, old and new state… Plain JSON values only (canonical-json.ts). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** When it happened; default: the trail's clock. */
  readonly at?: Date;
}

export interface AuditTrail {
  /** Appends one event in `tx` (the business transaction). Throws TypeError on a malformed entry (a bug). */
  record(tx: Queryable, entry: AuditEntry): Promise<void>;
  /** Appends several events in one statement (hot paths: a batch of message state changes). */
  recordMany(tx: Queryable, entries: readonly AuditEntry[]): Promise<void>;
}

const MAX_TEXT = 1_000;

function text(v: unknown, what: string, max = MAX_TEXT): string {
  if (typeof v !== 'string' || v.length === 0) throw new TypeError(`audit: ${what} must be a non-empty string`);
  if (v.length > max) throw new TypeError(`audit: ${what} is longer than ${max} characters`);
  return v;
}

/** Checks an entry and returns its stored form; PostgreSQL text and jsonb cannot hold U+0000. */
export function checkEntry(entry: AuditEntry): {
  actor: string;
  action: string;
  subject: string | null;
  parties: string[];
  details: string;
} {
  const actor = text(entry.actor, 'actor');
  const action = text(entry.action, 'action', 200);
  if (!ACTION_PATTERN.test(action))
    throw new TypeError(`audit: action ${JSON.stringify(action)} must be dotted lower case, e.g. message.state.accepted`);
  const subject = entry.subject === undefined || entry.subject === null ? null : text(entry.subject, 'subject');
  const parties = [...(entry.parties ?? [])].map((p, i) => text(p, `parties[${i}]`));
  const details = entry.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details))
    throw new TypeError('audit: details must be a JSON object');
  const json = canonicalJson(details); // throws on anything that is not plain JSON
  const texts = [actor, subject ?? '', ...parties];
  // In the JSON, U+0000 is the escape \u0000 after an even number of backslashes (an odd number
  // means the text itself holds a backslash followed by "u0000", which is fine).
  if (texts.some((s) => s.includes('\u0000')) || /(^|[^\\])(\\\\)*\\u0000/.test(json))
    throw new TypeError('audit: an entry cannot contain U+0000 (PostgreSQL text and jsonb refuse it)');
  return { actor, action, subject, parties, details: json };
}

export function createAuditTrail(clock: Clock): AuditTrail {
  const stored = (entry: AuditEntry) => {
    const e = checkEntry(entry);
    const at = entry.at ?? clock.now();
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('audit: at must be a valid Date');
    return [at.toISOString(), e.actor, e.action, e.subject, e.parties, e.details] as const;
  };
  return {
    async record(tx, entry) {
      // Both drivers quote every text[] element (tested with NULL, quotes, commas, braces, backslashes).
      await tx.query(
        `insert into audit_event (at, actor, action, subject, parties, details)
         values ($1::timestamptz, $2, $3, $4, $5::text[], $6::jsonb)`,
        [...stored(entry)],
      );
    },
    async recordMany(tx, entries) {
      const rows = entries.map(stored); // all checked before anything is written
      await insertValues(
        tx,
        'insert into audit_event (at, actor, action, subject, parties, details)',
        ['$::timestamptz', '$', '$', '$', '$::text[]', '$::jsonb'],
        rows,
      );
    },
  };
}
