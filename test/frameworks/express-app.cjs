// An Express 5 app as its users write it: routing and params, JSON and form bodies, a raw upload, a
// streamed download, cookies, a redirect, a mounted router, server-sent events, a thrown error for
// the framework's own error handler. Served by inetd-scgi as a (req, res) listener (--app-type node),
// and natively by test/frameworks/native.cjs.
const { createHash } = require('node:crypto');
const { Readable } = require('node:stream');
const express = require('./need.cjs')('express');

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));

app.get('/', (req, res) => res.send('hello from express'));
app.get('/users/:id', (req, res) => res.json({ id: req.params.id, query: req.query, url: req.url, originalUrl: req.originalUrl }));
app.post('/json', (req, res) => res.status(201).json({ got: req.body }));
app.post('/form', (req, res) => res.json({ got: req.body }));
app.post('/upload', express.raw({ type: '*/*', limit: '20mb' }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  res.json({ length: body.length, sha256: createHash('sha256').update(body).digest('hex') });
});
app.get('/download', (req, res) => {
  res.type('application/octet-stream');
  const kib = Number(req.query.kib ?? 64);
  Readable.from((function* () { for (let i = 0; i < kib; i++) yield Buffer.alloc(1024, 97 + (i % 26)); })()).pipe(res);
});
app.get('/cookies', (req, res) => {
  res.cookie('a', '1');
  res.cookie('b', '2', { httpOnly: true });
  res.send('two cookies');
});
app.all('/seen', express.raw({ type: '*/*' }), (req, res) => res.json(seen(req.headers)));
app.get('/redirect', (req, res) => res.redirect('/'));
app.get('/throw', () => {
  throw new Error('express route failed');
});
app.get('/events', async (req, res) => {
  res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.flushHeaders();
  for (let i = 1; i <= 3; i++) {
    res.write(`data: event ${i}\n\n`);
    if (i < 3) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  res.end();
});

const api = express.Router();
api.get('/items/:id', (req, res) => res.json({ item: req.params.id, baseUrl: req.baseUrl }));
app.use('/api/v1', api);

/** The request headers an app sees that say how its body is framed, and which others it got. */
function seen(headers) {
  const { 'content-length': length, 'transfer-encoding': encoding, ...others } = headers;
  const names = Object.keys(others).filter((name) => name !== 'connection').sort(); // the transport's
  return { 'content-length': length ?? null, 'transfer-encoding': encoding ?? null, others: names };
}

module.exports = app;
