/**
 * The hosted platform (docs/tps.md §Platform): the network the Trade Permission System runs on —
 * the component directory (also the CA), one broker, the TPS's own endpoint — and, per party, the
 * endpoint the hub hosts for it. `initPlatform` sets the network up once (idempotent);
 * `hostParty` registers a party and its endpoint. Message paths are declared so that a party's
 * endpoint accepts documents from the TPS endpoint only: AGR/BRP and DSO can never talk to each
 * other directly (F1), the directory itself refuses such a route.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, readCertificateAuthority, writeCertificateAuthority } from '../crypto/ca.js';
import { createDirectory, type Directory } from '../directory/directory.js';
import { issueComponentKeys } from '../directory/provision.js';
import { checkPartyInput, getParty, insertParty, tpsParty, type Party, type PartyInput } from '../parties/registry.js';
import { PARTY_ROLES } from '../parties/roles.js';
import type { Clock } from '../shared/clock.js';
import { AUDIT_ACTIONS } from '../audit/actions.js';
import type { AuditTrail } from '../audit/record.js';
import { HubError } from '../shared/errors.js';
import type { Database } from '../shared/sql.js';

/** Default codes of a new platform (EIC, issuing office 10); `platform init` options replace them. */
export const DEFAULT_PLATFORM = {
  tpsCode: '10XTPS-PLATFORMJ',
  tpsEndpointCode: '10VTPS-PLATFORMA',
  directoryCode: '10VTPS-DIRECTRYA',
  brokerCode: '10VTPS-BROKER--J',
  name: 'Trade Permission System',
} as const;

export interface PlatformDeps {
  readonly db: Database;
  readonly dataDir: string;
  readonly clock: Clock;
  /** https://host:port where this hub's components are reached (TRANSPORT_PUBLIC_URL). */
  readonly transportUrl: string;
  /** Every change is audited: directory changes, the platform, each party (docs/audit.md). */
  readonly audit: AuditTrail;
  /** Who made the change, for the audit log (`cli:<user>`, `system`). */
  readonly actor: string;
}

export interface PlatformOptions {
  readonly tpsCode?: string;
  readonly tpsEndpointCode?: string;
  readonly directoryCode?: string;
  readonly brokerCode?: string;
  readonly name?: string;
}

export interface Platform {
  readonly tps: Party;
  readonly tpsEndpointCode: string;
  readonly brokerCode: string;
  /** true when this call created it. */
  readonly created: boolean;
}

const caDir = (dataDir: string) => join(dataDir, 'keys', 'ca');

function openDirectory(deps: PlatformDeps): Directory {
  return createDirectory({
    db: deps.db,
    clock: deps.clock,
    ca: () => readCertificateAuthority(caDir(deps.dataDir)),
    onChange: (tx, c) =>
      deps.audit.record(tx, {
        actor: deps.actor,
        action: c.action,
        subject: c.subject,
        parties: [...(c.parties ?? [])],
        details: c.details ?? {},
      }),
  });
}

const audited = (deps: PlatformDeps, action: string, party: Party) =>
  deps.db.transaction((tx) =>
    deps.audit.record(tx, {
      actor: deps.actor,
      action,
      subject: party.code,
      parties: [party.code],
      details: { role: party.role, name: party.name, ...(party.endpointCode ? { endpoint: party.endpointCode } : {}) },
    }),
  );

/** The platform as set up, or undefined when `initPlatform` has not run on this database. */
export async function findPlatform(db: Database): Promise<Omit<Platform, 'created'> | undefined> {
  const tps = await tpsParty(db);
  if (!tps?.endpointCode) return undefined;
  const { rows } = await db.query<{ code: string }>(`select code from directory_components where type = 'BROKER' order by code limit 1`);
  const brokerCode = rows[0]?.code;
  if (brokerCode === undefined) return undefined;
  return { tps, tpsEndpointCode: tps.endpointCode, brokerCode };
}

export async function requirePlatform(db: Database): Promise<Omit<Platform, 'created'>> {
  const p = await findPlatform(db);
  if (!p) throw new HubError('TPS_PLATFORM_MISSING');
  return p;
}

/** Sets the platform up (CA, broker, TPS endpoint, TPS party) unless it exists; never overwrites keys. */
export async function initPlatform(deps: PlatformDeps, options: PlatformOptions = {}): Promise<Platform> {
  const existing = await findPlatform(deps.db);
  if (existing) return { ...existing, created: false };
  const o = { ...DEFAULT_PLATFORM, ...options };
  const dir = caDir(deps.dataDir);
  if (!existsSync(join(dir, 'ca.key'))) {
    const ca = await createCertificateAuthority({ code: o.directoryCode, organisation: o.name, now: deps.clock.now() });
    writeCertificateAuthority(dir, ca);
  }
  const directory = openDirectory(deps);
  const component = (code: string, type: 'BROKER' | 'ENDPOINT', marketRoles: string[]) =>
    directory.registerComponent({ code, type, organisation: o.name, organisationCode: o.tpsCode, marketRoles, urls: [deps.transportUrl] });
  if (!(await directory.getComponent(o.brokerCode))) {
    await component(o.brokerCode, 'BROKER', []);
    await issueComponentKeys(directory, deps.dataDir, o.brokerCode);
  }
  if (!(await directory.getComponent(o.tpsEndpointCode))) {
    await component(o.tpsEndpointCode, 'ENDPOINT', [PARTY_ROLES.TPS.marketRole]);
    await issueComponentKeys(directory, deps.dataDir, o.tpsEndpointCode);
    // The TPS endpoint takes documents from every party's endpoint, through the broker.
    await directory.addMessagePath({ receiverCode: o.tpsEndpointCode, messageType: '*', senders: '*', path: { broker: o.brokerCode } });
  }
  const tps =
    (await getParty(deps.db, o.tpsCode)) ??
    (await insertParty(deps.db, { code: o.tpsCode, role: 'TPS', name: o.name, endpointCode: o.tpsEndpointCode }));
  await directory.publishDocument();
  await audited(deps, AUDIT_ACTIONS.platformInitialised, tps);
  return { tps, tpsEndpointCode: o.tpsEndpointCode, brokerCode: o.brokerCode, created: true };
}

/** Registers a party; for AGR, BRP and DSO also its hosted endpoint, certificates and message path. */
export async function hostParty(deps: PlatformDeps, input: PartyInput): Promise<Party> {
  const platform = await requirePlatform(deps.db);
  const directory = openDirectory(deps);
  const wanted = checkPartyInput(input).party.endpointCode;
  if (wanted !== undefined && (await directory.getComponent(wanted)))
    throw new HubError('PARTY_EXISTS', `a component ${wanted} is already registered in the directory`);
  const party = await insertParty(deps.db, input);
  const endpointCode = party.endpointCode;
  if (endpointCode === undefined) {
    await audited(deps, AUDIT_ACTIONS.partyAdded, party);
    return party;
  }
  try {
    await provisionEndpoint(directory, deps, platform, party, endpointCode);
  } catch (e) {
    // nothing half-written: without its endpoint the party is not registered either (the
    // component was free before, so what is registered under its code now is ours)
    await directory.removeComponent(endpointCode).catch(() => undefined);
    await deps.db.query('delete from parties where code = $1', [party.code]);
    throw e;
  }
  await audited(deps, AUDIT_ACTIONS.partyAdded, party);
  return party;
}

async function provisionEndpoint(
  directory: Directory,
  deps: PlatformDeps,
  platform: Omit<Platform, 'created'>,
  party: Party,
  endpointCode: string,
): Promise<void> {
  const role = PARTY_ROLES[party.role].marketRole;
  await directory.registerComponent({
    code: endpointCode,
    type: 'ENDPOINT',
    organisation: party.name,
    organisationCode: party.code,
    marketRoles: role ? [role] : [],
    urls: [deps.transportUrl],
  });
  await issueComponentKeys(directory, deps.dataDir, endpointCode);
  // Only the TPS may send to a party (F1: AGR/BRP and DSO never talk directly).
  await directory.addMessagePath({
    receiverCode: endpointCode,
    messageType: '*',
    senders: [platform.tpsEndpointCode],
    path: { broker: platform.brokerCode },
  });
  await directory.publishDocument();
}
