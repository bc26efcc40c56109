// A fetch handler as Hono or itty-router apps are (routes by hand: the project allows no framework
// package), served by `node inetd-scgi.cjs test/apps/fetch-app.mjs`: its default export has a fetch method.
import { createHash } from 'node:crypto';

const MiB = 1024 * 1024;
const CHUNK_SIZE = 64 * 1024; // /download sends "aaa..." in chunks of this size

// Responses a handler makes: plain ones the light Response answers itself, and ones it leaves to
// undici's (a number as the status, whitespace around a value, a repeated name).
export const RESPONSES = [
  ['text', {}], ['text', { status: '201' }], [null, { status: 204 }], ['text', { headers: { 'X-A': ' b ' } }],
  ['text', { headers: [['a', '1'], ['A', '2']] }], [new Uint8Array([65, 66]), { headers: { 'content-type': 'a/b' } }],
  ['text', { statusText: 'Fine' }], ['text', { status: 599 }], ['text', { headers: { 'Set-Cookie': 'a=1', 'X-B': '2' } }],
  ['\u00e9\u20ac', { status: 201, headers: [['X-Z', 'z'], ['x-y', 'y']] }], [undefined, undefined],
];

const routes = {
  'GET /hello': (request, url) => new Response(`hello from ${url.pathname}${url.search}\n`, { headers: { 'content-type': 'text/plain' } }),
  // Whether this process has loaded undici (Node's fetch classes), and what instanceof says of the
  // Request the handler got, a Response it makes and one undici makes (Response.json).
  'GET /undici': () => new Response(`undici loaded: ${process.moduleLoadList.some((name) => name.includes('undici'))}\n`),
  // A Response made from case ?i= of RESPONSES by the global Response (light while inetd-scgi serves
  // a fetch handler) or, with ?by=undici, by undici's class: the two must answer the same bytes.
  'GET /made': (request, url) => {
    const [body, init] = RESPONSES[Number(url.searchParams.get('i'))];
    const ByUndici = Response.json(null).constructor; // Response.json makes undici's
    return url.searchParams.get('by') === 'undici' ? new ByUndici(body, init) : new Response(body, init);
  },
  'GET /instanceof': (request) => new Response(`request ${request instanceof Request}, response ${new Response('') instanceof Response}, undici's ${Response.json({}) instanceof Response}\n`),
  // What the handler was given: the URL, method, headers and whether a body came.
  'GET /request': (request) => Response.json({ method: request.method, url: request.url, headers: [...request.headers] }),
  'POST /request': async (request) => Response.json({ method: request.method, url: request.url, headers: [...request.headers], body: await request.text() }),
  'POST /json': async (request) => {
    const input = await request.json();
    return Response.json({ sum: input.numbers.reduce((a, b) => a + b, 0) }, { status: 201 });
  },
  // The body read as it streams in: its length and SHA-256, never the whole of it in memory.
  'POST /upload': async (request) => {
    const hash = createHash('sha256');
    let length = 0;
    for await (const chunk of request.body) {
      hash.update(chunk);
      length += chunk.length;
    }
    return Response.json({ length, sha256: hash.digest('hex') });
  },
  'GET /download': (request, url) => {
    let left = Number(url.searchParams.get('mib') ?? 10) * MiB;
    const body = new ReadableStream({
      pull(controller) {
        const n = Math.min(left, CHUNK_SIZE);
        left -= n;
        if (n > 0) controller.enqueue(new Uint8Array(n).fill(0x61)); // fresh memory: buffering would show
        if (left === 0) controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
  },
  'GET /cookies': () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/; HttpOnly');
    return new Response('two cookies\n', { headers });
  },
  'GET /redirect': (request, url) => Response.redirect(new URL('/hello', url), 302),
  'GET /throw': () => {
    throw new Error('thrown by the fetch handler');
  },
  'GET /reject': () => Promise.reject(new Error('rejected by the fetch handler')),
  'GET /not-a-response': () => ({ status: 200 }),
  // A body that fails after its first chunk went out: the response is cut short.
  'GET /fail-midway': () => {
    const body = new ReadableStream({
      start: (controller) => controller.enqueue(new TextEncoder().encode('first part\n')),
      pull: (controller) => controller.error(new Error('the stream broke after the first part')),
    });
    return new Response(body, { headers: { 'content-type': 'text/plain' } });
  },
  'GET /bad-header': () => new Response('x', { headers: { upgrade: 'h2c' } }),
  // The transport's own headers, as Hono's streamSSE sets them: dropped, as nginx frames the response.
  'GET /transport-headers': () => new Response(ReadableStream.from(['streamed\n']), {
    headers: { 'content-type': 'text/plain', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked' },
  }),
  'HEAD /transport-headers': () => new Response(null, { headers: { 'content-type': 'text/plain' } }),
  'GET /teapot': () => new Response('short and stout\n', { status: 418, statusText: 'I Am A Teapot' }),
  // Server-sent events: each event leaves when it is produced (?gap= milliseconds apart). nginx holds
  // a response back unless told not to, as real event streams do, by X-Accel-Buffering.
  'GET /events': (request, url) => {
    const gap = Number(url.searchParams.get('gap') ?? 0);
    let n = 0;
    const body = new ReadableStream({
      async pull(controller) {
        if (n > 0) await new Promise((resolve) => setTimeout(resolve, gap));
        controller.enqueue(new TextEncoder().encode(`data: event ${++n}\n\n`));
        if (n === 3) controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream', 'x-accel-buffering': 'no' } });
  },
  // An endless event stream that stops, and says so in the error log, when the client goes away.
  'GET /abort': (request) => {
    let timer;
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: first\n\n'));
        timer = setInterval(() => controller.enqueue(new TextEncoder().encode('data: more\n\n')), 50);
        request.signal.addEventListener('abort', () => {
          clearInterval(timer);
          console.error(`fetch handler: request.signal aborted (${request.signal.reason?.name})`);
          controller.close();
        });
      },
      cancel() {
        clearInterval(timer);
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream', 'x-accel-buffering': 'no' } });
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    // Routed by the first path segment: /request/anything is /request.
    const route = routes[`${request.method} ${url.pathname.replace(/(.)\/.*/s, '$1')}`];
    return route ? route(request, url) : new Response('not found\n', { status: 404 });
  },
};
