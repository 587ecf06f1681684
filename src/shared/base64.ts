/**
 * Strict base64 (RFC 4648 §4, padded) decoded in one pass: node's decoder skips characters outside
 * the alphabet and also takes base64url's - and _, so a string is base64 exactly when it has none
 * of those, a length that is a multiple of 4, at most two trailing "=", and decodes to the length
 * its characters promise. (A regular expression over a megabyte of content costs more than decoding it.)
 */
export function decodeBase64(s: string): Buffer | undefined {
  if (s.length % 4 !== 0 || s.includes('-') || s.includes('_')) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const eq = s.indexOf('=');
  if (eq !== -1 && eq < s.length - pad) return undefined;
  const buf = Buffer.from(s, 'base64');
  return buf.length === (s.length / 4) * 3 - pad ? buf : undefined;
}
