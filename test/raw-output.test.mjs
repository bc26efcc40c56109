// Nothing but the response reaches the connection, at the file-descriptor level: the CLI per
// connection on an accepted unix socket as fds 0, 1 and 2 (as openbsd-inetd and xinetd give it), with
// test/apps/raw-output.cjs writing below JavaScript's guards. The client must get the response or
// nothing (the web server then answers 502), never those bytes; they land in the error log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { nginx, perConnection, scgi, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const app = path.join(root, 'test/apps/raw-output.cjs');
const text = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
const ok = (route) => `Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${`ok ${route}\n`.length}\r\n\r\nok ${route}\n`;

/** Sends uri to the CLI serving the raw-output app on fds 0-2; resolves to { response, ending, endedAt
 *  (ms from the request to the peer's EOF), log } once the process has ended. */
async function serve(uri, { nodeArgs = [], errors = true } = {}) {
  const run = await perConnection([app], { fd2: true, nodeArgs, errors });
  try {
    const chunks = [];
    run.client.on('data', (chunk) => chunks.push(chunk));
    run.client.on('error', () => {}); // an aborting process may reset the connection
    const sent = Date.now();
    run.client.write(scgi(nginx(uri)));
    const eof = new Promise((resolve) => run.client.on('close', () => resolve(Date.now() - sent)));
    const ending = await within(20_000, run.exited);
    const endedAt = await within(20_000, eof);
    return { response: Buffer.concat(chunks).toString('latin1'), ending, endedAt, log: text(run.log) };
  } finally {
    run.stop();
  }
}

for (const [route, logged] of [
  ['/fd1', 'RAW fs.writeSync(1)\n'],
  ['/fd2', 'RAW fs.writeSync(2)\n'],
  ['/raw-debug', 'RAW process._rawDebug\n'],
  ['/spawn', 'RAW child stdout\nRAW child stderr\n'],
]) {
  test(`${route}: the response is whole and alone on the connection; the raw bytes are in the log`, async () => {
    const { response, ending, log } = await serve(route);
    assert.equal(response, ok(route));
    assert.equal(ending, 0);
    assert.ok(log.includes(logged), `log: ${log}`);
  });
}

test('without --errors, raw writes go nowhere rather than to the connection', async () => {
  const { response, ending } = await serve('/spawn', { errors: false });
  assert.equal(response, ok('/spawn'));
  assert.equal(ending, 0);
});

test('process.abort(): nothing reaches the connection; the native stack trace is in the log', async () => {
  const { response, ending, log } = await serve('/abort');
  assert.equal(response, '');
  assert.equal(ending, 'SIGABRT');
  assert.match(log, /Native stack trace|process\.abort|Abort/i);
  assert.doesNotMatch(log, /ok \/abort/);
});

test('out of memory: nothing reaches the connection; V8\'s report is in the log', async () => {
  const { response, ending, log } = await serve('/oom', { nodeArgs: ['--max-old-space-size=16'] });
  assert.equal(response, '');
  assert.equal(ending, 'SIGABRT');
  assert.match(log, /heap out of memory/);
});

test('fork(): the child\'s output goes to the log; the limit: holding fd 0, it holds the connection open until it exits', async () => {
  const { response, ending, endedAt, log } = await serve('/fork?1500'); // the child lives 1.5 s
  assert.equal(response, 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok /fork\n'); // no length
  assert.equal(ending, 0);
  assert.match(log, /RAW forked child stdout\n/);
  assert.match(log, /RAW forked child stderr\n/);
  // The response is all there at once, but the web server sees its end (a response without a
  // length ends with the connection) only when the child exits.
  assert.ok(endedAt >= 1500, `the connection ended after ${endedAt} ms, before the child exited`);
});
