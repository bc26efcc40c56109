// `make bench`: examples/hello.js as a plain node:http server on 127.0.0.1:PORT (the Node ceiling:
// nginx keeps its connections to it open). Only what hello.js needs of the app contract.
const http = require('node:http');
const app = require('../../examples/hello.js');

http
  .createServer((req, res) => {
    let status = '500 Internal Server Error';
    let headers = [];
    const body = app({ REQUEST_METHOD: req.method, PATH_INFO: req.url }, (s, h) => ((status = s), (headers = h)));
    res.writeHead(Number(status.slice(0, 3)), Object.fromEntries(headers));
    res.end(Buffer.concat(body.map((chunk) => Buffer.from(chunk))));
  })
  .listen(Number(process.argv[2]), '127.0.0.1');
