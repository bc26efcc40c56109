// A deterministic mutation fuzzer over the SCGI framing, the header pairs and the body.
//   node test/fuzz.mjs [--cases N] [--seed S]   N cases from seed S (test.sh: 20000), then a summary
//   node test/fuzz.mjs --forever [--seed S]     until stopped (make fuzz)
//   node test/fuzz.mjs --processes N [--seed S]  N cases through the CLI, one process each, with fd 1
//                                                and fd 2 one file (as inetd makes them one socket)
// Each case mutates a valid request (as nginx, lighttpd or Apache send them) with a seeded PRNG and
// runs it through an Exchange in this process, on a fake connection that hands the bytes over in
// random pieces and then ends. Every case must: settle (never hang), write nothing or exactly one
// well-formed CGI response beginning "Status: ", never show a stack trace or internal error text, and
// keep memory bounded. A failing input is saved under test/fuzz-regressions/; every file there is run
// again, before the mutated cases, on each in-process run (make test): commit it, and it stays a case.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorLog, Exchange } from '../dist/inetd-scgi.cjs';
import { scgi } from './scgi.cjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const forever = args.includes('--forever');
const processes = Number(option('--processes', 0));
const cases = processes || Number(option('--cases', 20000));
const firstSeed = Number(option('--seed', 1));
const here = import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname);
const regressions = path.join(here, 'fuzz-regressions');

/** Returns a PRNG (mulberry32): a function giving floats in [0, 1), the same sequence for a seed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What the three fronts send (see shared field notes / test/make-cases.js), with and without bodies.
const corpus = [
  ['nginx GET', [['CONTENT_LENGTH', '0'], ['QUERY_STRING', 'a=1'], ['REQUEST_METHOD', 'GET'], ['CONTENT_TYPE', ''], ['DOCUMENT_URI', '/x'], ['SCGI', '1'], ['REQUEST_URI', '/x?a=1'], ['HTTP_HOST', 'h']], ''],
  ['nginx POST', [['CONTENT_LENGTH', '11'], ['REQUEST_METHOD', 'POST'], ['CONTENT_TYPE', 'text/plain'], ['DOCUMENT_URI', '/echo'], ['SCGI', '1'], ['REQUEST_URI', '/echo'], ['HTTP_CONTENT_LENGTH', '11']], 'hello world'],
  ['lighttpd', [['CONTENT_LENGTH', '3'], ['REQUEST_METHOD', 'PUT'], ['SCRIPT_NAME', ''], ['PATH_INFO', '/a b'], ['REQUEST_URI', '/a%20b'], ['SCGI', '1']], 'abc'],
  ['apache', [['CONTENT_LENGTH', '0'], ['SCGI', '1'], ['HTTP_HOST', 'h'], ['SCRIPT_NAME', '/app/x'], ['REQUEST_URI', '/app/x'], ['HTTPS', 'on']], ''],
];

const TRAPS = ['', ' 1', '0x1A', '1e3', '-1', '+1', '9007199254740992', '99999999999999999999', '00', '1.0', '\u0661'];

/** Returns a mutated request: one to four mutations of a corpus entry. */
function mutate(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  let [, pairs, body] = pick(corpus);
  pairs = pairs.map((pair) => [...pair]);
  // Mutations at the level of pairs, before encoding.
  for (let i = int(3); i > 0; i--) {
    const at = int(pairs.length);
    switch (int(6)) {
      case 0: pairs.splice(int(pairs.length + 1), 0, [...pairs[at]]); break; // duplicate a pair
      case 1: pairs.splice(at, 1); break; // drop one
      case 2: { const other = int(pairs.length); [pairs[at], pairs[other]] = [pairs[other], pairs[at]]; break; } // reorder
      case 3: pairs[0] = ['CONTENT_LENGTH', pick(TRAPS.concat([String(int(20)), String(body.length)]))]; break;
      case 4: pairs[at] = [pick(['__proto__', 'constructor', 'toString', 'SCGI', 'PATH_INFO', 'HTTP_HOST', 'X\r\nY', '']), pick(['1', '', 'a\r\nSet-Cookie: x=1', '\n', '\0', '\xff', 'x'.repeat(int(300))])]; break;
      case 5: body += 'z'.repeat(int(40)); break; // body longer or shorter than CONTENT_LENGTH says
    }
  }
  let bytes = scgi(pairs, body);
  // Mutations at the level of bytes.
  for (let i = int(4); i > 0; i--) {
    const at = int(bytes.length + 1);
    switch (int(7)) {
      case 0: if (bytes.length) { bytes = Buffer.from(bytes); bytes[int(bytes.length)] ^= 1 << int(8); } break; // bit flip
      case 1: bytes = bytes.subarray(0, at); break; // truncate
      case 2: bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([int(256)]), bytes.subarray(at)]); break; // insert a byte
      case 3: bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(['\0', '\r', '\n', '\r\n', ':', ','])), bytes.subarray(at)]); break;
      case 4: bytes = Buffer.concat([Buffer.from(pick(['', '0', '00', '1', '99999999', '4294967296', '-', ' ']) ), bytes]); break; // odd length prefixes
      case 5: bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + int(8)))]); break; // delete bytes
      case 6: bytes = Buffer.concat([Buffer.from(`${int(2) ? int(100) : int(100000)}:`), bytes.subarray(bytes.indexOf(':') + 1)]); break; // wrong length
    }
  }
  return bytes;
}

/** Returns a fake connection that hands `bytes` over in random pieces, then EOF, recording writes. */
function connection(bytes, random) {
  let at = 0;
  const written = [];
  return {
    written,
    read(max, done) {
      if (at >= bytes.length) return void queueMicrotask(() => done(null, null));
      const n = Math.min(max, bytes.length - at, 1 + Math.floor(random() * 64));
      at += n;
      const chunk = Buffer.from(bytes.subarray(at - n, at));
      queueMicrotask(() => done(null, chunk));
    },
    write(data, done) {
      written.push(Buffer.from(data));
      queueMicrotask(() => done(null));
    },
  };
}

// The app reads the whole body, then answers with its size, copying the request's Host into a
// response header: a mutated Host with CR, LF or NUL must give a clean 500, never a split response.
async function app(environ, startResponse) {
  let n = 0;
  for await (const chunk of environ['wsgi.input']) n += chunk.length;
  const host = typeof environ.HTTP_HOST === 'string' ? [['X-Host', environ.HTTP_HOST]] : [];
  startResponse('200 OK', [['Content-Type', 'text/plain'], ...host]);
  return [`${environ.PATH_INFO} ${n}\n`];
}

const RESPONSE = /^Status: [1-5][0-9][0-9] [^\r\n]*\r\n(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+: [^\r\n]*\r\n)*\r\n/;
const INTERNAL = /\bat .*\(|node:internal|TypeError|ReferenceError|RangeError|Error:/;
const log = new ErrorLog('/dev/null', []);

/** Runs one case in this process; returns null if it passed, else what was wrong. */
async function runCase(seed) {
  const random = prng(seed);
  return runBytes(mutate(random), random);
}

/** Runs a request's bytes in this process, handed over in pieces random picks; returns null if it
 *  passed, else what was wrong. */
async function runBytes(bytes, random) {
  const conn = connection(bytes, random);
  const exchange = new Exchange(conn, log, { headerTimeout: 1000, bodyTimeout: 1000, maxHeaderBytes: 4096 });
  let timer;
  const settled = await Promise.race([
    exchange.run(app).then((status) => ({ status })),
    new Promise((resolve) => (timer = setTimeout(() => resolve(null), 3000))),
  ]);
  clearTimeout(timer);
  if (settled === null) return { bytes, why: 'did not settle within 3 s' };
  return check(bytes, Buffer.concat(conn.written).toString('latin1'));
}

const cli = path.join(here, '../dist/inetd-scgi.cjs');
const contract = path.join(here, 'apps/contract.js');
const scratch = processes ? fs.mkdtempSync(path.join(os.tmpdir(), 'inetd-scgi-fuzz-')) : '';

/** Runs one case through the CLI with fds 1 and 2 on one file; returns null if it passed, else what was wrong. */
function runProcess(seed) {
  const bytes = mutate(prng(seed));
  const file = path.join(scratch, 'out');
  const fd = fs.openSync(file, 'w');
  const result = spawnSync(process.execPath, [cli, contract, '--max-header-bytes', '4096'], { input: bytes, stdio: ['pipe', fd, fd], timeout: 15_000 });
  fs.closeSync(fd);
  if (result.status === null) return { bytes, why: `the process did not end by itself (${result.signal ?? result.error})` };
  return check(bytes, fs.readFileSync(file, 'latin1'));
}

// The only header names a response may have: the fuzz app's, the contract app's /info, and those of
// inetd-scgi's own error responses. Any other is a header smuggled in from the request (a split).
const NAMES = new Set(['content-type', 'x-host', 'content-length']);

/** Returns null if out is nothing or one well-formed response without internal error text. */
function check(bytes, out) {
  if (out !== '' && !RESPONSE.test(out)) return { bytes, why: `output is not one CGI response: ${JSON.stringify(out.slice(0, 120))}` };
  const head = out.slice(0, out.indexOf('\r\n\r\n')).split('\r\n').slice(1);
  const smuggled = head.find((line) => !NAMES.has(line.slice(0, line.indexOf(':')).toLowerCase()));
  if (smuggled) return { bytes, why: `output has a header the app did not set: ${JSON.stringify(smuggled)}` };
  if (INTERNAL.test(out)) return { bytes, why: `output shows internal error text: ${JSON.stringify(out.slice(0, 200))}` };
  if (out.indexOf('Status: ', 1) > 0) return { bytes, why: 'output has two responses' };
  return null;
}

let failed = 0;
let ran = 0;
const baseline = process.memoryUsage().rss;
// The saved regressions first (in pieces from seed 0): each must still pass.
const saved = processes || !fs.existsSync(regressions) ? [] : fs.readdirSync(regressions).filter((name) => name.endsWith('.scgi'));
for (const name of saved) {
  const problem = await runBytes(fs.readFileSync(path.join(regressions, name)), prng(0));
  ran++;
  if (problem) {
    failed++;
    console.log(`not ok test/fuzz-regressions/${name}: ${problem.why}`);
  }
}
for (let seed = firstSeed; forever || seed < firstSeed + cases; seed++) {
  const problem = processes ? runProcess(seed) : await runCase(seed);
  ran++;
  if (problem) {
    failed++;
    fs.mkdirSync(regressions, { recursive: true });
    fs.writeFileSync(path.join(regressions, `seed-${seed}.scgi`), problem.bytes);
    console.log(`not ok seed ${seed}: ${problem.why} (saved as test/fuzz-regressions/seed-${seed}.scgi: commit it to keep it as a case)`);
  }
  if (forever && ran % 10000 === 0) console.log(`${ran} cases, ${failed} failed, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
}
if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
const grown = (process.memoryUsage().rss - baseline) / 2 ** 20;
if (grown > 200) {
  failed++;
  console.log(`not ok memory: rss grew by ${grown.toFixed(0)} MB over ${ran} cases`);
}
console.log(`${ran} fuzz cases${processes ? ' through the CLI' : ` (${saved.length} saved)`} from seed ${firstSeed}: ${failed === 0 ? 'ok' : `${failed} failed`}`);
process.exitCode = failed === 0 ? 0 : 1;
