/**
 * The UFTP `SignedMessage` envelope (Shapeshifter UFTP 3.1.0, UFTP-common.xsd SignedMessageType):
 * `Body` is base64 (xs:base64Binary) of libsodium `crypto_sign` output in combined mode — the
 * 64-byte Ed25519 signature followed by the exact payload bytes (the inner XML message).
 * This module only unwraps; verifying the signature needs the sender's public key and is the
 * crypto context's job.
 */
import type { Result } from '../shared/result.js';
import { fail, ok } from '../shared/result.js';

export const ED25519_SIGNATURE_BYTES = 64;

/** Canonical base64 (RFC 4648 §4) once XML white space is removed (XSD base64Binary allows it). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface UnwrappedBody {
  readonly signature: Uint8Array;
  readonly payload: Uint8Array;
}

export function unwrapSignedBody(body: string): Result<UnwrappedBody, string> {
  const compact = body.replace(/[\x20\t\r\n]+/g, '');
  if (!BASE64.test(compact)) return fail('Body is not base64 (RFC 4648 alphabet with = padding)');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length < ED25519_SIGNATURE_BYTES) {
    return fail(`Body decodes to ${bytes.length} bytes; a signed message starts with a ${ED25519_SIGNATURE_BYTES}-byte Ed25519 signature`);
  }
  return ok({ signature: bytes.subarray(0, ED25519_SIGNATURE_BYTES), payload: bytes.subarray(ED25519_SIGNATURE_BYTES) });
}
