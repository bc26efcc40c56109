// A Hono 4 app as its users write it: the same routes as express-app.cjs, with streamSSE for the
// events. Served by inetd-scgi as a fetch handler (its default export has fetch), and natively by
// @hono/node-server (native.cjs).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const need = createRequire(import.meta.url)('./need.cjs');
const { Hono } = need('hono');
const { setCookie } = need('hono/cookie');
const { streamSSE } = need('hono/streaming');

const app = new Hono();
app.get('/', (c) => c.text('hello from hono'));
app.get('/users/:id', (c) => c.json({ id: c.req.param('id'), query: c.req.query(), url: c.req.url, path: c.req.path }));
app.post('/json', async (c) => c.json({ got: await c.req.json() }, 201));
app.post('/form', async (c) => c.json({ got: await c.req.parseBody() }));
app.post('/upload', async (c) => {
  const body = Buffer.from(await c.req.arrayBuffer());
  return c.json({ length: body.length, sha256: createHash('sha256').update(body).digest('hex') });
});
app.get('/download', (c) => {
  const kib = Number(c.req.query('kib') ?? 64);
  let i = 0;
  const stream = new ReadableStream({
    pull(controller) {
      if (i < kib) controller.enqueue(new Uint8Array(1024).fill(97 + (i++ % 26)));
      else controller.close();
    },
  });
  return c.body(stream, 200, { 'Content-Type': 'application/octet-stream' });
});
app.get('/cookies', (c) => {
  setCookie(c, 'a', '1');
  setCookie(c, 'b', '2', { httpOnly: true });
  return c.text('two cookies');
});
app.all('/seen', (c) => c.json(seen(Object.fromEntries(c.req.raw.headers))));
app.get('/redirect', (c) => c.redirect('/'));
app.get('/throw', () => {
  throw new Error('hono route failed');
});
app.get('/events', (c) => streamSSE(c, async (stream) => {
  for (let i = 1; i <= 3; i++) {
    await stream.writeSSE({ data: `event ${i}` });
    if (i < 3) await stream.sleep(300);
  }
}));
const api = new Hono();
api.get('/items/:id', (c) => c.json({ item: c.req.param('id') }));
app.route('/api/v1', api);

/** The request headers an app sees that say how its body is framed, and which others it got. */
function seen(headers) {
  const { 'content-length': length, 'transfer-encoding': encoding, ...others } = headers;
  const names = Object.keys(others).filter((name) => name !== 'connection').sort(); // the transport's
  return { 'content-length': length ?? null, 'transfer-encoding': encoding ?? null, others: names };
}

export default app;
