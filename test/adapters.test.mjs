// The adapters, a fetch handler (test/apps/fetch-app.mjs) and a Node (req, res) listener
// (test/apps/node-app.cjs), through the CLI as real processes: per connection, with an accepted socket
// as fds 0 and 1 as inetd runs it, and long-running with --listen. What canned bytes cannot show:
// 10 MB each way, events that leave as they are produced, and the client going away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { perConnection, scgi, start, until, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const SHAPES = {
  fetch: [path.join(root, 'test/apps/fetch-app.mjs')],
  node: [path.join(root, 'test/apps/node-app.cjs'), '--app-type', 'node'],
};
const MiB = 1024 * 1024;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
/** Returns a file's text, or '' if it does not exist (yet). */
const text = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

/** Returns the request nginx sends for method and uri, with body (a Buffer). */
function nginx(method, uri, body = Buffer.alloc(0)) {
  const type = body.length > 0 ? [['CONTENT_TYPE', 'application/octet-stream']] : [];
  return scgi([['CONTENT_LENGTH', String(body.length)], ['SCGI', '1'], ['REQUEST_METHOD', method], ['REQUEST_URI', uri], ['SERVER_PROTOCOL', 'HTTP/1.1'], ['HTTP_HOST', 'localhost'], ...type], body);
}

/** Returns a way to open connections to the app in a mode ('per connection' or '--listen'), and stop(). */
async function serving(mode, args) {
  if (mode === 'per connection') {
    const started = [];
    return {
      connect: async () => started[started.push(await perConnection(args)) - 1],
      log: () => started.map((s) => text(s.log)).join(''),
      stop: () => started.forEach((s) => s.stop()),
    };
  }
  const server = await start(args);
  return { connect: async () => ({ client: net.connect(server.socket) }), log: () => text(server.log), stop: server.stop };
}

/** Sends request on client (no half-close: web servers never do) and resolves to { head, body }. */
function exchange(client, request) {
  client.write(request);
  const chunks = [];
  client.on('data', (chunk) => chunks.push(chunk));
  return within(20_000, once(client, 'end')).then(() => {
    const response = Buffer.concat(chunks);
    const split = response.indexOf('\r\n\r\n');
    return { head: response.subarray(0, split).toString('latin1'), body: response.subarray(split + 4) };
  });
}

for (const [shape, args] of Object.entries(SHAPES)) {
  for (const mode of ['per connection', '--listen']) {
    test(`${shape} ${mode}: a 10 MB upload streams in and a 10 MB download streams out, whole`, async () => {
      const app = await serving(mode, args);
      try {
        const upload = randomBytes(10 * MiB);
        const up = await exchange((await app.connect()).client, nginx('POST', '/upload', upload));
        assert.match(up.head, /^Status: 200 OK\r\n/);
        assert.deepEqual(JSON.parse(up.body), { length: upload.length, sha256: sha256(upload) });
        const down = await exchange((await app.connect()).client, nginx('GET', '/download?mib=10'));
        assert.match(down.head, /^Status: 200 OK\r\n/i);
        assert.equal(down.body.length, 10 * MiB);
        assert.equal(sha256(down.body), sha256(Buffer.alloc(10 * MiB, 'a')));
      } finally {
        app.stop();
      }
    });

    test(`${shape} ${mode}: server-sent events leave as they are produced`, async () => {
      const app = await serving(mode, args);
      try {
        const { client } = await app.connect();
        const arrived = {};
        let got = '';
        client.on('data', (chunk) => {
          got += chunk;
          for (const [, n] of got.matchAll(/data: event (\d)\n\n/g)) arrived[n] ??= Date.now();
        });
        await exchange(client, nginx('GET', '/events?gap=300'));
        assert.match(got, /^Status: 200 OK\r\n[^]*\r\n\r\ndata: event 1\n\ndata: event 2\n\ndata: event 3\n\n$/);
        // Two 300 ms gaps: had the events been held back, they would have arrived together.
        assert.ok(arrived[3] - arrived[1] >= 450, `event 1 at +0 ms, event 3 at +${arrived[3] - arrived[1]} ms`);
      } finally {
        app.stop();
      }
    });

    test(`${shape} ${mode}: a client that goes away aborts the request, as the app sees it`, async () => {
      const app = await serving(mode, args);
      try {
        const connection = await app.connect();
        const { client } = connection;
        client.write(nginx('GET', '/abort'));
        let got = '';
        client.on('data', (chunk) => (got += chunk));
        await until(5000, () => got.includes('data: first\n\n'), 'the first event');
        client.destroy(); // as nginx closes the upstream connection when its client leaves
        const seen = shape === 'fetch' ? /fetch handler: request.signal aborted \(AbortError\)/ : /listener: req 'close', res 'close' too, finished false/;
        await until(5000, () => seen.test(app.log()), `the app's own log line (log: ${app.log()})`);
        await until(5000, () => /the client went away/.test(app.log()), 'the log saying the client went away');
        // Per connection the request is given up, its app still running: the process ends itself (SIGKILL).
        if (connection.exited) assert.equal(await within(5000, connection.exited), 'SIGKILL');
      } finally {
        app.stop();
      }
    });
  }
}

test('fetch per connection: a handler that answers a string loads no undici on Node 20; what it gets and makes are instanceof Request and Response', async () => {
  // Node 22 and later make the fetch globals V8's lazy data properties: making the light Response
  // the global one loads undici there.
  const loaded = Number(process.versions.node.split('.')[0]) >= 22;
  for (const [uri, expected] of [['/undici', `undici loaded: ${loaded}\n`], ['/instanceof', "request true, response true, undici's true\n"]]) {
    const app = await serving('per connection', SHAPES.fetch);
    try {
      const { client } = await app.connect();
      const { head, body } = await exchange(client, nginx('GET', uri));
      assert.match(head, /^Status: 200 OK\r\n/);
      assert.equal(body.toString(), expected, uri);
    } finally {
      app.stop();
    }
  }
});

test('fetch --listen: a Response the light class answers is sent byte for byte as undici\'s would be', async () => {
  const { RESPONSES } = await import('./apps/fetch-app.mjs');
  const server = await start(SHAPES.fetch);
  try {
    for (let i = 0; i < RESPONSES.length; i++) {
      const made = async (by) => Buffer.concat(Object.values(await exchange(net.connect(server.socket), nginx('GET', `/made?i=${i}&by=${by}`))).map((part) => Buffer.from(part)));
      assert.deepEqual(await made('light'), await made('undici'), `case ${i}: ${JSON.stringify(RESPONSES[i])}`);
    }
  } finally {
    server.stop();
  }
});

for (const [shape, args] of Object.entries(SHAPES)) {
  test(`${shape} --listen: a 10 MB download to a client that does not read holds the server's memory flat`, async () => {
    const server = await start(args);
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]) * 1024;
    try {
      await exchange(net.connect(server.socket), nginx('GET', '/download?mib=1')); // warmed up: code loaded, pools made
      const before = rss();
      const client = net.connect(server.socket);
      client.write(nginx('GET', '/download?mib=10'));
      client.pause(); // the response waits in the socket buffers; the app must wait for it, not buffer it
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const grown = rss() - before;
      assert.ok(grown < 5 * MiB, `the server grew by ${(grown / MiB).toFixed(1)} MiB while holding a 10 MiB response`);
      const rest = exchange(client, Buffer.alloc(0));
      client.resume();
      assert.equal((await rest).body.length, 10 * MiB);
    } finally {
      server.stop();
    }
  });
}

