/**
 * Certificates and keys for the transport (docs/adr/0007): the directory CA, key files, and the
 * one certificate check every component uses. Pure: no database.
 */
export {
  CA_CERTIFICATE_FILE,
  CA_KEY_FILE,
  CERTIFICATE_PROFILES,
  CERTIFICATE_USAGES,
  createCertificateAuthority,
  DEFAULT_CERTIFICATE_VALIDITY_DAYS,
  isCertificateUsage,
  issueCertificate,
  loadCertificateAuthority,
  readCertificateAuthority,
  writeCertificateAuthority,
  type CertificateAuthority,
  type CertificateProfile,
  type CertificateUsage,
  type IssueCertificateParams,
  type IssuedCertificate,
} from './ca.js';
export { parseCertificate, readCertificate, type CertificateInfo, type CertificateInput } from './certificate-info.js';
export {
  generateKeyPair,
  keyAlgorithmOf,
  privateKeyPem,
  publicKeyPem,
  readPrivateKey,
  writePrivateKey,
  writePublicFile,
  type KeyAlgorithm,
  type KeyPair,
} from './keys.js';
export {
  assertCertificate,
  verifyCertificate,
  type CertificateProblem,
  type CertificateProblemCode,
  type RevocationSet,
  type VerifiedCertificate,
  type VerifyCertificateOptions,
} from './verify-certificate.js';
