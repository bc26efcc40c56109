// A deployer's usual mistakes, each named where they will look: the browser and nginx's log (a 500
// on the connection), the error log, stderr when it is not the connection, the exit status a
// supervisor sees. Through the CLI as a real process: per connection with fds 0-2 on one socket (as
// openbsd-inetd gives them), and long-running with --listen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { perConnection, request, until, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const cli = path.join(root, 'dist/inetd-scgi.cjs');
const hello = path.join(root, 'examples/hello.js');
const text = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
const BAD_COMMAND_LINE = 'inetd-scgi: bad command line; see the error log\n';

test('--help prints the usage on stdout and exits 0; --version prints the version of package.json', () => {
  const help = spawnSync(process.execPath, [cli, '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout.toString(), /^usage: node inetd-scgi.cjs APP_MODULE \[options\]\n/);
  const version = spawnSync(process.execPath, [cli, '--version']);
  assert.equal(version.status, 0);
  const { version: expected } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.equal(version.stdout.toString(), `inetd-scgi ${expected}\n`);
});

for (const [mistake, args, logged] of [
  ['a mistyped option', [hello, '--erors', '/tmp/x.log'], /bad command line: unknown option '--erors'\n$/],
  ['no app module', [], /bad command line: the app module is missing\n$/],
  ['a bad value', [hello, '--header-timeout', '1e3'], /bad command line: --header-timeout must be a positive whole number; got '1e3'\n$/],
]) {
  test(`bad usage under inetd (${mistake}): a 500 names the problem, the error log the details`, async () => {
    const run = await perConnection(args, { fd2: true }); // adds --errors LOG, as an inetd.conf line does
    try {
      let got = '';
      run.client.on('data', (chunk) => (got += chunk));
      run.client.write(request('/'));
      assert.equal(await within(10_000, run.exited), 1);
      assert.equal(got, `Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${BAD_COMMAND_LINE.length}\r\n\r\n${BAD_COMMAND_LINE}`);
      assert.match(text(run.log), logged);
    } finally {
      run.stop();
    }
  });
}

test('bad usage from a shell: the usage on stderr, exit 2, and the message in the error log it names', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-usage-'));
  try {
    const log = path.join(dir, 'error.log');
    const run = spawnSync(process.execPath, [cli, hello, '--nope', '1', '--errors', log], { input: '' });
    assert.equal(run.status, 2);
    assert.match(run.stderr.toString(), /^inetd-scgi: unknown option '--nope'\nusage: /);
    assert.match(text(log), /bad command line: unknown option '--nope'\n$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--listen: a port typo or a relative path is refused, not made a socket file in the working directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-listen-'));
  try {
    for (const address of ['127.0.0.1:80x', 'app.sock']) {
      const run = spawnSync(process.execPath, [cli, hello, '--listen', address], { cwd: dir, timeout: 10_000 });
      assert.equal(run.status, 2, address);
      assert.match(run.stderr.toString(), /--listen takes HOST:PORT or a unix socket path that is absolute or starts with \.\//);
      assert.deepEqual(fs.readdirSync(dir), []);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--listen in a folder that does not exist: exit 1, naming the folder', () => {
  const run = spawnSync(process.execPath, [cli, hello, '--listen', '/nonexistent-inetd-scgi/app.sock'], { timeout: 10_000 });
  assert.equal(run.status, 1);
  assert.match(run.stderr.toString(), /cannot listen on \/nonexistent-inetd-scgi\/app\.sock: its folder \/nonexistent-inetd-scgi does not exist: create it/);
});

/** Runs the CLI long-running with --listen in a fresh folder; resolves to { socket, log, exited, child, stop }. */
function listening(args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-start-'));
  const socket = path.join(dir, 'app.sock');
  const log = path.join(dir, 'error.log');
  const child = spawn(process.execPath, [cli, ...args, '--listen', socket, '--errors', log], { stdio: 'ignore', env: { PATH: process.env.PATH } });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return { socket, log, exited, child, stop: () => (child.kill('SIGKILL'), fs.rmSync(dir, { recursive: true, force: true })) };
}

test('long-running: an app that fails to load ends the process at start (exit 1), its reason logged once', async () => {
  const server = listening([path.join(root, 'test/apps/throws-on-load.cjs')]);
  try {
    assert.equal(await within(10_000, server.exited), 1);
    const log = text(server.log);
    assert.equal(log.match(/the app could not be loaded: Error: broken at load time/g)?.length, 1, log);
    assert.doesNotMatch(log, /Warning|an error no request can be tied to/);
    assert.equal(fs.existsSync(server.socket), false);
  } finally {
    server.stop();
  }
});

test('long-running: one line when it starts serving says where, which app, which kind and which Node', async () => {
  for (const [args, kind] of [
    [[hello], 'a PEP 3333 app'],
    [[path.join(root, 'examples/fetch.mjs')], 'a fetch handler'],
    [[path.join(root, 'examples/listener.cjs'), '--app-type', 'node'], 'a Node \\(req, res\\) listener'],
  ]) {
    const server = listening(args);
    try {
      await until(10_000, () => / on \S+app\.sock\n$/.test(text(server.log)), `the start line (log: ${text(server.log)})`);
      const app = args[0].replace(/[./]/g, (c) => `\\${c}`);
      assert.match(text(server.log), new RegExp(`^\\S+ inetd-scgi\\[${server.child.pid}\\]: serving ${app}, ${kind}, with Node ${process.version} on ${server.socket.replace(/[./]/g, (c) => `\\${c}`)}\\n$`));
    } finally {
      server.stop();
    }
  }
});

/** Runs the CLI with --check and args; returns { status, out }. */
function check(args) {
  const run = spawnSync(process.execPath, [cli, ...args, '--check'], { timeout: 20_000, env: { PATH: process.env.PATH } });
  return { status: run.status, out: run.stdout.toString() };
}

test('--check with a good app: what it found, the canned request\'s status, "ok", exit 0', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-check-'));
  try {
    const { status, out } = check([path.join(root, 'examples/fetch.mjs'), '--errors', path.join(dir, 'error.log')]);
    assert.equal(status, 0, out);
    assert.match(out, new RegExp(`^inetd-scgi \\S+ on Node ${process.version}\\nmode: per connection: .*\\nerror log: \\S+error\\.log, opened for appending\\napp: \\S+fetch\\.mjs, served as a fetch handler\\na canned request, GET /: 200 OK\\nok\\n$`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--check names what is wrong, exit 1: an app that fails to load, an unwritable log, a wrong app type', () => {
  const broken = check([path.join(root, 'test/apps/throws-on-load.cjs')]);
  assert.equal(broken.status, 1);
  assert.match(broken.out, /\nPROBLEM: app: \S+throws-on-load\.cjs cannot be loaded: Error: broken at load time\n[^]*\nnot ok: 1 problem\(s\)\n$/);
  const log = check([hello, '--errors', '/nonexistent-inetd-scgi/error.log']);
  assert.equal(log.status, 1);
  assert.match(log.out, /\nPROBLEM: error log: cannot open \/nonexistent-inetd-scgi\/error\.log for appending: ENOENT[^\n]*\n[^]*a canned request, GET \/: 200 OK\nnot ok: 1 problem\(s\)\n$/);
  // A (req, res) listener without --app-type is called as a PEP 3333 app, and fails.
  const type = check([path.join(root, 'examples/listener.cjs')]);
  assert.equal(type.status, 1);
  assert.match(type.out, /\nPROBLEM: a canned request, GET \/: 500 Internal Server Error \(if it is a \(req, res\) listener, such as an Express or Koa app, say --app-type node\); the log says: [^\n]*the app failed: TypeError: res\.setHeader is not a function\n/);
  assert.equal(check([path.join(root, 'examples/listener.cjs'), '--app-type', 'node']).status, 0);
});

test('an error log that cannot be opened, under inetd: a 500 says so, where the reason would have gone nowhere', async () => {
  const contract = path.join(root, 'test/apps/contract.js');
  const run = await perConnection([contract, '--errors', '/nonexistent-inetd-scgi/error.log'], { fd2: true, errors: false });
  try {
    let got = '';
    run.client.on('data', (chunk) => (got += chunk));
    run.client.write(request('/throw'));
    assert.equal(await within(10_000, run.exited), 1);
    const body = 'Internal Server Error\ninetd-scgi: the error log cannot be opened; run with --check\n';
    assert.equal(got, `Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  } finally {
    run.stop();
  }
});
