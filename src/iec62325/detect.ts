/**
 * Reading any document the hub accepts: dispatch on the root element and its namespace (which carries the
 * version, IEC 62325-351 naming) through the document table, then the document's parser.
 */
import type { Result } from '../shared/result.js';
import { fail, ok } from '../shared/result.js';
import { parseXml, type XmlElement } from '../xml/index.js';
import { buildAcknowledgement, parseAcknowledgement, type AcknowledgementDocument } from './acknowledgement.js';
import { buildConfiguration, parseConfiguration, type ConfigurationDocument } from './configuration.js';
import { DOCUMENTS, findDocument, type DocumentKind } from './documents.js';
import { buildGl, parseGl, type GlDocument } from './generation-load.js';
import { fromXmlIssues, isElement, type IecInput, type IecIssue, type ParseOptions } from './internal/read.js';
import type { BuildOptions } from './model.js';
import { buildResourceMapping, parseResourceMapping, type ResourceMappingDocument } from './resource-mapping.js';
import { buildStatusRequest, parseStatusRequest, type StatusRequestDocument } from './status-request.js';
import { buildUnavailability, parseUnavailability, type UnavailabilityDocument } from './unavailability.js';

/** A document of any kind the hub handles, with its model. */
export type IecDocument =
  | { readonly kind: 'acknowledgement'; readonly document: AcknowledgementDocument }
  | { readonly kind: 'statusRequest'; readonly document: StatusRequestDocument }
  | { readonly kind: 'generationLoad'; readonly document: GlDocument }
  | { readonly kind: 'unavailability'; readonly document: UnavailabilityDocument }
  | { readonly kind: 'configuration'; readonly document: ConfigurationDocument }
  | { readonly kind: 'resourceMapping'; readonly document: ResourceMappingDocument };

/** What `detectAndParse` returns: the model plus where it came from. */
export type DetectedDocument = IecDocument & {
  /** Root element local name. */
  readonly root: string;
  /** 'major:minor' */
  readonly version: string;
  readonly namespace: string;
};

/** Parses any accepted IEC 62325-451 document (root + namespace decide which). */
export function detectAndParse(input: IecInput, options?: ParseOptions): Result<DetectedDocument, IecIssue[]> {
  let root: XmlElement;
  if (isElement(input)) root = input;
  else {
    const parsed = parseXml(input, options?.limits);
    if (!parsed.ok) return fail(fromXmlIssues(parsed.error));
    root = parsed.value;
  }
  const found = findDocument(root.name, root.ns);
  if (found === undefined) {
    const sameRoot = DOCUMENTS.find((d) => d.root === root.name && root.ns.startsWith(`${d.namespaceBase}:`));
    const message =
      sameRoot !== undefined
        ? `${root.name} in namespace ${root.ns} is a version the hub does not accept; accepted: ${sameRoot.versions.map((v) => v.version).join(', ')}`
        : `no IEC 62325-451 document the hub handles has the root element ${root.name} in ${root.ns === '' ? 'no namespace' : `namespace ${root.ns}`}`;
    return fail([
      {
        code: sameRoot !== undefined ? 'XML_UNSUPPORTED_VERSION' : 'XML_UNKNOWN_DOCUMENT',
        line: root.line,
        column: null,
        message,
        path: null,
      },
    ]);
  }
  const where = { root: root.name, version: found.version.version, namespace: root.ns };
  const kind: DocumentKind = found.spec.kind;
  switch (kind) {
    case 'acknowledgement':
      return wrap(parseAcknowledgement(root), (document) => ({ kind, document, ...where }));
    case 'statusRequest':
      return wrap(parseStatusRequest(root), (document) => ({ kind, document, ...where }));
    case 'generationLoad':
      return wrap(parseGl(root), (document) => ({ kind, document, ...where }));
    case 'unavailability':
      return wrap(parseUnavailability(root), (document) => ({ kind, document, ...where }));
    case 'configuration':
      return wrap(parseConfiguration(root), (document) => ({ kind, document, ...where }));
    case 'resourceMapping':
      return wrap(parseResourceMapping(root), (document) => ({ kind, document, ...where }));
  }
}

function wrap<T>(r: Result<T, IecIssue[]>, f: (t: T) => DetectedDocument): Result<DetectedDocument, IecIssue[]> {
  return r.ok ? ok(f(r.value)) : r;
}

/** Writes a document of any kind (the builder of its kind). */
export function buildDocument(doc: IecDocument, options?: BuildOptions): string {
  switch (doc.kind) {
    case 'acknowledgement':
      return buildAcknowledgement(doc.document, options);
    case 'statusRequest':
      return buildStatusRequest(doc.document, options);
    case 'generationLoad':
      return buildGl(doc.document, options);
    case 'unavailability':
      return buildUnavailability(doc.document, options);
    case 'configuration':
      return buildConfiguration(doc.document, options);
    case 'resourceMapping':
      return buildResourceMapping(doc.document, options);
  }
}
