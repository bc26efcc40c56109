// Serves one framework app of this folder natively, as its users would without inetd-scgi, on
// HTTP at 127.0.0.1:PORT: node native.cjs express|koa|fastify|hono PORT. Prints "listening" once it
// does; what the app logs goes to stderr, for the suite to compare with inetd-scgi's error log.
const http = require('node:http');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const [framework, port] = process.argv.slice(2);
const listening = () => console.log('listening');

(async () => {
  if (framework === 'express' || framework === 'koa') {
    http.createServer(require(`./${framework}-app.cjs`)).listen(Number(port), '127.0.0.1', listening);
  } else if (framework === 'fastify') {
    await require('./fastify-app.cjs').fastify.listen({ port: Number(port), host: '127.0.0.1' });
    listening();
  } else if (framework === 'hono') {
    const app = (await import(pathToFileURL(path.join(__dirname, 'hono-app.mjs')).href)).default;
    const { createAdaptorServer } = require('./need.cjs')('@hono/node-server');
    createAdaptorServer({ fetch: app.fetch }).listen(Number(port), '127.0.0.1', listening);
  } else {
    throw new Error(`unknown framework ${framework}`);
  }
})();
