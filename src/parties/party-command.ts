/**
 * Administration of the platform, its parties and their API credentials:
 *   tps-hub platform init [--tps-code X] [--name NAME] [--broker-code V] [--directory-code V] [--tps-endpoint V]
 *   tps-hub parties add --code X --role AGR|BRP|DSO|REGULATOR --name NAME [--endpoint V]
 *   tps-hub parties list [--role R] [--json]
 *   tps-hub tokens issue --party X [--days N] [--label TEXT]
 *   tps-hub tokens list [--party X]
 *   tps-hub tokens revoke --jti ID
 * Every change is recorded in the audit log. The embedded database is used by one process at a
 * time: run these while the hub is stopped (or against PostgreSQL), then (re)start it.
 */
import { parseArgs } from 'node:util';
import { AUDIT_ACTIONS } from '../audit/actions.js';
import type { AuditTrail } from '../audit/record.js';
import type { Clock } from '../shared/clock.js';
import { HubError, isHubError } from '../shared/errors.js';
import type { Database } from '../shared/sql.js';
import { hostParty, initPlatform } from '../tps/platform.js';
import { getParty, listParties } from './registry.js';
import { ADDABLE_ROLES, isPartyRole } from './roles.js';
import { issueToken, listTokens, loadOrCreateTokenSigner, MAX_TOKEN_TTL_MS, revokeToken } from './tokens.js';

export interface PartyCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface PartyCommandDeps {
  readonly dataDir: string;
  readonly transportUrl: string;
  readonly clock: Clock;
  readonly audit: AuditTrail;
  readonly actor: string;
  openDatabase(): Promise<{ db: Database; close(): Promise<void> }>;
}

export const PARTY_USAGE = `Usage:
  tps-hub platform init [--tps-code X] [--name NAME] [--tps-endpoint V] [--broker-code V] [--directory-code V]
  tps-hub parties add --code X --role ${ADDABLE_ROLES.join('|')} --name NAME [--endpoint V]
  tps-hub parties list [--role ROLE] [--json]
  tps-hub tokens issue --party X [--days N] [--label TEXT]
  tps-hub tokens list [--party X]
  tps-hub tokens revoke --jti ID`;

const need = (v: Record<string, unknown>, name: string): string => {
  const x = v[name];
  if (typeof x !== 'string' || x === '') throw new HubError('CLI_USAGE', `--${name} is required`);
  return x;
};

export async function runPartyCommand(
  group: 'platform' | 'parties' | 'tokens',
  argv: readonly string[],
  io: PartyCommandIo,
  deps: PartyCommandDeps,
): Promise<number> {
  const [command, ...args] = argv;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  let opened: { db: Database; close(): Promise<void> } | undefined;
  const db = async () => (opened ??= await deps.openDatabase()).db;
  try {
    const platformDeps = async () => ({
      db: await db(),
      dataDir: deps.dataDir,
      clock: deps.clock,
      transportUrl: deps.transportUrl,
      audit: deps.audit,
      actor: deps.actor,
    });
    switch (`${group} ${command ?? ''}`) {
      case 'platform init': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: {
            'tps-code': { type: 'string' },
            name: { type: 'string' },
            'tps-endpoint': { type: 'string' },
            'broker-code': { type: 'string' },
            'directory-code': { type: 'string' },
          },
        });
        const p = await initPlatform(await platformDeps(), {
          ...(values['tps-code'] ? { tpsCode: values['tps-code'] } : {}),
          ...(values.name ? { name: values.name } : {}),
          ...(values['tps-endpoint'] ? { tpsEndpointCode: values['tps-endpoint'] } : {}),
          ...(values['broker-code'] ? { brokerCode: values['broker-code'] } : {}),
          ...(values['directory-code'] ? { directoryCode: values['directory-code'] } : {}),
        });
        out(
          `${p.created ? 'set up' : 'already set up:'} the platform: TPS ${p.tps.code} (endpoint ${p.tpsEndpointCode}), broker ${p.brokerCode}, at ${deps.transportUrl}`,
        );
        return 0;
      }
      case 'parties add': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: { code: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, endpoint: { type: 'string' } },
        });
        const role = need(values, 'role').toUpperCase();
        if (!isPartyRole(role) || role === 'TPS') throw new HubError('CLI_USAGE', `--role must be one of ${ADDABLE_ROLES.join(', ')}`);
        // a fresh data directory: set the platform up first, as `serve` would (idempotent)
        const platform = await initPlatform(await platformDeps());
        if (platform.created) out(`set up the platform: TPS ${platform.tps.code}, broker ${platform.brokerCode}, at ${deps.transportUrl}`);
        const party = await hostParty(await platformDeps(), {
          code: need(values, 'code'),
          role,
          name: need(values, 'name'),
          ...(values.endpoint ? { endpointCode: values.endpoint } : {}),
        });
        out(`added ${party.role} ${party.code} (${party.name})${party.endpointCode ? ` with endpoint ${party.endpointCode}` : ''}`);
        out(`  credentials: tps-hub tokens issue --party ${party.code}`);
        return 0;
      }
      case 'parties list': {
        const { values } = parseArgs({ args, strict: true, options: { role: { type: 'string' }, json: { type: 'boolean' } } });
        const role = values.role?.toUpperCase();
        if (role !== undefined && !isPartyRole(role))
          throw new HubError('CLI_USAGE', `--role must be one of ${ADDABLE_ROLES.join(', ')}, TPS`);
        const parties = await listParties(await db(), role);
        if (values.json) out(JSON.stringify(parties));
        else
          for (const p of parties)
            out(`${p.role.padEnd(9)} ${p.code}  ${p.endpointCode ?? '-'.padEnd(16)}  ${p.name}${p.suspendedAt ? '  (suspended)' : ''}`);
        return 0;
      }
      case 'tokens issue': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: { party: { type: 'string' }, days: { type: 'string' }, label: { type: 'string' } },
        });
        const code = need(values, 'party');
        const party = await getParty(await db(), code);
        if (!party || party.role === 'TPS') throw new HubError('PARTY_UNKNOWN', `no party ${code} (tps-hub parties list)`);
        const days = values.days === undefined ? 90 : Number(values.days);
        if (!Number.isInteger(days) || days < 1 || days * 86_400_000 > MAX_TOKEN_TTL_MS)
          throw new HubError('CLI_USAGE', '--days must be a whole number from 1 to 366');
        const signer = await loadOrCreateTokenSigner(await db(), deps.dataDir);
        const issued = await issueToken(await db(), signer, {
          party: party.code,
          role: party.role,
          label: values.label ?? '',
          ttlMs: days * 86_400_000,
          now: deps.clock.now(),
        });
        await (
          await db()
        ).transaction((tx) =>
          deps.audit.record(tx, {
            actor: deps.actor,
            action: AUDIT_ACTIONS.tokenIssued,
            subject: issued.jti,
            parties: [party.code],
            details: { expiresAt: issued.expiresAt, label: values.label ?? '' },
          }),
        );
        out(issued.token);
        io.stderr.write(
          `token ${issued.jti} for ${party.role} ${party.code}, valid until ${issued.expiresAt}; shown once, keep it secret\n`,
        );
        return 0;
      }
      case 'tokens list': {
        const { values } = parseArgs({ args, strict: true, options: { party: { type: 'string' } } });
        for (const t of await listTokens(await db(), values.party))
          out(`${t.jti}  ${t.party}  until ${t.expiresAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}  ${t.label}`);
        return 0;
      }
      case 'tokens revoke': {
        const { values } = parseArgs({ args, strict: true, options: { jti: { type: 'string' } } });
        const jti = need(values, 'jti');
        if (!(await revokeToken(await db(), jti, deps.clock.now()))) throw new HubError('CLI_USAGE', `no unrevoked token ${jti}`);
        await (
          await db()
        ).transaction((tx) => deps.audit.record(tx, { actor: deps.actor, action: AUDIT_ACTIONS.tokenRevoked, subject: jti, details: {} }));
        out(`revoked ${jti}`);
        return 0;
      }
      default:
        io.stderr.write(`${PARTY_USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (isHubError(e) || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`tps-hub ${group}: ${isHubError(e) ? `${e.code}: ` : ''}${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await opened?.close();
  }
}
