/**
 * The kinds of party the Trade Permission System serves, as data (requirements §1; the market
 * roles of docs/iec62325-profile.md §3). Code and tests read this one table: which backend a
 * party uses, the IEC 62325 market role it has in documents, and whether the hub hosts an
 * endpoint for it.
 */
export const PARTY_ROLES = {
  /** Aggregator: ENTSO-E role A52 resource aggregator. */
  AGR: { marketRole: 'A52', backend: 'agr', hostedEndpoint: true, title: 'aggregator' },
  /** Balance responsible party: A08. Uses the same backend as an aggregator. */
  BRP: { marketRole: 'A08', backend: 'agr', hostedEndpoint: true, title: 'balance responsible party' },
  /** Distribution system operator: A50 system operator. */
  DSO: { marketRole: 'A50', backend: 'dso', hostedEndpoint: true, title: 'distribution system operator' },
  /** Regulator: reads the audit log; sends and receives no documents. */
  REGULATOR: { marketRole: undefined, backend: 'regulator', hostedEndpoint: false, title: 'regulator' },
  /** The platform itself: A32 market information aggregator (one per hub). */
  TPS: { marketRole: 'A32', backend: 'tps', hostedEndpoint: true, title: 'trade permission system' },
} as const;

export type PartyRole = keyof typeof PARTY_ROLES;
export type Backend = (typeof PARTY_ROLES)[PartyRole]['backend'];

/** Roles an operator may add with `tps-hub parties add` (the TPS party is created by `platform init`). */
export const ADDABLE_ROLES = ['AGR', 'BRP', 'DSO', 'REGULATOR'] as const satisfies readonly PartyRole[];

export const isPartyRole = (x: unknown): x is PartyRole => typeof x === 'string' && Object.hasOwn(PARTY_ROLES, x);

export const backendOf = (role: PartyRole): Backend => PARTY_ROLES[role].backend;
