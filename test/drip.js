// Writes a file to stdout in timed pieces, for the timeout tests:
//   node test/drip.js FILE FIRST STEP DELAY_MS HOLD_MS
// writes the first FIRST bytes (a negative FIRST: all but the last -FIRST), then STEP bytes every
// DELAY_MS (STEP 0: no more), then keeps stdout open HOLD_MS before ending.
const fs = require('node:fs');

const [file, first, step, delay, hold] = process.argv.slice(2);
process.on('uncaughtException', (err) => process.exit(err.code === 'EPIPE' ? 0 : 1)); // the reader may end first
const data = fs.readFileSync(file);
let at = Number(first) < 0 ? data.length + Number(first) : Number(first);
fs.writeSync(1, data.subarray(0, at));
const timer = setInterval(() => {
  if (Number(step) > 0 && at < data.length) {
    fs.writeSync(1, data.subarray(at, at + Number(step)));
    at += Number(step);
  } else {
    clearInterval(timer);
    setTimeout(() => {}, Number(hold));
  }
}, Number(delay));
