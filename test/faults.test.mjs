// Faults and idle peers, through the CLI as a real process (per connection with an accepted socket
// as fds 0 and 1, as inetd runs it, and long-running with --listen): an app that never returns, and
// a thousand connections that send nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connected, exchange, freePort, perConnection, request, scgi, start, until, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const cli = path.join(root, 'dist/inetd-scgi.cjs');
const contract = path.join(root, 'test/apps/contract.js');
const hang = scgi([['CONTENT_LENGTH', '0'], ['SCGI', '1'], ['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/hang']]);
const text = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
const openFds = (pid) => fs.readdirSync(`/proc/${pid}/fd`).length;
/** Returns what a process's fds are, for messages. */
const fdNames = (pid) => fs.readdirSync(`/proc/${pid}/fd`).map((fd) => { try { return fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return fd; } }).join(' ');

/** Resolves once the server has logged something: its error log is open, so it counts among its fds. */
async function logOpened(server) {
  const bad = net.connect(server.socket, () => bad.end('x')).resume(); // read (and drop) the 400, so that 'close' comes
  await within(5000, new Promise((resolve) => bad.on('close', resolve)));
  await until(5000, () => text(server.log) !== '', 'the first log line');
}

test('per connection: an app that never returns is given up when the web server closes the connection', async () => {
  const { client, exited, log, stop } = await perConnection([contract]);
  try {
    client.write(hang);
    await new Promise((resolve) => setTimeout(resolve, 1300)); // past the 1 s after which the watch starts
    client.destroy(); // as nginx does after scgi_read_timeout
    assert.equal(await within(5000, exited), 'SIGKILL'); // given up, the app still running: ended at once
    assert.match(text(log), /the client went away: the connection closed before the response ended/);
  } finally {
    stop();
  }
});

test('--listen: an app that never returns is given up when the connection closes; others go on', async () => {
  const server = await start([contract]);
  try {
    await logOpened(server);
    const client = net.connect(server.socket, () => client.write(hang));
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const fds = openFds(server.child.pid);
    client.destroy();
    await until(5000, () => /the client went away/.test(text(server.log)), 'the log saying so');
    await until(5000, () => openFds(server.child.pid) < fds, 'the connection closed on the server');
    const other = net.connect(server.socket, () => other.write(request('/process')));
    let got = '';
    other.on('data', (chunk) => (got += chunk));
    await within(5000, new Promise((resolve) => other.on('end', resolve)));
    assert.match(got, /^Status: 200 OK\r\n[^]*pid=/);
  } finally {
    server.stop();
  }
});

test('--listen: 1,000 idle connections are each dropped after --header-timeout, serve no one worse, and leave nothing behind', async () => {
  const server = await start([contract, '--header-timeout', '1500']);
  const sockets = [];
  const closed = [];
  try {
    await logOpened(server);
    const fdsBefore = openFds(server.child.pid);
    const namesBefore = fdNames(server.child.pid);
    // A unix socket's backlog (511) is full while the server accepts a burst: connected() tries again.
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 100 }, async (_, i) => {
        const socket = await connected(server.socket);
        sockets.push(socket);
        closed.push(new Promise((done) => socket.on('close', done)));
        if (i % 2) socket.write('70:CONTENT_LENGTH\0'); // half of them stop mid-header
      }));
    }
    // Meanwhile a real request is served at once.
    const t0 = Date.now();
    const other = await connected(server.socket);
    other.write(request('/process'));
    let got = '';
    other.on('data', (chunk) => (got += chunk));
    await within(5000, new Promise((resolve) => other.on('end', resolve)));
    assert.match(got, /^Status: 200 OK\r\n/);
    assert.ok(Date.now() - t0 < 1000, `a request beside 1,000 idle connections took ${Date.now() - t0} ms`);
    await within(10_000, Promise.all(closed));
    await until(5000, () => openFds(server.child.pid) <= fdsBefore, `the server's open files back to ${namesBefore} (now ${fdNames(server.child.pid)})`);
    const dropped = (text(server.log).match(/dropping the connection: no complete header block within 1500 ms/g) ?? []).length;
    assert.equal(dropped, 1000);
  } finally {
    sockets.forEach((socket) => socket.destroy());
    server.stop();
  }
});

test('per connection: a peer that never reads a 100 MB response is dropped after --write-timeout', async () => {
  const { client, exited, log, stop } = await perConnection([contract, '--write-timeout', '1000']);
  try {
    client.pause(); // reads nothing: the window closes once the socket buffers are full
    client.write(request('/huge'));
    assert.equal(await within(10_000, exited), 'SIGKILL'); // a limit ran out: given up, ended at once
    assert.match(text(log), /the client went away: the web server took no response bytes for 1000 ms/);
  } finally {
    client.destroy();
    stop();
  }
});

test('--listen: a peer that never reads a 100 MB response is dropped after --write-timeout, its memory freed', async () => {
  const server = await start([contract, '--write-timeout', '1000']);
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]) * 1024;
  try {
    await logOpened(server);
    const fdsBefore = openFds(server.child.pid);
    const rssBefore = rss();
    const stuck = net.connect(server.socket, () => stuck.write(request('/huge')));
    stuck.pause(); // reads nothing: the window closes once the socket buffers are full
    await until(10_000, () => /the client went away: the web server took no response bytes for 1000 ms/.test(text(server.log)), 'the log saying so');
    assert.ok(rss() - rssBefore < 20 * 2 ** 20, `the server grew by ${((rss() - rssBefore) / 2 ** 20).toFixed(1)} MiB`);
    await until(5000, () => openFds(server.child.pid) <= fdsBefore, `the connection closed on the server (${fdNames(server.child.pid)})`);
    stuck.destroy();
    const other = net.connect(server.socket, () => other.write(request('/process')));
    let got = '';
    other.on('data', (chunk) => (got += chunk));
    await within(5000, new Promise((resolve) => other.on('end', resolve)));
    assert.match(got, /^Status: 200 OK\r\n/);
  } finally {
    server.stop();
  }
});


test('--listen: a body trickling in is cut at --request-timeout; the process serves on', async () => {
  const server = await start([contract, '--request-timeout', '800']);
  try {
    const client = net.connect(server.socket, () => client.write(scgi([['CONTENT_LENGTH', '1000000'], ['SCGI', '1'], ['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/hang']], 'x')));
    const timer = setInterval(() => client.write('x'), 300);
    let got = '';
    client.on('data', (chunk) => (got += chunk));
    client.on('error', () => {});
    const t0 = Date.now();
    await within(5000, new Promise((resolve) => client.on('close', resolve)));
    clearInterval(timer);
    const ms = Date.now() - t0;
    assert.ok(ms >= 750 && ms < 1800, `dropped after ${ms} ms`);
    assert.equal(got, '');
    assert.match(text(server.log), /within 800 ms \(--request-timeout\); the request body had not all arrived, so the connection is dropped\n$/);
    assert.match((await within(5000, exchange(server.socket, request('/process')))).toString(), /^Status: 200 OK\r\n/);
  } finally {
    server.stop();
  }
});

test('--listen: past --max-connections new connections are closed at once, said once per burst; then served again', async () => {
  const server = await start([contract, '--max-connections', '5']);
  const idle = [];
  try {
    for (let i = 0; i < 5; i++) idle.push(await connected(server.socket));
    await until(5000, () => idle.every((socket) => socket.readyState === 'open'), 'five connections');
    await new Promise((resolve) => setTimeout(resolve, 100)); // accepted by the server
    const refused = await Promise.all(Array.from({ length: 10 }, async () => {
      const socket = await connected(server.socket);
      const t0 = Date.now();
      let got = '';
      socket.on('data', (chunk) => (got += chunk));
      socket.write(request('/process'));
      await within(5000, new Promise((resolve) => socket.on('close', resolve)));
      return { got, ms: Date.now() - t0 };
    }));
    for (const { got, ms } of refused) {
      assert.equal(got, '');
      assert.ok(ms < 1000, `closed after ${ms} ms`);
    }
    assert.equal(text(server.log).match(/5 connections open \(--max-connections\): closing new ones until one ends/g)?.length, 1, text(server.log));
    idle.pop().destroy();
    await until(5000, () => /closed 10 new connection\(s\) at --max-connections 5\n/.test(text(server.log)), 'the burst summed up');
    assert.match((await within(5000, exchange(server.socket, request('/process')))).toString(), /^Status: 200 OK\r\n/);
  } finally {
    for (const socket of idle) socket.destroy();
    server.stop();
  }
});

test('--listen: an error log that cannot be opened yet is tried again later, not given up for stderr', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-log-'));
  const log = path.join(dir, 'later', 'error.log');
  const child = spawn(process.execPath, [cli, contract, '--listen', path.join(dir, 'app.sock'), '--errors', log], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    await until(5000, () => fs.existsSync(path.join(dir, 'app.sock')), 'listening');
    await within(5000, exchange(path.join(dir, 'app.sock'), request('/throw')));
    await until(5000, () => /cannot open the error log .*later\/error\.log.*\n[^]*the app broke/.test(stderr), `stderr saying so: ${stderr}`);
    fs.mkdirSync(path.join(dir, 'later'));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the retry delay
    await within(5000, exchange(path.join(dir, 'app.sock'), request('/throw')));
    await until(5000, () => /the app failed: Error: the app broke/.test(text(log)), 'the log file used');
    assert.equal(stderr.match(/cannot open the error log/g).length, 1);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--listen: a second SIGTERM during the drain ends the process at once, naming the request it cut', async () => {
  const server = await start([contract]); // --shutdown-timeout 10 s
  try {
    const client = net.connect(server.socket, () => client.write(request('/hang')));
    client.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    await until(5000, () => /finishing the 1 open connection/.test(text(server.log)), 'the drain begun');
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await within(5000, server.exited), 1);
    assert.ok(Date.now() - t0 < 1000, `exited ${Date.now() - t0} ms after the second signal`);
    assert.match(text(server.log), /stopping on SIGTERM again: 1 connection\(s\) cut\n.*cut short: POST \/hang\n$/);
  } finally {
    server.stop();
  }
});

test('--listen on TCP: a response cut at --shutdown-timeout is reset, so nginx cannot take it for whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-cut-'));
  const log = path.join(dir, 'error.log');
  const port = await freePort();
  const child = spawn(process.execPath, [cli, contract, '--listen', `127.0.0.1:${port}`, '--shutdown-timeout', '300', '--errors', log], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await until(5000, () => text(log).includes(` on 127.0.0.1:${port}\n`), 'the line saying it listens');
    const client = net.connect(port, '127.0.0.1', () => client.write(request('/stall'))); // "first\n", then nothing
    let got = '';
    client.on('data', (chunk) => (got += chunk));
    const failure = new Promise((resolve) => client.on('error', resolve));
    await until(5000, () => got.includes('first\n'), 'the first chunk');
    child.kill('SIGTERM');
    assert.equal((await within(5000, failure)).code, 'ECONNRESET');
    assert.equal(await within(5000, exited), 1);
    assert.match(text(log), /cut short: POST \/stall\n$/);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
