// What the tests share: the SCGI request encoding (a netstring of NUL-terminated name/value pairs,
// then the body; strings are latin-1, one byte a character, as on the wire), bounds on waiting, and
// starting the CLI as a long-running server.
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist/inetd-scgi.cjs');

/** Returns the netstring "LEN:BYTES," of a latin-1 string or a Buffer. */
function netstring(block) {
  const bytes = Buffer.isBuffer(block) ? block : Buffer.from(block, 'latin1');
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes, Buffer.from(',')]);
}

/** Returns an SCGI request: [name, value] pairs as a netstring, then the body (latin-1 string or Buffer). */
function scgi(pairs, body = '') {
  const block = pairs.map(([name, value]) => `${name}\0${value}\0`).join('');
  return Buffer.concat([netstring(block), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
}

/** Returns the pairs nginx sends with its stock scgi_params for a request to uri. body is a latin-1
 *  string or a Buffer; type its Content-Type (by default application/octet-stream when there is a
 *  body); host the Host header and the server's name; extra pairs go last. */
function nginx(uri, { method = 'GET', body = '', type, host = 'localhost', extra = [] } = {}) {
  const [pathPart, query = ''] = uri.split(/\?(.*)/s);
  const length = Buffer.isBuffer(body) ? body.length : Buffer.byteLength(body, 'latin1');
  return [
    ['CONTENT_LENGTH', String(length)],
    ['QUERY_STRING', query],
    ['REQUEST_METHOD', method],
    ['CONTENT_TYPE', type ?? (length > 0 ? 'application/octet-stream' : '')],
    ['DOCUMENT_URI', decodeURIComponent(pathPart)],
    ['DOCUMENT_ROOT', '/usr/share/nginx/html'],
    ['SCGI', '1'],
    ['SERVER_PROTOCOL', 'HTTP/1.1'],
    ['REQUEST_SCHEME', 'http'],
    ['REQUEST_URI', uri],
    ['REMOTE_ADDR', '127.0.0.1'],
    ['REMOTE_PORT', '50000'],
    ['SERVER_PORT', '80'],
    ['SERVER_NAME', host],
    ['HTTP_HOST', host],
    ...extra,
  ];
}

/** Returns an SCGI POST request for uri, as nginx frames one, with body (a Buffer). */
function request(uri, body = Buffer.alloc(0)) {
  return scgi([['CONTENT_LENGTH', String(body.length)], ['SCGI', '1'], ['REQUEST_METHOD', 'POST'], ['REQUEST_URI', uri]], body);
}

/** Sends bytes on a new connection to address (a unix socket path, or { host, port }), leaving it
 *  open as a web server does; resolves to the whole response, read until the server closes. */
function exchange(address, bytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const client = net.connect(address, () => client.write(bytes));
    client.on('data', (chunk) => chunks.push(chunk));
    client.on('end', () => resolve(Buffer.concat(chunks)));
    client.on('error', reject);
  });
}

/** Resolves to a socket connected to a unix socket path, trying again while its backlog is full
 *  (EAGAIN: a server accepting a burst). */
function connected(socketPath) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => resolve(socket));
    const again = () => connected(socketPath).then(resolve, reject);
    socket.on('error', (err) => (err.code === 'EAGAIN' ? setTimeout(again, 10) : reject(err)));
  });
}

/** Resolves to a TCP port on 127.0.0.1 that nothing listens on now. */
function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves to the value of promise, or rejects after ms (so a hang fails the test). */
function within(ms, promise) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Resolves once test() holds, polling every 20 ms for at most ms. */
async function until(ms, test, what) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (test()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

/** Starts the CLI long-running on a unix socket in a fresh folder: with --listen, or through
 *  test/listen-fds.pl (LISTEN_FDS, as systemd); nodeArgs go to node before the CLI. Resolves once it
 *  listens, to { socket, log, child, exited: Promise<exit code>, stderr(), stdout(), stop() }. */
async function start(args, { launcher = false, env = {}, nodeArgs = [] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-modes-'));
  const socket = path.join(dir, 'app.sock');
  const log = path.join(dir, 'error.log');
  const command = launcher
    ? ['perl', [path.join(root, 'test/listen-fds.pl'), socket, process.execPath, cli, ...args, '--errors', log]]
    : [process.execPath, [...nodeArgs, cli, ...args, '--listen', socket, '--errors', log]];
  const child = spawn(...command, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  await until(5000, () => fs.existsSync(socket) && fs.existsSync(`/proc/${child.pid}`), `the server listening (stderr: ${stderr})`);
  await new Promise((resolve) => setTimeout(resolve, launcher ? 200 : 0)); // the launcher's socket exists before node runs
  return {
    socket,
    log,
    child,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    stop() {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Per connection, as inetd does it: a process for one accepted unix socket, on its fds 0 and 1, and 2
 *  too with { fd2: true } (as openbsd-inetd and xinetd give it). nodeArgs go to node before the CLI;
 *  errors: false leaves out --errors. Resolves to { client (the web server's end, which stays open
 *  and silent unless the test writes or ends it), exited: Promise<exit code, or the signal's name>,
 *  elapsed(): ms since the process started, log, stop() }. */
async function perConnection(args, { fd2 = false, nodeArgs = [], errors = true } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-adapters-'));
  const log = path.join(dir, 'error.log');
  const listener = net.createServer().listen(path.join(dir, 'app.sock'));
  await once(listener, 'listening');
  const client = net.connect(path.join(dir, 'app.sock'));
  const [accepted] = await once(listener, 'connection');
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, cli, ...args, ...(errors ? ['--errors', log] : [])], {
    stdio: [accepted, accepted, fd2 ? accepted : 'ignore'],
    env: { PATH: process.env.PATH },
  });
  accepted.destroy(); // the child has its own copy of the socket
  listener.close();
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return {
    client,
    exited,
    elapsed: () => Date.now() - started,
    log,
    child,
    stop: () => (child.kill('SIGKILL'), client.destroy(), fs.rmSync(dir, { recursive: true, force: true })),
  };
}

module.exports = { netstring, scgi, nginx, request, exchange, connected, freePort, within, until, start, perConnection };
