/**
 * Admin CLI of business-application API tokens (wired into `tps-hub` by src/app/cli.ts):
 *
 *   tps-hub endpoint token create --endpoint V [--label TEXT]
 *   tps-hub endpoint token list   [--endpoint V] [--json]
 *   tps-hub endpoint token revoke --id ID
 *
 * A token authenticates a business application to the endpoint API (raml/endpoint.raml,
 * docs/endpoint-api.md) for exactly one endpoint. `create` prints the token once; only its
 * SHA-256 is stored, and tokens are named by the first 12 hex characters of it (the id).
 *
 * Exit status: 0 done, 1 refused or failed (the error code is printed), 2 usage error.
 */
import { parseArgs } from 'node:util';
import { eicProblem, isEic } from '../directory/eic.js';
import type { CommandIo } from '../directory/directory-command.js';
import { HubError, isHubError } from '../shared/errors.js';
import type { Database } from '../shared/sql.js';
import { createToken, listTokens, revokeToken, type TokenInfo } from './tokens.js';

export type { CommandIo } from '../directory/directory-command.js';

export interface EndpointCommandDeps {
  /** Opens the hub's database with migrations applied; `close` releases it (and the data-dir lock). */
  openDatabase(): Promise<{ readonly db: Database; close(): Promise<void> }>;
}

export const ENDPOINT_USAGE = `Usage: tps-hub endpoint token <command> [options]
  token create --endpoint V [--label TEXT]   new API token for the hosted endpoint V; the token is
                                             printed once (only its SHA-256 is stored)
  token list   [--endpoint V] [--json]       tokens: id, endpoint, label, created, revoked
  token revoke --id ID                       revoke the token with that id (from create or list);
                                             takes effect within 5 seconds
Business applications send the token as "Authorization: Bearer <token>" (docs/endpoint-api.md).
Exit status: 0 done, 1 refused or failed, 2 usage error.`;

const ID_PATTERN = /^[0-9a-f]{12,64}$/;
const MAX_LABEL = 200;
// eslint-disable-next-line no-control-regex -- the control characters are what we look for
const CONTROL = /[\u0000-\u001f\u007f]/;

class UsageError extends Error {}

function write(io: CommandIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function endpointCode(v: string): string {
  const problem = isEic(v) ? undefined : (eicProblem(v) ?? 'not an EIC code');
  if (problem !== undefined) throw new UsageError(`--endpoint ${JSON.stringify(v)}: not a valid EIC code (${problem})`);
  return v;
}

async function run(io: CommandIo, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`tps-hub endpoint: ${(e as Error).message}\n\n${ENDPOINT_USAGE}\n`);
      return 2;
    }
    if (isHubError(e)) {
      io.stderr.write(`tps-hub endpoint: ${e.code}: ${e.message}\n`);
      return e.code === 'CLI_USAGE' ? 2 : 1;
    }
    throw e;
  }
}

async function withDatabase<T>(deps: EndpointCommandDeps, fn: (db: Database) => Promise<T>): Promise<T> {
  const opened = await deps.openDatabase();
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

function tokenTable(tokens: readonly TokenInfo[]): string[] {
  const rows = [
    ['ID', 'ENDPOINT', 'LABEL', 'CREATED', 'REVOKED'],
    ...tokens.map((t) => [t.id, t.endpointCode, t.label || '-', t.createdAt, t.revokedAt ?? '-']),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

// ---------------------------------------------------------------------------------------------------------
// tps-hub endpoint …

export async function runEndpointCommand(argv: readonly string[], io: CommandIo, deps: EndpointCommandDeps): Promise<number> {
  const [command, ...rest] = argv;
  return run(io, async () => {
    switch (command) {
      case 'token':
        return tokenCommand(rest, io, deps);
      case undefined:
      case 'help':
      case '--help':
        write(io, ENDPOINT_USAGE);
        if (command === undefined) throw new UsageError('a command is required');
        return;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  });
}

async function tokenCommand(argv: readonly string[], io: CommandIo, deps: EndpointCommandDeps): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'create': {
      const { values } = parseArgs({ args, strict: true, options: { endpoint: { type: 'string' }, label: { type: 'string' } } });
      const endpoint = endpointCode(need(values, 'endpoint'));
      const label = values.label ?? '';
      if (label.length > MAX_LABEL || CONTROL.test(label))
        throw new UsageError(`--label must be at most ${MAX_LABEL} printable characters`);
      const created = await withDatabase(deps, (db) => createToken(db, endpoint, label));
      write(io, `created API token ${created.id} for endpoint ${endpoint}${label ? ` (${label})` : ''}`);
      write(io, `token: ${created.token}`);
      write(io, 'Store the token now: it is not shown again (only its SHA-256 is kept).');
      return;
    }
    case 'list': {
      const { values } = parseArgs({ args, strict: true, options: { endpoint: { type: 'string' }, json: { type: 'boolean' } } });
      const endpoint = values.endpoint === undefined ? undefined : endpointCode(values.endpoint);
      const tokens = await withDatabase(deps, (db) => listTokens(db, endpoint));
      if (values.json) write(io, JSON.stringify(tokens, null, 2));
      else if (tokens.length === 0) write(io, endpoint ? `no API tokens for endpoint ${endpoint}` : 'no API tokens');
      else for (const line of tokenTable(tokens)) write(io, line);
      return;
    }
    case 'revoke': {
      const { values } = parseArgs({ args, strict: true, options: { id: { type: 'string' } } });
      const id = need(values, 'id').toLowerCase();
      if (!ID_PATTERN.test(id))
        throw new HubError(
          'TRANSPORT_INPUT_INVALID',
          `--id ${id}: give the token id shown by token create or token list (12 hex characters)`,
        );
      const revoked = await withDatabase(deps, (db) => revokeToken(db, id));
      if (revoked === 0)
        throw new HubError('TRANSPORT_INPUT_INVALID', `no active API token with id ${id} (see tps-hub endpoint token list)`, { id });
      write(io, revoked === 1 ? `revoked API token ${id}` : `revoked ${revoked} API tokens with id ${id}`);
      return;
    }
    case undefined:
      throw new UsageError('a token command is required (create, list, revoke)');
    case 'help':
    case '--help':
      write(io, ENDPOINT_USAGE);
      return;
    default:
      throw new UsageError(`unknown token command ${JSON.stringify(command)} (create, list, revoke)`);
  }
}
