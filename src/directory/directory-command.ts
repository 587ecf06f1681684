/**
 * Admin CLI of the component directory and its CA (wired into `tps-hub` by src/app/cli.ts):
 *
 *   tps-hub directory register --code V --type endpoint|broker|component-directory --org NAME --org-code X
 *                              [--roles A52,A08] [--url URL]... [--contact-person P] [--contact-email E] [--contact-phone T]
 *   tps-hub directory update   --code V [--type T] [--org NAME] [--org-code X] [--roles R,…] [--url URL]... [--status active|suspended]
 *   tps-hub directory remove   --code V
 *   tps-hub directory list     [--json]
 *   tps-hub directory revoke   --serial S --reason R
 *   tps-hub directory path set    --receiver V --message-type T|'*' --senders '*'|V,V… (--direct | --broker V) [--from ISO] [--to ISO]
 *   tps-hub directory path remove --id ID
 *   tps-hub directory path list   [--receiver V] [--json]
 *   tps-hub directory route    --sender V --receiver V --message-type T [--at ISO]
 *   tps-hub directory publish  [--ttl-days N]
 *   tps-hub directory document [--out FILE]
 *   tps-hub certs init-ca --code V --org NAME [--validity-years N]
 *   tps-hub certs issue   --component V --usage authentication|signing|encryption [--out DIR] [--validity-days N] [--dns a,b] [--ip x,y]
 *   tps-hub certs renew   --serial S [--out DIR] [--validity-days N]
 *
 * The CA lives in `<DATA_DIR>/keys/ca` (ca.key 0600, ca.crt). `certs issue` generates the key
 * pair here, writes the private key (0600) and the certificate into --out (default
 * `<DATA_DIR>/keys/<component>`), and never inside the source tree except under its git-ignored
 * `data/` folder.
 *
 * Exit status: 0 done, 1 refused or failed (the error code is printed), 2 usage error.
 */
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CERTIFICATE_PROFILES,
  createCertificateAuthority,
  readCertificateAuthority,
  writeCertificateAuthority,
  type CertificateUsage,
} from '../crypto/ca.js';
import { readCertificate } from '../crypto/certificate-info.js';
import { generateKeyPair, writePrivateKey, writePublicFile } from '../crypto/keys.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { HubError, isHubError } from '../shared/errors.js';
import { projectRoot } from '../shared/paths.js';
import type { Database } from '../shared/sql.js';
import { createDirectory, type Directory, type DirectoryChangeHook } from './directory.js';
import { eicProblem } from './eic.js';
import { validateUsage, type Component, type ComponentType, type MessagePathInput } from './model.js';

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface DirectoryCommandDeps {
  /** DATA_DIR: the CA is in `<dataDir>/keys/ca`; issued keys default to `<dataDir>/keys/<component>`. */
  readonly dataDir: string;
  /** Opens the hub's database with migrations applied; `close` releases it (and the data-dir lock). */
  openDatabase(): Promise<{ readonly db: Database; close(): Promise<void> }>;
  readonly clock?: Clock;
  /** Audit hook (src/audit), called inside each change's transaction. */
  readonly onChange?: DirectoryChangeHook;
  /** Where private keys must never be written (default: the tps-hub project root); its `data/` folder is allowed. */
  readonly sourceRoot?: string;
}

export const DIRECTORY_USAGE = `Usage: tps-hub directory <command> [options]
  register --code V --type endpoint|broker|component-directory --org NAME --org-code X
           [--roles A52,A08] [--url URL]... [--contact-person P] [--contact-email E] [--contact-phone T]
  update   --code V [--type T] [--org NAME] [--org-code X] [--roles R,...] [--url URL]... [--status active|suspended]
  remove   --code V                      delete; revokes its certificates, drops its message paths
  list     [--json]                      components and their valid certificates
  revoke   --serial S --reason R         R: unspecified, keyCompromise, cACompromise, affiliationChanged,
                                         superseded, cessationOfOperation, privilegeWithdrawn
  path set --receiver V --message-type T|'*' --senders '*'|V,V... (--direct | --broker V) [--from ISO] [--to ISO]
  path remove --id ID
  path list [--receiver V] [--json]
  route    --sender V --receiver V --message-type T [--at ISO]
  publish  [--ttl-days N]                sign and store a new directory document (default TTL 28 days)
  document [--out FILE]                  the latest signed document (compact JWS)`;

export const CERTS_USAGE = `Usage: tps-hub certs <command> [options]
  init-ca --code V --org NAME [--validity-years N]   create the directory CA in DATA_DIR/keys/ca
  issue   --component V --usage authentication|signing|encryption [--out DIR]
          [--validity-days N] [--dns a,b] [--ip x,y]  new key pair + certificate; the private key (0600)
                                                      goes to DIR (default DATA_DIR/keys/<component>)
  renew   --serial S [--out DIR] [--validity-days N]  new key pair + certificate replacing S
                                                      (S stays valid until it expires or is revoked)`;

const TYPES: Readonly<Record<string, ComponentType>> = {
  endpoint: 'ENDPOINT',
  broker: 'BROKER',
  'component-directory': 'COMPONENT_DIRECTORY',
};

class UsageError extends Error {}

function list(v: string | undefined): string[] | undefined {
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function positiveInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a positive whole number`);
  return Number(v);
}

function write(io: CommandIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Splits a `--config FILE` option off an argument list (cli.ts reads the configuration from it). */
export function splitConfigOption(argv: readonly string[]): { configFile?: string; rest: string[] } {
  const rest: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--config') {
      configFile = argv[i + 1];
      i += 1;
    } else if (a.startsWith('--config=')) configFile = a.slice('--config='.length);
    else rest.push(a);
  }
  return configFile === undefined ? { rest } : { configFile, rest };
}

async function run(name: string, usage: string, io: CommandIo, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`tps-hub ${name}: ${(e as Error).message}\n\n${usage}\n`);
      return 2;
    }
    if (isHubError(e)) {
      io.stderr.write(`tps-hub ${name}: ${e.code}: ${e.message}\n`);
      const problems = e.details?.problems as { path: string; message: string }[] | undefined;
      if (problems && problems.length > 1) for (const p of problems) io.stderr.write(`  ${p.path}: ${p.message}\n`);
      return e.code === 'CLI_USAGE' ? 2 : 1;
    }
    throw e;
  }
}

/** Refuses a key destination inside the source tree, unless under its git-ignored `data/` folder. */
function checkKeyDestination(dir: string, deps: DirectoryCommandDeps): string {
  const target = resolve(dir);
  const root = resolve(deps.sourceRoot ?? projectRoot);
  const inside = (parent: string) => {
    const r = relative(parent, target);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  if (inside(root) && !inside(join(root, 'data'))) {
    throw new HubError(
      'CLI_USAGE',
      `refusing to write private keys into ${target}: it is inside the source tree ${root}. Use a folder outside it (or under ${join(root, 'data')}, which git ignores)`,
    );
  }
  return target;
}

const caDir = (deps: DirectoryCommandDeps) => join(deps.dataDir, 'keys', 'ca');

async function withDirectory<T>(deps: DirectoryCommandDeps, fn: (d: Directory) => Promise<T>): Promise<T> {
  const opened = await deps.openDatabase();
  const db = opened.db;
  try {
    const directory = createDirectory({
      db,
      clock: deps.clock ?? systemClock,
      ca: () => readCertificateAuthority(caDir(deps)),
      ...(deps.onChange ? { onChange: deps.onChange } : {}),
    });
    return await fn(directory);
  } finally {
    await opened.close();
  }
}

function componentLine(c: Component): string {
  return [
    c.code,
    c.type.padEnd(19),
    c.status.padEnd(9),
    `${c.organisation} (${c.organisationCode})`,
    c.marketRoles.join(',') || '-',
    c.urls.join(' ') || '-',
  ].join('  ');
}

// ---------------------------------------------------------------------------------------------------------
// tps-hub directory …

export async function runDirectoryCommand(argv: readonly string[], io: CommandIo, deps: DirectoryCommandDeps): Promise<number> {
  const [command, ...args] = argv;
  return run('directory', DIRECTORY_USAGE, io, async () => {
    switch (command) {
      case 'register':
      case 'update': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: {
            code: { type: 'string' },
            type: { type: 'string' },
            org: { type: 'string' },
            'org-code': { type: 'string' },
            roles: { type: 'string' },
            url: { type: 'string', multiple: true },
            'contact-person': { type: 'string' },
            'contact-email': { type: 'string' },
            'contact-phone': { type: 'string' },
            status: { type: 'string' },
          },
        });
        const code = need(values, 'code');
        const type = values.type === undefined ? undefined : (TYPES[values.type.toLowerCase()] ?? values.type);
        const contact = {
          ...(values['contact-person'] !== undefined ? { person: values['contact-person'] } : {}),
          ...(values['contact-email'] !== undefined ? { email: values['contact-email'] } : {}),
          ...(values['contact-phone'] !== undefined ? { phone: values['contact-phone'] } : {}),
        };
        const fields = {
          ...(type !== undefined ? { type } : {}),
          ...(values.org !== undefined ? { organisation: values.org } : {}),
          ...(values['org-code'] !== undefined ? { organisationCode: values['org-code'] } : {}),
          ...(values.roles !== undefined ? { marketRoles: list(values.roles) } : {}),
          ...(values.url !== undefined ? { urls: values.url } : {}),
          ...(Object.keys(contact).length ? { contact } : {}),
          ...(values.status !== undefined ? { status: values.status.toUpperCase() } : {}),
        };
        await withDirectory(deps, async (d) => {
          if (command === 'register') {
            if (values.type === undefined) throw new UsageError('--type is required (endpoint, broker or component-directory)');
            const c = await d.registerComponent({ code, ...(values.roles === undefined ? { marketRoles: [] } : {}), ...fields });
            write(io, `registered ${componentLine(c)}`);
          } else {
            const c = await d.updateComponent(code, fields);
            write(io, `updated ${componentLine(c)}`);
          }
        });
        return;
      }
      case 'remove': {
        const { values } = parseArgs({ args, strict: true, options: { code: { type: 'string' } } });
        const code = need(values, 'code');
        await withDirectory(deps, async (d) => {
          const r = await d.removeComponent(code);
          write(io, `removed ${code}: ${r.revokedSerials.length} certificate(s) revoked, ${r.removedPaths} message path(s) removed`);
        });
        return;
      }
      case 'list': {
        const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
        await withDirectory(deps, async (d) => {
          const [components, certificates] = await Promise.all([d.listComponents(), d.listCertificates({ activeOnly: true })]);
          if (values.json) {
            const out = components.map((c) => ({
              ...c,
              certificates: certificates.filter((x) => x.componentCode === c.code).map(({ pem: _pem, ...rest }) => rest),
            }));
            write(io, JSON.stringify(out, null, 2));
            return;
          }
          if (components.length === 0) write(io, 'no components registered');
          for (const c of components) {
            write(io, componentLine(c));
            for (const x of certificates.filter((y) => y.componentCode === c.code)) {
              write(io, `    ${x.usage.padEnd(14)}  ${x.serial}  valid ${x.notBefore.slice(0, 10)} … ${x.notAfter.slice(0, 10)}`);
            }
          }
        });
        return;
      }
      case 'revoke': {
        const { values } = parseArgs({ args, strict: true, options: { serial: { type: 'string' }, reason: { type: 'string' } } });
        const serial = need(values, 'serial').toUpperCase();
        const reason = need(values, 'reason');
        await withDirectory(deps, async (d) => {
          const c = await d.revokeCertificate(serial, reason);
          write(io, `revoked ${c.serial} (${c.componentCode} ${c.usage}) at ${c.revokedAt ?? '?'}: ${c.revocationReason ?? reason}`);
        });
        return;
      }
      case 'path':
        return pathCommand(args, io, deps);
      case 'route': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: { sender: { type: 'string' }, receiver: { type: 'string' }, 'message-type': { type: 'string' }, at: { type: 'string' } },
        });
        const at = values.at === undefined ? undefined : new Date(values.at);
        if (at && Number.isNaN(at.getTime())) throw new UsageError('--at must be an ISO-8601 date-time');
        await withDirectory(deps, async (d) => {
          const r = await d.routeFor(need(values, 'sender'), need(values, 'receiver'), need(values, 'message-type'), at);
          if (r.ok)
            write(
              io,
              r.value.kind === 'DIRECT' ? `DIRECT (path ${r.value.pathId})` : `via broker ${r.value.broker} (path ${r.value.pathId})`,
            );
          else {
            for (const x of r.error) write(io, `rejected: ${x.code}: ${x.text}`);
            throw new HubError('DIRECTORY_INPUT_INVALID', 'no route');
          }
        });
        return;
      }
      case 'publish': {
        const { values } = parseArgs({ args, strict: true, options: { 'ttl-days': { type: 'string' } } });
        const days = positiveInt(values['ttl-days'], 'ttl-days');
        await withDirectory(deps, async (d) => {
          const doc = await d.publishDocument(days === undefined ? {} : { ttlMs: days * 86_400_000 });
          write(io, `published directory document ${doc.contentId}, issued ${doc.issuedAt}, usable until ${doc.expiresAt}`);
        });
        return;
      }
      case 'document': {
        const { values } = parseArgs({ args, strict: true, options: { out: { type: 'string' } } });
        await withDirectory(deps, async (d) => {
          const doc = await d.latestDocument();
          if (!doc)
            throw new HubError('DIRECTORY_DOCUMENT_INVALID', 'no directory document has been published yet; run tps-hub directory publish');
          if (values.out) {
            writeFileSync(values.out, `${doc.jws}\n`);
            write(io, `wrote directory document ${doc.contentId} to ${values.out}`);
          } else write(io, doc.jws);
        });
        return;
      }
      case undefined:
      case 'help':
      case '--help':
        write(io, DIRECTORY_USAGE);
        if (command === undefined) throw new UsageError('a command is required');
        return;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  });
}

async function pathCommand(argv: readonly string[], io: CommandIo, deps: DirectoryCommandDeps): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'set': {
      const { values } = parseArgs({
        args,
        strict: true,
        options: {
          receiver: { type: 'string' },
          'message-type': { type: 'string' },
          senders: { type: 'string' },
          direct: { type: 'boolean' },
          broker: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
        },
      });
      if (Boolean(values.direct) === (values.broker !== undefined)) throw new UsageError('give exactly one of --direct and --broker V');
      const senders = need(values, 'senders');
      const input: MessagePathInput = {
        receiverCode: need(values, 'receiver'),
        messageType: need(values, 'message-type'),
        senders: senders === '*' ? '*' : (list(senders) ?? []),
        path: values.direct ? 'DIRECT' : { broker: values.broker ?? '' },
        ...(values.from !== undefined ? { validFrom: values.from } : {}),
        ...(values.to !== undefined ? { validTo: values.to } : {}),
      };
      await withDirectory(deps, async (d) => {
        const p = await d.addMessagePath(input);
        write(io, `message path ${p.id}: ${describePath(p)}`);
      });
      return;
    }
    case 'remove': {
      const { values } = parseArgs({ args, strict: true, options: { id: { type: 'string' } } });
      await withDirectory(deps, async (d) => {
        const p = await d.removeMessagePath(need(values, 'id'));
        write(io, `removed message path ${p.id}: ${describePath(p)}`);
      });
      return;
    }
    case 'list': {
      const { values } = parseArgs({ args, strict: true, options: { receiver: { type: 'string' }, json: { type: 'boolean' } } });
      await withDirectory(deps, async (d) => {
        const paths = await d.listMessagePaths(values.receiver);
        if (values.json) write(io, JSON.stringify(paths, null, 2));
        else if (paths.length === 0) write(io, 'no message paths');
        else for (const p of paths) write(io, `${p.id}  ${describePath(p)}`);
      });
      return;
    }
    default:
      throw new UsageError(`unknown path command ${JSON.stringify(command ?? '')} (set, remove, list)`);
  }
}

function describePath(p: {
  receiverCode: string;
  messageType: string;
  senders: '*' | readonly string[];
  path: 'DIRECT' | { broker: string };
  validFrom: string;
  validTo?: string;
}): string {
  const how = p.path === 'DIRECT' ? 'DIRECT' : `via broker ${p.path.broker}`;
  const from = p.senders === '*' ? 'any sender' : p.senders.join(',');
  return `${p.receiverCode} receives ${p.messageType === '*' ? 'any message type' : p.messageType} from ${from} ${how}, valid ${p.validFrom}${p.validTo ? ` … ${p.validTo}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// tps-hub certs …

export async function runCertsCommand(argv: readonly string[], io: CommandIo, deps: DirectoryCommandDeps): Promise<number> {
  const [command, ...args] = argv;
  return run('certs', CERTS_USAGE, io, async () => {
    switch (command) {
      case 'init-ca': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: { code: { type: 'string' }, org: { type: 'string' }, 'validity-years': { type: 'string' } },
        });
        const code = need(values, 'code');
        const problem = eicProblem(code, 'V');
        if (problem) throw new HubError('DIRECTORY_INPUT_INVALID', `--code ${code}: ${problem}`);
        const dir = checkKeyDestination(caDir(deps), deps);
        if (existsSync(join(dir, 'ca.key')) || existsSync(join(dir, 'ca.crt'))) {
          throw new HubError('KEY_UNREADABLE', `a CA already exists in ${dir}; it is never overwritten`);
        }
        const years = positiveInt(values['validity-years'], 'validity-years');
        const ca = await createCertificateAuthority({
          code,
          organisation: need(values, 'org'),
          now: (deps.clock ?? systemClock).now(),
          ...(years !== undefined ? { validityYears: years } : {}),
        });
        const { certificatePath, keyPath } = writeCertificateAuthority(dir, ca);
        write(io, `created the directory CA ${code} valid until ${ca.notAfter.toISOString()}`);
        write(io, `  certificate  ${certificatePath}   (give this to every endpoint and broker: the trust anchor)`);
        write(io, `  private key  ${keyPath}   (mode 0600; back it up offline)`);
        return;
      }
      case 'issue': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: {
            component: { type: 'string' },
            usage: { type: 'string' },
            out: { type: 'string' },
            'validity-days': { type: 'string' },
            dns: { type: 'string' },
            ip: { type: 'string' },
          },
        });
        const component = need(values, 'component');
        const usage = validateUsage(need(values, 'usage'));
        const out = checkKeyDestination(values.out ?? join(deps.dataDir, 'keys', component), deps);
        const days = positiveInt(values['validity-days'], 'validity-days');
        const keyFile = join(out, `${usage}.key`);
        if (existsSync(keyFile))
          throw new HubError(
            'KEY_UNREADABLE',
            `${keyFile} already exists; key files are never overwritten (use certs renew, or another --out)`,
          );
        await withDirectory(deps, async (d) => {
          await issueInto(io, d, out, usage, async (publicKey) =>
            d.issueCertificate({
              componentCode: component,
              usage,
              publicKey,
              ...(days !== undefined ? { validityDays: days } : {}),
              ...(values.dns !== undefined ? { dnsNames: list(values.dns) } : {}),
              ...(values.ip !== undefined ? { ipAddresses: list(values.ip) } : {}),
            }),
          );
        });
        return;
      }
      case 'renew': {
        const { values } = parseArgs({
          args,
          strict: true,
          options: { serial: { type: 'string' }, out: { type: 'string' }, 'validity-days': { type: 'string' } },
        });
        const serial = need(values, 'serial').toUpperCase();
        const days = positiveInt(values['validity-days'], 'validity-days');
        await withDirectory(deps, async (d) => {
          const old = await d.getCertificate(serial);
          if (!old) throw new HubError('CERT_UNKNOWN', `no certificate ${serial} was issued by this directory`);
          const out = checkKeyDestination(values.out ?? join(deps.dataDir, 'keys', old.componentCode), deps);
          // the files of the certificate being replaced keep their key, under a name with its serial
          const crt = join(out, `${old.usage}.crt`);
          if (existsSync(crt)) {
            const held = readCertificate(readFileSync(crt, 'utf8'));
            if (held.serial !== serial)
              throw new HubError('KEY_UNREADABLE', `${crt} holds certificate ${held.serial}, not ${serial}; use another --out`);
            for (const ext of ['key', 'crt']) {
              const from = join(out, `${old.usage}.${ext}`);
              if (existsSync(from)) renameSync(from, join(out, `${old.usage}-${serial}.${ext}`));
            }
          } else if (existsSync(join(out, `${old.usage}.key`))) {
            throw new HubError('KEY_UNREADABLE', `${join(out, `${old.usage}.key`)} exists without its certificate; use another --out`);
          }
          await issueInto(io, d, out, old.usage, (publicKey) =>
            d.renewCertificate(serial, { publicKey, ...(days !== undefined ? { validityDays: days } : {}) }),
          );
          write(io, `  replaces     ${serial} (still valid until ${old.notAfter} unless revoked)`);
        });
        return;
      }
      case undefined:
      case 'help':
      case '--help':
        write(io, CERTS_USAGE);
        if (command === undefined) throw new UsageError('a command is required');
        return;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  });
}

/** Generates the key pair, writes the private key first (0600), then asks the directory for the certificate. */
async function issueInto(
  io: CommandIo,
  d: Directory,
  out: string,
  usage: CertificateUsage,
  issue: (publicKey: KeyObject) => Promise<{ serial: string; pem: string; componentCode: string; notAfter: string }>,
): Promise<void> {
  const keys = generateKeyPair(CERTIFICATE_PROFILES[usage].keyAlgorithm);
  const keyPath = writePrivateKey(out, `${usage}.key`, keys.privateKey);
  let cert: Awaited<ReturnType<typeof issue>>;
  try {
    cert = await issue(keys.publicKey);
  } catch (e) {
    rmSync(keyPath, { force: true }); // no certificate, no key
    throw e;
  }
  const certificatePath = writePublicFile(out, `${usage}.crt`, cert.pem);
  const caPath = writePublicFile(out, 'ca.crt', await d.caCertificatePem());
  write(io, `issued ${usage} certificate ${cert.serial} for ${cert.componentCode}, valid until ${cert.notAfter}`);
  write(io, `  certificate  ${certificatePath}`);
  write(io, `  private key  ${keyPath}   (mode 0600)`);
  write(io, `  CA           ${caPath}`);
}
