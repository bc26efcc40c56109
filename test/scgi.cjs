// What the tests share: the SCGI request encoding (a netstring of NUL-terminated name/value pairs,
// then the body; strings are latin-1, one byte a character, as on the wire), and a bound on waiting.

/** Returns the netstring "LEN:BYTES," of a latin-1 string or a Buffer. */
function netstring(block) {
  const bytes = Buffer.isBuffer(block) ? block : Buffer.from(block, 'latin1');
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes, Buffer.from(',')]);
}

/** Returns an SCGI request: [name, value] pairs as a netstring, then the body (latin-1 string or Buffer). */
function scgi(pairs, body = '') {
  const block = pairs.map(([name, value]) => `${name}\0${value}\0`).join('');
  return Buffer.concat([netstring(block), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
}

/** Returns an SCGI POST request for uri, as nginx frames one, with body (a Buffer). */
function request(uri, body = Buffer.alloc(0)) {
  return scgi([['CONTENT_LENGTH', String(body.length)], ['SCGI', '1'], ['REQUEST_METHOD', 'POST'], ['REQUEST_URI', uri]], body);
}

/** Resolves to the value of promise, or rejects after ms (so a hang fails the test). */
function within(ms, promise) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

module.exports = { netstring, scgi, request, within };
