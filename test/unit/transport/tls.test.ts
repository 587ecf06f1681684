/**
 * The component-to-component HTTPS layer (src/transport/tls.ts) over real sockets on 127.0.0.1:
 * mutual TLS with directory-issued certificates, the per-request application check of the
 * client, the per-connection check of the server, keep-alive, and the client's error mapping.
 */
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority } from '../../../src/crypto/ca.js';
import { generateKeyPair, privateKeyPem } from '../../../src/crypto/keys.js';
import { verifyCertificate } from '../../../src/crypto/verify-certificate.js';
import { systemClock } from '../../../src/shared/clock.js';
import { HubError, type ErrorCode } from '../../../src/shared/errors.js';
import {
  createComponentClient,
  createComponentServer,
  peerOf,
  type ComponentClient,
  type Peer,
  type PeerCheck,
  type TlsIdentity,
} from '../../../src/transport/tls.js';

const CA_CODE = '10V1001C--000438';
const SERVER_CODE = '10V1001C--000446';
const CLIENT_CODE = '10V1001C--000454';

interface Issued extends TlsIdentity {
  readonly serial: string;
}

async function issue(ca: CertificateAuthority, code: string, trust: string, names?: { dnsNames: string[] }): Promise<Issued> {
  const keys = generateKeyPair('ec-p256');
  const c = await issueCertificate(ca, {
    componentCode: code,
    organisation: 'Org',
    usage: 'authentication',
    publicKey: keys.publicKey,
    validityDays: 1,
    ...names,
  });
  return { certPem: c.pem, keyPem: privateKeyPem(keys.privateKey), caPem: trust, serial: c.serial };
}

/** The application check both sides use: directory CA, revocation set, authentication usage, optionally which component. */
function check(ca: CertificateAuthority, revoked: ReadonlySet<string>, expectedComponentCode?: string): PeerCheck {
  return (peer: X509Certificate) => {
    const r = verifyCertificate(peer, {
      caCertificate: ca.certificate,
      revoked,
      clock: systemClock,
      expectedUsage: 'authentication',
      ...(expectedComponentCode ? { expectedComponentCode } : {}),
    });
    return r.ok ? { ok: true, componentCode: r.value.componentCode } : { ok: false, code: r.error.code, message: r.error.text };
  };
}

function isTransportError(code: ErrorCode, url?: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof HubError, `expected a HubError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (url !== undefined) assert.equal(e.details?.url, url);
    return true;
  };
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('component HTTPS with mutual TLS', () => {
  let ca: CertificateAuthority;
  let rogueCa: CertificateAuthority;
  let serverId: Issued;
  let clientId: Issued;
  let server: Server;
  let base: string;
  const revoked = new Set<string>();
  /** Requests that reached the handler, with the peer it saw. */
  const handled: { url: string; peer: Peer | undefined; remotePort: number | undefined }[] = [];
  const hanging: ServerResponse[] = [];
  let connections = 0;
  let tlsClientErrors = 0;
  const clients: ComponentClient[] = [];
  const extraServers: Server[] = [];

  const newClient = (identity: TlsIdentity = clientId, checkServer: PeerCheck = check(ca, new Set(), SERVER_CODE)): ComponentClient => {
    const c = createComponentClient({ identity, checkServer });
    clients.push(c);
    return c;
  };

  function handler(req: IncomingMessage, res: ServerResponse): void {
    handled.push({ url: req.url ?? '', peer: peerOf(req), remotePort: req.socket.remotePort });
    switch (req.url) {
      case '/hang':
        hanging.push(res); // never answered
        return;
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
        return;
      case '/echo': {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const received = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ received, peer: peerOf(req) }));
        });
        return;
      }
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ peer: peerOf(req) }));
    }
  }

  before(async () => {
    ca = await createCertificateAuthority({ code: CA_CODE, organisation: 'Directory' });
    rogueCa = await createCertificateAuthority({ code: CA_CODE, organisation: 'Directory' });
    serverId = await issue(ca, SERVER_CODE, ca.certificatePem);
    clientId = await issue(ca, CLIENT_CODE, ca.certificatePem);
    server = createComponentServer({ identity: serverId, handler, checkPeer: check(ca, revoked) });
    server.on('secureConnection', () => connections++);
    server.on('tlsClientError', () => tlsClientErrors++);
    base = `https://127.0.0.1:${await listen(server)}`;
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const res of hanging) res.destroy();
    await Promise.all([server, ...extraServers].map(closeServer));
  });

  it('serves a request over mutual TLS; the handler sees the verified client component and serial', async () => {
    const client = newClient();
    const res = await client.request(`${base}/whoami`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { peer: { componentCode: CLIENT_CODE, serial: clientId.serial } });
    assert.deepEqual(handled.at(-1)?.peer, { componentCode: CLIENT_CODE, serial: clientId.serial });
  });

  it('also works by host name (SAN localhost)', async () => {
    const client = newClient();
    const res = await client.request(`${base.replace('127.0.0.1', 'localhost')}/whoami`);
    assert.equal(res.status, 200);
  });

  it('keeps the connection alive: two requests, one TLS handshake, one client socket, one server check', async () => {
    let serverChecks = 0;
    const serverCheck = check(ca, new Set(), SERVER_CODE);
    const client = newClient(clientId, (peer) => {
      serverChecks++;
      return serverCheck(peer);
    });
    const before = connections;
    const a = await client.request(`${base}/one`);
    const b = await client.request(`${base}/two`);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(connections - before, 1, 'one secureConnection for both requests');
    const [first, second] = handled.slice(-2);
    assert.equal(first?.remotePort, second?.remotePort);
    assert.equal(serverChecks, 1, 'checkServer runs once per new TLS connection');
  });

  it('postJson: sends JSON and parses the JSON answer', async () => {
    const client = newClient();
    const res = await client.postJson<{ received: unknown; peer: Peer }>(`${base}/echo`, { hello: 'world', n: [1, 2] });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { received: { hello: 'world', n: [1, 2] }, peer: { componentCode: CLIENT_CODE, serial: clientId.serial } });
  });

  it('postJson: a non-JSON answer is TRANSPORT_PROTOCOL', async () => {
    const client = newClient();
    const url = `${base}/text`;
    await assert.rejects(client.postJson(url, {}), isTransportError('TRANSPORT_PROTOCOL', url));
  });

  it('refuses a client without a certificate at the TLS layer', async () => {
    const handledBefore = handled.length;
    const errorsBefore = tlsClientErrors;
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = httpsRequest(`${base}/whoami`, { ca: [ca.certificatePem], agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end();
      }),
      (e: NodeJS.ErrnoException) => /alert|certificate|ECONNRESET|hang up|disconnected/i.test(`${e.code} ${e.message}`),
    );
    assert.equal(handled.length, handledBefore, 'the handler never saw the request');
    assert.ok(tlsClientErrors > errorsBefore, 'the server reported the failed handshake');
  });

  it('refuses a client certificate from another CA at the TLS layer (TRANSPORT_TLS)', async () => {
    const rogueClient = await issue(rogueCa, CLIENT_CODE, ca.certificatePem);
    const client = newClient(rogueClient);
    const handledBefore = handled.length;
    const url = `${base}/whoami`;
    await assert.rejects(client.request(url), isTransportError('TRANSPORT_TLS', url));
    assert.equal(handled.length, handledBefore);
  });

  it('runs checkPeer per request: a revocation answers 401 on an open keep-alive connection, without the handler', async () => {
    const client = newClient();
    const first = await client.request(`${base}/before-revocation`);
    assert.equal(first.status, 200);
    const connectionsBefore = connections;
    const handledBefore = handled.length;
    revoked.add(clientId.serial);
    try {
      const res = await client.request(`${base}/after-revocation`);
      assert.equal(connections, connectionsBefore, 'the request went over the kept-alive connection');
      assert.equal(res.status, 401);
      assert.equal(res.headers.connection, 'close');
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const body = JSON.parse(res.body.toString()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'CERT_REVOKED');
      assert.ok(body.error.message.length > 0);
      // a new connection is refused the same way
      const again = await client.postJson<{ error: { code: string } }>(`${base}/echo`, {});
      assert.equal(again.status, 401);
      assert.equal(again.body.error.code, 'CERT_REVOKED');
      assert.equal(handled.length, handledBefore, 'the handler was not called');
    } finally {
      revoked.delete(clientId.serial);
    }
    assert.equal((await client.request(`${base}/reinstated`)).status, 200);
  });

  it('rejects a server that checkServer refuses (TRANSPORT_PEER_REJECTED) before sending the request', async () => {
    const client = newClient(clientId, check(ca, new Set(), '10V1001C--000462')); // expects another component
    const handledBefore = handled.length;
    const url = `${base}/whoami`;
    await assert.rejects(client.request(url), (e: unknown) => {
      isTransportError('TRANSPORT_PEER_REJECTED', url)(e);
      assert.equal((e as HubError).details?.checkCode, 'CERT_INVALID');
      assert.match(String((e as HubError).details?.checkMessage), /./);
      return true;
    });
    // a revoked server certificate likewise
    const revokedServer = newClient(clientId, check(ca, new Set([serverId.serial]), SERVER_CODE));
    await assert.rejects(revokedServer.request(url), (e: unknown) => {
      isTransportError('TRANSPORT_PEER_REJECTED', url)(e);
      assert.equal((e as HubError).details?.checkCode, 'CERT_REVOKED');
      return true;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(handled.length, handledBefore, 'the handler was never called');
  });

  it('rejects a server certificate from another CA (TRANSPORT_TLS)', async () => {
    const rogueServerId = await issue(rogueCa, SERVER_CODE, ca.certificatePem);
    let called = false;
    const rogue = createComponentServer({
      identity: rogueServerId,
      handler: (_req, res) => {
        called = true;
        res.end();
      },
      checkPeer: check(ca, new Set()),
    });
    extraServers.push(rogue);
    const url = `https://127.0.0.1:${await listen(rogue)}/whoami`;
    await assert.rejects(newClient().request(url), isTransportError('TRANSPORT_TLS', url));
    assert.equal(called, false);
  });

  it('rejects a server certificate whose subjectAltName does not match the host (TRANSPORT_TLS)', async () => {
    const otherName = await issue(ca, SERVER_CODE, ca.certificatePem, { dnsNames: ['other.example'] });
    const s = createComponentServer({ identity: otherName, handler: (_req, res) => res.end(), checkPeer: check(ca, new Set()) });
    extraServers.push(s);
    const url = `https://127.0.0.1:${await listen(s)}/whoami`;
    await assert.rejects(newClient().request(url), (e: unknown) => {
      isTransportError('TRANSPORT_TLS', url)(e);
      assert.match((e as HubError).message, /ERR_TLS_CERT_ALTNAME_INVALID/);
      return true;
    });
  });

  it('maps nothing listening to TRANSPORT_UNREACHABLE', async () => {
    const s = createComponentServer({ identity: serverId, handler: (_req, res) => res.end(), checkPeer: check(ca, new Set()) });
    const port = await listen(s);
    await closeServer(s);
    const url = `https://127.0.0.1:${port}/whoami`;
    await assert.rejects(newClient().request(url), isTransportError('TRANSPORT_UNREACHABLE', url));
  });

  it('maps a handler that never answers to TRANSPORT_TIMEOUT within the given timeout', async () => {
    const client = newClient();
    const url = `${base}/hang`;
    const started = performance.now();
    await assert.rejects(client.request(url, { timeoutMs: 300 }), isTransportError('TRANSPORT_TIMEOUT', url));
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 2000, `timed out after ${elapsed} ms`);
    // the client is still usable
    assert.equal((await client.request(`${base}/after-timeout`)).status, 200);
  });

  it('refuses a URL that is not https (TRANSPORT_INPUT_INVALID)', async () => {
    await assert.rejects(newClient().request('http://127.0.0.1:1/x'), isTransportError('TRANSPORT_INPUT_INVALID'));
    await assert.rejects(newClient().request('not a url'), isTransportError('TRANSPORT_INPUT_INVALID'));
  });
});
