// The compatibility suite: real Express 5, Koa 3, Fastify 5 and Hono 4 apps (test/frameworks/),
// each served natively by its own HTTP server and through inetd-scgi per connection (a socket on fds
// 0-2, as inetd gives it) and with --listen; the same requests to each, the answers compared: status
// and reason, headers (without those the transport owns), body bytes, streaming (the first event well
// before the last), and what the app logged. Requests reach inetd-scgi as nginx frames them (its stock
// scgi_params); test/e2e/run.sh sends the same apps' requests through a real nginx. The frameworks are
// test-only packages, installed into .cache/frameworks by test/frameworks/install.sh (test.sh runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { freePort, nginx, perConnection, scgi, start, until, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, 'test/frameworks');
const FRAMEWORKS = {
  express: [path.join(dir, 'express-app.cjs'), '--app-type', 'node'],
  koa: [path.join(dir, 'koa-app.cjs'), '--app-type', 'node'],
  fastify: [path.join(dir, 'fastify-app.cjs'), '--app-type', 'node'],
  hono: [path.join(dir, 'hono-app.mjs')],
};
// Owned by the transport, not the app: each server sets its own (nginx replaces them all).
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'server']);
const upload = randomBytes(1_000_000);
const REQUESTS = [
  { name: 'text', path: '/' },
  { name: 'head', method: 'HEAD', path: '/' },
  { name: 'params and query', path: '/users/42?x=1&y=a%20b' },
  { name: 'json body', method: 'POST', path: '/json', type: 'application/json', body: '{"numbers":[1,2,3]}' },
  { name: 'empty json body (Content-Length: 0)', method: 'POST', path: '/json', type: 'application/json', body: '' },
  { name: 'form body', method: 'POST', path: '/form', type: 'application/x-www-form-urlencoded', body: 'a=1&b=two+words' },
  { name: 'upload, 1 MB', method: 'POST', path: '/upload', type: 'application/octet-stream', body: upload },
  { name: 'chunked upload (nginx de-chunks it)', method: 'POST', path: '/upload', type: 'application/octet-stream', body: upload.subarray(0, 5000), chunked: true },
  { name: 'request headers seen, chunked body', method: 'POST', path: '/seen', type: 'application/octet-stream', body: upload.subarray(0, 5000), chunked: true },
  { name: 'request headers seen, empty body', method: 'POST', path: '/seen', type: 'application/octet-stream', body: '' },
  { name: 'request headers seen, GET', path: '/seen' },
  { name: 'streamed download, 512 KiB', path: '/download?kib=512' },
  { name: 'cookies', path: '/cookies' },
  { name: 'redirect', path: '/redirect' },
  { name: 'not found', path: '/nowhere' },
  { name: 'thrown error', path: '/throw' },
  { name: 'mounted router', path: '/api/v1/items/7' },
  { name: 'server-sent events', path: '/events', events: true },
];
// Differences kept, each with its reason: [framework, request name or '*', a header that our
// answer may lack (if it has it, the values must match)].
const KEPT = [
  // @hono/node-server knows the length of a body it made from a string; a web Response does not
  // expose it, so a fetch handler's response goes out without one and the web server frames it.
  ['hono', '*', 'content-length'],
];
const mayLack = (framework, request, header) =>
  KEPT.some(([f, r, h]) => f === framework && (r === '*' || r === request) && h === header);

/** Returns request's SCGI bytes as nginx frames them with its stock scgi_params. */
function asNginx({ method = 'GET', path: uri, type, body = '', chunked = false }) {
  const bytes = Buffer.from(body);
  // What the client sent: a length, or chunks (nginx has de-chunked them and counted the bytes).
  const framing = chunked ? [['HTTP_TRANSFER_ENCODING', 'chunked']]
    : method === 'POST' ? [['HTTP_CONTENT_LENGTH', String(bytes.length)]] : [];
  const extra = [['SERVER_ADDR', '127.0.0.1'], ...(type ? [['HTTP_CONTENT_TYPE', type]] : []), ...framing];
  return scgi(nginx(uri, { method, body: bytes, type: type ?? '', host: 'example.test', extra }), bytes);
}

/** Parses a CGI response ("Status:" line, headers, blank line, body) into { status, headers, body }. */
function parseCgi(bytes) {
  const end = bytes.indexOf('\r\n\r\n');
  assert.ok(end >= 0, `no header block in ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`);
  const lines = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^Status: (.*)$/.exec(lines.shift())?.[1];
  const headers = lines.map((line) => {
    const at = line.indexOf(':');
    return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
  });
  return { status, headers, body: bytes.subarray(end + 4) };
}

/** Sends request to the native server at port; resolves to { status, headers, body, arrivals }. */
function native(port, request) {
  const { method = 'GET', path: uri, type, body, chunked = false } = request;
  return new Promise((resolve, reject) => {
    const headers = { host: 'example.test', ...(type ? { 'content-type': type } : {}) };
    if (method === 'POST' && !chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = http.request({ host: '127.0.0.1', port, method, path: uri, headers, agent: false }, (res) => {
      const chunks = [];
      const arrivals = [];
      res.on('data', (chunk) => (chunks.push(chunk), arrivals.push(Date.now())));
      res.on('end', () => resolve({
        status: `${res.statusCode} ${res.statusMessage}`,
        headers: Array.from({ length: res.rawHeaders.length / 2 }, (_, i) => [res.rawHeaders[2 * i].toLowerCase(), res.rawHeaders[2 * i + 1]]),
        body: Buffer.concat(chunks),
        arrivals,
      }));
    });
    req.on('error', reject);
    if (chunked) req.write(body.subarray(0, 1000)); // two chunks at least
    req.end(chunked ? body.subarray(1000) : body);
  });
}

/** Reads a client socket to its end; resolves to the parsed CGI response plus when data arrived. */
function readAll(client) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const arrivals = [];
    client.on('data', (chunk) => (chunks.push(chunk), arrivals.push(Date.now())));
    client.on('end', () => resolve({ ...parseCgi(Buffer.concat(chunks)), arrivals }));
    client.on('error', reject);
  });
}

/** Compares one answer with the native one, in what a client sees. */
function same(framework, request, ours, theirs) {
  const where = `${framework} ${request.name}`;
  assert.equal(ours.status, theirs.status, `${where}: status`);
  const lacking = (name) => mayLack(framework, request.name, name) && !ours.headers.some(([n]) => n === name);
  const comparable = (headers) => headers
    .filter(([name]) => !TRANSPORT.has(name) && !lacking(name))
    // Media type parameters may have white space around ";" (RFC 9110 8.3.1): the fetch standard's
    // Response writes "text/plain;charset=UTF-8", @hono/node-server's own "text/plain; charset=UTF-8".
    .map(([name, value]) => [name, name === 'content-type' ? value.replace(/\s*;\s*/g, ';') : value])
    .sort(([a, x], [b, y]) => (a + x < b + y ? -1 : a + x > b + y ? 1 : 0));
  assert.equal(ours.body.toString('latin1'), theirs.body.toString('latin1'), `${where}: body`);
  assert.deepEqual(comparable(ours.headers), comparable(theirs.headers), `${where}: headers`);
  if (request.events) {
    // Streamed as produced: the first event (300 ms before the second, 600 before the last) arrives
    // well before the end.
    const spread = (a) => a.at(-1) - a[0];
    assert.ok(spread(ours.arrivals) >= 400, `${where}: the events came together (${spread(ours.arrivals)} ms apart)`);
    assert.ok(spread(theirs.arrivals) >= 400, `${where}: natively, the events came together`);
  }
}

/** Starts framework's native server with NODE_ENV=production (as a deployer would set it); resolves
 *  to { port, stderr(), stop() }. */
async function startNative(framework) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dir, 'native.cjs'), framework, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await until(10_000, () => stdout.includes('listening'), `${framework} natively listening (stderr: ${stderr})`);
  return { port, stderr: () => stderr, stop: () => child.kill('SIGKILL') };
}

/** The lines the app logged in an error log of ours ("TIME app[PID]: line"), without that prefix. */
const appLines = (log) => log.split('\n').flatMap((line) => /^\S+ app\[\d+\]: (.*)$/.exec(line)?.slice(1) ?? []);
/** The first line of lines with text, trimmed; "" if none. */
const firstLine = (lines) => lines.map((line) => line.trim()).find(Boolean) ?? '';
const text = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

for (const [framework, args] of Object.entries(FRAMEWORKS)) {
  test(`${framework}: every request answers the same natively, per connection and with --listen`, async (t) => {
    const theirs = await startNative(framework);
    // As inetd and a supervisor start it: a clean environment, NODE_ENV unset.
    const listening = await start(args);
    try {
      for (const request of REQUESTS) await t.test(request.name, async () => {
        const before = theirs.stderr().length;
        const expected = await within(10_000, native(theirs.port, request));
        await new Promise((resolve) => setTimeout(resolve, 50)); // what the app logs after its response
        const nativeLog = theirs.stderr().slice(before);

        const one = await perConnection(args, { fd2: true });
        try {
          one.client.write(asNginx(request));
          const answer = await within(10_000, readAll(one.client));
          same(framework, request, answer, expected);
          assert.equal(await within(10_000, one.exited), 0, `${framework} ${request.name}: per connection, exit status`);
          // What the app logs natively, it logs through us: compared by its first line (the error's
          // message; the stack's frames below differ with the server).
          const logged = firstLine(appLines(text(one.log)));
          assert.equal(logged, firstLine(nativeLog.split('\n')), `${framework} ${request.name}: per connection, logged`);
        } finally {
          one.stop();
        }

        const logBefore = text(listening.log).length;
        const client = net.connect(listening.socket, () => client.write(asNginx(request)));
        same(framework, request, await within(10_000, readAll(client)), expected);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const logged = firstLine(appLines(text(listening.log).slice(logBefore)));
        assert.equal(logged, firstLine(nativeLog.split('\n')), `${framework} ${request.name}: --listen, logged`);
      });
    } finally {
      theirs.stop();
      listening.stop();
    }
  });
}

// Mounted below a prefix (--script-name, or a CGI host's SCRIPT_NAME, as the README's CGI recipe
// mounts the app at /app): a (req, res) listener sees the path below the mount as req.url, as a
// router mounted there does; Express and Fastify keep the whole in originalUrl (Koa has none of its
// own). A fetch handler's Request keeps the URL the client asked for (Hono: app.basePath('/app')).
const MOUNTED = { express: '/app/users/42?x=1', koa: '/users/42?x=1', fastify: '/app/users/42?x=1' };

for (const [framework, originalUrl] of Object.entries(MOUNTED)) {
  test(`${framework} mounted at /app (--script-name, and a CGI host's SCRIPT_NAME): routes answer below it`, async () => {
    const one = await perConnection([...FRAMEWORKS[framework], '--script-name', '/app'], { fd2: true });
    try {
      one.client.write(scgi(nginx('/app/users/42?x=1', { host: 'example.test' })));
      const answer = await within(10_000, readAll(one.client));
      assert.equal(answer.status, '200 OK');
      assert.deepEqual(JSON.parse(answer.body), { id: '42', query: { x: '1' }, url: '/users/42?x=1', originalUrl });
    } finally {
      one.stop();
    }
    const cgi = spawn(process.execPath, [path.join(root, 'dist/inetd-scgi.cjs'), ...FRAMEWORKS[framework]], {
      env: {
        PATH: process.env.PATH, GATEWAY_INTERFACE: 'CGI/1.1', REQUEST_METHOD: 'GET', SCRIPT_NAME: '/app',
        PATH_INFO: '/api/v1/items/7', QUERY_STRING: '', REQUEST_URI: '/app/api/v1/items/7', HTTP_HOST: 'example.test',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out = [];
    cgi.stdout.on('data', (chunk) => out.push(chunk));
    assert.equal(await within(10_000, new Promise((resolve) => cgi.on('exit', resolve))), 0);
    const answer = parseCgi(Buffer.concat(out));
    assert.equal(answer.status, '200 OK', `${framework} CGI: ${Buffer.concat(out)}`);
    assert.equal(JSON.parse(answer.body).item, '7');
  });
}
