// Peers that stay open and silent, per connection, as an attacker or a stuck client would: the CLI on
// an accepted unix socket as fds 0, 1 and 2 (as openbsd-inetd gives it), the other end held open and
// never ended. Every way of giving up must end the process within its limit plus a second, whatever
// read is left blocked in libuv's thread pool, after its log line. Each test asserts the ending, the
// elapsed time and the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { perConnection, scgi, within } from './scgi.cjs';

const root = path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const contract = path.join(root, 'test/apps/contract.js');
const hello = path.join(root, 'examples/hello.js');
const LIMIT = 800; // each test's timeout, ms
const GRACE = 1000; // what the process may take beyond it
const text = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
const post = (uri, length, body = '') =>
  scgi([['CONTENT_LENGTH', String(length)], ['SCGI', '1'], ['REQUEST_METHOD', 'POST'], ['REQUEST_URI', uri]], body);

/** Runs the CLI with args on a socket whose peer sends what feed() sends and stays open; asserts that
 *  the process ends (SIGKILL: it gave up) between LIMIT and LIMIT + GRACE ms, that nothing reached the
 *  peer, and that the log matches logged. */
async function givesUp(args, feed, logged) {
  const run = await perConnection(args, { fd2: true });
  try {
    let received = '';
    run.client.on('data', (chunk) => (received += chunk));
    run.client.on('error', () => {}); // the peer may see a reset when the process ends
    await feed(run.client);
    const ending = await within(LIMIT + GRACE + 5000, run.exited);
    const ms = run.elapsed();
    assert.equal(ending, 'SIGKILL', `ended with ${ending}; log: ${text(run.log)}`);
    assert.ok(ms >= LIMIT && ms < LIMIT + GRACE, `ended after ${ms} ms; the limit was ${LIMIT} ms`);
    assert.match(text(run.log), logged);
    assert.equal(received, '');
  } finally {
    run.stop();
  }
}

const headerGone = /dropping the connection: no complete header block within 800 ms\n$/;

test('a peer that connects and sends nothing: the process ends at --header-timeout', () =>
  givesUp([hello, '--header-timeout', String(LIMIT)], () => {}, headerGone));

test('a peer that sends half a header block and stays silent: the process ends at --header-timeout', () =>
  givesUp([hello, '--header-timeout', String(LIMIT)], (client) => client.write('70:CONTENT_LENGTH\0'), headerGone));

test('a peer that sends part of a body and stays silent: the process ends at --body-timeout', () =>
  givesUp([contract, '--body-timeout', String(LIMIT)], (client) => client.write(post('/echo', 100, 'ten bytes.')),
    /no request body byte for 800 ms; no response sent\n$/));

/** Sends a request announcing a 1 MB body and then one byte every 300 ms, for as long as it lasts. */
function trickle(uri) {
  return (client) => {
    client.write(post(uri, 1_000_000, 'x'));
    const timer = setInterval(() => client.write('x'), 300);
    client.on('close', () => clearInterval(timer));
  };
}

const dropped = /within 800 ms \(--request-timeout\); the request body had not all arrived, so the connection is dropped\n$/;

test('a body trickling in to an app that reads it: --request-timeout ends the process', () =>
  givesUp([contract, '--request-timeout', String(LIMIT)], trickle('/echo'), dropped));

test('a body trickling in to an app that never answers: no 504 waits for the body; the process ends', () =>
  givesUp([contract, '--request-timeout', String(LIMIT)], trickle('/hang'), dropped));

test('a body trickling in after the app answered: the drain is bounded by --request-timeout too', () =>
  givesUp([contract, '--request-timeout', String(LIMIT)], trickle('/unread'), dropped));

test('the body timeout is per chunk, so a trickle outlives it; nothing else ends it without --request-timeout', async () => {
  // The other side of the test above: shows that --request-timeout, not --body-timeout, ended it.
  const run = await perConnection([contract, '--body-timeout', String(LIMIT)], { fd2: true });
  try {
    trickle('/echo')(run.client);
    await new Promise((resolve) => setTimeout(resolve, LIMIT + GRACE));
    assert.equal(fs.existsSync(`/proc/${run.child.pid}`), true, 'the process ended');
  } finally {
    run.stop();
  }
});

test('an app that never answers, the client gone: the process ends promptly', async () => {
  const run = await perConnection([contract], { fd2: true });
  try {
    run.client.write(post('/hang', 0));
    await new Promise((resolve) => setTimeout(resolve, 1300)); // past the 1 s after which the watch starts
    const closed = Date.now();
    run.client.destroy(); // as nginx does after scgi_read_timeout
    assert.equal(await within(5000, run.exited), 'SIGKILL');
    assert.ok(Date.now() - closed < GRACE, `ended ${Date.now() - closed} ms after the client left`);
    assert.match(text(run.log), /the client went away: the connection closed before the response ended\n$/);
  } finally {
    run.stop();
  }
});

test('a complete request with a peer that then stays silent is served, and the process exits 0', async () => {
  // The ordinary case beside the ones above: nginx keeps its end open until the response ends.
  const run = await perConnection([hello], { fd2: true });
  try {
    let received = '';
    run.client.on('data', (chunk) => (received += chunk));
    run.client.write(post('/', 0));
    assert.equal(await within(5000, run.exited), 0);
    assert.match(received, /^Status: 200 OK\r\n/);
    assert.equal(text(run.log), '');
  } finally {
    run.stop();
  }
});
