// `make bench`: measures inetd-scgi against Node itself, side by side in one run, and prints ratios.
//  1. Start-up: a hello-world request through `node app.js < request` (app.js calls runApp) and
//     through the CLI, against `node empty.js`; medians of RUNS interleaved runs.
//     The same for the adapters' hello worlds (examples/fetch.mjs, examples/listener.cjs): what a
//     fetch handler or a (req, res) listener costs a process. And the compatibility suite's Hono and
//     Express apps per connection, against a process that only loads the same app (its framework).
//     Targets: the PEP 3333 hello at most 1.20x node empty.js; a framework app at most 1.15x the
//     process that only loads it.
//     And as inetd runs it: with an accepted unix socket as fds 0, 1 and 2 (where the process
//     re-points fds 1 and 2 at the error log), against `node empty.js` on the same kind of socket.
//  2. Streaming through pipes: a 1 GiB upload read by the app and a 1 GiB response; throughput and
//     the process's peak RSS, against Node's own ceiling (a bare loop of 64 KiB fs.read or
//     fs.writeSync on the same pipes). Target: 1 GB/s or more.
//  3. Per request in a long-running process (--listen): the server's CPU time per hello-world request
//     for each kind of app, against the PEP 3333 app: what each adapter adds to a request.
// Children run with a clean environment (only PATH), as inetd starts them: this machine's variables
// slow every Node 20 start by ~65 ms.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { scgi } = require('./scgi.cjs');
const { median, cpuMicros, targets } = require('./bench-util.cjs');

const RUNS = Number(process.env.RUNS ?? 40);
const STREAM_RUNS = 3;
const GIB = 2 ** 30;
const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist/inetd-scgi.cjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-bench-'));
const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` };

/** Returns the wall time in ms of one run of a shell pipeline; throws if it fails. */
function time(script) {
  const start = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`failed (${result.status}): ${script}\n${result.stderr}`);
  return ms;
}


function startup() {
  fs.writeFileSync(path.join(dir, 'empty.js'), '');
  // app.js is the hello world and its runApp call in one file, as in the blog post this project follows.
  fs.writeFileSync(path.join(dir, 'app.js'), `const { runApp } = require(${JSON.stringify(cli)});
runApp((environ, startResponse) => {
  startResponse('200 OK', [['Content-type', 'text/plain']]);
  return ['Hello world!\\n'];
});
`);
  fs.writeFileSync(path.join(dir, 'hello.scgi'), scgi([['CONTENT_LENGTH', '0'], ['SCGI', '1'], ['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/']]));
  const input = path.join(dir, 'hello.scgi');
  // A process that loads a framework app and exits without serving: what the app costs by itself.
  fs.writeFileSync(path.join(dir, 'load-only.mjs'), 'await import(process.argv[2]);\n');
  const frameworks = path.join(root, 'test/frameworks');
  const commands = {
    'node empty.js': `node ${dir}/empty.js < ${input} > /dev/null`,
    'node app.js (runApp)': `node ${dir}/app.js < ${input} > /dev/null`,
    'node inetd-scgi.cjs hello.js (CLI)': `node ${cli} ${root}/examples/hello.js < ${input} > /dev/null`,
    'fetch handler (examples/fetch.mjs)': `node ${cli} ${root}/examples/fetch.mjs < ${input} > /dev/null`,
    '(req, res) listener (listener.cjs)': `node ${cli} ${root}/examples/listener.cjs --app-type node < ${input} > /dev/null`,
    'Hono app, loaded only': `node ${dir}/load-only.mjs ${frameworks}/hono-app.mjs`,
    'Hono app per connection': `node ${cli} ${frameworks}/hono-app.mjs < ${input} > /dev/null`,
    'Express app, loaded only': `node ${dir}/load-only.mjs ${frameworks}/express-app.cjs`,
    'Express app per connection': `node ${cli} ${frameworks}/express-app.cjs --app-type node < ${input} > /dev/null`,
  };
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (const command of Object.values(commands)) time(command); // warm the file cache
  for (let i = 0; i < RUNS; i++) for (const [name, command] of Object.entries(commands)) samples[name].push(time(command));
  const base = median(samples['node empty.js']);
  console.log(`Start-up: hello-world request, median of ${RUNS} interleaved runs (ratios to node empty.js)`);
  for (const [name, values] of Object.entries(samples)) {
    console.log(`  ${name.padEnd(36)} ${median(values).toFixed(2).padStart(7)} ms  ${(median(values) / base).toFixed(3)}x`);
  }
  const ratio = (a, b) => median(samples[a]) / median(samples[b]);
  target('PEP 3333 hello per connection <= 1.20x node empty.js', ratio('node inetd-scgi.cjs hello.js (CLI)', 'node empty.js'), 1.2);
  target('Hono app per connection <= 1.15x the app loaded only', ratio('Hono app per connection', 'Hono app, loaded only'), 1.15);
  target('Express app per connection <= 1.15x the app loaded only', ratio('Express app per connection', 'Express app, loaded only'), 1.15);
}

const { target: check, summary } = targets();
/** Prints a target with its measured value, and whether it holds (value at most limit). */
function target(what, value, limit, unit = 'x', holds = value <= limit) {
  check(what, `${value.toFixed(2)}${unit}`, holds);
}

/** Resolves to the ms from spawning node with args on an accepted unix socket as fds 0-2 (as
 *  openbsd-inetd does), the peer sending request and staying open, to the process's exit. */
async function onSocket(args, request) {
  const socket = path.join(dir, 'startup.sock');
  fs.rmSync(socket, { force: true });
  const server = net.createServer().listen(socket);
  await new Promise((resolve) => server.on('listening', resolve));
  const client = net.connect(socket, () => client.write(request));
  client.on('data', () => {}).on('error', () => {});
  const accepted = await new Promise((resolve) => server.once('connection', resolve));
  const start = process.hrtime.bigint();
  const child = spawn('node', args, { env, stdio: [accepted, accepted, accepted] });
  accepted.destroy();
  server.close();
  const status = await new Promise((resolve) => child.on('exit', resolve));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  client.destroy();
  if (status !== 0) throw new Error(`node ${args.join(' ')} exited ${status}`);
  return ms;
}

async function startupOnSocket() {
  const request = fs.readFileSync(path.join(dir, 'hello.scgi'));
  const log = path.join(dir, 'error.log');
  const commands = {
    'node empty.js': [`${dir}/empty.js`],
    'node inetd-scgi.cjs hello.js (CLI)': [cli, `${root}/examples/hello.js`, '--errors', log],
  };
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (const args of Object.values(commands)) await onSocket(args, request); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(commands)) samples[name].push(await onSocket(args, request));
  }
  const base = median(samples['node empty.js']);
  console.log(`Start-up as inetd runs it: a unix socket as fds 0-2, median of ${RUNS} interleaved runs`);
  for (const [name, values] of Object.entries(samples)) {
    console.log(`  ${name.padEnd(36)} ${median(values).toFixed(2).padStart(7)} ms  ${(median(values) / base).toFixed(3)}x`);
  }
}

function streaming() {
  const app = path.join(dir, 'stream-app.js');
  // Records the process's peak RSS at exit, in the file named by the environment's RSS_FILE.
  fs.writeFileSync(app, `
const fs = require('node:fs');
process.on('exit', () => fs.writeFileSync(process.env.RSS_FILE, String(process.resourceUsage().maxRSS)));
const CHUNK = Buffer.alloc(64 * 1024, 'x');
module.exports = async (environ, startResponse) => {
  if (environ.PATH_INFO === '/upload') {
    let n = 0;
    for await (const chunk of environ['wsgi.input']) n += chunk.length;
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    return [n + '\\n'];
  }
  startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
  return (function* () { for (let sent = 0; sent < ${GIB}; sent += CHUNK.length) yield CHUNK; })();
};
`);
  fs.writeFileSync(path.join(dir, 'upload.head'), scgi([['CONTENT_LENGTH', String(GIB)], ['REQUEST_URI', '/upload']]));
  fs.writeFileSync(path.join(dir, 'download.scgi'), scgi([['CONTENT_LENGTH', '0'], ['REQUEST_URI', '/download']]));
  // Node's ceiling: the same bytes through a bare loop of fs.read (upload) or fs.writeSync (download).
  // The read loop takes a new buffer for each read, as any stream handing chunks to an app must
  // (reusing one is ~1.5x faster, and is what allocation costs).
  fs.writeFileSync(path.join(dir, 'read-loop.js'), `
const fs = require('node:fs');
(function next() {
  const buf = Buffer.allocUnsafe(65536);
  fs.read(0, buf, 0, buf.length, null, (err, n) => { if (err) throw err; if (n) next(); });
})();
`);
  fs.writeFileSync(path.join(dir, 'write-loop.js'), `
const fs = require('node:fs'), buf = Buffer.alloc(65536, 'x');
for (let sent = 0; sent < ${GIB}; sent += buf.length) fs.writeSync(1, buf);
`);
  const rss = path.join(dir, 'rss');
  const producer = `(cat ${dir}/upload.head; head -c ${GIB} /dev/zero)`;
  const runs = {
    upload: [`${producer} | RSS_FILE=${rss} node ${cli} ${app} > /dev/null`, `${producer} | node ${dir}/read-loop.js`],
    download: [`RSS_FILE=${rss} node ${cli} ${app} < ${dir}/download.scgi | cat > /dev/null`, `node ${dir}/write-loop.js | cat > /dev/null`],
  };
  console.log(`Streaming 1 GiB through pipes, median of ${STREAM_RUNS} (target: 1 GB/s or more, peak RSS under 100 MB)`);
  for (const [name, [ours, ceiling]] of Object.entries(runs)) {
    const oursMs = [], ceilingMs = [], peaks = [];
    for (let i = 0; i < STREAM_RUNS; i++) {
      oursMs.push(time(ours));
      peaks.push(Number(fs.readFileSync(rss, 'utf8')) / 1024);
      ceilingMs.push(time(ceiling));
    }
    const rate = (ms) => GIB / 1e9 / (ms / 1000);
    console.log(`  ${name.padEnd(9)} ${rate(median(oursMs)).toFixed(2)} GB/s, ${(median(ceilingMs) / median(oursMs)).toFixed(2)}x Node's bare loop (${rate(median(ceilingMs)).toFixed(2)} GB/s); peak RSS ${Math.max(...peaks).toFixed(0)} MB`);
    target(`${name} at 1 GB/s or more`, rate(median(oursMs)), 1, ' GB/s', rate(median(oursMs)) >= 1);
  }
}

const PER_REQUEST = Number(process.env.PER_REQUEST ?? 4000);
const ROUNDS = 5;

/** Resolves once the server on socket has answered count requests, one at a time. */
async function hammer(socket, request, count) {
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) => {
      const client = net.connect(socket, () => client.write(request));
      client.on('data', () => {}).on('end', resolve).on('error', reject);
    });
  }
}

async function perRequest() {
  const apps = {
    'PEP 3333 (examples/hello.js)': [`${root}/examples/hello.js`],
    'fetch handler (fetch.mjs)': [`${root}/examples/fetch.mjs`],
    '(req, res) listener (listener.cjs)': [`${root}/examples/listener.cjs`, '--app-type', 'node'],
  };
  const request = fs.readFileSync(path.join(dir, 'hello.scgi'));
  const servers = Object.entries(apps).map(([name, args], i) => {
    const socket = path.join(dir, `per-request-${i}.sock`);
    return { name, socket, child: spawn(process.execPath, [cli, ...args, '--listen', socket], { env, stdio: 'ignore' }), micros: [] };
  });
  try {
    for (const server of servers) {
      for (let i = 0; i < 250 && !fs.existsSync(server.socket); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      await hammer(server.socket, request, 500); // warmed up: code loaded and optimized
    }
    // Interleaved rounds, so that the machine's load changes hit each kind of app alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of servers) {
        const before = cpuMicros(server.child.pid);
        await hammer(server.socket, request, PER_REQUEST);
        server.micros.push((cpuMicros(server.child.pid) - before) / PER_REQUEST);
      }
    }
  } finally {
    for (const server of servers) server.child.kill();
  }
  const base = median(servers[0].micros);
  console.log(`Per request, long-running (--listen): server CPU time per hello-world request, median of ${ROUNDS} rounds of ${PER_REQUEST}`);
  for (const { name, micros } of servers) console.log(`  ${name.padEnd(36)} ${median(micros).toFixed(1).padStart(6)} µs  ${(median(micros) / base).toFixed(2)}x`);
}

(async () => {
  startup();
  await startupOnSocket();
  streaming();
  await perRequest();
  summary('Start-up and streaming');
})().finally(() => fs.rmSync(dir, { recursive: true, force: true }));
