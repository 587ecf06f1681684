/**
 * The parties the platform serves (requirements §1, issue F-list: parties and access): their code
 * (EIC X code, coding scheme A01, or GS1 GLN, A10), role, name and the endpoint the hub hosts for
 * them. Every document a party sends arrives from that endpoint, so the endpoint code the transport
 * authenticated (signature + certificate) is how the TPS knows who sent a document.
 */
import { eicCheckCharacter, eicProblem } from '../directory/eic.js';
import { HubError } from '../shared/errors.js';
import { gs1Problem } from '../shared/gs1.js';
import type { Queryable } from '../shared/sql.js';
import { isPartyRole, PARTY_ROLES, type PartyRole } from './roles.js';

export interface Party {
  readonly code: string;
  /** A01 EIC or A10 GS1. */
  readonly codingScheme: 'A01' | 'A10';
  readonly role: PartyRole;
  readonly name: string;
  /** The hosted endpoint (EIC V code); absent for a regulator. */
  readonly endpointCode?: string;
  readonly createdAt: string;
  readonly suspendedAt?: string;
}

export interface PartyInput {
  readonly code: string;
  readonly role: PartyRole;
  readonly name: string;
  /** Default for an EIC party: its code with type letter V (and the check character recomputed). */
  readonly endpointCode?: string;
}

/** Coding scheme of a party code, or a problem. */
export function partyCodeScheme(code: string): { scheme: 'A01' | 'A10' } | { problem: string } {
  if (/^[0-9]{13}$/.test(code)) {
    const p = gs1Problem(code, 13);
    // The directory names each endpoint's organisation by its EIC X code, so a party needs one.
    return {
      problem: p ? `not a GLN (${p}), and not an EIC party code` : 'a GLN alone is not enough: register the party with its EIC X code',
    };
  }
  const p = eicProblem(code, 'X');
  return p ? { problem: `not an EIC party (X) code or a GLN: ${p}` } : { scheme: 'A01' };
}

/**
 * The endpoint code the hub gives a party with an EIC code: the same 12 characters with object
 * type V (location: an ECP component) and its own check character. Undefined for a GLN, or when
 * the check character would be '-' (the operator names the endpoint with --endpoint then).
 */
export function defaultEndpointCode(partyCode: string): string | undefined {
  if (!/^[0-9]{2}X/.test(partyCode)) return undefined;
  const first15 = `${partyCode.slice(0, 2)}V${partyCode.slice(3, 15)}`;
  const check = eicCheckCharacter(first15);
  return check === undefined ? undefined : first15 + check;
}

export function checkPartyInput(input: PartyInput): { party: Omit<Party, 'createdAt'>; problems: string[] } {
  const problems: string[] = [];
  const scheme = partyCodeScheme(input.code);
  if ('problem' in scheme) problems.push(`code: ${scheme.problem}`);
  if (!isPartyRole(input.role) || input.role === 'TPS') problems.push(`role: must be one of AGR, BRP, DSO, REGULATOR`);
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > 200) problems.push('name: required, at most 200 characters');
  let endpointCode: string | undefined;
  if (isPartyRole(input.role) && PARTY_ROLES[input.role].hostedEndpoint) {
    endpointCode = input.endpointCode ?? defaultEndpointCode(input.code);
    if (endpointCode === undefined) problems.push('endpoint: give the endpoint code (an EIC V code) for this party');
    else {
      const p = eicProblem(endpointCode, 'V');
      if (p) problems.push(`endpoint: ${p}`);
    }
  } else if (input.endpointCode !== undefined) problems.push(`endpoint: a ${input.role} has no endpoint`);
  return {
    party: {
      code: input.code,
      codingScheme: 'scheme' in scheme ? scheme.scheme : 'A01',
      role: input.role,
      name,
      ...(endpointCode !== undefined ? { endpointCode } : {}),
    },
    problems,
  };
}

interface PartyRow {
  code: string;
  coding_scheme: 'A01' | 'A10';
  role: PartyRole;
  name: string;
  endpoint_code: string | null;
  created_at: Date | string;
  suspended_at: Date | string | null;
}

const toParty = (r: PartyRow): Party => ({
  code: r.code,
  codingScheme: r.coding_scheme,
  role: r.role,
  name: r.name,
  ...(r.endpoint_code !== null ? { endpointCode: r.endpoint_code } : {}),
  createdAt: new Date(r.created_at).toISOString(),
  ...(r.suspended_at !== null ? { suspendedAt: new Date(r.suspended_at).toISOString() } : {}),
});

/** Stores a party; PARTY_INPUT_INVALID with every problem, PARTY_EXISTS when the code or endpoint is taken. */
export async function insertParty(db: Queryable, input: PartyInput | (Omit<PartyInput, 'role'> & { role: 'TPS' })): Promise<Party> {
  const { party, problems } =
    input.role === 'TPS' ? { party: { ...input, codingScheme: 'A01' as const }, problems: [] } : checkPartyInput(input);
  if (problems.length > 0) throw new HubError('PARTY_INPUT_INVALID', problems.join('; '), { problems });
  const { rows } = await db.query<PartyRow>(
    `insert into parties (code, coding_scheme, role, name, endpoint_code) values ($1, $2, $3, $4, $5)
     on conflict do nothing returning *`,
    [party.code, party.codingScheme, party.role, party.name, party.endpointCode ?? null],
  );
  const row = rows[0];
  if (!row)
    throw new HubError('PARTY_EXISTS', `a party with code ${party.code} or endpoint ${party.endpointCode ?? '-'} is already registered`);
  return toParty(row);
}

export async function getParty(db: Queryable, code: string): Promise<Party | undefined> {
  const { rows } = await db.query<PartyRow>('select * from parties where code = $1', [code]);
  return rows[0] ? toParty(rows[0]) : undefined;
}

export async function partyOfEndpoint(db: Queryable, endpointCode: string): Promise<Party | undefined> {
  const { rows } = await db.query<PartyRow>('select * from parties where endpoint_code = $1', [endpointCode]);
  return rows[0] ? toParty(rows[0]) : undefined;
}

export async function listParties(db: Queryable, role?: PartyRole): Promise<Party[]> {
  const { rows } = await db.query<PartyRow>('select * from parties where ($1::text is null or role = $1) order by role, code', [
    role ?? null,
  ]);
  return rows.map(toParty);
}

/** The platform's own party (role TPS), created by `platform init`. */
export async function tpsParty(db: Queryable): Promise<Party | undefined> {
  return (await listParties(db, 'TPS'))[0];
}
