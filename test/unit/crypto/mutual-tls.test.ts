/**
 * Certificates issued by the directory CA work for mutual TLS with Node's `tls` on loopback:
 * the server asks for and checks a client certificate against the CA; the client checks the
 * server's certificate and its subjectAltName (127.0.0.1 / localhost).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority } from '../../../src/crypto/ca.js';
import { generateKeyPair, privateKeyPem } from '../../../src/crypto/keys.js';
import { verifyCertificate } from '../../../src/crypto/verify-certificate.js';
import { systemClock } from '../../../src/shared/clock.js';

interface Identity {
  key: string;
  cert: string;
  serial: string;
}

async function identity(ca: CertificateAuthority, code: string): Promise<Identity> {
  const keys = generateKeyPair('ec-p256');
  const c = await issueCertificate(ca, {
    componentCode: code,
    organisation: 'Org',
    usage: 'authentication',
    publicKey: keys.publicKey,
    validityDays: 1,
  });
  return { key: privateKeyPem(keys.privateKey), cert: c.pem, serial: c.serial };
}

/** The first chunk the server sends; rejects when the connection fails or closes first. */
function firstData(socket: TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('data', (d: Buffer) => resolve(d.toString()));
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('connection closed by the server')));
  });
}

function handshake(
  port: number,
  host: string,
  client: Identity,
  ca: string,
  servername?: string,
  maxVersion?: 'TLSv1.2',
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      key: client.key,
      cert: client.cert,
      ca: [ca],
      ...(servername ? { servername } : {}),
      ...(maxVersion ? { maxVersion } : {}),
    });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('mutual TLS with directory certificates', () => {
  let ca: CertificateAuthority;
  let server: Server;
  let port: number;
  const seen: { authorized: boolean; serial?: string; verified?: boolean }[] = [];
  const serverErrors: Error[] = [];

  before(async () => {
    ca = await createCertificateAuthority({ code: '10V1001C--000438', organisation: 'Directory' });
    const broker = await identity(ca, '10V1001C--000446');
    server = createServer(
      { key: broker.key, cert: broker.cert, ca: [ca.certificatePem], requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
      (socket) => {
        const peer = socket.getPeerX509Certificate();
        // after the handshake, the application checks revocation, usage and component code
        const checked = peer
          ? verifyCertificate(peer, {
              caCertificate: ca.certificate,
              revoked: new Set(),
              clock: systemClock,
              expectedUsage: 'authentication',
            })
          : undefined;
        seen.push({ authorized: socket.authorized, ...(peer ? { serial: peer.serialNumber } : {}), verified: checked?.ok ?? false });
        socket.end('hello\n');
      },
    );
    server.on('tlsClientError', (e) => serverErrors.push(e));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('completes a handshake both ways on 127.0.0.1 and on localhost', async () => {
    const client = await identity(ca, '10V1001C--000454');
    for (const [host, servername] of [
      ['127.0.0.1', undefined],
      ['127.0.0.1', 'localhost'],
    ] as const) {
      const socket = await handshake(port, host, client, ca.certificatePem, servername);
      assert.equal(socket.authorized, true, String(socket.authorizationError));
      assert.equal(await firstData(socket), 'hello\n');
      socket.destroy();
    }
    const last = seen.at(-1);
    assert.deepEqual(last, { authorized: true, serial: client.serial, verified: true });
  });

  it('fails when the client certificate comes from another CA', async () => {
    const rogue = await createCertificateAuthority({ code: '10V1001C--000438', organisation: 'Directory' });
    const client = await identity(rogue, '10V1001C--000454');
    const before = seen.length;
    await assert.rejects(
      (async () => {
        const socket = await handshake(port, '127.0.0.1', client, ca.certificatePem);
        // TLS 1.3: the server's rejection of the client certificate arrives after secureConnect
        await firstData(socket);
      })(),
      (e: NodeJS.ErrnoException) => /alert|certificate|ECONNRESET|closed/i.test(`${e.code} ${e.message}`),
    );
    assert.equal(seen.length, before, 'the server application never saw the connection');
    assert.ok(serverErrors.length > 0, 'the server reported the failed handshake');
    // TLS 1.2: the client certificate is checked inside the handshake, which never completes
    await assert.rejects(handshake(port, '127.0.0.1', client, ca.certificatePem, undefined, 'TLSv1.2'), (e: NodeJS.ErrnoException) =>
      /before secure TLS connection was established|alert/i.test(e.message),
    );
    assert.equal(seen.length, before);
  });

  it('fails when the client does not trust the server (another CA as its trust anchor)', async () => {
    const rogue = await createCertificateAuthority({ code: '10V1001C--000438', organisation: 'Directory' });
    const client = await identity(ca, '10V1001C--000454');
    await assert.rejects(handshake(port, '127.0.0.1', client, rogue.certificatePem), (e: NodeJS.ErrnoException) =>
      /certificate/i.test(`${e.code} ${e.message}`),
    );
  });

  it('fails when the client presents no certificate', async () => {
    await assert.rejects(
      (async () => {
        const socket = connect({ host: '127.0.0.1', port, ca: [ca.certificatePem] });
        await firstData(socket);
      })(),
      (e: NodeJS.ErrnoException) => /alert|certificate|ECONNRESET|closed/i.test(`${e.code} ${e.message}`),
    );
  });
});
