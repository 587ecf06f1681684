import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { leanHandler, type LeanRoute } from '../../../src/http/lean.js';
import { HubError } from '../../../src/shared/errors.js';

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

describe('lean routes (hot REST routes on node:http, answers like the Express app)', () => {
  let server: Server;
  let port: number;
  const logged: Array<{ level: string; obj: Record<string, unknown> }> = [];
  let aborted: Promise<void> | undefined;
  let markAborted: () => void = () => undefined;

  const routes: LeanRoute[] = [
    {
      method: 'POST',
      pattern: /^\/echo\/(?<name>[^/]+)\/?$/,
      handle: async (req) => ({
        status: 201,
        body: { name: req.params.name, q: req.query.get('q'), body: (await req.json(1024)) ?? null },
        headers: { location: '/echo/x' },
      }),
    },
    {
      method: 'GET',
      pattern: /^\/fail\/(?<kind>[a-z]+)$/,
      handle: (req) => {
        if (req.params.kind === 'hub') return Promise.reject(new HubError('TRANSPORT_NO_ROUTE', 'no path'));
        if (req.params.kind === 'down') return Promise.reject(new HubError('STORAGE_UNAVAILABLE', 'database down'));
        return Promise.reject(new Error('secret internals'));
      },
    },
    {
      method: 'GET',
      pattern: /^\/throws$/,
      handle: () => {
        throw new Error('thrown before any promise');
      },
    },
    {
      method: 'GET',
      pattern: /^\/wait$/,
      handle: async (req) => {
        await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true }));
        markAborted();
        return undefined;
      },
    },
  ];
  const fallback = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('fallback');
  };
  const logger = {
    info: (obj: object) => logged.push({ level: 'info', obj: obj as Record<string, unknown> }),
    error: (obj: object) => logged.push({ level: 'error', obj: obj as Record<string, unknown> }),
  };

  const call = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Reply['body'];
          try {
            parsed = JSON.parse(text) as Reply['body'];
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(body);
    });

  before(async () => {
    server = createServer(leanHandler(routes, fallback, logger));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves a route with decoded path parameters, the query, a JSON body and headers; logs the request', async () => {
    const r = await call('POST', '/echo/a%20b/?q=1', '{"x": [1, 2]}', { 'content-type': 'application/json' });
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers.location, '/echo/x');
    assert.deepEqual(r.body, { name: 'a b', q: '1', body: { x: [1, 2] } });
    assert.ok(logged.some((l) => l.obj.path === '/echo/a%20b/' && l.obj.status === 201 && typeof l.obj.ms === 'number'));
  });

  it('hands other methods and paths to the fallback (the Express app)', async () => {
    assert.deepEqual((await call('GET', '/echo/a')).body, { text: 'fallback' });
    assert.deepEqual((await call('POST', '/nowhere', '{}', { 'content-type': 'application/json' })).body, { text: 'fallback' });
  });

  it('reads no body without a JSON content type (as express.json), and JSON subtypes like application/merge-patch+json', async () => {
    assert.equal((await call('POST', '/echo/a', '{"x":1}', { 'content-type': 'text/plain' })).body.body, null);
    assert.equal((await call('POST', '/echo/a', '{"x":1}')).body.body, null);
    assert.deepEqual((await call('POST', '/echo/a', '{"x":1}', { 'content-type': 'application/merge-patch+json' })).body.body, { x: 1 });
  });

  it('refuses broken JSON, a bare JSON value, another charset and a content coding with body-parser’s codes', async () => {
    const json = { 'content-type': 'application/json' };
    const broken = await call('POST', '/echo/a', '{"x": ', json);
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error?.code, 'HTTP_ENTITY_PARSE_FAILED');
    const bare = await call('POST', '/echo/a', '"just a string"', json);
    assert.equal(bare.status, 400);
    assert.equal(bare.body.error?.code, 'HTTP_ENTITY_PARSE_FAILED');
    const latin = await call('POST', '/echo/a', '{}', { 'content-type': 'application/json; charset=latin1' });
    assert.equal(latin.status, 415);
    assert.equal(latin.body.error?.code, 'HTTP_CHARSET_UNSUPPORTED');
    const gzip = await call('POST', '/echo/a', '{}', { ...json, 'content-encoding': 'gzip' });
    assert.equal(gzip.status, 415);
    assert.equal(gzip.body.error?.code, 'HTTP_ENCODING_UNSUPPORTED');
  });

  it('refuses a body over the limit with 413, declared or streamed, closes that connection and keeps serving', async () => {
    const big = Buffer.alloc(4096, 'a');
    const declared = await call('POST', '/echo/a', big, { 'content-type': 'application/json' });
    assert.equal(declared.status, 413);
    assert.equal(declared.body.error?.code, 'HTTP_ENTITY_TOO_LARGE');
    assert.equal(declared.headers.connection, 'close');
    // chunked: no content-length, the limit is noticed while reading
    const streamed = await new Promise<Reply>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/echo/a', headers: { 'content-type': 'application/json' }, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply['body'],
            }),
          );
        },
      );
      req.on('error', reject);
      req.write('{"x": "');
      req.write(big);
      req.write(big);
      req.end('"}');
    });
    assert.equal(streamed.status, 413);
    assert.equal(streamed.body.error?.code, 'HTTP_ENTITY_TOO_LARGE');
    assert.equal((await call('POST', '/echo/b', '{}', { 'content-type': 'application/json' })).status, 201);
  });

  it('maps errors through the one mapper: stable codes, 5xx logged, internals never shown', async () => {
    const noRoute = await call('GET', '/fail/hub');
    assert.equal(noRoute.status, 422);
    assert.deepEqual(noRoute.body, { error: { code: 'TRANSPORT_NO_ROUTE', message: 'no path' } });
    const down = await call('GET', '/fail/down');
    assert.equal(down.status, 503);
    assert.equal(down.body.error?.code, 'STORAGE_UNAVAILABLE');
    const bug = await call('GET', '/fail/bug');
    assert.equal(bug.status, 500);
    assert.deepEqual(bug.body, { error: { code: 'INTERNAL', message: 'internal error; see the hub log' } });
    assert.doesNotMatch(JSON.stringify(bug.body), /secret/);
    assert.ok(logged.some((l) => l.level === 'error' && l.obj.err === 'secret internals' && l.obj.path === '/fail/bug'));
    assert.ok(logged.some((l) => l.level === 'error' && l.obj.code === 'STORAGE_UNAVAILABLE'));
    const thrown = await call('GET', '/throws');
    assert.equal(thrown.status, 500);
    assert.equal(thrown.body.error?.code, 'INTERNAL');
    const badPath = await call('POST', '/echo/%E0%A4%A', '{}', { 'content-type': 'application/json' });
    assert.equal(badPath.status, 400);
    assert.equal(badPath.body.error?.code, 'HTTP_BAD_REQUEST');
  });

  it('aborts a waiting route when its client goes away, and answers nothing', async () => {
    aborted = new Promise<void>((resolve) => (markAborted = resolve));
    const req = request({ host: '127.0.0.1', port, method: 'GET', path: '/wait', agent: false });
    req.on('error', () => undefined);
    req.end();
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await aborted;
    assert.equal((await call('GET', '/fail/hub')).status, 422, 'still serving');
  });
});
