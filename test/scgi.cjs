// The SCGI request encoding every test shares: a netstring of NUL-terminated name/value pairs, then
// the body. Strings are latin-1 (one byte a character), as on the wire.

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

module.exports = { netstring, scgi };
