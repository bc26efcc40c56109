// Faults and idle peers, through the CLI as a real process (per connection with an accepted socket
// as fds 0 and 1, as inetd runs it, and long-running with --listen): an app that never returns, and
// a thousand connections that send nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { perConnection, request, scgi, start, until, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
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
    assert.equal(await within(5000, exited), 1);
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
    // A unix socket's backlog (511) is full while the server accepts a burst: EAGAIN, tried again.
    const connect = () => new Promise((resolve, reject) => {
      const socket = net.connect(server.socket, () => resolve(socket));
      socket.on('error', (err) => (err.code === 'EAGAIN' ? setTimeout(() => connect().then(resolve, reject), 10) : reject(err)));
    });
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 100 }, async (_, i) => {
        const socket = await connect();
        sockets.push(socket);
        closed.push(new Promise((done) => socket.on('close', done)));
        if (i % 2) socket.write('70:CONTENT_LENGTH\0'); // half of them stop mid-header
      }));
    }
    // Meanwhile a real request is served at once.
    const t0 = Date.now();
    const other = await connect();
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
    assert.equal(await within(10_000, exited), 1);
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

