// PEP 3333's "Hello world" app, in JavaScript. Serve it from inetd with:
//   node inetd-scgi.cjs examples/hello.js
const HELLO_WORLD = 'Hello world!\n';

module.exports = function simpleApp(environ, startResponse) {
  startResponse('200 OK', [['Content-type', 'text/plain']]);
  return [HELLO_WORLD];
};
