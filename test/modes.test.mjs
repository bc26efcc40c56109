// The long-running modes (--listen, LISTEN_FDS, --wait) and CGI, run through the CLI as a real process
// on a private unix socket in a temporary folder. Each test stops what it started by PID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { request, start, until, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const cli = path.join(root, 'dist/inetd-scgi.cjs');
const contract = path.join(root, 'test/apps/contract.js');
const cases = path.join(root, 'test/cases');

/** Returns the whole CGI-style response a route of the contract app gives, as bytes. */
function response(status, body) {
  return `Status: ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Returns whether bytes hold a whole SCGI request: the netstring and CONTENT_LENGTH bytes of body. */
function whole(bytes) {
  const m = /^([1-9][0-9]*):CONTENT_LENGTH\0([0-9]+)\0/.exec(bytes.toString('latin1'));
  return m !== null && bytes.length >= m[1].length + Number(m[1]) + 2 + Number(m[2]);
}

/** Sends bytes and resolves to the whole response. A whole request is sent as a web server does, the
 *  connection left open (EOF would say the client went away); a truncated one is ended, as a pipe ends. */
function exchange(socket, bytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const client = net.connect(socket, () => (whole(bytes) ? client.write(bytes) : client.end(bytes)));
    client.on('data', (chunk) => chunks.push(chunk));
    client.on('end', () => resolve(Buffer.concat(chunks)));
    client.on('error', reject);
  });
}

// The canned cases whose app module cannot be loaded.
const UNLOADABLE = new Set(['test/apps/no-app.cjs', 'test/apps/throws-on-load.cjs', 'test/apps/does-not-exist.js']);

test('every canned case gives the same bytes through --listen as per connection (an app that cannot load: exit 1)', async () => {
  // The cases grouped by command line: one long-running server for each.
  const byArgs = new Map();
  for (const line of fs.readFileSync(path.join(cases, 'MANIFEST'), 'utf8').trim().split('\n')) {
    const [name, , args] = line.split('|');
    byArgs.set(args, [...(byArgs.get(args) ?? []), name]);
  }
  for (const [args, names] of byArgs) {
    const argv = args.split(' ').map((arg) => (arg.startsWith('test/') || arg.startsWith('examples/') ? path.join(root, arg) : arg));
    if (UNLOADABLE.has(args)) {
      // Per connection a 500; long-running, the process says why and exits 1 before it listens.
      const run = spawnSync(process.execPath, [cli, ...argv, '--listen', path.join(os.tmpdir(), `inetd-scgi-${process.pid}.sock`)], { timeout: 10_000 });
      assert.equal(run.status, 1, `${args}: exit status`);
      assert.match(run.stderr.toString(), /the app could not be loaded: /, args);
      continue;
    }
    const server = await start(argv);
    try {
      for (const name of names) {
        const got = await within(10_000, exchange(server.socket, fs.readFileSync(path.join(cases, `${name}.scgi`))));
        // The one difference: the environ says the process is long-running (PEP 3333's flags).
        const expected = fs.readFileSync(path.join(cases, `${name}.out`), 'latin1')
          .replace('wsgi.multithread=false', 'wsgi.multithread=true')
          .replace('wsgi.run_once=true', 'wsgi.run_once=false');
        assert.equal(got.toString('latin1'), expected, `case ${name}`);
      }
    } finally {
      server.stop();
    }
  }
});

test('200 concurrent requests are served by one process, each with its own response', async () => {
  const server = await start([contract]);
  try {
    const responses = await within(20_000, Promise.all(Array.from({ length: 200 }, (_, i) => exchange(server.socket, request(`/info/p${i}`)))));
    responses.forEach((got, i) => assert.match(got.toString(), new RegExp(`\r\n\r\nREQUEST_METHOD=POST\nSCRIPT_NAME=\nPATH_INFO=/info/p${i}\n`)));
    const pids = new Set(await Promise.all([1, 2, 3].map(() => exchange(server.socket, request('/process')).then((b) => /pid=(\d+)/.exec(b)[1]))));
    assert.deepEqual([...pids], [String(server.child.pid)]);
  } finally {
    server.stop();
  }
});

test('a client that stalls mid-header delays no one, and is dropped after --header-timeout', async () => {
  const server = await start([contract, '--header-timeout', '1500']);
  try {
    const stalled = net.connect(server.socket, () => stalled.write('70:CONTENT_LENGTH\0'));
    const closed = new Promise((resolve) => stalled.on('close', resolve));
    let got = Buffer.alloc(0);
    stalled.on('data', (chunk) => (got = Buffer.concat([got, chunk])));
    const t0 = Date.now();
    const responses = await within(5000, Promise.all(Array.from({ length: 20 }, () => exchange(server.socket, request('/process')))));
    assert.ok(Date.now() - t0 < 1000, `20 requests took ${Date.now() - t0} ms beside a stalled one`);
    for (const r of responses) assert.match(r.toString(), /^Status: 200 OK\r\n/);
    await within(5000, closed);
    assert.equal(got.length, 0, 'nothing is sent to a dropped connection');
    assert.match(fs.readFileSync(server.log, 'utf8'), /dropping the connection: no complete header block within 1500 ms/);
  } finally {
    server.stop();
  }
});

test('the environ and process say long-running; --listen can be one of several instances', async () => {
  const server = await start([contract]);
  try {
    const got = (await exchange(server.socket, request('/process'))).toString();
    assert.match(got, /LISTEN_FDS= LISTEN_PID= run_once=false multithread=true multiprocess=true\n$/);
  } finally {
    server.stop();
  }
});

test("V8's allocation-site pretenuring is off long-running, unless node's command line turns it on", async () => {
  // V8 prints its pretenuring statistics at a minor collection only while pretenuring is on. Both
  // get the same requests, until the one told to pretenure has printed some.
  const trace = '--trace-pretenuring-statistics';
  const servers = [await start([contract], { nodeArgs: [trace] })];
  try {
    servers.push(await start([contract], { nodeArgs: [trace, '--allocation-site-pretenuring'] }));
    const lines = (server) => server.stdout().split('\n').filter((line) => line.includes('pretenuring')).length;
    const batch = (server) => Array.from({ length: 50 }, (_, i) => exchange(server.socket, request(`/info/${i}`)));
    for (let round = 0; round < 200 && lines(servers[1]) === 0; round++) {
      await within(10_000, Promise.all(servers.flatMap(batch)));
    }
    assert.ok(lines(servers[1]) > 0, 'statistics when node is told to pretenure');
    assert.equal(lines(servers[0]), 0, 'no pretenuring statistics by default');
  } finally {
    for (const server of servers) server.stop();
  }
});

test('an uncaught exception or rejection is answered 500 for its own request; the others go on', async () => {
  const server = await start([contract]);
  try {
    const slow = exchange(server.socket, request('/stream'));
    const [uncaught, unhandled] = await within(10_000, Promise.all([exchange(server.socket, request('/uncaught')), exchange(server.socket, request('/unhandled'))]));
    const failed = fs.readFileSync(path.join(cases, 'uncaught-exception.out'), 'latin1');
    assert.equal(uncaught.toString(), failed);
    assert.equal(unhandled.toString(), failed);
    const streamed = await within(10_000, slow);
    assert.match(streamed.toString(), /\r\n\r\nfirst\nsecond\n$/);
    assert.match((await exchange(server.socket, request('/process'))).toString(), /^Status: 200 OK/);
    const log = fs.readFileSync(server.log, 'utf8');
    assert.match(log, /the app failed: Error: thrown from a timer/);
    assert.match(log, /the app failed: Error: nobody handled this/);
  } finally {
    server.stop();
  }
});

test('SIGTERM: no new connections, the request in flight finishes whole, exit 0', async () => {
  const server = await start([contract]);
  try {
    const client = net.connect(server.socket, () => client.write(request('/stream')));
    const chunks = [];
    const first = new Promise((resolve) => client.once('data', resolve));
    client.on('data', (chunk) => chunks.push(chunk));
    const ended = new Promise((resolve) => client.on('end', resolve));
    await within(5000, first);
    server.child.kill('SIGTERM');
    await until(2000, () => !fs.existsSync(server.socket), 'the socket file removed');
    await assert.rejects(exchange(server.socket, request('/process')), { code: 'ENOENT' });
    await within(5000, ended);
    assert.match(Buffer.concat(chunks).toString(), /\r\n\r\nfirst\nsecond\n$/);
    assert.equal(await within(5000, server.exited), 0);
  } finally {
    server.stop();
  }
});

test('SIGTERM with a request that never ends: exit 1 after --shutdown-timeout, saying so', async () => {
  const server = await start([contract, '--shutdown-timeout', '300']);
  try {
    const client = net.connect(server.socket, () => client.write(request('/hang')));
    client.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await within(5000, server.exited), 1);
    assert.ok(Date.now() - t0 >= 290, `exited after ${Date.now() - t0} ms`);
    assert.match(fs.readFileSync(server.log, 'utf8'), /stopping on SIGTERM: 1 connection\(s\) still open after 300 ms\n.*cut short: POST \/hang\n$/);
  } finally {
    server.stop();
  }
});

test('LISTEN_FDS (as systemd passes a socket): served, the variables hidden from the app, idle exit', async () => {
  const server = await start([contract, '--idle-timeout', '500'], { launcher: true });
  try {
    const got = (await within(5000, exchange(server.socket, request('/process')))).toString();
    assert.match(got, new RegExp(`pid=${server.child.pid} LISTEN_FDS= LISTEN_PID= run_once=false multithread=true multiprocess=false\n$`));
    const t0 = Date.now();
    assert.equal(await within(5000, server.exited), 0);
    assert.ok(Date.now() - t0 >= 300, `exited ${Date.now() - t0} ms after the last request`);
    // The socket stays, for the super-server to watch and hand to the next process.
    assert.ok(fs.existsSync(server.socket));
  } finally {
    server.stop();
  }
});

test('LISTEN_FDS set for another process (LISTEN_PID) is not taken: one request on stdin', () => {
  const run = spawnSync(process.execPath, [cli, contract], { input: request('/process'), env: { PATH: process.env.PATH, LISTEN_FDS: '1', LISTEN_PID: '1' } });
  assert.equal(run.status, 0);
  assert.match(run.stdout.toString(), /LISTEN_FDS= LISTEN_PID= run_once=true multithread=false multiprocess=true\n$/);
});

test('--wait on a stdin that is not a listening socket: exit 1 and say what --wait needs', () => {
  const run = spawnSync(process.execPath, [cli, contract, '--wait'], { input: '' });
  assert.equal(run.status, 1);
  assert.match(run.stderr.toString(), /cannot listen on fd 0: .*it must be a listening socket: inetd passes one with a "wait" line/);
});

test('--listen replaces a socket file a dead process left, refuses a live one, and sets --socket-mode', async () => {
  const server = await start([contract, '--socket-mode', '600']);
  try {
    assert.equal(fs.statSync(server.socket).mode & 0o777, 0o600);
    const second = spawnSync(process.execPath, [cli, contract, '--listen', server.socket], { timeout: 10_000 });
    assert.equal(second.status, 1);
    assert.match(second.stderr.toString(), new RegExp(`cannot listen on ${server.socket}: another process is serving that socket`));
    server.child.kill('SIGKILL'); // leaves the socket file behind
    await within(5000, server.exited);
    assert.ok(fs.existsSync(server.socket));
    const restarted = spawn(process.execPath, [cli, contract, '--listen', server.socket], { stdio: 'ignore' });
    try {
      let got = '';
      await until(5000, () => (exchange(server.socket, request('/process')).then((r) => (got = r.toString()), () => {}), got !== ''), 'served again');
      assert.match(got, new RegExp(`pid=${restarted.pid} `));
    } finally {
      restarted.kill('SIGKILL');
    }
  } finally {
    server.stop();
  }
});

test('--listen never replaces what is not a socket: a regular file, a directory, a symbolic link', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-listen-'));
  try {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'keep me');
    fs.mkdirSync(path.join(dir, 'folder'));
    fs.symlinkSync(file, path.join(dir, 'link'));
    for (const [name, kind] of [['notes.txt', 'a regular file'], ['folder', 'a directory'], ['link', 'a symbolic link']]) {
      const where = path.join(dir, name);
      const run = spawnSync(process.execPath, [cli, contract, '--listen', where], { timeout: 10_000 });
      assert.equal(run.status, 1, `${name}: exit ${run.status}`);
      assert.match(run.stderr.toString(), new RegExp(`cannot listen on ${where}: ${kind} is there; only a socket a dead process left is replaced`));
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    assert.ok(fs.statSync(path.join(dir, 'folder')).isDirectory());
    assert.ok(fs.lstatSync(path.join(dir, 'link')).isSymbolicLink());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CGI (GATEWAY_INTERFACE set): the request from the environment and stdin, the response on stdout', () => {
  const env = {
    PATH: process.env.PATH,
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: 'POST',
    SCRIPT_NAME: '/cgi-bin/app',
    PATH_INFO: '/echo',
    CONTENT_LENGTH: '11',
    HTTP_PROXY: 'http://evil.example',
  };
  const run = spawnSync(process.execPath, [cli, contract], { input: 'hello world and more', env });
  assert.equal(run.status, 0, run.stderr.toString());
  assert.equal(run.stdout.toString(), 'Status: 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 11\r\n\r\nhello world');
  const proxy = spawnSync(process.execPath, [cli, contract], { input: '', env: { ...env, PATH_INFO: '/env-proxy', CONTENT_LENGTH: '' } });
  assert.equal(proxy.stdout.toString(), response('200 OK', 'HTTP_PROXY in environ: http://evil.example; in process.env: undefined\n'));
  const script = spawnSync(process.execPath, [cli, contract], { input: '', env: { ...env, PATH_INFO: undefined, CONTENT_LENGTH: undefined, REQUEST_URI: '/cgi-bin/app/info/x' } });
  // No PATH_INFO: nothing after the script (not a path taken from REQUEST_URI, which would be /info/x).
  assert.equal(script.stdout.toString(), response('404 Not Found', 'no route \n'));
  const bad = spawnSync(process.execPath, [cli, contract], { input: '', env: { ...env, CONTENT_LENGTH: '1e3' } });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout.toString(), /^Status: 400 Bad Request\r\n[\s\S]*CONTENT_LENGTH must be ASCII digits/);
});
