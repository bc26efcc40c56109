// What test/bench.js and test/bench-requests.js share: medians, a process's CPU time, and the
// targets, each printed with the value measured and whether it holds.
const fs = require('node:fs');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Returns a process's CPU time so far (user + system) in microseconds, from /proc (USER_HZ 100). */
function cpuMicros(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime, stime in clock ticks
}

/** Returns target(what, text, holds), which prints a target with its measured value and verdict,
 *  and summary(part), which prints how many were missed. */
function targets() {
  let missed = 0;
  return {
    target(what, text, holds) {
      missed += holds ? 0 : 1;
      console.log(`  target: ${what}: ${text}, ${holds ? 'holds' : 'MISSED'}`);
    },
    summary(part) {
      console.log(`${part}: ${missed === 0 ? 'every target holds' : `${missed} target(s) missed`}`);
    },
  };
}

module.exports = { median, cpuMicros, targets };
