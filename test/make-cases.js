// Writes the canned cases that test.sh pipes through dist/inetd-scgi.cjs: for each case NAME,
// test/cases/NAME.scgi (the request bytes) and NAME.out (the exact response expected), and one line
// in test/cases/MANIFEST: "NAME|exit status|arguments|PCRE the error log must match" (newlines as \n).
// The expected bytes are written out here by hand, never produced by the code under test.
// Run `node test/make-cases.js` after changing a case, and commit what it writes.
const fs = require('node:fs');
const path = require('node:path');
const { netstring, scgi, nginx } = require('./scgi.cjs');

const dir = path.join(__dirname, 'cases');
// The exit status a shell sees for a process that gave up on its request (a limit ran out): it ends
// itself with SIGKILL (128 + 9), since a read or an app left pending could hold process.exit().
const GIVEN_UP = 137;

/** Returns a minimal request for PATH_INFO-routed apps: method, REQUEST_URI and body. */
function get(uri, extra = []) {
  return scgi([['CONTENT_LENGTH', '0'], ['SCGI', '1'], ['REQUEST_METHOD', 'GET'], ['REQUEST_URI', uri], ...extra]);
}
function post(uri, body) {
  return scgi([['CONTENT_LENGTH', String(Buffer.byteLength(body, 'latin1'))], ['SCGI', '1'], ['REQUEST_METHOD', 'POST'], ['REQUEST_URI', uri]], body);
}

/** Returns a CGI response: Status line, headers, blank line, body; CRLF throughout. */
function response(status, headers, body = '') {
  return Buffer.concat([
    Buffer.from(`Status: ${status}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ]);
}
const TEXT = ['Content-Type', 'text/plain'];
const ok = (body, length = true) => response('200 OK', length ? [TEXT, ['Content-Length', String(Buffer.byteLength(body))]] : [TEXT], body);
/** The plain-text error response inetd-scgi itself sends. */
function plain(status, text) {
  return response(status, [['Content-Type', 'text/plain; charset=utf-8'], ['Content-Length', String(Buffer.byteLength(text))]], text);
}
const badRequest = (rule) => plain('400 Bad Request', `400 Bad Request: ${rule}\n`);
const serverError = plain('500 Internal Server Error', 'Internal Server Error\n');

/** The response of test/apps/environ.js: its sorted KEY=value lines (the wsgi.* keys sort last). */
function environ(lines, https = false) {
  const wsgi = ['wsgi.errors=<EventEmitter>', 'wsgi.input=<Readable>', 'wsgi.multiprocess=true', 'wsgi.multithread=false', 'wsgi.run_once=true'];
  // Our own key, inetd_scgi.signal, sorts among the lines by its name.
  const signal = 'inetd_scgi.signal';
  const before = lines.filter((line) => line.split('=', 1)[0] < signal);
  const after = lines.filter((line) => line.split('=', 1)[0] > signal);
  return ok(['prototype=null', ...before, `${signal}=<AbortSignal>`, ...after, ...wsgi, `wsgi.url_scheme="${https ? 'https' : 'http'}"`, 'wsgi.version=[1,0]', ''].join('\n'));
}

const HELLO = 'examples/hello.js';
const FETCH = 'test/apps/fetch-app.mjs';
const NODE_APP = 'test/apps/node-app.cjs --app-type node';
// Headers nginx passes beside the CGI variables: Content-Type and -Length again, as HTTP_CONTENT_*.
const NGINX_EXTRA = [['HTTP_CONTENT_TYPE', 'application/octet-stream'], ['HTTP_CONTENT_LENGTH', '3'], ['HTTP_X_MULTI_WORD', 'v'], ['HTTP_COOKIE', 'a=1; b=2']];
/** Returns the bytes of the request nginx sends for uri (see nginx()), body included. */
const viaNginx = (uri, options = {}) => scgi(nginx(uri, options), options.body ?? '');
const EVENTS = 'data: event 1\n\ndata: event 2\n\ndata: event 3\n\n';
/** Returns a JSON response as the adapters' test apps send it (length: with a Content-Length, as node-app's). */
function json(status, value, length = true) {
  const body = JSON.stringify(value);
  const type = length ? 'Content-Type' : 'content-type';
  return response(status, length ? [[type, 'application/json'], ['Content-Length', String(Buffer.byteLength(body))]] : [[type, 'application/json']], body);
}
const CONTRACT = 'test/apps/contract.js';
const ENVIRON = 'test/apps/environ.js';
const helloOut = response('200 OK', [['Content-type', 'text/plain'], ['Content-Length', '13']], 'Hello world!\n');
const hello = get('/');
const BINARY = 'binary \0\r\n\xff bytes';

// [name, request, expected output, exit status, arguments, log regex]
const cases = [
  // ---- 1. The wire
  ['hello', hello, helloOut, 0, HELLO],
  ['empty-connection', Buffer.alloc(0), '', 0, HELLO, 'closed before a request arrived'],
  ['nginx-without-scgi-header', scgi(nginx('/').filter(([n]) => n !== 'SCGI')), helloOut, 0, HELLO],
  ['lighttpd-scgi-last', scgi([['CONTENT_LENGTH', '0'], ['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/'], ['SCGI', '1']]), helloOut, 0, HELLO],
  ['bytes-after-body-ignored', Buffer.concat([post('/count', 'abc'), Buffer.from('trailing junk')]), ok('3 bytes\n'), 0, CONTRACT],
  ['length-leading-zero', Buffer.from('070:' + hello.toString('latin1').slice(3)), badRequest('the netstring length has a leading zero'), 1, HELLO, 'leading zero'],
  ['length-zero-padded-zero', Buffer.from('00:,'), badRequest('the netstring length has a leading zero'), 1, HELLO],
  ['length-empty', Buffer.from(':' + hello.toString('latin1').slice(3)), badRequest('the netstring length must be ASCII digits followed by ":"'), 1, HELLO, 'byte 58 at offset 0'],
  ['length-plus-sign', Buffer.from('+' + hello.toString('latin1')), badRequest('the netstring length must be ASCII digits followed by ":"'), 1, HELLO],
  ['length-space', Buffer.from(' ' + hello.toString('latin1')), badRequest('the netstring length must be ASCII digits followed by ":"'), 1, HELLO],
  ['length-underscore', Buffer.from('1_0:'), badRequest('the netstring length must be ASCII digits followed by ":"'), 1, HELLO],
  ['length-hex', Buffer.from('0x1A:'), badRequest('the netstring length must be ASCII digits followed by ":"'), 1, HELLO, 'byte 120 at offset 1'],
  ['length-over-cap', Buffer.from('99999999999999999999:'), plain('431 Request Header Fields Too Large', '431 Request Header Fields Too Large: the header block is over 65536 bytes\n'), 1, HELLO, '\(length so far 99999\)'],
  ['length-over-custom-cap', hello, plain('431 Request Header Fields Too Large', '431 Request Header Fields Too Large: the header block is over 20 bytes\n'), 1, `${HELLO} --max-header-bytes 20`],
  ['header-cap-exact', hello, helloOut, 0, `${HELLO} --max-header-bytes ${hello.toString('latin1', 0, hello.indexOf(':'))}`],
  ['missing-comma', Buffer.from(hello.toString('latin1').replace(/,$/, ';')), badRequest('the header block must end with ","'), 1, HELLO, 'byte 59'],
  ['ends-inside-header', hello.subarray(0, 20), badRequest('the request ended inside the header block'), 1, HELLO, 'after 20 bytes'],
  ['ends-inside-length', Buffer.from('12'), badRequest('the request ended inside the header block'), 1, HELLO],
  ['value-not-terminated', netstring('CONTENT_LENGTH\x000\x00SCGI'), badRequest('the header block must be NUL-terminated name/value pairs'), 1, HELLO],
  ['empty-name', scgi([['CONTENT_LENGTH', '0'], ['', 'x']]), badRequest('a header name is empty'), 1, HELLO],
  ['empty-block', Buffer.from('0:,'), badRequest('the header block is empty: CONTENT_LENGTH must come first'), 1, HELLO],
  ['content-length-not-first', scgi([['SCGI', '1'], ['CONTENT_LENGTH', '0']]), badRequest('the first header must be CONTENT_LENGTH'), 1, HELLO, 'first header is \'SCGI\''],
  ['content-length-empty', scgi([['CONTENT_LENGTH', ''], ['SCGI', '1']]), badRequest('CONTENT_LENGTH must be ASCII digits, at most 2^53-1'), 1, HELLO, "CONTENT_LENGTH is ''"],
  ['content-length-hex', scgi([['CONTENT_LENGTH', '0x1A'], ['SCGI', '1']]), badRequest('CONTENT_LENGTH must be ASCII digits, at most 2^53-1'), 1, HELLO, "CONTENT_LENGTH is '0x1A'"],
  ['content-length-exponent', scgi([['CONTENT_LENGTH', '1e3'], ['SCGI', '1']]), badRequest('CONTENT_LENGTH must be ASCII digits, at most 2^53-1'), 1, HELLO],
  ['content-length-spaces', scgi([['CONTENT_LENGTH', ' 12 '], ['SCGI', '1']]), badRequest('CONTENT_LENGTH must be ASCII digits, at most 2^53-1'), 1, HELLO],
  ['content-length-negative', scgi([['CONTENT_LENGTH', '-1'], ['SCGI', '1']]), badRequest('CONTENT_LENGTH must be ASCII digits, at most 2^53-1'), 1, HELLO],
  ['content-length-over-2^53', scgi([['CONTENT_LENGTH', '9007199254740992'], ['SCGI', '1']]), badRequest('CONTENT_LENGTH must be ASCII digits, at most 2^53-1'), 1, HELLO],
  ['duplicate-header', scgi([['CONTENT_LENGTH', '0'], ['SCGI', '1'], ['HTTP_HOST', 'a'], ['HTTP_HOST', 'b']]), badRequest('a header name is repeated'), 1, HELLO, "name 'HTTP_HOST'"],
  ['duplicate-content-length', scgi([['CONTENT_LENGTH', '0'], ['CONTENT_LENGTH', '0']]), badRequest('a header name is repeated'), 1, HELLO],
  ['scgi-header-2', scgi([['CONTENT_LENGTH', '0'], ['SCGI', '2']]), badRequest('the SCGI header must be "1"'), 1, HELLO, "SCGI is '2'"],
  ['scgi-header-empty', scgi([['CONTENT_LENGTH', '0'], ['SCGI', '']]), badRequest('the SCGI header must be "1"'), 1, HELLO],

  // ---- 2. The environ
  ['environ-nginx', scgi(nginx('/a%20b/%2525?x=%41&y=1', { extra: [['HTTP_X_CUSTOM', 'v'], ['HTTP_PROXY', 'http://evil:1'], ['REMOTE_USER', '']] })),
    environ(['CONTENT_LENGTH="0"', 'CONTENT_TYPE=""', 'DOCUMENT_ROOT="/usr/share/nginx/html"', 'DOCUMENT_URI="/a b/%25"', 'HTTP_HOST="localhost"',
      'HTTP_PROXY="http://evil:1"', 'HTTP_X_CUSTOM="v"', 'PATH_INFO="/a b/%25"', 'QUERY_STRING="x=%41&y=1"', 'REMOTE_ADDR="127.0.0.1"',
      'REMOTE_PORT="50000"', 'REQUEST_METHOD="GET"', 'REQUEST_SCHEME="http"', 'REQUEST_URI="/a%20b/%2525?x=%41&y=1"',
      'SCGI="1"', 'SCRIPT_NAME=""', 'SERVER_NAME="localhost"', 'SERVER_PORT="80"', 'SERVER_PROTOCOL="HTTP/1.1"']), 0, ENVIRON],
  ['environ-request-uri-only', scgi([['CONTENT_LENGTH', '0'], ['REQUEST_URI', '/x%20y/%2525/%E2%82%AC?q=%20']]),
    environ(['CONTENT_LENGTH="0"', 'PATH_INFO="/x y/%25/\\u00e2\\u0082\\u00ac"', 'REQUEST_URI="/x%20y/%2525/%E2%82%AC?q=%20"', 'SCRIPT_NAME=""']), 0, ENVIRON],
  ['environ-script-name-option', scgi([['CONTENT_LENGTH', '0'], ['DOCUMENT_URI', '/app/users/7']]),
    environ(['CONTENT_LENGTH="0"', 'DOCUMENT_URI="/app/users/7"', 'PATH_INFO="/users/7"', 'SCRIPT_NAME="/app"']), 0, `${ENVIRON} --script-name /app/`],
  ['environ-script-name-not-a-prefix', scgi([['CONTENT_LENGTH', '0'], ['DOCUMENT_URI', '/application']]),
    environ(['CONTENT_LENGTH="0"', 'DOCUMENT_URI="/application"', 'PATH_INFO="/application"', 'SCRIPT_NAME=""']), 0, `${ENVIRON} --script-name=/app`],
  ['environ-lighttpd-split-with-script-name', scgi([['CONTENT_LENGTH', '0'], ['SCRIPT_NAME', '/app/a b'], ['PATH_INFO', '/%25'], ['REQUEST_URI', '/app/a%20b/%2525'], ['SCGI', '1']]),
    environ(['CONTENT_LENGTH="0"', 'PATH_INFO="/a b/%25"', 'REQUEST_URI="/app/a%20b/%2525"', 'SCGI="1"', 'SCRIPT_NAME="/app"']), 0, `${ENVIRON} --script-name /app`],
  ['environ-front-path-info-kept', scgi([['CONTENT_LENGTH', '0'], ['SCRIPT_NAME', '/test'], ['PATH_INFO', '/a b'], ['HTTPS', 'on']]),
    environ(['CONTENT_LENGTH="0"', 'HTTPS="on"', 'PATH_INFO="/a b"', 'SCRIPT_NAME="/test"'], true), 0, ENVIRON],
  ['environ-apache', scgi([['CONTENT_LENGTH', '0'], ['SCRIPT_NAME', '/app/x%20y'], ['REQUEST_URI', '/app/x%20y'], ['HTTPS', 'YES']]),
    environ(['CONTENT_LENGTH="0"', 'HTTPS="YES"', 'PATH_INFO="/x y"', 'REQUEST_URI="/app/x%20y"', 'SCRIPT_NAME="/app"'], true), 0, `${ENVIRON} --script-name /app`],
  ['environ-https-off', scgi([['CONTENT_LENGTH', '0'], ['PATH_INFO', ''], ['HTTPS', 'off'], ['REMOTE_USER', 'alice']]),
    environ(['CONTENT_LENGTH="0"', 'HTTPS="off"', 'PATH_INFO=""', 'REMOTE_USER="alice"', 'SCRIPT_NAME=""']), 0, ENVIRON],
  ['environ-request-scheme-https', scgi([['CONTENT_LENGTH', '0'], ['PATH_INFO', '/'], ['REQUEST_SCHEME', 'HTTPS']]),
    environ(['CONTENT_LENGTH="0"', 'PATH_INFO="/"', 'REQUEST_SCHEME="HTTPS"', 'SCRIPT_NAME=""'], true), 0, ENVIRON],
  ['environ-prototype-names', scgi([['CONTENT_LENGTH', '0'], ['PATH_INFO', '/'], ['__proto__', 'p'], ['constructor', 'c'], ['toString', 't'], ['HTTP_X_LATIN1', 'caf\u00c3\u00a9 \u00ff']]),
    environ(['CONTENT_LENGTH="0"', 'HTTP_X_LATIN1="caf\\u00c3\\u00a9 \\u00ff"', 'PATH_INFO="/"', 'SCRIPT_NAME=""', '__proto__="p"', 'constructor="c"', 'toString="t"']), 0, ENVIRON],
  ['httpoxy', get('/env-proxy', [['HTTP_PROXY', 'http://evil:1']]), ok('HTTP_PROXY in environ: http://evil:1; in process.env: undefined\n'), 0, CONTRACT],

  // ---- 3. The app contract: bodies
  ['body-string', get('/string'), ok('h\u00e9llo\n'), 0, CONTRACT],
  ['body-bytes', get('/bytes'), response('200 OK', [['Content-Type', 'application/octet-stream'], ['Content-Length', '5']], Buffer.from([0, 1, 13, 10, 255])), 0, CONTRACT],
  ['body-array', get('/array'), ok('abc\n'), 0, CONTRACT],
  ['body-generator', get('/generator'), ok('one\ntwo\n', false), 0, CONTRACT],
  ['body-async-generator', get('/async'), ok('first\nsecond\n', false), 0, CONTRACT],
  ['body-readable', get('/readable'), ok('r1\nr2\n', false), 0, CONTRACT],
  ['body-write', get('/write'), ok('w1\nw2\nreturned\n', false), 0, CONTRACT],
  ['body-empty', get('/empty'), ok(''), 0, CONTRACT],
  ['body-empty-generator', get('/empty-generator'), ok('', false), 0, CONTRACT],
  ['body-no-content', get('/no-content'), response('204 No Content', []), 0, CONTRACT],
  ['body-own-length', get('/own-length'), response('200 OK', [['Content-Length', '6'], TEXT], 'hello\n'), 0, CONTRACT],
  ['headers-pass-through', get('/headers'), response("418 I'm a teapot", [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Tab', 'a\tb'], ['Content-Length', '16']], 'short and stout\n'), 0, CONTRACT],
  ['redirect', get('/redirect'), response('302 Found', [['Location', '/elsewhere'], ['Content-Length', '0']]), 0, CONTRACT],
  ['not-found', get('/nowhere'), response('404 Not Found', [TEXT, ['Content-Length', '18']], 'no route /nowhere\n'), 0, CONTRACT],

  // ---- 3. The app contract: errors
  ['body-number', get('/number'), serverError, 1, CONTRACT, 'the app returned 42'],
  ['body-bad-chunk', get('/bad-chunk'), serverError, 1, CONTRACT, 'a body chunk must be a string or a Uint8Array; got 42'],
  ['no-start-response', get('/no-start'), serverError, 1, CONTRACT, 'before calling startResponse'],
  ['start-response-twice', get('/twice'), serverError, 1, CONTRACT, 'called twice'],
  ['app-throws', get('/throw'), serverError, 1, CONTRACT, 'Error: the app broke\n +at '],
  ['app-rejects', get('/reject'), serverError, 1, CONTRACT, 'the app rejected'],
  ['app-throws-string', get('/throw-string'), serverError, 1, CONTRACT, "non-Error value was thrown: 'a bare string'"],
  ['app-throws-after-headers', get('/throw-after'), ok('partial\n', false), 1, CONTRACT, 'failed midway[\\s\\S]*cut short'],
  ['exc-info-before-headers', get('/excinfo'), response('503 Service Unavailable', [TEXT, ['Content-Length', '6']], 'sorry\n'), 0, CONTRACT],
  ['exc-info-after-headers', get('/excinfo-late'), ok('part\n', false), 1, CONTRACT, 'too late to change the status'],
  ['close-called', get('/close'), ok('body\n', false), 0, CONTRACT, 'close\\(\\) called'],
  ['close-called-on-error', get('/close-on-error'), serverError, 1, CONTRACT, 'iteration failed[\\s\\S]*close\\(\\) called after the error'],
  ['return-called-on-error', get('/return-on-error'), serverError, 1, CONTRACT, '(?=[\\s\\S]*got 42)(?=[\\s\\S]*return\\(\\) called)'],

  // ---- 3. Header validation: a clean 500, never injected bytes
  ['bad-status', get('/bad-status'), serverError, 1, CONTRACT, "status must be .*got '200'"],
  ['status-600', get('/status-1xx'), serverError, 1, CONTRACT, 'status must be'],
  ['status-with-lf', get('/lf-status'), serverError, 1, CONTRACT, 'status must be'],
  ['header-crlf', get('/crlf-value'), serverError, 1, CONTRACT, 'header X-A has a control or non-latin-1 character'],
  ['header-nul', get('/nul-value'), serverError, 1, CONTRACT, 'control or non-latin-1'],
  ['header-non-latin1', get('/non-latin1'), serverError, 1, CONTRACT, 'control or non-latin-1'],
  ['header-name-space', get('/bad-name'), serverError, 1, CONTRACT, "header name 'Bad Name' is not an HTTP token"],
  ['header-name-colon', get('/colon-name'), serverError, 1, CONTRACT, 'not an HTTP token'],
  ['header-hop-by-hop', get('/hop-by-hop'), serverError, 1, CONTRACT, 'Connection is hop-by-hop'],
  ['header-status', get('/status-header'), serverError, 1, CONTRACT, 'not in a Status header'],
  ['header-two-lengths', get('/two-lengths'), serverError, 1, CONTRACT, 'Content-Length is given twice'],
  ['headers-not-pairs', get('/not-pairs'), serverError, 1, CONTRACT, 'headers must be an array'],

  // ---- 3. The request body
  ['echo', post('/echo', BINARY), response('200 OK', [['Content-Type', 'application/octet-stream'], ['Content-Length', String(BINARY.length)]], Buffer.from(BINARY, 'latin1')), 0, CONTRACT],
  ['echo-empty', post('/echo', ''), response('200 OK', [['Content-Type', 'application/octet-stream'], ['Content-Length', '0']]), 0, CONTRACT],
  ['body-truncated', post('/echo', 'ten bytes!').subarray(0, -5), '', 1, CONTRACT, 'closed after 5 of 10 body bytes; no response sent'],
  ['body-truncated-unread', post('/unread', 'ten bytes!').subarray(0, -5), '', 1, CONTRACT, 'closed after 5 of 10 body bytes'],
  ['body-unread', post('/unread', 'x'.repeat(100000)), ok('body left unread\n'), 0, CONTRACT],
  ['body-read-after-response', post('/late-read', 'data'), ok('first\nsecond\n', false), 0, CONTRACT, 'late read: the request body was discarded because the response had started'],

  // ---- 4. Nothing but the response on the connection
  ['noisy-app', get('/noisy'), ok('quiet\n'), 0, CONTRACT, // The app's lines, each with the time and its process id, as ours.
    'app\\[\\d+\\]: console.log line\n\\S+ app\\[\\d+\\]: console.error line\n\\S+ app\\[\\d+\\]: process.stdout line\n\\S+ app\\[\\d+\\]: process.stderr line\n.*Warning: a warning from the app'],
  ['uncaught-exception', get('/uncaught'), serverError, 1, CONTRACT, 'thrown from a timer'],
  ['request-timeout', get('/hang'), plain('504 Gateway Timeout', '504 Gateway Timeout: the app did not respond in time\n'), GIVEN_UP, `${CONTRACT} --request-timeout 300`, 'the app did not finish its response within 300 ms \\(--request-timeout\\)'],
  ['request-timeout-after-headers', get('/stall'), ok('first\n', false), GIVEN_UP, `${CONTRACT} --request-timeout 300`, 'within 300 ms[\\s\\S]*the response had started, so it is cut short'],
  ['unhandled-rejection', get('/unhandled'), serverError, 1, CONTRACT, 'nobody handled this'],

  // ---- 6. The command line: modules
  ['module-esm', hello, ok('esm\n'), 0, 'test/apps/esm.mjs'],
  ['module-esm-package', hello, ok('esm in a "type": "module" package\n'), 0, 'test/apps/esm-package/app.js'],
  ['module-named-export', hello, ok('named\n'), 0, 'test/apps/named.cjs'],
  ['module-missing', hello, serverError, 1, 'test/apps/does-not-exist.js', 'Cannot find module'],
  ['module-no-app', hello, serverError, 1, 'test/apps/no-app.cjs', 'exports no app'],
  ['module-throws-on-load', hello, serverError, 1, 'test/apps/throws-on-load.cjs', 'broken at load time'],

  // ---- 7. Adapters: a fetch handler (test/apps/fetch-app.mjs) and a (req, res) listener (node-app.cjs)
  ['fetch-hello', viaNginx('/hello?x=1'), response('200 OK', [['content-type', 'text/plain']], 'hello from /hello?x=1\n'), 0, FETCH],
  ['fetch-request-nginx', viaNginx('/request', { method: 'POST', body: 'abc', extra: NGINX_EXTRA }), json('200 OK', {
    method: 'POST',
    url: 'http://localhost/request',
    headers: [['content-length', '3'], ['content-type', 'application/octet-stream'], ['cookie', 'a=1; b=2'], ['host', 'localhost'], ['x-multi-word', 'v']],
    body: 'abc',
  }, false), 0, FETCH],
  ['fetch-url-rebuilt', scgi([['CONTENT_LENGTH', '0'], ['REQUEST_METHOD', 'GET'], ['SCRIPT_NAME', ''], ['PATH_INFO', '/request/a b%/\xe9'], ['QUERY_STRING', 'q=1'], ['SERVER_NAME', 'example.org'], ['SERVER_PORT', '8443'], ['HTTPS', 'on']]),
    json('200 OK', { method: 'GET', url: 'https://example.org:8443/request/a%20b%25/%E9?q=1', headers: [] }, false), 0, FETCH],
  // Debian's scgi_params send nginx's $host as HTTP_HOST: no port. SERVER_PORT stands in for it.
  ['fetch-host-without-port', scgi(nginx('/request').map(([n, v]) => [n, n === 'SERVER_PORT' ? '8080' : v])),
    json('200 OK', { method: 'GET', url: 'http://localhost:8080/request', headers: [['host', 'localhost']] }, false), 0, FETCH],
  ['fetch-json', viaNginx('/json', { method: 'POST', body: '{"numbers":[1,2,3]}' }), json('201 Created', { sum: 6 }, false), 0, FETCH],
  ['fetch-cookies', viaNginx('/cookies'), response('200 OK', [['content-type', 'text/plain'], ['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2; Path=/; HttpOnly']], 'two cookies\n'), 0, FETCH],
  // A null body goes out with no length, as from @hono/node-server (the web server frames it).
  ['fetch-redirect', viaNginx('/redirect'), response('302 Found', [['location', 'http://localhost/hello']]), 0, FETCH],
  ['fetch-reason-given', viaNginx('/teapot'), response('418 I Am A Teapot', [['content-type', 'text/plain;charset=UTF-8']], 'short and stout\n'), 0, FETCH],
  ['fetch-reason-default', viaNginx('/nowhere'), response('404 Not Found', [['content-type', 'text/plain;charset=UTF-8']], 'not found\n'), 0, FETCH],
  ['fetch-events', viaNginx('/events'), response('200 OK', [['content-type', 'text/event-stream'], ['x-accel-buffering', 'no']], EVENTS), 0, FETCH],
  ['fetch-throws', viaNginx('/throw'), serverError, 1, FETCH, 'the app failed: Error: thrown by the fetch handler'],
  ['fetch-rejects', viaNginx('/reject'), serverError, 1, FETCH, 'the app failed: Error: rejected by the fetch handler'],
  ['fetch-fails-midway', viaNginx('/fail-midway'), response('200 OK', [['content-type', 'text/plain']], 'first part\n'), 1, FETCH, 'the stream broke after the first part[\\s\\S]*the response had started, so it is cut short'],
  ['fetch-not-a-response', viaNginx('/not-a-response'), serverError, 1, FETCH, 'the fetch handler returned \\{ status: 200 \\}; it must return a Response'],
  ['fetch-hop-by-hop', viaNginx('/bad-header'), serverError, 1, FETCH, 'header upgrade is hop-by-hop'],
  ['fetch-transport-headers-dropped', viaNginx('/transport-headers'), response('200 OK', [['content-type', 'text/plain']], 'streamed\n'), 0, FETCH],
  ['fetch-head-no-length', viaNginx('/transport-headers', { method: 'HEAD' }), response('200 OK', [['content-type', 'text/plain']]), 0, FETCH],
  ['fetch-bad-host', scgi(nginx('/hello').map(([n, v]) => [n, n === 'HTTP_HOST' ? 'evil.example/x' : v])), badRequest('the Host header is not a host name'), 1, FETCH, "bad request: the Host header is not a host name \\('evil.example/x'\\)"],
  ['fetch-bad-header-value', viaNginx('/hello', { extra: [['HTTP_X_BAD', 'a\r\nb']] }), badRequest('the request cannot be made a fetch Request'), 1, FETCH, 'is an invalid header value'],
  // nginx passes such a name with ignore_invalid_headers off; a Request refuses it.
  ['fetch-bad-header-name', viaNginx('/hello', { extra: [['HTTP_X@Y', 'v']] }), badRequest('the request cannot be made a fetch Request'), 1, FETCH, 'is an invalid header name'],
  ['fetch-body-cut-short', viaNginx('/upload', { method: 'POST', body: 'x'.repeat(100) }).subarray(0, -90), Buffer.alloc(0), 1, FETCH, 'the connection closed after 10 of 100 body bytes; no response sent'],
  ['fetch-named-export', hello, response('200 OK', [['content-type', 'text/plain;charset=UTF-8']], 'named fetch export: GET\n'), 0, 'test/apps/fetch-named.cjs'],
  ['fetch-bare-with-app-type', hello, response('200 OK', [['content-type', 'text/plain;charset=UTF-8']], 'bare fetch handler: /\n'), 0, 'test/apps/fetch-bare.mjs --app-type fetch'],
  ['fetch-bare-without-app-type', hello, serverError, 1, 'test/apps/fetch-bare.mjs', 'Invalid URL'],
  ['node-hello', viaNginx('/hello?x=1'), response('200 OK', [['Content-Type', 'text/plain'], ['Content-Length', '22']], 'hello from /hello?x=1\n'), 0, NODE_APP],
  // HEAD: headers only, as from Node's own server (which sends no Content-Length for it either).
  ['node-head-no-body', viaNginx('/hello', { method: 'HEAD' }), response('200 OK', [['Content-Type', 'text/plain']]), 0, NODE_APP],
  ['node-request-nginx', viaNginx('/request', { method: 'POST', body: 'abc', extra: NGINX_EXTRA }), json('200 OK', {
    method: 'POST',
    url: '/request',
    httpVersion: '1.1',
    headers: { host: 'localhost', 'x-multi-word': 'v', cookie: 'a=1; b=2', 'content-type': 'application/octet-stream', 'content-length': '3' },
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    localPort: 80, // SERVER_PORT; nginx's scgi_params send no SERVER_ADDR
    encrypted: false,
    body: 'abc',
  }), 0, NODE_APP],
  ['node-request-https', scgi([['CONTENT_LENGTH', '0'], ['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/request?a=%20'], ['SERVER_PROTOCOL', 'HTTP/1.0'], ['HTTPS', 'on'], ['HTTP_HOST', 'example.org']]), json('200 OK', {
    method: 'GET', url: '/request?a=%20', httpVersion: '1.0', headers: { host: 'example.org' }, encrypted: true,
  }), 0, NODE_APP],
  ['node-json', viaNginx('/json', { method: 'POST', body: '{"numbers":[1,2,3]}' }), json('201 Created', { sum: 6 }), 0, NODE_APP],
  ['node-cookies', viaNginx('/cookies'), response('200 OK', [['Set-Cookie', 'a=1; Path=/'], ['Set-Cookie', 'b=2; Path=/; HttpOnly'], ['Content-Type', 'text/plain'], ['Content-Length', '12']], 'two cookies\n'), 0, NODE_APP],
  ['node-redirect', viaNginx('/redirect'), response('302 Found', [['Location', '/hello'], ['Content-Length', '0']]), 0, NODE_APP],
  ['node-reason-given', viaNginx('/teapot'), response('418 I Am A Teapot', [], 'short and stout\n'), 0, NODE_APP],
  ['node-reason-default', viaNginx('/nowhere'), response('404 Not Found', [['Content-Length', '10']], 'not found\n'), 0, NODE_APP],
  // Connection: keep-alive, set for Node's own server, is dropped: the web server frames the response.
  ['node-events', viaNginx('/events'), response('200 OK', [['Content-Type', 'text/event-stream'], ['Cache-Control', 'no-cache'], ['X-Accel-Buffering', 'no']], EVENTS), 0, NODE_APP],
  ['node-throws', viaNginx('/throw'), serverError, 1, NODE_APP, 'the app failed: Error: thrown by the listener'],
  ['node-rejects', viaNginx('/reject'), serverError, 1, NODE_APP, 'the app failed: Error: rejected by the listener'],
  ['node-throws-later', viaNginx('/throw-later'), serverError, 1, NODE_APP, 'the app failed: Error: thrown from a timer in the listener'],
  ['node-fails-midway', viaNginx('/fail-midway'), response('200 OK', [['Content-Type', 'text/plain']], 'first part\n'), 1, NODE_APP, 'thrown after the first part[\\s\\S]*the response had started, so it is cut short'],
  ['node-hop-by-hop', viaNginx('/bad-header'), serverError, 1, NODE_APP, 'header Upgrade is hop-by-hop'],
  ['node-body-cut-short', viaNginx('/upload', { method: 'POST', body: 'x'.repeat(100) }).subarray(0, -90), Buffer.alloc(0), 1, NODE_APP, 'the connection closed after 10 of 100 body bytes; no response sent'],
  ['node-example', hello, response('200 OK', [['Content-Type', 'text/plain'], ['Content-Length', '24']], 'Hello world from GET /!\n'), 0, 'examples/listener.cjs --app-type node'],
  ['fetch-example', hello, response('200 OK', [['content-type', 'text/plain']], 'Hello world from GET /!\n'), 0, 'examples/fetch.mjs'],
];

fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir);
const manifest = [];
for (const [name, request, expected, status, args, log = ''] of cases) {
  if ((args + log).includes('|')) throw new Error(`case ${name}: "|" in its arguments or log regex`);
  fs.writeFileSync(path.join(dir, `${name}.scgi`), request);
  fs.writeFileSync(path.join(dir, `${name}.out`), expected);
  manifest.push(`${name}|${status}|${args}|${log.replace(/\n/g, '\\n')}`);
}
fs.writeFileSync(path.join(dir, 'MANIFEST'), manifest.join('\n') + '\n');
// Requests test.sh uses in cases of its own (no .out: their checks are in test.sh).
fs.writeFileSync(path.join(dir, 'big.scgi'), get('/big'));
fs.writeFileSync(path.join(dir, 'hang.scgi'), get('/hang'));
console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), dir)}/`);
