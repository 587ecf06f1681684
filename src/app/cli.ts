#!/usr/bin/env node
/**
 * `tps-hub` — one program, many subcommands:
 *   serve     run the hub (every role on the embedded default; `--roles` to split)
 *   validate  check IEC 62325 and UFTP documents against the XSDs (conformance testers)
 *   migrate   apply database migrations and exit
 *   config    print the effective configuration (secrets hidden)
 */
import { parseArgs } from 'node:util';
import { describeConfig, loadConfig, readConfigFile, type Config } from '../config/config.js';
import { HubError, isHubError } from '../shared/errors.js';
import type { Database, Queryable } from '../shared/sql.js';
import { migrate } from '../infra/db/migrate.js';
import { startHub, openStorage } from './hub.js';
import { createLogger } from './logger.js';
import { VERSION } from './version.js';

const HELP = `tps-hub ${VERSION} — message hub for distribution-grid flexibility

Usage:
  tps-hub serve [--config FILE] [--roles api,worker,...]
  tps-hub validate <file|dir>... [--json] [--schemas DIR]... [--max-bytes N]
  tps-hub migrate [--config FILE]
  tps-hub audit verify [--public-key FILE]... [--anchors FILE] [--json]
  tps-hub audit export [--party X] [--action A] [--subject S] [--from ISO] [--to ISO]
  tps-hub audit checkpoints | public-key
  tps-hub directory register|update|remove|list|revoke|path ... (tps-hub directory help)
  tps-hub certs init-ca|issue ... (tps-hub certs help)
  tps-hub endpoint token create|list|revoke ... (tps-hub endpoint help)
  tps-hub platform init [--tps-code X] [--name NAME]
  tps-hub parties add --code X --role AGR|BRP|DSO|REGULATOR --name NAME | parties list
  tps-hub tokens issue --party X [--days N] | tokens list | tokens revoke --jti ID
  tps-hub config [--config FILE]
  tps-hub help | --version

Settings come from the environment (and an optional JSON file); see README.md.
Exit codes: 0 ok, 1 invalid documents (validate) or runtime failure, 2 usage or configuration error.`;

function configFrom(argv: string[]): { config: Config; rest: string[] } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, roles: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const file = values.config ?? process.env.TPS_HUB_CONFIG;
  const env = values.roles ? { ...process.env, ROLES: values.roles } : process.env;
  return { config: loadConfig(env, file ? readConfigFile(file) : {}), rest: positionals };
}

async function serve(argv: string[]): Promise<number> {
  const { config } = configFrom(argv);
  const logger = createLogger(config.logLevel);
  const hub = await startHub(config, logger, { initPlatform: true });
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'signal received');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await hub.stop();
  // Everything is closed; should a library still hold a timer (a queue handler that never
  // settled keeps BullMQ's lock timers alive), exit anyway instead of lingering.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
  return 0;
}

async function runMigrate(argv: string[]): Promise<number> {
  const { config } = configFrom(argv);
  const { db, lock } = await openStorage(config);
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `applied migrations ${applied.join(', ')}\n` : 'schema up to date\n');
    return 0;
  } finally {
    await db.close();
    lock?.release();
  }
}

/** Storage for a one-shot command; closing it also releases the embedded data-directory lock. */
async function openStorageForCommand(config: Config): Promise<Database> {
  const { db, lock } = await openStorage(config);
  return {
    ...db,
    close: async () => {
      await db.close();
      lock?.release();
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'validate': {
      const { runValidate } = await import('../conformance/validate-command.js');
      return runValidate(rest, { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) });
    }
    case 'migrate':
      return runMigrate(rest);
    case 'endpoint': {
      const { runEndpointCommand } = await import('../endpoint/endpoint-command.js');
      const config = loadConfig(process.env, process.env.TPS_HUB_CONFIG ? readConfigFile(process.env.TPS_HUB_CONFIG) : {});
      return runEndpointCommand(
        rest,
        { stdout: process.stdout, stderr: process.stderr },
        {
          openDatabase: async () => {
            const db = await openStorageForCommand(config);
            await migrate(db);
            return { db, close: () => db.close() };
          },
        },
      );
    }
    case 'directory':
    case 'certs': {
      const { runCertsCommand, runDirectoryCommand, splitConfigOption } = await import('../directory/directory-command.js');
      const { auditKeyPath, createAuditTrail, createSealer, loadOrCreateAuditKey } = await import('../audit/index.js');
      const { systemClock } = await import('../shared/clock.js');
      const { configFile, rest: args } = splitConfigOption(rest);
      const file = configFile ?? process.env.TPS_HUB_CONFIG;
      const config = loadConfig(process.env, file ? readConfigFile(file) : {});
      const audit = createAuditTrail(systemClock);
      const deps = {
        dataDir: config.dataDir,
        openDatabase: async () => {
          const db = await openStorageForCommand(config);
          await migrate(db);
          // Seal what the command recorded right away, so `audit verify` sees it without a running hub.
          const seal = () => createSealer({ db, clock: systemClock, signer: loadOrCreateAuditKey(auditKeyPath(config.dataDir)) }).sealAll();
          return {
            db,
            close: async () => {
              try {
                await seal();
              } finally {
                await db.close();
              }
            },
          };
        },
        // every administrative change is recorded in the audit log, in its own transaction
        onChange: (tx: Queryable, c: { action: string; subject: string; parties?: readonly string[]; details?: Record<string, unknown> }) =>
          audit.record(tx, {
            actor: `cli:${process.env.USER ?? 'operator'}`,
            action: c.action,
            subject: c.subject,
            parties: [...(c.parties ?? [])],
            details: c.details ?? {},
          }),
      };
      const io = { stdout: process.stdout, stderr: process.stderr };
      return command === 'directory' ? runDirectoryCommand(args, io, deps) : runCertsCommand(args, io, deps);
    }
    case 'platform':
    case 'parties':
    case 'tokens': {
      const { runPartyCommand } = await import('../parties/party-command.js');
      const { auditKeyPath, createAuditTrail, createSealer, loadOrCreateAuditKey } = await import('../audit/index.js');
      const { systemClock } = await import('../shared/clock.js');
      const { configFile, rest: args } = (await import('../directory/directory-command.js')).splitConfigOption(rest);
      const file = configFile ?? process.env.TPS_HUB_CONFIG;
      const config = loadConfig(process.env, file ? readConfigFile(file) : {});
      return runPartyCommand(
        command,
        args,
        { stdout: process.stdout, stderr: process.stderr },
        {
          dataDir: config.dataDir,
          transportUrl: config.transport.publicUrl,
          clock: systemClock,
          audit: createAuditTrail(systemClock),
          actor: `cli:${process.env.USER ?? 'operator'}`,
          openDatabase: async () => {
            const db = await openStorageForCommand(config);
            await migrate(db);
            const seal = () =>
              createSealer({ db, clock: systemClock, signer: loadOrCreateAuditKey(auditKeyPath(config.dataDir)) }).sealAll();
            return {
              db,
              close: async () => {
                try {
                  await seal();
                } finally {
                  await db.close();
                }
              },
            };
          },
        },
      );
    }
    case 'audit': {
      const { runAuditCommand } = await import('../audit/audit-command.js');
      const config = loadConfig(process.env, process.env.TPS_HUB_CONFIG ? readConfigFile(process.env.TPS_HUB_CONFIG) : {});
      return runAuditCommand(
        rest,
        { stdout: process.stdout, stderr: process.stderr },
        { openDatabase: () => openStorageForCommand(config), dataDir: config.dataDir },
      );
    }
    case 'config':
      process.stdout.write(`${JSON.stringify(describeConfig(configFrom(rest).config), null, 2)}\n`);
      return 0;
    case '--version':
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new HubError('CLI_USAGE', `unknown command ${JSON.stringify(command)}; run tps-hub help`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isHubError(e)) {
      process.stderr.write(`tps-hub: ${e.code}: ${e.message}\n`);
      process.exitCode = e.code === 'CONFIG_INVALID' || e.code === 'CLI_USAGE' ? 2 : 1;
    } else if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tps-hub: CLI_USAGE: ${(e as Error).message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`tps-hub: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
