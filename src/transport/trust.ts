/**
 * Certificate decisions a component makes on the hot path, against its cached directory view:
 * who a TLS peer is, whose key verifies a signature, which key to encrypt for. Parsed
 * certificates and verdicts are cached per directory content ID, so a new document (a new
 * revocation) takes effect at once, and a certificate that expires meanwhile is re-checked.
 */
import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import type { CertificateUsage } from '../crypto/ca.js';
import type { DirectoryView } from '../directory/document.js';
import type { Recipient } from './protection.js';

export type KeyVerdict = { ok: true; key: KeyObject } | { ok: false; code: string; detail: string };
export type PeerVerdict = { ok: true; componentCode: string } | { ok: false; code: string; message: string };

interface Cached {
  readonly verdict: KeyVerdict;
  readonly notAfter: number;
}

export class TrustCache {
  #contentId = -1;
  readonly #keys = new Map<string, Cached>();
  readonly #peers = new Map<string, { readonly verdict: PeerVerdict; readonly notAfter: number }>();

  #reset(view: DirectoryView): void {
    if (view.contentId !== this.#contentId) {
      this.#contentId = view.contentId;
      this.#keys.clear();
      this.#peers.clear();
    }
  }

  /** The public key of certificate `serial` if it is `componentCode`'s valid `usage` certificate in `view`. */
  key(view: DirectoryView, serial: string, componentCode: string, usage: CertificateUsage, now: number): KeyVerdict {
    this.#reset(view);
    const cacheKey = `${usage}|${componentCode}|${serial}`;
    const hit = this.#keys.get(cacheKey);
    if (hit && (!hit.verdict.ok || now <= hit.notAfter)) return hit.verdict;
    const published = view.certificateBySerial(serial);
    let verdict: KeyVerdict;
    let notAfter = 0;
    // a revoked certificate is no longer listed, only its revocation is: say so, not "unknown"
    const revoked = published ? undefined : view.revocationOf(serial);
    if (revoked)
      verdict = {
        ok: false,
        code: 'CERT_REVOKED',
        detail: `certificate ${serial} was revoked at ${String(revoked.revokedAt)} (${String(revoked.reason)})`,
      };
    else if (!published)
      verdict = { ok: false, code: 'CERT_UNKNOWN', detail: `certificate ${serial} is not in directory document ${view.contentId}` };
    else {
      const r = view.checkCertificate(published.pem, { usage, componentCode });
      if (r.ok) {
        verdict = { ok: true, key: r.value.publicKey };
        notAfter = r.value.notAfter.getTime();
      } else verdict = { ok: false, code: r.error.code, detail: r.error.text };
    }
    if (this.#keys.size > 10_000) this.#keys.clear();
    this.#keys.set(cacheKey, { verdict, notAfter });
    return verdict;
  }

  /** Signature keys: the sender's signing certificate named by serial. */
  signerKey(view: DirectoryView, now: number): (serial: string, senderCode: string) => KeyVerdict {
    return (serial, senderCode) => this.key(view, serial, senderCode, 'signing', now);
  }

  /** The receiver's current encryption certificate, as a seal recipient. */
  recipient(view: DirectoryView, receiverCode: string): Recipient | { code: string; detail: string } {
    const cert = view.currentCertificate(receiverCode, 'encryption');
    if (!cert) return { code: 'CERT_UNKNOWN', detail: `the directory lists no valid encryption certificate of ${receiverCode}` };
    const v = this.key(view, cert.serial, receiverCode, 'encryption', Date.now());
    if (!v.ok) return { code: v.code, detail: v.detail };
    return { key: v.key.type === 'public' ? v.key : createPublicKey(v.key), serial: cert.serial };
  }

  /**
   * A TLS peer: a valid, unrevoked authentication certificate of a registered component. Asked on
   * every request of a connection; a good verdict is reused for the same certificate until the
   * document changes or the certificate expires (a bad one is always worked out afresh).
   */
  peer(view: DirectoryView, cert: X509Certificate, now = Date.now()): PeerVerdict {
    this.#reset(view);
    const hit = this.#peers.get(cert.fingerprint256);
    if (hit && now <= hit.notAfter) return hit.verdict;
    const r = view.checkCertificate(cert, { usage: 'authentication' });
    if (!r.ok) return { ok: false, code: r.error.code, message: r.error.text };
    const component = view.component(r.value.componentCode);
    if (!component) return { ok: false, code: 'CERT_UNKNOWN', message: `component ${r.value.componentCode} is not in the directory` };
    if (component.status !== 'ACTIVE') return { ok: false, code: 'CERT_REVOKED', message: `component ${component.code} is suspended` };
    const verdict: PeerVerdict = { ok: true, componentCode: r.value.componentCode };
    if (this.#peers.size > 10_000) this.#peers.clear();
    this.#peers.set(cert.fingerprint256, { verdict, notAfter: r.value.notAfter.getTime() });
    return verdict;
  }
}
