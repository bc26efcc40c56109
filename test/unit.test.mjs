// Unit tests of the parser, the environ builder, the request body and the response, on the built
// dist file (imported by name from ESM, as users do). Run by test.sh: node --test test/*.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BodyError, ErrorLog, Exchange, ProtocolError, RequestBody, buildEnviron, fetchApp, loadApp, netstringPrefix,
  parseArgs, encodeHead, parseHeaders, percentDecode, readRequestHead, responseHead,
} from '../dist/inetd-scgi.cjs';
import { scgi } from './scgi.cjs';

/** Returns a fake Connection that hands out `pieces` one read at a time (then EOF) and records writes. */
function fakeConnection(pieces) {
  const queue = pieces.map((piece) => Buffer.from(piece, 'latin1'));
  const written = [];
  return {
    written,
    output: () => Buffer.concat(written).toString('latin1'),
    read(max, done) {
      const piece = queue.shift();
      if (piece !== undefined && piece.length > max) queue.unshift(piece.subarray(max));
      queueMicrotask(() => done(null, piece === undefined ? null : piece.subarray(0, max)));
    },
    write(data, done) {
      written.push(Buffer.from(data));
      queueMicrotask(() => done(null));
    },
  };
}

/** readRequestHead as a promise. */
const readHead = (conn, max) =>
  new Promise((resolve, reject) => readRequestHead(conn, max, (err, head) => (err ? reject(err) : resolve(head))));

/** Returns the SCGI header block of name/value pairs as a latin-1 string (fakeConnection's pieces). */
const block = (pairs) => scgi(pairs).toString('latin1');

const errors = new ErrorLog('/dev/null', []);

test('netstringPrefix reads the length digit by digit', () => {
  assert.equal(netstringPrefix(Buffer.from(''), 100), null);
  assert.equal(netstringPrefix(Buffer.from('12'), 100), null);
  assert.deepEqual(netstringPrefix(Buffer.from('12:abc'), 100), { start: 3, length: 12 });
  assert.deepEqual(netstringPrefix(Buffer.from('0:,'), 100), { start: 2, length: 0 });
  assert.deepEqual(netstringPrefix(Buffer.from('100:'), 100), { start: 4, length: 100 });
});

test('netstringPrefix refuses bad lengths, and an over-cap one before its last digit arrives', () => {
  for (const bad of ['01:', '00:', ':', '+1:', ' 1:', '1 :', '1_0:', '0x1A:', '1e3:', '-1:']) {
    assert.throws(() => netstringPrefix(Buffer.from(bad), 100), ProtocolError, bad);
  }
  assert.throws(() => netstringPrefix(Buffer.from('101'), 100), /over 100 bytes/);
  assert.throws(() => netstringPrefix(Buffer.from('99999999999999999999999'), 65536), (err) => err.status.startsWith('431'));
});

test('parseHeaders decodes latin-1 into a null-prototype object', () => {
  const raw = Buffer.concat([Buffer.from('CONTENT_LENGTH\x0027\0SCGI\x001\0__proto__\0x\0constructor\0y\0HTTP_X\0'), Buffer.from([0xc3, 0xa9, 0xff, 0x80]), Buffer.from('\0EMPTY\0\0')]);
  const { headers, contentLength } = parseHeaders(raw);
  assert.equal(contentLength, 27);
  assert.equal(Object.getPrototypeOf(headers), null);
  assert.equal(headers.__proto__, 'x');
  assert.equal(headers.constructor, 'y');
  assert.equal(headers.HTTP_X, '\u00c3\u00a9\u00ff\u0080');
  assert.equal(headers.EMPTY, '');
});

test('parseHeaders takes only plain digits as CONTENT_LENGTH', () => {
  assert.equal(parseHeaders(Buffer.from('CONTENT_LENGTH\x009007199254740991\0')).contentLength, Number.MAX_SAFE_INTEGER);
  assert.equal(parseHeaders(Buffer.from('CONTENT_LENGTH\x00007\0')).contentLength, 7);
  for (const bad of ['', ' ', '0x1A', '1e3', '1.5', '+1', '-1', ' 12', '12 ', '١٢', 'Infinity', '9007199254740992', '99999999999999999999999']) {
    assert.throws(() => parseHeaders(Buffer.from(`CONTENT_LENGTH\0${bad}\0`)), /CONTENT_LENGTH must be ASCII digits/, JSON.stringify(bad));
  }
});

test('parseHeaders enforces the pair rules', () => {
  const cases = {
    'SCGI\x001\0CONTENT_LENGTH\x000\0': /first header must be CONTENT_LENGTH/,
    '': /header block is empty/,
    'CONTENT_LENGTH\x000': /NUL-terminated/,
    'CONTENT_LENGTH\x000\0SCGI': /NUL-terminated/,
    'CONTENT_LENGTH\x000\0SCGI\x001': /NUL-terminated/,
    'CONTENT_LENGTH\x000\0\0x\0': /name is empty/,
    'CONTENT_LENGTH\x000\0A\x001\0A\x002\0': /repeated/,
    'CONTENT_LENGTH\x000\0SCGI\x002\0': /SCGI header must be "1"/,
  };
  for (const [raw, message] of Object.entries(cases)) assert.throws(() => parseHeaders(Buffer.from(raw, 'latin1')), message, JSON.stringify(raw));
  assert.equal(parseHeaders(Buffer.from('CONTENT_LENGTH\x000\0REQUEST_METHOD\0GET\0')).headers.SCGI, undefined);
});

test('readRequestHead parses a request arriving one byte per read, and keeps the body bytes read with it', async () => {
  const request = block([['CONTENT_LENGTH', '5'], ['SCGI', '1']]) + 'hello+junk';
  const head = await readHead(fakeConnection([...request]), 1000);
  assert.equal(head.contentLength, 5);
  assert.equal(head.headers.SCGI, '1');
  assert.equal(head.bodyStart.toString(), ''); // one byte per read: nothing read past the comma
  const whole = await readHead(fakeConnection([request]), 1000);
  assert.equal(whole.bodyStart.toString(), 'hello'); // bytes past CONTENT_LENGTH are dropped
});

test('readRequestHead reads a header block bigger than one read, up to the cap', async () => {
  const big = block([['CONTENT_LENGTH', '0'], ['HTTP_X', 'v'.repeat(200_000)]]);
  const head = await readHead(fakeConnection([big.slice(0, 70_000), big.slice(70_000)]), 300_000);
  assert.equal(head.headers.HTTP_X.length, 200_000);
  await assert.rejects(readHead(fakeConnection([big]), 65536), /over 65536 bytes/);
});

test('readRequestHead: null for an empty connection, an error for one that ends early', async () => {
  assert.equal(await readHead(fakeConnection([]), 100), null);
  await assert.rejects(readHead(fakeConnection(['12:CONTENT']), 100), /ended inside the header block/);
  await assert.rejects(readHead(fakeConnection(['3:abc;']), 100), /must end with ","/);
});

test('percentDecode decodes exactly once, byte by byte', () => {
  assert.equal(percentDecode('/a%20b/%2525'), '/a b/%25');
  assert.equal(percentDecode('%E2%82%ac'), '\u00e2\u0082\u00ac');
  assert.equal(percentDecode('100%/%zz/%4'), '100%/%zz/%4');
});

test('buildEnviron derives SCRIPT_NAME and PATH_INFO as the fronts need', () => {
  const env = (headers, options) => {
    const e = buildEnviron(Object.assign(Object.create(null), { CONTENT_LENGTH: '0' }, headers), new RequestBody(fakeConnection([]), 0, Buffer.alloc(0), 1000), errors.stream, options);
    return [e.SCRIPT_NAME, e.PATH_INFO];
  };
  assert.deepEqual(env({ DOCUMENT_URI: '/a b', REQUEST_URI: '/a%20b?q' }), ['', '/a b']); // nginx
  assert.deepEqual(env({ REQUEST_URI: '/a%20b/%2525?q=%20' }), ['', '/a b/%25']);
  assert.deepEqual(env({ SCRIPT_NAME: '/s', PATH_INFO: '/p' }), ['/s', '/p']); // lighttpd, or nginx with the blog's config
  assert.deepEqual(env({ SCRIPT_NAME: '/app/x', REQUEST_URI: '/app/x' }), ['', '/app/x']); // Apache
  assert.deepEqual(env({ SCRIPT_NAME: '/app/x', REQUEST_URI: '/app/x' }, { scriptName: '/app' }), ['/app', '/x']);
  assert.deepEqual(env({ DOCUMENT_URI: '/app' }, { scriptName: '/app/' }), ['/app', '']);
  assert.deepEqual(env({ DOCUMENT_URI: '/apple' }, { scriptName: '/app' }), ['', '/apple']);
  assert.deepEqual(env({ SCRIPT_NAME: '/app/a b', PATH_INFO: '/c' }, { scriptName: '/app' }), ['/app', '/a b/c']); // lighttpd's split
  assert.deepEqual(env({ SCRIPT_NAME: '/other', PATH_INFO: '/c' }, { scriptName: '/app' }), ['/other', '/c']); // not under the prefix
  assert.deepEqual(env({}), ['', '']);
});

test('buildEnviron sets the wsgi keys, the scheme and drops an empty REMOTE_USER', () => {
  const scheme = (headers) =>
    buildEnviron(Object.assign(Object.create(null), headers), new RequestBody(fakeConnection([]), 0, Buffer.alloc(0), 1000), errors.stream)['wsgi.url_scheme'];
  assert.equal(scheme({}), 'http');
  for (const on of [{ HTTPS: 'on' }, { HTTPS: 'ON' }, { HTTPS: '1' }, { HTTPS: 'yes' }, { REQUEST_SCHEME: 'https' }]) assert.equal(scheme(on), 'https', JSON.stringify(on));
  for (const off of [{ HTTPS: 'off' }, { HTTPS: '' }, { HTTPS: '0' }, { REQUEST_SCHEME: 'http' }]) assert.equal(scheme(off), 'http', JSON.stringify(off));

  const headers = Object.assign(Object.create(null), { CONTENT_LENGTH: '0', REMOTE_USER: '', HTTP_PROXY: 'x' });
  const e = buildEnviron(headers, new RequestBody(fakeConnection([]), 0, Buffer.alloc(0), 1000), errors.stream);
  assert.equal('REMOTE_USER' in e, false);
  assert.deepEqual(e['wsgi.version'], [1, 0]);
  assert.equal(e['wsgi.run_once'], true);
  assert.equal(e['wsgi.errors'], errors.stream);
  assert.equal(process.env.HTTP_PROXY, undefined);
});

test('RequestBody streams exactly CONTENT_LENGTH bytes, and fails rather than ends short', async () => {
  const body = new RequestBody(fakeConnection(['cd', 'ef', 'gh-too-much']), 6, Buffer.from('ab'), 1000);
  const chunks = [];
  for await (const chunk of body.stream()) chunks.push(chunk.toString());
  assert.deepEqual(chunks, ['ab', 'cd', 'ef']);

  const short = new RequestBody(fakeConnection(['cd']), 10, Buffer.from('ab'), 1000);
  await assert.rejects(async () => { for await (const _ of short.stream()); }, /closed after 4 of 10 body bytes/);
});

test('RequestBody times out a stalled connection, and the failure sticks', async () => {
  const stalled = { read: () => new Promise(() => {}), write: async () => {} };
  const body = new RequestBody(stalled, 10, Buffer.alloc(0), 50);
  await assert.rejects(body.read(), (err) => err instanceof BodyError && /no request body byte for 50 ms/.test(err.message));
  await assert.rejects(body.drain(), BodyError);
});

test('RequestBody.drain reads the rest; the app reading afterwards gets an error', async () => {
  const conn = fakeConnection(['cd', 'ef']);
  const body = new RequestBody(conn, 6, Buffer.from('ab'), 1000);
  const input = body.stream();
  await body.drain();
  assert.equal(await new Promise((resolve) => conn.read(10, (err, chunk) => resolve(chunk))), null); // everything was read from the connection
  await assert.rejects(async () => { for await (const _ of input); }, /discarded because the response had started/);
  const done = new RequestBody(fakeConnection([]), 2, Buffer.from('ab'), 1000);
  assert.equal((await done.read()).toString(), 'ab');
  await done.drain();
  assert.equal(done.discarded, false); // nothing was thrown away
});

test('responseHead accepts valid headers and names what is wrong with bad ones', () => {
  const head = (...args) => encodeHead(responseHead(...args)).toString('latin1');
  assert.equal(head('200 OK', [['Content-Type', 'text/plain'], ['X-Empty', '']]), 'Status: 200 OK\r\nContent-Type: text/plain\r\nX-Empty: \r\n\r\n');
  assert.equal(head('404 ', []), 'Status: 404 \r\n\r\n');
  const bad = [
    [['200', []], /status must be/],
    [['200OK', []], /status must be/],
    [['99 Low', []], /status must be/],
    [['600 High', []], /status must be/],
    [['200 OK\r\nX: y', []], /status must be/],
    [[200, []], /status must be/],
    [['200 OK', [['X', 'a\nb']]], /control or non-latin-1/],
    [['200 OK', [['X', 'a\rb']]], /control or non-latin-1/],
    [['200 OK', [['X', '\u0100']]], /control or non-latin-1/],
    [['200 OK', [['X', 'a\x7f']]], /control or non-latin-1/],
    [['200 OK', [['', 'v']]], /not an HTTP token/],
    [['200 OK', [['X Y', 'v']]], /not an HTTP token/],
    [['200 OK', [['X\r\nY', 'v']]], /not an HTTP token/],
    [['200 OK', [['Transfer-Encoding', 'chunked']]], /hop-by-hop/],
    [['200 OK', [['keep-alive', '1']]], /hop-by-hop/],
    [['200 OK', [['STATUS', '200 OK']]], /Status header/],
    [['200 OK', [['Content-Length', '1'], ['CONTENT-LENGTH', '2']]], /given twice/],
    [['200 OK', [['X', 1]]], /pair of strings/],
    [['200 OK', ['X: y']], /pair of strings/],
    [['200 OK', 'X: y'], /must be an array/],
  ];
  for (const [args, message] of bad) assert.throws(() => responseHead(...args), message, JSON.stringify(args));
});

/** Runs one request through an Exchange on a fake connection; returns [outcome, output]. */
async function exchange(request, app, serving) {
  const conn = fakeConnection([request]);
  const status = await new Exchange(conn, errors, undefined, serving).run(app);
  return [status, conn.output()];
}

test('Exchange: write() order, headers with the first non-empty chunk, and Content-Length only when known', async () => {
  const request = block([['CONTENT_LENGTH', '0']]);
  const [status, out] = await exchange(request, (env, start) => {
    const write = start('200 OK', [['A', 'b']]);
    write('');
    write('1');
    return (async function* () { yield '2'; yield new Uint8Array([0x33]); })();
  });
  assert.equal(status, 'done');
  assert.equal(out, 'Status: 200 OK\r\nA: b\r\n\r\n123');
  assert.equal((await exchange(request, (env, start) => (start('200 OK', []), ['ab', 'c'])))[1], 'Status: 200 OK\r\nContent-Length: 3\r\n\r\nabc');
  assert.equal((await exchange(request, (env, start) => (start('200 OK', []), 'h\u00e9')))[1], 'Status: 200 OK\r\nContent-Length: 3\r\n\r\nh\u00c3\u00a9');
});

test('Exchange: exc_info replaces headers not yet sent, and is rethrown once they are', async () => {
  const request = block([['CONTENT_LENGTH', '0']]);
  let rethrown;
  const [status, out] = await exchange(request, function* (env, start) {
    start('200 OK', []);
    yield 'x';
    const problem = new Error('late');
    try {
      start('500 Oops', [], problem);
    } catch (err) {
      rethrown = err;
    }
  });
  assert.equal(rethrown.message, 'late');
  assert.equal(status, 'done');
  assert.equal(out, 'Status: 200 OK\r\n\r\nx');
  assert.throws(() => new Exchange(fakeConnection([]), errors).startResponse('200 OK', [['Bad Name', 'x']]), /not an HTTP token/);
});

test('Exchange: a failing app gets a 500 only before the headers', async () => {
  const request = block([['CONTENT_LENGTH', '0']]);
  const [status, out] = await exchange(request, () => { throw new Error('boom'); });
  assert.equal(status, 'failed');
  assert.match(out, /^Status: 500 Internal Server Error\r\n[^]*\r\n\r\nInternal Server Error\n$/);
  const [after, cut] = await exchange(request, function* (env, start) { start('200 OK', []); yield 'partial'; throw new Error('boom'); });
  assert.equal(after, 'failed');
  assert.equal(cut, 'Status: 200 OK\r\n\r\npartial');
});

test('Exchange: write() and startResponse() after the response ended throw, and send nothing', async () => {
  const conn = fakeConnection([block([['CONTENT_LENGTH', '0']])]);
  const exchange = new Exchange(conn, errors);
  let write;
  assert.equal(await exchange.run((env, start) => ((write = start('200 OK', [])), ['done'])), 'done');
  assert.throws(() => write('late'), /write\(\) was called after the response ended/);
  assert.throws(() => exchange.startResponse('500 Oops', []), /startResponse\(\) was called after the response ended/);
  assert.equal(conn.output(), 'Status: 200 OK\r\nContent-Length: 4\r\n\r\ndone');
});

test("a fetch handler's request.url is what the URL parser makes of the host and target; a header a Request refuses is a 400", async () => {
  let url;
  const app = fetchApp((request) => ((url = request.url), new Response('')));
  // Long-running, where the shortcuts are taken; per connection (one request), where they are not.
  const servings = [{ multithread: true, multiprocess: false, runOnce: false }, { multithread: false, multiprocess: true, runOnce: true }];
  /** Returns the URL the handler got for the request of these fields, in each serving, or 'refused' (a 400). */
  const got = async (fields) => {
    const seen = new Set();
    for (const serving of servings) {
      url = undefined;
      const [status, out] = await exchange(block([['CONTENT_LENGTH', '0'], ['REQUEST_METHOD', 'GET'], ...fields]), app, serving);
      if (status === 'failed' && out.startsWith('Status: 400 ')) {
        seen.add('refused');
        continue;
      }
      assert.equal(status, 'done', out);
      seen.add(url);
    }
    assert.equal(seen.size, 1, `long-running and per connection differ: ${[...seen]}`);
    return [...seen][0];
  };
  const oracle = (make) => { try { return make(); } catch { return 'refused'; } };
  // Hosts the parser keeps, lower-cases, reads as IPv4 (a number last), checks as punycode or
  // refuses; targets with dot segments (%2e too) and characters it percent-encodes, in a path or a
  // query (where "'" is one).
  const hosts = ['localhost', 'example.org', 'Example.ORG', 'x-y.z', '-a', 'a-', 'a--b.c', 'ab_c', 'a%41',
    'xn--nxasmq6b.com', 'a.xn--p1ai', 'axn--b.c', 'xn--a', '127.0.0.1', '10.0.0.255', '0.0.0.0', '256.1.1.1',
    '01.2.3.4', '1.2.3.4.5', '1.2.3.4.', '1.2.3', '1.2.3.04', '127.0.0.1:8080', 'a.1', 'a.1a', 'a.08',
    'a.0x1f', 'a.0x', '0x1g', 'a..b', 'a.', '.a', '[::1]', 'localhost:8080', 'localhost:080', 'localhost:80',
    'localhost:443', 'localhost:65535', 'localhost:65536', 'localhost:99999', 'localhost:', 'a.1:8080'];
  const targets = ['/', '/a/b?c=d&e', "/a'b?c'd", '/a/./b', '/a/../b', '/a/.', '/%2e%2E/x', '/.well-known/x', '/a%2fb',
    '/a b', '/a^b', '/a|b', '/a{b}', '/a`b', '/a"b', '/\xc3\xa9', '/a?b?c', '/a?%zz', '/a\\b', '//x', '/a?b/../c', '/a[b]'];
  for (const [scheme, port, https] of [['http', '80', []], ['https', '443', [['HTTPS', 'on']]], ['http', '8080', []]]) {
    for (const host of hosts) {
      for (const target of targets) {
        const named = /:[0-9]*$/.test(host) ? host : `${host}:${port}`; // the front's port stands in for a missing one
        const expected = oracle(() => new URL(`${scheme}://${named}${target}`).href);
        const fields = [['REQUEST_URI', target], ['HTTP_HOST', host], ['SERVER_PORT', port], ...https];
        assert.equal(await got(fields), expected, `${scheme} Host ${host} target ${target}`);
      }
    }
  }
  // Names and values undici's Headers refuses (not a token; a CR or LF), and ones that look odd in
  // the header block but are not (a value that reads like a name).
  for (const [name, value] of [['HTTP_X_OK', 'v'], ['HTTP_A@B', 'v'], ['HTTP_A B', 'v'], ['HTTP_A:B', 'v'], ['HTTP_X', 'a\rb'],
    ['HTTP_X', 'a\nb'], ['HTTP_X', 'HTTP_A B'], ['HTTP_X', ' HTTP_Y@ '], ['X_Y', 'a\r\nb'], ['HTTP_X', '\x80\xff']]) {
    const header = name.startsWith('HTTP_') ? [[name.slice(5), value]] : []; // only HTTP_ fields are headers
    const expected = oracle(() => (new Headers(header), 'http://localhost/'));
    assert.equal(await got([['REQUEST_URI', '/'], ['HTTP_HOST', 'localhost'], [name, value]]), expected, JSON.stringify([name, value]));
  }
});

test('parseArgs reads the command line, and refuses what it does not know', () => {
  assert.deepEqual(parseArgs(['app.js']), { module: 'app.js', options: {} });
  assert.deepEqual(parseArgs(['--errors', '/var/log/app.log', 'app.js', '--header-timeout=5000', '--script-name=/x', '--max-header-bytes', '100', '--body-timeout', '7']), {
    module: 'app.js',
    options: { errors: '/var/log/app.log', headerTimeout: 5000, scriptName: '/x', maxHeaderBytes: 100, bodyTimeout: 7 },
  });
  assert.deepEqual(parseArgs(['app.js', '--app-type', 'node']), { module: 'app.js', options: {}, appType: 'node' });
  assert.deepEqual(parseArgs(['app.js', '--request-timeout', '30000', '--write-timeout=5000']), { module: 'app.js', options: { requestTimeout: 30000, writeTimeout: 5000 } });
  assert.deepEqual(parseArgs(['app.js', '--app-type=fetch']), { module: 'app.js', options: {}, appType: 'fetch' });
  for (const bad of [[], ['--errors'], ['a.js', 'b.js'], ['a.js', '--what', '1'], ['a.js', '--body-timeout', '0'], ['a.js', '--body-timeout', '1e3'], ['a.js', '--body-timeout', '-1'], ['a.js', '--max-header-bytes', '0x10'], ['a.js', '--app-type', 'express'], ['a.js', '--app-type'], ['a.js', '--request-timeout', '0'], ['a.js', '--write-timeout', '1s']]) {
    assert.throws(() => parseArgs(bad), Error, JSON.stringify(bad));
  }
});

test('Exchange: the first write() sends the headers even when empty (PEP 3333), later empty ones send nothing', async () => {
  const conn = fakeConnection([block([['CONTENT_LENGTH', '0']])]);
  let flushed;
  const run = new Exchange(conn, errors).run(async (env, start) => {
    const write = start('200 OK', [['Content-Type', 'text/event-stream']]);
    await write('');
    flushed = conn.output();
    await write('');
    await write('data: 1\n\n');
    return [];
  });
  assert.equal(await run, 'done');
  assert.equal(flushed, 'Status: 200 OK\r\nContent-Type: text/event-stream\r\n\r\n');
  assert.equal(conn.output(), `${flushed}data: 1\n\n`);
});

test('loadApp tells the kind of app by what the module exports, and by --app-type only', async () => {
  const at = (file) => new URL(`./apps/${file}`, import.meta.url).pathname;
  const say = async (file, type) => {
    const conn = fakeConnection([block([['CONTENT_LENGTH', '0'], ['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/hello'], ['HTTP_HOST', 'h']])]);
    await new Exchange(conn, errors).run(loadApp(at(file), type));
    return conn.output().split('\r\n\r\n')[1];
  };
  assert.equal(await say('fetch-app.mjs'), 'hello from /hello\n'); // default export with a fetch method
  assert.equal(await say('fetch-named.cjs'), 'named fetch export: GET\n'); // an export named fetch
  assert.equal(await say('fetch-bare.mjs', 'fetch'), 'bare fetch handler: /hello\n');
  assert.equal(await say('node-app.cjs', 'node'), 'hello from /hello\n');
  assert.equal(await say('named.cjs'), 'named\n'); // PEP 3333, as before
  await assert.rejects(loadApp(at('fetch-named.cjs'), 'wsgi'), /exports no app/); // a fetch export is not a PEP 3333 app
  await assert.rejects(loadApp(at('no-app.cjs')), /exports no app: export a function as its default export or as "app"/);
});

