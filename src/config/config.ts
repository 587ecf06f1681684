/**
 * The hub's one configuration object, validated once at start-up.
 *
 * Sources, later wins: built-in defaults < an optional JSON file (`--config FILE` or
 * `TPS_HUB_CONFIG`) < environment variables. Keys are the environment variable names in both
 * places, so the README table, the file and the environment all speak one vocabulary.
 * A bad value stops start-up with a `CONFIG_INVALID` error that names the setting.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { HubError } from '../shared/errors.js';
import { HUB_ROLES, type HubRole } from './roles.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
/** An absent or empty value takes the default before validation. */
const withDefault = <S extends z.ZodType>(def: z.input<S>, schema: S) =>
  z.preprocess((v) => (v === '' || v === undefined ? def : v), schema);
const int = (min: number, max: number, def: number) => withDefault(def, z.coerce.number().int().min(min).max(max));
const protocolOf = (u: string): string | undefined => {
  try {
    return new URL(u).protocol;
  } catch {
    return undefined;
  }
};
const url = (protocols: readonly string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url()
      .refine((u) => protocols.includes(protocolOf(u) ?? ''), {
        message: `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      })
      .optional(),
  );

/** Every setting, with its default and its documentation (the README table is checked against it). */
export const SETTINGS = {
  DATABASE_URL: {
    schema: url(['postgres:', 'postgresql:']),
    doc: 'PostgreSQL connection URL. Absent: embedded PGlite in DATA_DIR/pglite.',
  },
  DATABASE_SCHEMA: {
    schema: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
        .optional(),
    ),
    doc: "PostgreSQL schema for the hub's tables (created if missing). Absent: the server default (public).",
  },
  DATABASE_PREPARED_STATEMENTS: {
    schema: withDefault(
      'true',
      z.enum(['true', 'false']).transform((v) => v === 'true'),
    ),
    doc: 'true/false: PostgreSQL server-side prepared statements for repeated statements (false behind a pooler in transaction mode without prepared-statement support, e.g. PgBouncer before 1.21).',
  },
  REDIS_URL: {
    schema: url(['redis:', 'rediss:']),
    doc: 'Redis URL for the BullMQ queue driver. Absent: in-process queue.',
  },
  HOST: { schema: withDefault('127.0.0.1', z.string().min(1)), doc: 'Listen address.' },
  PORT: { schema: int(0, 65535, 8080), doc: 'Listen port (0 = any free port).' },
  DATA_DIR: { schema: withDefault('./data', z.string().min(1)), doc: 'Data directory (embedded database, keys).' },
  LOG_LEVEL: { schema: withDefault('info', z.enum(LOG_LEVELS)), doc: `Log level: ${LOG_LEVELS.join(', ')}.` },
  XML_MAX_BYTES: { schema: int(1024, 1024 * 1024 * 1024, 10 * 1024 * 1024), doc: 'Largest XML document accepted, in bytes.' },
  XML_MAX_DEPTH: { schema: int(8, 1024, 64), doc: 'Deepest element nesting accepted in XML documents.' },
  SHUTDOWN_TIMEOUT_MS: { schema: int(0, 600_000, 10_000), doc: 'How long a graceful shutdown waits for requests and jobs to drain.' },
  QUEUE_PREFIX: { schema: withDefault('tps-hub', z.string().regex(/^[A-Za-z0-9_-]+$/)), doc: 'Prefix of the BullMQ keys in Redis.' },
  TRANSPORT_PORT: { schema: int(0, 65535, 8443), doc: 'Component-to-component HTTPS port with mutual TLS (0 = any free port).' },
  TRANSPORT_MAX_CONTENT_BYTES: {
    schema: int(1, 256 * 1024 * 1024, 10 * 1024 * 1024),
    doc: 'Largest message content an endpoint accepts for sending, in bytes.',
  },
  TRANSPORT_CRYPTO_THREADS: {
    schema: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(64).optional()),
    doc: 'Worker threads that seal and open messages (0 = on the event loop). Absent: one per core beyond the first, at most 4.',
  },
  DIRECTORY_URL: {
    schema: url(['https:']),
    doc: 'Base URL of the component directory. Absent: this process must run the directory role.',
  },
  CA_CERT: {
    schema: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
    doc: 'Path of the directory CA certificate (trust anchor). Absent: DATA_DIR/keys/ca/ca.crt.',
  },
  HOSTED_COMPONENTS: {
    schema: withDefault(
      [],
      z.preprocess(
        (v) =>
          typeof v === 'string'
            ? v
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : v,
        z.array(z.string().regex(/^[0-9A-Z-]{16}$/, 'must be EIC codes')),
      ),
    ),
    doc: 'Comma-separated codes of the brokers and endpoints this process hosts. Absent: every component with keys in DATA_DIR/keys.',
  },
  TRANSPORT_PUBLIC_URL: {
    schema: url(['https:']),
    doc: "https URL where other components reach this hub's component server (registered in the directory by `platform init` and `parties add`). Absent: https://127.0.0.1:TRANSPORT_PORT.",
  },
  TPS_ACK_WAIT_MS: {
    schema: int(0, 60_000, 10_000),
    doc: "How long a backend REST write waits for the TPS's acknowledgement before it answers 202 (a request can ask with ?wait=).",
  },
  ROLES: {
    schema: withDefault(
      [...HUB_ROLES],
      z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v), z.array(z.enum(HUB_ROLES)).min(1)),
    ),
    doc: `Comma-separated roles this process runs: ${HUB_ROLES.join(', ')} (default: all).`,
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string | undefined;
  readonly databasePreparedStatements: boolean;
  readonly redisUrl: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly xml: { readonly maxBytes: number; readonly maxDepth: number };
  readonly shutdownTimeoutMs: number;
  readonly queuePrefix: string;
  readonly roles: readonly HubRole[];
  readonly transport: {
    readonly port: number;
    readonly maxContentBytes: number;
    /** undefined: defaultProtectionThreads(cores) */
    readonly cryptoThreads: number | undefined;
    readonly directoryUrl: string | undefined;
    readonly caCert: string | undefined;
    readonly hostedComponents: readonly string[];
    /** https URL of this hub's component server as others reach it. */
    readonly publicUrl: string;
  };
  readonly tps: { readonly ackWaitMs: number };
}

type Source = Readonly<Record<string, unknown>>;

/** Reads the optional JSON config file; its keys must be setting names. */
export function readConfigFile(path: string): Source {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HubError('CONFIG_INVALID', `config file ${path}: cannot be read (${(e as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new HubError('CONFIG_INVALID', `config file ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HubError('CONFIG_INVALID', `config file ${path}: must be a JSON object of settings`);
  }
  for (const key of Object.keys(parsed)) {
    if (!(key in SETTINGS)) {
      throw new HubError('CONFIG_INVALID', `config file ${path}: unknown setting ${key} (known: ${Object.keys(SETTINGS).join(', ')})`);
    }
  }
  return parsed as Source;
}

/**
 * Builds the configuration from a file source and the environment. Only the known setting
 * names are read from the environment; everything else in it is ignored.
 */
export function loadConfig(env: Source = process.env, file: Source = {}): Config {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const raw = env[name] !== undefined ? env[name] : file[name];
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else {
      const shown = typeof raw === 'string' ? JSON.stringify(redact(name, raw)) : JSON.stringify(raw);
      problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')} (got ${shown})`);
    }
  }
  if (problems.length > 0) {
    throw new HubError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`, { settings: problems });
  }
  const v = values as { [K in SettingName]: unknown };
  return Object.freeze({
    databaseUrl: v.DATABASE_URL as string | undefined,
    databaseSchema: v.DATABASE_SCHEMA as string | undefined,
    databasePreparedStatements: v.DATABASE_PREPARED_STATEMENTS as boolean,
    redisUrl: v.REDIS_URL as string | undefined,
    host: v.HOST as string,
    port: v.PORT as number,
    dataDir: resolve(v.DATA_DIR as string),
    logLevel: v.LOG_LEVEL as Config['logLevel'],
    xml: Object.freeze({ maxBytes: v.XML_MAX_BYTES as number, maxDepth: v.XML_MAX_DEPTH as number }),
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS as number,
    queuePrefix: v.QUEUE_PREFIX as string,
    roles: Object.freeze([...(v.ROLES as HubRole[])]),
    transport: Object.freeze({
      port: v.TRANSPORT_PORT as number,
      maxContentBytes: v.TRANSPORT_MAX_CONTENT_BYTES as number,
      cryptoThreads: v.TRANSPORT_CRYPTO_THREADS as number | undefined,
      directoryUrl: v.DIRECTORY_URL as string | undefined,
      caCert: v.CA_CERT as string | undefined,
      hostedComponents: Object.freeze([...(v.HOSTED_COMPONENTS as string[])]),
      publicUrl: ((v.TRANSPORT_PUBLIC_URL as string | undefined) ?? `https://127.0.0.1:${v.TRANSPORT_PORT as number}`).replace(/\/$/, ''),
    }),
    tps: Object.freeze({ ackWaitMs: v.TPS_ACK_WAIT_MS as number }),
  });
}

/** Hides credentials in URLs before a value is shown in an error or a log line. */
export function redact(name: string, value: string): string {
  if (!name.endsWith('_URL')) return value;
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value;
  }
}

/** The configuration as it may be printed or logged (no secrets). */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    DATABASE_URL: c.databaseUrl ? redact('DATABASE_URL', c.databaseUrl) : '(embedded PGlite)',
    DATABASE_SCHEMA: c.databaseSchema ?? '(server default)',
    DATABASE_PREPARED_STATEMENTS: c.databasePreparedStatements,
    REDIS_URL: c.redisUrl ? redact('REDIS_URL', c.redisUrl) : '(in-process queue)',
    HOST: c.host,
    PORT: c.port,
    DATA_DIR: c.dataDir,
    LOG_LEVEL: c.logLevel,
    XML_MAX_BYTES: c.xml.maxBytes,
    XML_MAX_DEPTH: c.xml.maxDepth,
    SHUTDOWN_TIMEOUT_MS: c.shutdownTimeoutMs,
    QUEUE_PREFIX: c.queuePrefix,
    TRANSPORT_PORT: c.transport.port,
    TRANSPORT_MAX_CONTENT_BYTES: c.transport.maxContentBytes,
    TRANSPORT_CRYPTO_THREADS: c.transport.cryptoThreads ?? '(one per core beyond the first, at most 4)',
    DIRECTORY_URL: c.transport.directoryUrl ?? '(this process runs the directory)',
    CA_CERT: c.transport.caCert ?? '(DATA_DIR/keys/ca/ca.crt)',
    HOSTED_COMPONENTS: c.transport.hostedComponents.length ? c.transport.hostedComponents.join(',') : '(all with keys in DATA_DIR/keys)',
    TRANSPORT_PUBLIC_URL: c.transport.publicUrl,
    TPS_ACK_WAIT_MS: c.tps.ackWaitMs,
    ROLES: c.roles.join(','),
  };
}
