// A Koa 3 app as its users write it (@koa/router, @koa/bodyparser): the same routes as
// express-app.cjs. Served by inetd-scgi as the (req, res) listener app.callback() returns
// (--app-type node), and natively by test/frameworks/native.cjs.
const { createHash } = require('node:crypto');
const { Readable } = require('node:stream');
const need = require('./need.cjs');
const Koa = need('koa');
const { Router } = need('@koa/router');
const { bodyParser } = need('@koa/bodyparser');

const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => {
  // A raw upload, read before the body parser (which takes only JSON and forms).
  if (ctx.path !== '/upload') return next();
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of ctx.req) {
    hash.update(chunk);
    length += chunk.length;
  }
  ctx.body = { length, sha256: hash.digest('hex') };
});
app.use(bodyParser());

router.get('/', (ctx) => (ctx.body = 'hello from koa'));
router.get('/users/:id', (ctx) => (ctx.body = { id: ctx.params.id, query: ctx.query, url: ctx.url, originalUrl: ctx.originalUrl }));
router.post('/json', (ctx) => {
  ctx.status = 201;
  ctx.body = { got: ctx.request.body };
});
router.post('/form', (ctx) => (ctx.body = { got: ctx.request.body }));
router.get('/download', (ctx) => {
  ctx.type = 'application/octet-stream';
  const kib = Number(ctx.query.kib ?? 64);
  ctx.body = Readable.from((function* () { for (let i = 0; i < kib; i++) yield Buffer.alloc(1024, 97 + (i % 26)); })());
});
router.get('/cookies', (ctx) => {
  ctx.cookies.set('a', '1', { httpOnly: false });
  ctx.cookies.set('b', '2');
  ctx.body = 'two cookies';
});
router.all('/seen', (ctx) => (ctx.body = seen(ctx.headers)));
router.get('/redirect', (ctx) => ctx.redirect('/'));
router.get('/throw', () => {
  throw new Error('koa route failed');
});
router.get('/events', (ctx) => {
  ctx.set({ 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  ctx.type = 'text/event-stream';
  ctx.body = Readable.from((async function* () {
    for (let i = 1; i <= 3; i++) {
      yield `data: event ${i}\n\n`;
      if (i < 3) await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })());
});

const api = new Router({ prefix: '/api/v1' });
api.get('/items/:id', (ctx) => (ctx.body = { item: ctx.params.id }));

app.use(router.routes()).use(router.allowedMethods());
app.use(api.routes());

/** The request headers an app sees that say how its body is framed, and which others it got. */
function seen(headers) {
  const { 'content-length': length, 'transfer-encoding': encoding, ...others } = headers;
  const names = Object.keys(others).filter((name) => name !== 'connection').sort(); // the transport's
  return { 'content-length': length ?? null, 'transfer-encoding': encoding ?? null, others: names };
}

module.exports = app.callback();
