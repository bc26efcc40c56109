// A Node (req, res) request listener as Express, connect or Koa apps are (routes by hand: the project
// allows no framework package), served by `node inetd-scgi.cjs test/apps/node-app.cjs --app-type node`.
const http = require('node:http');
const { createHash } = require('node:crypto');
const { Readable } = require('node:stream');

const MiB = 1024 * 1024;
const CHUNK_SIZE = 64 * 1024; // /download sends "aaa..." in chunks of this size

// Express gives req and res prototypes of its own, derived from node:http's: so does this app.
const request = Object.create(http.IncomingMessage.prototype);
const response = Object.create(http.ServerResponse.prototype);
response.json = function json(status, value) {
  const body = JSON.stringify(value);
  this.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  this.end(body);
};

/** Returns the request body as a string. */
async function text(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

const routes = {
  'GET /hello': (req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end(`hello from ${req.url}\n`);
  },
  // As a plain node:http listener answers HEAD: with the GET's code, body and all (Node drops it).
  'HEAD /hello': (req, res) => routes['GET /hello'](req, res),
  'GET /request': (req, res) => res.json(200, describe(req)),
  'POST /request': async (req, res) => res.json(200, { ...describe(req), body: await text(req) }),
  'POST /json': async (req, res) => {
    const input = JSON.parse(await text(req));
    res.json(201, { sum: input.numbers.reduce((a, b) => a + b, 0) });
  },
  'POST /upload': (req, res) => {
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk) => {
      hash.update(chunk);
      length += chunk.length;
    });
    req.on('end', () => res.json(200, { length, sha256: hash.digest('hex') }));
  },
  'GET /download': (req, res) => {
    let left = Number(new URL(req.url, 'http://x').searchParams.get('mib') ?? 10) * MiB;
    res.setHeader('Content-Type', 'application/octet-stream');
    Readable.from((function* () {
      // Fresh memory for each chunk: were the adapter to buffer the response, memory would show it.
      for (; left > 0; left -= CHUNK_SIZE) yield Buffer.alloc(Math.min(left, CHUNK_SIZE), 'a');
    })()).pipe(res);
  },
  'GET /cookies': (req, res) => {
    res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    res.setHeader('Content-Type', 'text/plain');
    res.end('two cookies\n');
  },
  'GET /redirect': (req, res) => {
    res.writeHead(302, { Location: '/hello' });
    res.end();
  },
  'GET /throw': () => {
    throw new Error('thrown by the listener');
  },
  'GET /reject': async () => {
    throw new Error('rejected by the listener');
  },
  'GET /throw-later': () => {
    setTimeout(() => {
      throw new Error('thrown from a timer in the listener');
    }, 1);
  },
  'GET /fail-midway': (req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.write('first part\n');
    setTimeout(() => {
      throw new Error('thrown after the first part');
    }, 1);
  },
  'GET /bad-header': (req, res) => {
    res.setHeader('Upgrade', 'websocket');
    res.end('x');
  },
  'GET /teapot': (req, res) => {
    res.statusCode = 418;
    res.statusMessage = 'I Am A Teapot';
    res.write('short ');
    res.end('and stout\n');
  },
  // Server-sent events the way most examples write them, "Connection: keep-alive" included.
  'GET /events': (req, res) => {
    const gap = Number(new URL(req.url, 'http://x').searchParams.get('gap') ?? 0);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let n = 0;
    const send = () => {
      res.write(`data: event ${++n}\n\n`);
      if (n === 3) res.end();
      else setTimeout(send, gap);
    };
    send();
  },
  'GET /abort': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Accel-Buffering': 'no' });
    res.write('data: first\n\n');
    const timer = setInterval(() => res.write('data: more\n\n'), 50);
    req.on('close', () => {
      clearInterval(timer);
      console.error(`listener: req 'close', res 'close' ${res.destroyed ? 'too' : 'not yet'}, finished ${res.writableFinished}`);
    });
  },
};

/** Returns what the listener was given. */
function describe(req) {
  const { method, url, httpVersion, headers } = req;
  const { remoteAddress, remotePort, localAddress, localPort, encrypted } = req.socket;
  return { method, url, httpVersion, headers, remoteAddress, remotePort, localAddress, localPort, encrypted: encrypted ?? false };
}

module.exports = (req, res) => {
  Object.setPrototypeOf(req, request);
  Object.setPrototypeOf(res, response);
  // Routed by the first path segment: /request/anything is /request.
  const route = routes[`${req.method} ${req.url.split('?')[0].replace(/(.)\/.*/s, '$1')}`];
  if (route) return route(req, res);
  res.statusCode = 404;
  res.end('not found\n');
};
