/**
 * One compiled XSD (libxml2 `xmlSchema`), owned by the schema registry and freed by `dispose()`.
 * Compiling reads `xs:include`/`xs:import` targets from disk through libxml2-wasm's Node.js
 * file-system input provider, registered once here. Instance documents never reach that provider:
 * they are parsed without DTD loading, external entities or XInclude, and a precompiled schema
 * ignores `xsi:schemaLocation` hints (see docs/adr/0002).
 */
import { readFileSync } from 'node:fs';
import { ParseOption, XmlDocument, XmlError, XmlLibError, XsdValidator } from 'libxml2-wasm';
import type { XmlDocument as XmlDoc } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import type { Result } from '../shared/result.js';
import { fail, ok } from '../shared/result.js';
import { xmlIssue, type XmlIssue } from './issue.js';
import { issuesFromDetails } from './libxml.js';

let providersRegistered = false;
function ensureFsProviders(): void {
  if (!providersRegistered) {
    xmlRegisterFsInputProviders();
    providersRegistered = true;
  }
}

export class CompiledSchema {
  private validator: XsdValidator | undefined;

  private constructor(
    readonly path: string,
    validator: XsdValidator,
  ) {
    this.validator = validator;
  }

  /** Reads and compiles the schema at `path` (imports and includes resolved relative to it). */
  static compile(path: string): Result<CompiledSchema, XmlIssue> {
    ensureFsProviders();
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      return fail(xmlIssue('XML_SCHEMA_LOAD_FAILED', `schema ${path} cannot be read: ${(e as Error).message}`));
    }
    let xsd: XmlDocument | undefined;
    try {
      xsd = XmlDocument.fromBuffer(bytes, { url: path, option: ParseOption.XML_PARSE_NONET });
      return ok(new CompiledSchema(path, XsdValidator.fromDoc(xsd)));
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      const details = (e instanceof XmlLibError ? issuesFromDetails('XML_SCHEMA_LOAD_FAILED', e.details) : [])
        .slice(0, 3)
        .map((i) => (i.line === null ? i.message : `line ${i.line}: ${i.message}`));
      const why = details.length > 0 ? details.join('; ') : e.message.trimEnd();
      return fail(xmlIssue('XML_SCHEMA_LOAD_FAILED', `schema ${path} could not be compiled: ${why}`));
    } finally {
      xsd?.dispose();
    }
  }

  /** All schema-validity errors of `doc` (empty when valid), each with its line; columns are unknown. */
  validate(doc: XmlDoc): XmlIssue[] {
    if (this.validator === undefined) throw new Error(`compiled schema ${this.path} was used after dispose`);
    try {
      this.validator.validate(doc);
      return [];
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      const issues = e instanceof XmlLibError ? issuesFromDetails('XML_SCHEMA_INVALID', e.details) : [];
      return issues.length > 0
        ? issues
        : [xmlIssue('XML_SCHEMA_INVALID', `libxml2 could not validate the document: ${e.message.trimEnd()}`)];
    }
  }

  dispose(): void {
    this.validator?.dispose();
    this.validator = undefined;
  }
}
