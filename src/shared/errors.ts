/**
 * One catalogue of stable error codes for the whole hub.
 *
 * Exceptions are for bad input at a boundary, bugs and broken infrastructure; business
 * rejections are data (see `result.ts`). Each code is stable: operators grep logs for it,
 * clients switch on it, tests assert it. Add codes; never rename or reuse one.
 */
export const ERROR_CODES = {
  // configuration
  CONFIG_INVALID: 'a configuration setting is missing or has a bad value',
  // XML input (hardened parser, src/xml)
  XML_MALFORMED: 'the document is not well-formed XML',
  XML_DOCTYPE_FORBIDDEN: 'the document has a DOCTYPE declaration (DTDs and entities are refused)',
  XML_TOO_LARGE: 'the document is larger than the configured limit',
  XML_TOO_DEEP: 'the document nests elements deeper than the configured limit',
  XML_NOT_UTF8: 'the document is not valid UTF-8',
  XML_ENCODING_UNSUPPORTED: 'the XML declaration names an encoding other than UTF-8',
  XML_EMPTY: 'the document is empty',
  XML_SCHEMA_INVALID: 'the document does not conform to its XML schema',
  XML_UNKNOWN_DOCUMENT: 'the root element and namespace match no known document type',
  XML_UNSUPPORTED_VERSION: 'the root element is known but its namespace version is not supported',
  XML_SCHEMA_LOAD_FAILED: 'an XML schema could not be read or compiled',
  // XML output (writer, src/xml/write.ts)
  XML_INVALID_CHAR: 'a value to be written contains a character that XML 1.0 does not allow',
  XML_INVALID_NAME: 'an element or attribute name to be written is not an XML name',
  XML_WRITER_STATE: 'the XML writer was used out of order (no root, an unclosed or an extra element)',
  // IEC 62325 documents
  IEC_DOCUMENT_INVALID: 'an IEC 62325 document has a value the builder or parser cannot accept',
  // UFTP envelope
  UFTP_BODY_INVALID: 'the SignedMessage Body is not base64 of a signed UFTP payload',
  UFTP_SENDER_DOMAIN_MISMATCH: 'the SenderDomain of the message inside a SignedMessage differs from the envelope',
  // storage and queue
  STORAGE_UNAVAILABLE: 'the database cannot be reached',
  STORAGE_MIGRATION_FAILED: 'a database migration failed; nothing of it was applied',
  QUEUE_UNAVAILABLE: 'the queue backend cannot be reached',
  QUEUE_HANDLER_MISSING: 'a job was enqueued for a queue that has no handler',
  QUEUE_JOB_INVALID: 'a queue name or job id is not allowed',
  // audit log (src/audit)
  AUDIT_CHAIN_BROKEN: 'the audit log does not verify: an entry was edited, deleted, inserted or reordered',
  AUDIT_CHECKPOINT_INVALID: 'an audit checkpoint signature or hash does not verify',
  AUDIT_KEY_UNAVAILABLE: 'the audit signing key or its public key cannot be read',
  // component directory and certificate authority (src/directory, src/crypto)
  DIRECTORY_INPUT_INVALID: 'a component, certificate request or message path has a bad value',
  DIRECTORY_COMPONENT_UNKNOWN: 'no component with that code is registered',
  DIRECTORY_COMPONENT_EXISTS: 'a component with that code is already registered',
  DIRECTORY_DOCUMENT_INVALID: 'the directory document is unsigned, wrongly signed, or older than the one held',
  DIRECTORY_STALE: 'the cached directory document has passed its TTL and no fresh one could be fetched',
  CERT_INVALID: 'the certificate does not chain to the directory CA or is malformed',
  CERT_REVOKED: 'the certificate has been revoked',
  CERT_EXPIRED: 'the certificate is outside its validity period',
  CERT_UNKNOWN: 'the certificate is not known to the directory',
  KEY_UNREADABLE: 'a private key file cannot be read or has unsafe permissions',
  // component-to-component transport (src/transport, src/broker, src/endpoint; docs/transport.md)
  TRANSPORT_UNREACHABLE: 'the other component could not be reached (connection refused, reset or DNS failure)',
  TRANSPORT_TIMEOUT: 'the other component did not answer in time',
  TRANSPORT_TLS: 'the TLS handshake with the other component failed',
  TRANSPORT_PEER_REJECTED: "the other component's certificate is not acceptable (unknown, revoked, expired or for another component)",
  TRANSPORT_PROTOCOL: 'the other component answered with something this protocol does not allow',
  TRANSPORT_IDENTITY_MISSING: 'a hosted component has no usable key and certificate set',
  TRANSPORT_NO_ROUTE: 'the receiver is unknown or declares no message path for this sender and business type',
  TRANSPORT_CONTENT_TOO_LARGE: 'the message content is larger than the transport allows',
  TRANSPORT_INPUT_INVALID: 'a message or request field has a bad value',
  TRANSPORT_MESSAGE_UNKNOWN: 'no message with that ID exists for this endpoint',
  TRANSPORT_DUPLICATE_MESSAGE: 'a message with that ID was already accepted',
  TRANSPORT_CRYPTO_FAILED: 'the worker thread that seals or opens messages failed; the request was not carried out and may be repeated',
  AUTH_REQUIRED: 'the request carries no valid credentials',
  AUTH_FORBIDDEN: 'the credentials do not allow this request',
  // parties and access (src/parties)
  PARTY_INPUT_INVALID: 'a party to register has a bad code, role, name or endpoint',
  PARTY_EXISTS: 'a party with that code or endpoint is already registered',
  PARTY_UNKNOWN: 'no party with that code is registered',
  TOKEN_INVALID: 'the API token is malformed, wrongly signed, expired or revoked',
  // Trade Permission System and its backends (src/tps, src/backends; docs/tps.md)
  TPS_PLATFORM_MISSING: 'the platform (directory CA, broker, TPS endpoint) has not been set up: tps-hub platform init',
  TPS_INPUT_INVALID: 'a request to a backend has a missing or bad field (each problem is listed)',
  TPS_REJECTED: 'the TPS rejected the document the request was sent as (its reasons are listed)',
  TPS_CONFLICT: 'the request conflicts with the current state (e.g. a newer change was accepted first)',
  TPS_NOT_FOUND: 'the caller has no such item',
  TPS_FAIRNESS_INPUT: 'a fairness-filter input has a bad value (a W figure, an asset, a schedule or the policy)',
  // CLI
  CLI_USAGE: 'the command line is not valid',
  INPUT_UNREADABLE: 'an input file or directory cannot be read',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code and optional structured details (never secrets). */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message ?? ERROR_CODES[code], options);
    this.name = 'HubError';
    this.code = code;
    this.details = details;
  }
}

export function isHubError(e: unknown, code?: ErrorCode): e is HubError {
  return e instanceof HubError && (code === undefined || e.code === code);
}
