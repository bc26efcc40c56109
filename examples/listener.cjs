// A Node (req, res) request listener (the shape of an Express or connect app, or Koa's app.callback()),
// served with:
//   node inetd-scgi.cjs examples/listener.cjs --app-type node
// --app-type node is needed: a listener and a PEP 3333 app are both functions of two arguments.
module.exports = (req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  res.end(`Hello world from ${req.method} ${req.url}!\n`);
};
