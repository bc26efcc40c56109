// `make bench`, part 2: what a request costs a long-running backend, through one nginx (one worker),
// wrk at 16 connections, on Node 20, 22 and 24 (each run by itself: NODES=20 for one). For each
// backend, its CPU time per request (utime + stime from /proc, over the requests wrk completed) and
// wrk's requests/s; medians of ROUNDS interleaved rounds of SECONDS each. Backends:
//   floor         a minimal node:net SCGI server (test/apps/minimal-scgi.cjs): no checks, no timeouts
//   hello         inetd-scgi --listen, the PEP 3333 hello world (examples/hello.js)
//   http-hello    the same hello world in a plain node:http server (nginx proxy_pass, keepalive)
//   express       inetd-scgi --listen --app-type node, the compatibility suite's real Express app
//   express-native  the same app in node:http (proxy_pass, keepalive)
//   hono          inetd-scgi --listen, the suite's real Hono app (a fetch handler)
//   hono-native   the same app in @hono/node-server (proxy_pass, keepalive)
// Then the targets, each with the value measured in this run:
//   hello's requests/s at least 0.9x the floor's;
//   each adapter adds at most 10 µs beyond its framework's native cost:
//     CPU(app through us) - CPU(hello through us) - (CPU(app native) - CPU(http-hello)) <= 10 µs.
// Needs nginx and wrk (apt-get install -y nginx wrk); the frameworks come from
// test/frameworks/install.sh. Daemons run with a clean environment, on loopback and private unix
// sockets, and are stopped by PID.
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./scgi.cjs');
const { median, cpuMicros, targets } = require('./bench-util.cjs');

const root = path.join(__dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 5); // 3 left the ratios 5-10% apart run to run here
const SECONDS = Number(process.env.SECONDS ?? 2);
const NODES = (process.env.NODES ?? '20 22 24').split(/\s+/).filter(Boolean);
const ADAPTER_LIMIT_US = 10;
const HELLO_RATIO = 0.9;

const have = (program) => spawnSync('bash', ['-c', `command -v ${program}`]).status === 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Returns the path of a Node binary of the major version (fetched into .cache/ if needed). */
function nodeFor(major) {
  const out = spawnSync('bash', ['-c', `source test/node-for.sh && node_for ${major}`], { cwd: root });
  const bin = out.stdout.toString().trim();
  if (out.status !== 0 || bin === '') throw new Error(`no Node ${major} could be had`);
  return bin;
}

/** Runs wrk against url; returns requests completed and requests/s. Throws on errors. */
function wrk(url, seconds) {
  const out = execFileSync('wrk', ['-t1', '-c16', `-d${seconds}s`, url]).toString();
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk saw errors at ${url}:\n${out}`);
  return {
    requests: Number(/([0-9]+) requests in/.exec(out)[1]),
    rate: Number(/Requests\/sec:\s+([0-9.]+)/.exec(out)[1]),
  };
}

async function benchNode(node, dir) {
  const frameworks = path.join(root, 'test/frameworks');
  const env = { PATH: `${path.dirname(node)}:/usr/bin:/bin`, NODE_ENV: 'production' };
  const cli = path.join(root, 'dist/inetd-scgi.cjs');
  const sock = (name) => path.join(dir, `${name}.sock`);
  const ports = {};
  const fronts = {};
  for (const name of ['http-hello', 'express-native', 'hono-native']) ports[name] = await freePort();
  const listen = (name) => ['--listen', sock(name), '--socket-mode', '666', '--errors',
    path.join(dir, `${name}.log`)];
  const backends = {
    floor: [path.join(root, 'test/apps/minimal-scgi.cjs'), sock('floor')],
    hello: [cli, path.join(root, 'examples/hello.js'), ...listen('hello')],
    'http-hello': [path.join(root, 'test/apps/http-server.js'), ports['http-hello']],
    express: [cli, path.join(frameworks, 'express-app.cjs'), '--app-type', 'node',
      ...listen('express')],
    'express-native': [path.join(frameworks, 'native.cjs'), 'express', ports['express-native']],
    hono: [cli, path.join(frameworks, 'hono-app.mjs'), ...listen('hono')],
    'hono-native': [path.join(frameworks, 'native.cjs'), 'hono', ports['hono-native']],
  };
  // A server of its own for each backend, so that each app is at its root, as natively.
  for (const name of Object.keys(backends)) fronts[name] = await freePort();
  const server = (name) => `server { listen 127.0.0.1:${fronts[name]}; location / { ${
    ports[name] === undefined
      ? `include /etc/nginx/scgi_params; scgi_pass unix:${sock(name)};`
      : `proxy_pass http://${name}; proxy_http_version 1.1; proxy_set_header Connection "";`
  } } }`;
  // nginx keeps connections to an HTTP upstream open only with an upstream block's keepalive.
  const upstream = (name) => `upstream ${name} { server 127.0.0.1:${ports[name]}; keepalive 64; }`;
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${dir}/${kind};`).join(' ');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
${process.getuid() === 0 ? 'user www-data;' : ''}
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off; ${temp}
  ${Object.keys(ports).map(upstream).join('\n  ')}
  ${Object.keys(backends).map(server).join('\n  ')}
}
`);
  const children = [];
  const start = (command, args) => {
    const out = fs.openSync(path.join(dir, 'daemons.out'), 'a');
    const child = spawn(command, args, { env, stdio: ['ignore', out, out] });
    children.push(child);
    return child;
  };
  try {
    const pids = {};
    for (const [name, args] of Object.entries(backends)) pids[name] = start(node, args).pid;
    start('/usr/sbin/nginx', ['-c', path.join(dir, 'nginx.conf')]);
    const url = (name) => `http://127.0.0.1:${fronts[name]}/`;
    for (const name of Object.keys(backends)) {
      for (let i = 0; i < 100; i++) {
        if (name === 'floor' && fs.existsSync(sock('floor'))) fs.chmodSync(sock('floor'), 0o666);
        const got = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', url(name)]);
        if (got.stdout.toString() === '200') break;
        if (i === 99) {
          const log = ['daemons.out', 'nginx-error.log', `${name}.log`]
            .map((file) => { try { return fs.readFileSync(path.join(dir, file), 'utf8').slice(-600); } catch { return ''; } })
            .join('\n');
          throw new Error(`${name} does not answer on Node ${node}: ${log}`);
        }
        await sleep(100);
      }
      wrk(url(name), 1); // warmed up: code loaded and optimized
    }
    const micros = {};
    const rates = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(backends)) {
        const before = cpuMicros(pids[name]);
        const { requests, rate } = wrk(url(name), SECONDS);
        (micros[name] ??= []).push((cpuMicros(pids[name]) - before) / requests);
        (rates[name] ??= []).push(rate);
      }
    }
    const cpu = Object.fromEntries(Object.entries(micros).map(([k, v]) => [k, median(v)]));
    const rps = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
    return { cpu, rps };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(300);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

(async () => {
  const missing = ['/usr/sbin/nginx', 'wrk', 'curl'].filter((program) => !have(program));
  if (missing.length > 0) {
    console.log(`Per request through nginx: skipped (needs ${missing.join(', ')}: `
      + 'apt-get install -y nginx wrk curl)');
    return;
  }
  const installed = spawnSync('bash', [path.join(root, 'test/frameworks/install.sh')],
    { stdio: 'inherit' });
  if (installed.status !== 0) throw new Error('the frameworks could not be installed');
  const { target, summary } = targets();
  console.log(`Per request through one nginx (1 worker), wrk -c16: backend CPU µs per request and `
    + `requests/s, medians of ${ROUNDS} interleaved rounds of ${SECONDS} s; ${os.cpus().length} cores`);
  for (const major of NODES) {
    const node = nodeFor(major);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-bench-'));
    fs.chmodSync(dir, 0o755);
    try {
      const version = execFileSync(node, ['--version']).toString().trim();
      const { cpu, rps } = await benchNode(node, dir);
      console.log(`  Node ${version}`);
      for (const name of Object.keys(cpu)) {
        console.log(`    ${name.padEnd(16)} ${cpu[name].toFixed(1).padStart(7)} µs `
          + `${rps[name].toFixed(0).padStart(8)} req/s`);
      }
      const ratio = rps.hello / rps.floor;
      target(`PEP 3333 hello req/s >= ${HELLO_RATIO}x the floor's`, `${ratio.toFixed(2)}x`,
        ratio >= HELLO_RATIO);
      for (const app of ['express', 'hono']) {
        const added = cpu[app] - cpu.hello - (cpu[`${app}-native`] - cpu['http-hello']);
        target(`the ${app} adapter adds <= ${ADAPTER_LIMIT_US} µs beyond native`,
          `${added.toFixed(1)} µs`, added <= ADAPTER_LIMIT_US);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  summary('Per request through nginx');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
