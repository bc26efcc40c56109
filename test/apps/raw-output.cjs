// A PEP 3333 app that writes below JavaScript's guards, as careless apps and their libraries do: raw
// writes to fds 1 and 2, process._rawDebug, children that inherit stdio, process.abort() and running
// out of memory. Each route answers "ok <route>\n" if it gets that far. Run as a module's main (by
// fork), it prints a line to each of fds 1 and 2 and stays alive for the milliseconds in argv[2].
const fs = require('node:fs');
const { fork, spawnSync } = require('node:child_process');

if (require.main === module) {
  fs.writeSync(1, 'RAW forked child stdout\n');
  fs.writeSync(2, 'RAW forked child stderr\n');
  setTimeout(() => process.exit(0), Number(process.argv[2]));
} else {
  const routes = {
    '/fd1': () => fs.writeSync(1, 'RAW fs.writeSync(1)\n'),
    '/fd2': () => fs.writeSync(2, 'RAW fs.writeSync(2)\n'),
    '/raw-debug': () => process._rawDebug('RAW process._rawDebug'),
    '/spawn': () => spawnSync('sh', ['-c', 'echo RAW child stdout; echo RAW child stderr >&2'], { stdio: 'inherit' }),
    '/fork': (query) => fork(__filename, [query || '0']), // stdio inherited, as fork() does by default
    '/abort': () => process.abort(),
    '/oom': () => {
      const hoard = [];
      for (;;) hoard.push(new Array(100_000).fill(hoard.length));
    },
  };

  module.exports = (environ, startResponse) => {
    const route = routes[environ.PATH_INFO];
    if (route === undefined) {
      startResponse('404 Not Found', [['Content-Type', 'text/plain']]);
      return ['no such route\n'];
    }
    route(environ.QUERY_STRING);
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    const body = [`ok ${environ.PATH_INFO}\n`];
    // /fork's body has no known length (an iterator, not an array): a web server then takes the
    // connection's end for the response's, which a child holding fd 0 delays.
    return environ.PATH_INFO === '/fork' ? body.values() : body;
  };
}
