/** The hardened XML layer: parse, read, detect, validate, write. */
export type { XmlIssue } from './issue.js';
export { formatIssue, formatLocation } from './issue.js';
export type { XmlLimits } from './limits.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './limits.js';
export type { XmlInput } from './precheck.js';
export type { XmlElement } from './element.js';
export { attr, child, children, childText, path } from './element.js';
export type { XmlParseOptions, XmlParseResult } from './parse.js';
export { parseXml } from './parse.js';
export type { Detection, ScanWarning, SchemaInfo, XmlFamily } from './schema-registry.js';
export { SchemaRegistry } from './schema-registry.js';
export type { DocumentIdentity, ValidationResult, XmlNote, XmlValidateOptions } from './validate.js';
export { validateXml } from './validate.js';
export type { UnwrappedBody } from './signed-message.js';
export { ED25519_SIGNATURE_BYTES, unwrapSignedBody } from './signed-message.js';
export type { XmlAttrs, XmlValue, XmlWriterOptions } from './write.js';
export { escapeAttribute, escapeText, XmlWriter } from './write.js';
export { firstInvalidXmlChar, isQName } from './xml-chars.js';
