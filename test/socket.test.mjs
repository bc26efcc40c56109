// The CLI on a real socket, as openbsd-inetd and xinetd run it: one accepted connection (unix socket,
// or TCP on 127.0.0.1) as fds 0, 1 and 2. Each test starts a private listener in a temporary folder, spawns one process per
// connection, and stops both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exchange, request, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const cli = path.join(root, 'dist/inetd-scgi.cjs');
const contract = path.join(root, 'test/apps/contract.js');

/** Starts an inetd-like listener (a unix socket, or TCP on 127.0.0.1) that runs the CLI with args for
 *  one connection; resolves to { address, exited(): Promise<exit status>, log: error log path, close() }. */
async function inetd(args, { tcp = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-socket-'));
  const socketPath = path.join(dir, 'app.sock');
  const log = path.join(dir, 'error.log');
  let exited;
  const server = net.createServer((conn) => {
    const child = spawn(process.execPath, [cli, ...args, '--errors', log], { stdio: [conn, conn, conn], env: { PATH: process.env.PATH } });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    conn.destroy(); // the child has its own copy of the fd, as under inetd
  });
  await new Promise((resolve) => server.listen(tcp ? { host: '127.0.0.1', port: 0 } : socketPath, resolve));
  return {
    address: tcp ? { host: '127.0.0.1', port: server.address().port } : { path: socketPath },
    log,
    exited: () => exited,
    close() {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('with fd 2 on the socket, app output and warnings stay off the connection', async () => {
  const server = await inetd([contract]);
  try {
    const response = await within(10_000, exchange(server.address, request('/noisy')));
    assert.equal(response.toString(), 'Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nquiet\n');
    assert.equal(await within(10_000, server.exited()), 0);
    assert.match(fs.readFileSync(server.log, 'utf8'), /app\[\d+\]: console\.log line\n\S+ app\[\d+\]: console\.error line\n\S+ app\[\d+\]: process\.stdout line\n\S+ app\[\d+\]: process\.stderr line\n.*Warning: a warning from the app/);
  } finally {
    server.close();
  }
});

test('a 10 MB upload arrives whole over the socket and is echoed back byte for byte', async () => {
  const server = await inetd([contract]);
  try {
    const body = Buffer.alloc(10_000_000);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE((i * 2654435761) >>> 0, i);
    const response = await within(20_000, exchange(server.address, request('/echo', body)));
    const head = `Status: 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
    assert.equal(response.subarray(0, head.length).toString(), head);
    const digest = (b) => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(response.subarray(head.length)), digest(body));
    assert.equal(await within(10_000, server.exited()), 0);
  } finally {
    server.close();
  }
});

test('a client that resets the connection mid-download ends the process with one log line', async () => {
  const server = await inetd([contract], { tcp: true }); // a reset needs TCP
  try {
    await within(10_000, new Promise((resolve, reject) => {
      const client = net.connect(server.address, () => client.write(request('/big')));
      client.once('data', () => {
        client.resetAndDestroy(); // RST: the process sees ECONNRESET or EPIPE on its next write
        resolve();
      });
      client.on('error', reject);
    }));
    assert.equal(await within(10_000, server.exited()), 1);
    const log = fs.readFileSync(server.log, 'utf8');
    assert.match(log, /^\S+ inetd-scgi\[\d+\]: the client went away: (write )?(ECONNRESET|EPIPE)\b[^\n]*\n$/); // "write ...": past 64 KiB, from a net.Socket
  } finally {
    server.close();
  }
});
