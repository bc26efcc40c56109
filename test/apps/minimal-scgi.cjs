// `make bench`: the floor for a long-running SCGI backend in Node: a node:net server on a unix socket
// that waits for the end of the header block, answers hello world and ends the connection; no
// checks, no timeouts, no app call. node minimal-scgi.cjs SOCKET
const net = require('node:net');

const RESPONSE = Buffer.from(
  'Status: 200 OK\r\nContent-type: text/plain\r\nContent-Length: 13\r\n\r\nHello world!\n',
);

net
  .createServer((socket) => {
    let head = Buffer.alloc(0);
    socket.on('error', () => {}); // nginx drops the connection when wrk's client goes away
    socket.on('data', (data) => {
      head = head.length === 0 ? data : Buffer.concat([head, data]);
      const colon = head.indexOf(0x3a);
      if (colon < 0 || head.length <= colon + Number(head.toString('latin1', 0, colon))) return;
      socket.removeAllListeners('data');
      socket.end(RESPONSE);
    });
  })
  .listen(process.argv[2]);
