// The app contract, one route per rule (PATH_INFO picks the route). Used by test.sh.
const { Readable } = require('node:stream');

const text = [['Content-Type', 'text/plain']];

/** Returns the whole request body, read from wsgi.input. */
async function readAll(environ) {
  const chunks = [];
  for await (const chunk of environ['wsgi.input']) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const routes = {
  // Body shapes
  '/string': (env, start) => (start('200 OK', text), 'h\u00e9llo\n'),
  '/bytes': (env, start) => (start('200 OK', [['Content-Type', 'application/octet-stream']]), new Uint8Array([0, 1, 13, 10, 255])),
  '/array': (env, start) => (start('200 OK', text), ['a', Buffer.from('b'), '', 'c\n']),
  '/generator': function* (env, start) {
    start('200 OK', text);
    yield 'one\n';
    yield '';
    yield Buffer.from('two\n');
  },
  '/async': async function* (env, start) {
    start('200 OK', text);
    yield 'first\n';
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield 'second\n';
  },
  '/readable': (env, start) => (start('200 OK', text), Readable.from(['r1\n', 'r2\n'])),
  '/write': (env, start) => {
    const write = start('200 OK', text);
    write('w1\n');
    write(Buffer.from('w2\n'));
    return ['returned\n'];
  },
  '/empty': (env, start) => (start('200 OK', text), []),
  '/empty-generator': function* (env, start) {
    start('200 OK', text);
  },
  '/no-content': (env, start) => (start('204 No Content', []), []),
  '/own-length': (env, start) => (start('200 OK', [['Content-Length', '6'], ...text]), ['hello\n']),
  '/headers': (env, start) => (start("418 I'm a teapot", [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Tab', 'a\tb']]), ['short and stout\n']),
  '/redirect': (env, start) => (start('302 Found', [['Location', '/elsewhere']]), []),

  // What the app gets wrong
  '/number': (env, start) => (start('200 OK', text), 42),
  '/bad-chunk': (env, start) => (start('200 OK', text), ['ok', 42]),
  '/no-start': () => ['never started\n'],
  '/twice': (env, start) => (start('200 OK', text), start('200 OK', text), ['x']),
  '/throw': () => {
    throw new Error('the app broke');
  },
  '/reject': async () => {
    throw new Error('the app rejected');
  },
  '/throw-string': () => {
    throw 'a bare string';
  },
  '/throw-after': function* (env, start) {
    start('200 OK', text);
    yield 'partial\n';
    throw new Error('failed midway');
  },
  '/excinfo': (env, start) => {
    start('200 OK', text);
    try {
      throw new Error('caught in the app');
    } catch (err) {
      start('503 Service Unavailable', text, err);
    }
    return ['sorry\n'];
  },
  '/excinfo-late': function* (env, start) {
    start('200 OK', text);
    yield 'part\n';
    try {
      throw new Error('too late to change the status');
    } catch (err) {
      start('500 Internal Server Error', text, err);
    }
  },
  '/close': (env, start) => {
    start('200 OK', text);
    return { *[Symbol.iterator]() { yield 'body\n'; }, close() { env['wsgi.errors'].write('close() called\n'); } };
  },
  '/close-on-error': (env, start) => {
    start('200 OK', text);
    return { *[Symbol.iterator]() { throw new Error('iteration failed'); }, close() { env['wsgi.errors'].write('close() called after the error\n'); } };
  },
  '/return-on-error': async function* (env, start) {
    start('200 OK', text);
    try {
      yield 42; // not a chunk: the server stops iterating, which must call return()
    } finally {
      env['wsgi.errors'].write('return() called\n');
    }
  },

  // Headers the app must not send
  '/bad-status': (env, start) => (start('200', text), []),
  '/status-1xx': (env, start) => (start('600 Nope', text), []),
  '/crlf-value': (env, start) => (start('200 OK', [['X-A', 'a\r\nSet-Cookie: evil=1']]), []),
  '/lf-status': (env, start) => (start('200 OK\nX-Evil: 1', []), []),
  '/bad-name': (env, start) => (start('200 OK', [['Bad Name', 'x']]), []),
  '/colon-name': (env, start) => (start('200 OK', [['X-A: b', 'x']]), []),
  '/nul-value': (env, start) => (start('200 OK', [['X-A', 'a\0b']]), []),
  '/non-latin1': (env, start) => (start('200 OK', [['X-A', '\u20ac']]), []),
  '/hop-by-hop': (env, start) => (start('200 OK', [['Connection', 'close']]), []),
  '/status-header': (env, start) => (start('200 OK', [['Status', '302 Found']]), []),
  '/two-lengths': (env, start) => (start('200 OK', [['Content-Length', '1'], ['content-length', '1']]), ['x']),
  '/not-pairs': (env, start) => (start('200 OK', { 'Content-Type': 'text/plain' }), []),

  // The request body
  '/echo': async (env, start) => {
    const body = await readAll(env);
    start('200 OK', [['Content-Type', 'application/octet-stream']]);
    return [body];
  },
  '/unread': (env, start) => (start('200 OK', text), ['body left unread\n']),
  '/late-read': async (env, start) => {
    const write = start('200 OK', text);
    await write('first\n');
    try {
      await readAll(env);
      env['wsgi.errors'].write('late read: no error\n');
    } catch (err) {
      env['wsgi.errors'].write(`late read: ${err.message}\n`);
    }
    return ['second\n'];
  },
  '/count': async (env, start) => {
    const body = await readAll(env);
    start('200 OK', text);
    return [`${body.length} bytes\n`];
  },

  // Output that must not reach the connection
  '/noisy': (env, start) => {
    console.log('console.log line');
    console.error('console.error line');
    process.stdout.write('process.stdout line\n');
    process.stderr.write('process.stderr line\n');
    process.emitWarning('a warning from the app');
    start('200 OK', text);
    return ['quiet\n'];
  },
  '/uncaught': () =>
    new Promise(() => {
      setTimeout(() => {
        throw new Error('thrown from a timer');
      }, 1);
    }),
  '/unhandled': () => {
    Promise.reject(new Error('nobody handled this'));
    return new Promise(() => {});
  },
  '/huge': function* (env, start) {
    start('200 OK', [['Content-Type', 'application/octet-stream']]);
    for (let i = 0; i < 1600; i++) yield Buffer.alloc(64 * 1024, 'x'); // 100 MiB, made as it is sent
  },
  '/big': function* (env, start) {
    start('200 OK', [['Content-Type', 'application/octet-stream']]);
    for (let i = 0; i < 80; i++) yield Buffer.alloc(64 * 1024, 'x');
  },
  // For the end-to-end tests: a response in two parts, a second apart. X-Accel-Buffering: no tells
  // nginx to pass each part on at once (it otherwise holds a small response until it ends).
  '/stream': async function* (env, start) {
    start('200 OK', [...text, ['X-Accel-Buffering', 'no']]);
    yield 'first\n';
    await new Promise((resolve) => setTimeout(resolve, 1000));
    yield 'second\n';
  },
  '/env-proxy': (env, start) => (start('200 OK', text), [`HTTP_PROXY in environ: ${env.HTTP_PROXY}; in process.env: ${process.env.HTTP_PROXY}\n`]),
  // For the long-running modes: a response that never comes, and what the process is.
  '/hang': () => new Promise(() => {}),
  '/stall': async function* (env, start) {
    start('200 OK', text);
    yield 'first\n';
    await new Promise(() => {}); // never a second chunk
  },
  '/process': (env, start) => {
    start('200 OK', text);
    const vars = ['LISTEN_FDS', 'LISTEN_PID'].map((name) => `${name}=${process.env[name] ?? ''}`).join(' ');
    return [`pid=${process.pid} ${vars} run_once=${env['wsgi.run_once']} multithread=${env['wsgi.multithread']} multiprocess=${env['wsgi.multiprocess']}\n`];
  },
};

/** /info/...: what the app sees of the request, one "KEY=value" line each. */
function info(env, start) {
  const keys = ['REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'CONTENT_LENGTH', 'HTTP_X_CUSTOM', 'wsgi.url_scheme'];
  start('200 OK', text);
  return keys.map((key) => `${key}=${env[key] ?? ''}\n`);
}

module.exports = function contract(environ, startResponse) {
  if (environ.PATH_INFO.startsWith('/info/')) return info(environ, startResponse);
  const route = routes[environ.PATH_INFO];
  if (route) return route(environ, startResponse);
  startResponse('404 Not Found', text);
  return [`no route ${environ.PATH_INFO}\n`];
};
