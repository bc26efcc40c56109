// A Fastify 5 app as its users write it: the same routes as express-app.cjs. Served by inetd-scgi
// as a (req, res) listener through app.routing() after app.ready(), Fastify's entry for a request
// another server accepted (--app-type node), and natively by its own server (native.cjs).
const { createHash } = require('node:crypto');
const { Readable } = require('node:stream');
const need = require('./need.cjs');
const fastify = need('fastify');

const app = fastify();
app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (req, body, done) => done(null, body));

app.get('/', async () => 'hello from fastify');
app.get('/users/:id', async (req) => ({ id: req.params.id, query: req.query, url: req.url, originalUrl: req.originalUrl }));
app.post('/json', async (req, reply) => reply.code(201).send({ got: req.body }));
app.post('/form', async (req) => ({ got: Object.fromEntries(new URLSearchParams(req.body)) }));
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => done(null, body));
app.post('/upload', async (req) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  return { length: body.length, sha256: createHash('sha256').update(body).digest('hex') };
});
app.get('/download', async (req, reply) => {
  const kib = Number(req.query.kib ?? 64);
  reply.type('application/octet-stream');
  return reply.send(Readable.from((function* () { for (let i = 0; i < kib; i++) yield Buffer.alloc(1024, 97 + (i % 26)); })()));
});
app.get('/cookies', async (req, reply) => {
  reply.header('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
  return 'two cookies';
});
app.all('/seen', async (req) => seen(req.headers));
app.get('/redirect', async (req, reply) => reply.redirect('/'));
app.get('/throw', async () => {
  throw new Error('fastify route failed');
});
app.get('/events', (req, reply) => {
  reply.header('Content-Type', 'text/event-stream').header('Cache-Control', 'no-cache');
  return reply.send(Readable.from((async function* () {
    for (let i = 1; i <= 3; i++) {
      yield `data: event ${i}\n\n`;
      if (i < 3) await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })()));
});
app.register(async (api) => {
  api.get('/items/:id', async (req) => ({ item: req.params.id }));
}, { prefix: '/api/v1' });

const ready = app.ready();
/** The request headers an app sees that say how its body is framed, and which others it got. */
function seen(headers) {
  const { 'content-length': length, 'transfer-encoding': encoding, ...others } = headers;
  const names = Object.keys(others).filter((name) => name !== 'connection').sort(); // the transport's
  return { 'content-length': length ?? null, 'transfer-encoding': encoding ?? null, others: names };
}

module.exports = (req, res) => ready.then(() => app.routing(req, res));
module.exports.fastify = app;
