/**
 * Party scope: every query of a backend store takes one and names its party in the WHERE clause,
 * so a handler cannot read or change another party's rows even by mistake (NF3; the privacy test
 * matrix in test/integration/tps checks every route). A scope is made only from a verified caller
 * (`scopeOf`) or by the backend's own document handling for the party whose endpoint received the
 * document (`scopeForEndpointOwner`).
 */
import type { Caller } from '../parties/tokens.js';
import type { PartyRole } from '../parties/roles.js';

declare const scoped: unique symbol;

export interface PartyScope {
  readonly party: string;
  readonly role: PartyRole;
  readonly [scoped]: true;
}

export const scopeOf = (caller: Caller): PartyScope => ({ party: caller.party, role: caller.role }) as PartyScope;

/** The scope of the party a hosted endpoint belongs to (used by that backend's inbox consumer). */
export const scopeForEndpointOwner = (party: { readonly code: string; readonly role: PartyRole }): PartyScope =>
  ({ party: party.code, role: party.role }) as PartyScope;
