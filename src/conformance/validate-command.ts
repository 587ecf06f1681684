/**
 * `tps-hub validate <file|dir>... [--json] [--schemas DIR]... [--max-bytes N]`
 *
 * Validates IEC 62325-451 and UFTP documents against XSDs, for conformance testers. Directories
 * are walked recursively for `*.xml` (sorted; symbolic links to directories are not followed);
 * files named explicitly are validated whatever their extension. Files are read and validated one
 * at a time and results are written as they come, so a directory of any size runs in constant
 * memory; schemas are compiled once per run.
 *
 * Output (stdout):
 * - text: one line per problem, `path:line:column: message [CODE]`. When the column is unknown
 *   (libxml2 gives none for schema errors) it is left out, `path:line: …`; when there is no line
 *   either, `path: …`. Information (e.g. an unverified UFTP signature) is `path: note: …`.
 *   Valid files print nothing; a summary line ends the output.
 * - `--json`: JSON Lines — one object per file
 *   `{"path","valid","family","documentType","version","issues":[{"code","line","column","message"}],"notes":[…],"inner"?}`
 *   (an unreadable file has `"error":{"code","message"}` instead), then one final
 *   `{"summary":{"files","valid","invalid","unreadable","issues","schemaFailures","elapsedMs","schemaDirs"}}`.
 * Progress goes to stderr on a terminal only (`\r` updates, at most 10 per second).
 *
 * Exit status: 0 all valid; 1 at least one invalid document; 2 usage error, unreadable input,
 * no documents found, or a schema that cannot be compiled (nothing can be said about validity).
 */
import { once } from 'node:events';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isHubError } from '../shared/errors.js';
import { projectPath } from '../shared/paths.js';
import type { XmlIssue } from '../xml/issue.js';
import { DEFAULT_MAX_BYTES } from '../xml/limits.js';
import { SchemaRegistry } from '../xml/schema-registry.js';
import { validateXml, type ValidationResult } from '../xml/validate.js';

export interface ValidateIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal: only then is a progress line shown. */
  readonly isTTY: boolean;
}

export const VALIDATE_USAGE = `Usage: tps-hub validate <file|dir>... [--json] [--schemas DIR]... [--max-bytes N]

Validates IEC 62325-451 and UFTP XML documents against XML schemas.
  <file|dir>       files, or directories searched recursively for *.xml
  --schemas DIR    schema directory (repeatable; earlier ones win); default: the hub's xsd/
  --max-bytes N    largest accepted document in bytes (default ${DEFAULT_MAX_BYTES})
  --json           JSON Lines: one object per file, then a summary object
Output: path:line:column: message [CODE] (column left out when unknown).
Exit status: 0 all valid, 1 some invalid, 2 usage error, unreadable input or unusable schemas.`;

type Item = { readonly path: string; readonly size?: number } | { readonly path: string; readonly error: string };

interface Tally {
  files: number;
  valid: number;
  invalid: number;
  unreadable: number;
  issues: number;
  schemaFailures: number;
}

function usageError(io: ValidateIo, message: string): number {
  io.stderr.write(`tps-hub validate: ${message}\n\n${VALIDATE_USAGE}\n`);
  return 2;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return err.message ?? String(e);
  }
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Files to validate under one command-line argument, lazily, in a stable order. */
async function* walk(arg: string): AsyncGenerator<Item> {
  let st;
  try {
    st = await stat(arg);
  } catch (e) {
    yield { path: arg, error: reason(e) };
    return;
  }
  if (!st.isDirectory()) {
    yield { path: arg, size: st.size };
    return;
  }
  yield* walkDirectory(arg);
}

async function* walkDirectory(dir: string): AsyncGenerator<Item> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    yield { path: dir, error: reason(e) };
    return;
  }
  entries.sort(byName);
  for (const entry of entries) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walkDirectory(p);
    } else if (entry.name.toLowerCase().endsWith('.xml')) {
      if (entry.isFile()) {
        yield { path: p };
      } else if (entry.isSymbolicLink()) {
        try {
          const st = await stat(p);
          if (st.isFile()) yield { path: p, size: st.size };
        } catch (e) {
          yield { path: p, error: reason(e) };
        }
      }
    }
  }
}

function location(path: string, issue: XmlIssue): string {
  if (issue.line === null) return path;
  return issue.column === null ? `${path}:${issue.line}` : `${path}:${issue.line}:${issue.column}`;
}

function textReport(path: string, r: ValidationResult): string {
  let out = '';
  for (const i of r.issues) out += `${location(path, i)}: ${i.message} [${i.code}]\n`;
  for (const n of r.notes) out += `${path}: note: ${n.message}\n`;
  return out;
}

function jsonReport(path: string, r: ValidationResult): string {
  return `${JSON.stringify({
    path,
    valid: r.valid,
    family: r.family,
    documentType: r.documentType,
    version: r.version,
    issues: r.issues.map((i) => ({ code: i.code, line: i.line, column: i.column, message: i.message })),
    notes: r.notes,
    ...(r.inner && { inner: r.inner }),
  })}\n`;
}

class Progress {
  private last = 0;
  private shown = false;
  constructor(private readonly io: ValidateIo) {}

  update(t: Tally): void {
    if (!this.io.isTTY) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    this.io.stderr.write(`\r${t.files} files checked, ${t.invalid} invalid…\u001b[K`);
  }

  clear(): void {
    if (this.shown) this.io.stderr.write('\r\u001b[K');
    this.shown = false;
  }
}

export async function runValidate(argv: string[], io: ValidateIo): Promise<number> {
  let values: { json?: boolean; schemas?: string[]; 'max-bytes'?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        schemas: { type: 'string', multiple: true },
        'max-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  if (values.help === true) {
    await write(io.stdout, `${VALIDATE_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) return usageError(io, 'no file or directory given');
  let maxBytes = DEFAULT_MAX_BYTES;
  const maxArg = values['max-bytes'];
  if (maxArg !== undefined) {
    if (!/^[1-9][0-9]*$/.test(maxArg) || !Number.isSafeInteger(Number(maxArg))) {
      return usageError(io, `--max-bytes must be a positive whole number of bytes, got ${JSON.stringify(maxArg)}`);
    }
    maxBytes = Number(maxArg);
  }
  const schemaDirs = values.schemas ?? [projectPath('xsd')];

  let registry: SchemaRegistry;
  try {
    registry = SchemaRegistry.fromDirectories(schemaDirs);
  } catch (e) {
    if (isHubError(e)) {
      io.stderr.write(`tps-hub validate: ${e.code}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    for (const w of registry.warnings) io.stderr.write(`tps-hub validate: warning: schema ${w.path} skipped: ${w.reason}\n`);
    if (!registry.schemas.some((s) => s.rootElements.length > 0)) {
      io.stderr.write(`tps-hub validate: warning: no schema with a global element found in ${schemaDirs.join(', ')}\n`);
    }
    return await validateAll(positionals, registry, maxBytes, values.json === true, schemaDirs, io);
  } finally {
    registry.close();
  }
}

async function validateAll(
  args: readonly string[],
  registry: SchemaRegistry,
  maxBytes: number,
  json: boolean,
  schemaDirs: readonly string[],
  io: ValidateIo,
): Promise<number> {
  const started = process.hrtime.bigint();
  const tally: Tally = { files: 0, valid: 0, invalid: 0, unreadable: 0, issues: 0, schemaFailures: 0 };
  const progress = new Progress(io);

  for (const arg of args) {
    for await (const item of walk(arg)) {
      if ('error' in item) {
        tally.unreadable++;
        progress.clear();
        io.stderr.write(`tps-hub validate: INPUT_UNREADABLE: cannot read ${item.path}: ${item.error}\n`);
        if (json)
          await write(
            io.stdout,
            `${JSON.stringify({ path: item.path, valid: false, error: { code: 'INPUT_UNREADABLE', message: item.error } })}\n`,
          );
        continue;
      }
      const result = await validateFile(item, registry, maxBytes);
      if (result === undefined) continue;
      if ('error' in result) {
        tally.unreadable++;
        progress.clear();
        io.stderr.write(`tps-hub validate: INPUT_UNREADABLE: cannot read ${item.path}: ${result.error}\n`);
        if (json)
          await write(
            io.stdout,
            `${JSON.stringify({ path: item.path, valid: false, error: { code: 'INPUT_UNREADABLE', message: result.error } })}\n`,
          );
        continue;
      }
      tally.files++;
      if (result.valid) tally.valid++;
      else tally.invalid++;
      tally.issues += result.issues.length;
      if (result.issues.some((i) => i.code === 'XML_SCHEMA_LOAD_FAILED')) tally.schemaFailures++;
      const report = json ? jsonReport(item.path, result) : textReport(item.path, result);
      if (report !== '') {
        progress.clear();
        await write(io.stdout, report);
      }
      progress.update(tally);
    }
  }
  progress.clear();

  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (json) {
    await write(io.stdout, `${JSON.stringify({ summary: { ...tally, elapsedMs: Math.round(elapsedMs), schemaDirs } })}\n`);
  } else {
    const parts = [`${tally.valid} valid`, `${tally.invalid} invalid (${tally.issues} ${tally.issues === 1 ? 'issue' : 'issues'})`];
    if (tally.unreadable > 0) parts.push(`${tally.unreadable} unreadable`);
    await write(
      io.stdout,
      `checked ${tally.files} ${tally.files === 1 ? 'file' : 'files'}: ${parts.join(', ')} in ${(elapsedMs / 1000).toFixed(2)} s\n`,
    );
  }
  if (tally.files === 0 && tally.unreadable === 0) {
    io.stderr.write(`tps-hub validate: no *.xml documents found in ${args.join(', ')}\n`);
    return 2;
  }
  if (tally.unreadable > 0 || tally.schemaFailures > 0) return 2;
  return tally.invalid > 0 ? 1 : 0;
}

async function validateFile(
  item: { readonly path: string; readonly size?: number },
  registry: SchemaRegistry,
  maxBytes: number,
): Promise<ValidationResult | { error: string } | undefined> {
  let size = item.size;
  if (size === undefined) {
    try {
      size = (await stat(item.path)).size;
    } catch (e) {
      return { error: reason(e) };
    }
  }
  if (size > maxBytes) {
    return {
      valid: false,
      documentType: null,
      version: null,
      family: null,
      issues: [
        { code: 'XML_TOO_LARGE', line: null, column: null, message: `the document is ${size} bytes; the limit is ${maxBytes} bytes` },
      ],
      notes: [],
    };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(item.path);
  } catch (e) {
    return { error: reason(e) };
  }
  return validateXml(bytes, registry, { maxBytes });
}
