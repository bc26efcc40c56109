// runApp from the app's own script, after touching process.stdin, which makes fd 0 non-blocking
// (Node's pipe stream does): reads must then retry on EAGAIN. The error log is argv[2].
process.stdin; // eslint-disable-line no-unused-expressions
const { runApp } = require('../../dist/inetd-scgi.cjs');

runApp(async (environ, startResponse) => {
  const chunks = [];
  for await (const chunk of environ['wsgi.input']) chunks.push(chunk);
  startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
  return [Buffer.concat(chunks)];
}, { errors: process.argv[2] });
