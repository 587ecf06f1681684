/**
 * The component directory's model and its input validation.
 *
 * Validation reports every problem at once, each with a field path (`marketRoles[1]`,
 * `path.broker`), as a DIRECTORY_INPUT_INVALID HubError whose `details.problems` lists them.
 * Timestamps are ISO-8601 strings in UTC (they travel as JSON in the directory document).
 */
import type { CertificateUsage } from '../crypto/ca.js';
import { CERTIFICATE_USAGES } from '../crypto/ca.js';
import { isCode } from '../iec62325/codelists/index.js';
import { HubError } from '../shared/errors.js';
import { eicProblem } from './eic.js';

export const COMPONENT_TYPES = ['ENDPOINT', 'BROKER', 'COMPONENT_DIRECTORY'] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

export const COMPONENT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** RFC 5280 CRLReason names accepted for revocation. */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export const URL_PROTOCOLS = ['https:', 'amqps:'] as const;

export interface Contact {
  readonly person?: string;
  readonly email?: string;
  readonly phone?: string;
}

export interface Component {
  /** EIC V-code. */
  readonly code: string;
  readonly type: ComponentType;
  readonly organisation: string;
  /** The organisation's EIC X-code. */
  readonly organisationCode: string;
  /** RoleTypeList codes (A04 system operator, A08 BRP, A50 DSO, A52 aggregator, A56 FSP, …). */
  readonly marketRoles: readonly string[];
  /** https:// (directory, endpoint API) and amqps:// (broker) addresses. */
  readonly urls: readonly string[];
  readonly contact?: Contact;
  readonly status: ComponentStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ComponentInput {
  readonly code: string;
  readonly type: ComponentType;
  readonly organisation: string;
  readonly organisationCode: string;
  readonly marketRoles?: readonly string[];
  readonly urls?: readonly string[];
  readonly contact?: Contact;
  readonly status?: ComponentStatus;
}

/** Fields to change; `contact: null` removes the contact. */
export interface ComponentPatch {
  readonly type?: ComponentType;
  readonly organisation?: string;
  readonly organisationCode?: string;
  readonly marketRoles?: readonly string[];
  readonly urls?: readonly string[];
  readonly contact?: Contact | null;
  readonly status?: ComponentStatus;
}

export interface CertificateRecord {
  /** Upper-case hex, as Node prints it. */
  readonly serial: string;
  readonly componentCode: string;
  readonly usage: CertificateUsage;
  readonly pem: string;
  readonly fingerprint256: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  readonly revokedAt?: string;
  readonly revocationReason?: RevocationReason;
  /** Set on a renewal: the certificate this one follows. */
  readonly replacesSerial?: string;
}

/** DIRECT, or through the broker with this component code (ECP's `INDIRECT:<broker>`). */
export type MessagePathRoute = 'DIRECT' | { readonly broker: string };

/** Declared by the receiver: which message types from which senders arrive how. */
export interface MessagePath {
  readonly id: string;
  readonly receiverCode: string;
  /** A message type (businessType) or '*' for any. */
  readonly messageType: string;
  /** '*' for any sender, or the sender component codes. */
  readonly senders: '*' | readonly string[];
  readonly path: MessagePathRoute;
  readonly validFrom: string;
  readonly validTo?: string;
}

export interface MessagePathInput {
  readonly receiverCode: string;
  readonly messageType: string;
  readonly senders: '*' | readonly string[];
  readonly path: MessagePathRoute;
  /** Default: now. */
  readonly validFrom?: string | Date;
  readonly validTo?: string | Date;
}

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Collects problems; `throwIfAny` raises one DIRECTORY_INPUT_INVALID listing them all. */
export class Problems {
  readonly list: Problem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  throwIfAny(what: string): void {
    if (this.list.length === 0) return;
    const text = this.list.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new HubError('DIRECTORY_INPUT_INVALID', `${what}: ${text}`, { problems: this.list });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const MESSAGE_TYPE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

function text(p: Problems, path: string, v: unknown, max: number, required: boolean): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    p.add(path, 'is required');
    return undefined;
  }
  if (v.length > max) p.add(path, `must be at most ${max} characters`);
  else if (CONTROL.test(v)) p.add(path, 'must not contain control characters');
  return v;
}

function oneOf<T extends string>(p: Problems, path: string, v: unknown, allowed: readonly T[]): T | undefined {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  p.add(path, `must be one of ${allowed.join(', ')}${v === undefined ? '' : `, got ${JSON.stringify(v)}`}`);
  return undefined;
}

function eic(p: Problems, path: string, v: unknown, type: 'V' | 'X'): void {
  const problem = eicProblem(v, type);
  if (problem) p.add(path, problem);
}

function roles(p: Problems, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    p.add(path, 'must be a list of RoleTypeList codes');
    return;
  }
  const seen = new Set<string>();
  v.forEach((r, i) => {
    if (typeof r !== 'string' || !isCode('RoleTypeList', r))
      p.add(`${path}[${i}]`, `${JSON.stringify(r)} is not a RoleTypeList code (e.g. A04, A08, A50, A52, A56)`);
    else if (seen.has(r)) p.add(`${path}[${i}]`, `${r} is listed twice`);
    else seen.add(r);
  });
}

function urls(p: Problems, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    p.add(path, 'must be a list of URLs');
    return;
  }
  v.forEach((u, i) => {
    let parsed: URL | undefined;
    try {
      parsed = typeof u === 'string' ? new URL(u) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed) p.add(`${path}[${i}]`, `${JSON.stringify(u)} is not a URL`);
    else if (!(URL_PROTOCOLS as readonly string[]).includes(parsed.protocol))
      p.add(`${path}[${i}]`, `must start with ${URL_PROTOCOLS.map((x) => `${x}//`).join(' or ')}`);
    else if (parsed.username || parsed.password) p.add(`${path}[${i}]`, 'must not contain credentials');
  });
  if (v.length > 10) p.add(path, 'at most 10 URLs');
}

function contact(p: Problems, path: string, v: unknown): void {
  if (!isRecord(v)) {
    p.add(path, 'must be an object {person?, email?, phone?}');
    return;
  }
  for (const key of Object.keys(v)) if (!['person', 'email', 'phone'].includes(key)) p.add(`${path}.${key}`, 'is not a contact field');
  text(p, `${path}.person`, v.person, 128, false);
  const email = text(p, `${path}.email`, v.email, 254, false);
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) p.add(`${path}.email`, 'is not an e-mail address');
  const phone = text(p, `${path}.phone`, v.phone, 32, false);
  if (phone !== undefined && !/^\+?[0-9 ()./-]{3,32}$/.test(phone)) p.add(`${path}.phone`, 'is not a phone number');
}

function unknownKeys(p: Problems, v: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(v)) if (!allowed.includes(key)) p.add(key, 'is not a known field');
}

const COMPONENT_FIELDS = ['code', 'type', 'organisation', 'organisationCode', 'marketRoles', 'urls', 'contact', 'status'] as const;

function componentRules(p: Problems, v: Record<string, unknown>): void {
  if (v.type !== undefined) oneOf(p, 'type', v.type, COMPONENT_TYPES);
  if (v.organisation !== undefined) text(p, 'organisation', v.organisation, 64, true);
  if (v.organisationCode !== undefined) eic(p, 'organisationCode', v.organisationCode, 'X');
  if (v.marketRoles !== undefined) roles(p, 'marketRoles', v.marketRoles);
  if (v.urls !== undefined) urls(p, 'urls', v.urls);
  if (v.contact !== undefined && v.contact !== null) contact(p, 'contact', v.contact);
  if (v.status !== undefined) oneOf(p, 'status', v.status, COMPONENT_STATUSES);
}

/** An endpoint speaks for an organisation in some market role; brokers and directories need none. */
function endpointRule(p: Problems, type: unknown, marketRoles: unknown): void {
  if (type === 'ENDPOINT' && (marketRoles === undefined || (Array.isArray(marketRoles) && marketRoles.length === 0))) {
    p.add('marketRoles', 'an endpoint needs at least one market role');
  }
}

export function validateComponentInput(input: unknown): ComponentInput {
  const p = new Problems();
  if (!isRecord(input)) {
    p.add('(component)', 'must be an object');
    p.throwIfAny('component');
  }
  const v = input as Record<string, unknown>;
  unknownKeys(p, v, COMPONENT_FIELDS);
  eic(p, 'code', v.code, 'V');
  if (v.type === undefined) p.add('type', `is required (${COMPONENT_TYPES.join(', ')})`);
  if (v.organisation === undefined) p.add('organisation', 'is required');
  if (v.organisationCode === undefined) p.add('organisationCode', "is required (the organisation's EIC X-code)");
  componentRules(p, v);
  endpointRule(p, v.type, v.marketRoles);
  p.throwIfAny(`component ${typeof v.code === 'string' ? v.code : ''}`.trim());
  return v as unknown as ComponentInput;
}

export function validateComponentPatch(patch: unknown, current: Component): ComponentPatch {
  const p = new Problems();
  if (!isRecord(patch)) {
    p.add('(patch)', 'must be an object');
    p.throwIfAny('component update');
  }
  const v = patch as Record<string, unknown>;
  unknownKeys(
    p,
    v,
    COMPONENT_FIELDS.filter((f) => f !== 'code'),
  );
  if ('code' in v) p.add('code', 'cannot be changed; remove the component and register the new code');
  componentRules(p, v);
  // judged on the result of the patch
  endpointRule(p, v.type ?? current.type, v.marketRoles ?? current.marketRoles);
  p.throwIfAny(`component ${current.code}`);
  return v;
}

function instant(p: Problems, path: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const d = v instanceof Date ? v : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    p.add(path, 'must be an ISO-8601 date-time (2026-01-01T00:00:00Z)');
    return undefined;
  }
  return d.toISOString();
}

/** Validates a message path; `now` fills a missing validFrom. Returns the normalised fields. */
export function validateMessagePathInput(input: unknown, now: Date): Omit<MessagePath, 'id'> {
  const p = new Problems();
  if (!isRecord(input)) {
    p.add('(message path)', 'must be an object');
    p.throwIfAny('message path');
  }
  const v = input as Record<string, unknown>;
  unknownKeys(p, v, ['receiverCode', 'messageType', 'senders', 'path', 'validFrom', 'validTo']);
  eic(p, 'receiverCode', v.receiverCode, 'V');
  if (typeof v.messageType !== 'string' || (v.messageType !== '*' && !MESSAGE_TYPE.test(v.messageType))) {
    p.add('messageType', "must be a message type (letters, digits, . _ : -, at most 64) or '*'");
  }
  let senders: '*' | string[] = '*';
  if (v.senders === '*') senders = '*';
  else if (Array.isArray(v.senders) && v.senders.length > 0) {
    const seen = new Set<string>();
    v.senders.forEach((s, i) => {
      const problem = eicProblem(s, 'V');
      if (problem) p.add(`senders[${i}]`, problem);
      else if (seen.has(s as string)) p.add(`senders[${i}]`, `${String(s)} is listed twice`);
      else seen.add(s as string);
    });
    senders = [...seen].sort();
  } else p.add('senders', "must be '*' or a non-empty list of sender component codes");
  let path: MessagePathRoute = 'DIRECT';
  if (v.path === 'DIRECT') path = 'DIRECT';
  else if (isRecord(v.path) && typeof v.path.broker === 'string') {
    const problem = eicProblem(v.path.broker, 'V');
    if (problem) p.add('path.broker', problem);
    path = { broker: v.path.broker };
  } else p.add('path', "must be 'DIRECT' or { broker: <broker component code> }");
  const validFrom = instant(p, 'validFrom', v.validFrom) ?? now.toISOString();
  const validTo = instant(p, 'validTo', v.validTo);
  if (validTo !== undefined && validTo <= validFrom) p.add('validTo', 'must be after validFrom');
  p.throwIfAny('message path');
  return {
    receiverCode: v.receiverCode as string,
    messageType: v.messageType as string,
    senders,
    path,
    validFrom,
    ...(validTo !== undefined ? { validTo } : {}),
  };
}

export function validateRevocationReason(reason: unknown): RevocationReason {
  if (typeof reason === 'string' && (REVOCATION_REASONS as readonly string[]).includes(reason)) return reason as RevocationReason;
  throw new HubError(
    'DIRECTORY_INPUT_INVALID',
    `revocation reason must be one of ${REVOCATION_REASONS.join(', ')}; got ${JSON.stringify(reason)}`,
    {
      problems: [{ path: 'reason', message: `must be one of ${REVOCATION_REASONS.join(', ')}` }],
    },
  );
}

export function validateUsage(usage: unknown): CertificateUsage {
  if ((CERTIFICATE_USAGES as readonly unknown[]).includes(usage)) return usage as CertificateUsage;
  throw new HubError('DIRECTORY_INPUT_INVALID', `usage must be one of ${CERTIFICATE_USAGES.join(', ')}; got ${JSON.stringify(usage)}`, {
    problems: [{ path: 'usage', message: `must be one of ${CERTIFICATE_USAGES.join(', ')}` }],
  });
}
