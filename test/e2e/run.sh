#!/usr/bin/env bash
# End-to-end: the deployment files in examples/deploy/, run with the real programs, checked with curl.
# Super-servers: openbsd-inetd (unix socket and TCP, "nowait"; and "wait", long-running), xinetd,
# socat, ucspi-unix, systemd's Accept=no (as test/listen-fds.pl does it: no systemd here), and two
# --listen instances behind one nginx upstream; fronts: nginx, lighttpd, Apache; and lighttpd as a
# CGI host. xinetd conflicts with openbsd-inetd as a package: .ci/run unpacks it into
# .cache/xinetd (apt-get download; dpkg -x), where it is found unless one is on the PATH. Every daemon gets its own config, pid and log paths in a temporary folder, listens on
# loopback or a private unix socket, starts with a clean environment (as init would) and is stopped
# by PID. The deployment files are used as they are, with only their paths and ports replaced.
# Prints "ok NAME", "not ok NAME: why" or "skip NAME: why" per check.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
deploy=$root/examples/deploy
NODE=$(command -v node)
XINETD=$(command -v xinetd || echo "$root/.cache/xinetd/usr/sbin/xinetd")
CLEAN_ENV=(env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin)

# ---- What is installed -----------------------------------------------------------------------------
declare -A package=([curl]=curl [/usr/sbin/inetd]=openbsd-inetd [socat]=socat [unixserver]=ucspi-unix [$XINETD]=xinetd
  [/usr/sbin/nginx]=nginx [/usr/sbin/lighttpd]=lighttpd [/usr/sbin/apache2]=apache2)
have() { command -v "$1" >/dev/null 2>&1; }
if ! have curl; then echo "skip end-to-end: curl is not installed (apt-get install -y curl)"; exit 0; fi
if [ "$(id -u)" != 0 ] || ! id www-data >/dev/null 2>&1; then
  echo "skip end-to-end: needs root and the www-data user (the daemons run their workers as www-data)"
  exit 0
fi

tmp=$(mktemp -d /tmp/inetd-scgi-e2e.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/srv" "$tmp/log" "$tmp/run" "$tmp/data"
cp "$root/dist/inetd-scgi.cjs" "$tmp/srv/"
cp "$root/test/apps/contract.js" "$tmp/srv/app.js"
chown www-data "$tmp/log"
pids=()

stop_all() {
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  [ ${#pids[@]} -gt 0 ] && kill -9 "${pids[@]}" 2>/dev/null
  pids=()
}
trap 'stop_all; rm -rf "$tmp"' EXIT

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  "$NODE" -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

# placed FILE PORT: prints a deployment file with its paths and port replaced by this run's, the app
# module by $app_module (with its options), and node's own options $node_args put before the script.
app_module=app.js
node_args=
placed() {
  sed -e "s#/srv/app/app.js#/srv/app/$app_module#g" -e "s#/usr/bin/node node #/usr/bin/node node $node_args#" \
    -e "s#/run/app#$tmp/run/app#g" -e "s#9000#$2#g" -e "s#/srv/app#$tmp/srv#g" \
    -e "s#/var/log/app#$tmp/log#g" -e "s#/usr/bin/node#$NODE#g" "$1"
}

# start NAME COMMAND...: starts a daemon in the background with a clean environment; records its PID.
start() {
  local name=$1
  shift
  "${CLEAN_ENV[@]}" "$@" >"$tmp/log/$name.out" 2>&1 &
  pids+=($!)
}

# wait_for TEST...: polls (at most 5 s) until the test command succeeds.
wait_for() {
  for _ in $(seq 50); do "$@" && return 0; sleep 0.1; done
  return 1
}

# ---- Super-servers: each serves the app on $upstream (a unix socket path or 127.0.0.1:PORT) ----------
start_backend() {
  upstream=$tmp/run/app.sock
  rm -f "$upstream"
  case $1 in
    inetd-unix)
      grep '^/run/app.sock ' "$deploy/inetd.conf" | placed /dev/stdin 0 >"$tmp/inetd.conf"
      # -d: in the foreground, and no /run/inetd.pid (a system file) is written.
      start inetd /usr/sbin/inetd -d "$tmp/inetd.conf" ;;
    inetd-tcp)
      backend_port=$(free_port)
      upstream=127.0.0.1:$backend_port
      grep '^127.0.0.1:9000 ' "$deploy/inetd.conf" | placed /dev/stdin "$backend_port" >"$tmp/inetd.conf"
      start inetd /usr/sbin/inetd -d "$tmp/inetd.conf" ;;
    xinetd)
      backend_port=$(free_port)
      upstream=127.0.0.1:$backend_port
      placed "$deploy/xinetd.conf" "$backend_port" >"$tmp/xinetd.conf"
      start xinetd "$XINETD" -dontfork -f "$tmp/xinetd.conf" -pidfile "$tmp/run/xinetd.pid" ;;
    socat | ucspi)
      placed "$deploy/$1.sh" 0 >"$tmp/$1.sh"
      start "$1" sh "$tmp/$1.sh" ;;
    inetd-wait)
      # A 1 s idle timeout, so that the idle exit and the restart can be seen.
      grep '^/run/app.sock ' "$deploy/inetd-wait.conf" | placed /dev/stdin 0 | sed 's/$/ --idle-timeout 1000/' >"$tmp/inetd.conf"
      start inetd /usr/sbin/inetd -d "$tmp/inetd.conf" ;;
    systemd)
      local command
      read -ra command < <(sed -n 's/^ExecStart=//p' "$deploy/app-wait.service" | placed /dev/stdin 0)
      start systemd perl "$root/test/listen-fds.pl" "$upstream" "${command[@]}" ;;
    listen)
      for i in 1 2; do
        local command
        mkdir -p "$tmp/run/app-$i"
        read -ra command < <(sed -n 's/^ExecStart=//p' "$deploy/app-listen@.service" | sed "s/%i/$i/g" | placed /dev/stdin 0)
        start "listen-$i" "${command[@]}"
      done
      upstream=$tmp/run/app-1/app.sock
      wait_for test -S "$tmp/run/app-2/app.sock" ;;
  esac
  if tcp_upstream; then
    wait_for "$NODE" -e "require('net').connect(${upstream#*:}, '127.0.0.1').on('connect', function () { this.destroy(); }).on('error', () => process.exit(1))"
  else
    wait_for test -S "$upstream"
  fi
}

tcp_upstream() { [ "${upstream#/}" = "$upstream" ]; }

# front_snippet FILE TCP_EDIT: a web server's deployment file with this run's paths and port; when the
# super-server listens on TCP, first switched to the TCP form its comment gives (the sed script TCP_EDIT).
front_snippet() {
  if tcp_upstream; then sed -e "$2" "$1"; else cat "$1"; fi | placed /dev/stdin "${upstream#*:}"
}

# ---- Fronts: each listens on 127.0.0.1:$front_port and passes every request to $upstream ------------
start_front() {
  front_port=$(free_port)
  local snippet=$tmp/$1-snippet.conf
  case $1 in
    nginx)
      front_snippet "$deploy/${nginx_file:-nginx.conf}" 's#scgi_pass unix:/run/app.sock;#scgi_pass 127.0.0.1:9000;#' >"$snippet"
      echo >"$tmp/upstream.conf"
      if [ "$backend" = listen ]; then # the upstream block goes in http { }, the location in server { }
        placed "$deploy/nginx-upstream.conf" 0 | sed -n '/^upstream/,/^}/p' >"$tmp/upstream.conf"
        placed "$deploy/nginx-upstream.conf" 0 | sed -n '/^location/,/^}/p' >"$snippet"
      fi
      cp /etc/nginx/scgi_params "$tmp/scgi_params" # relative includes resolve beside the -c file
      mkdir -p "$tmp/nginx"
      cat >"$tmp/nginx.conf" <<EOF
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/log/nginx-error.log;
user www-data;
events {}
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy; fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  include $tmp/upstream.conf;
  server {
    listen 127.0.0.1:$front_port;
    include $snippet;
  }
}
EOF
      start nginx /usr/sbin/nginx -c "$tmp/nginx.conf" ;;
    lighttpd)
      front_snippet "$deploy/lighttpd.conf" 's#"socket" => "/run/app.sock",#"host" => "127.0.0.1", "port" => 9000,#' >"$snippet"
      start_lighttpd lighttpd "$snippet" ;;
    apache)
      front_snippet "$deploy/apache.conf" '/^ProxyPass "\/" "unix:/d; s/^# or, for inetd on TCP: ProxyPass/ProxyPass/' >"$snippet"
      cat >"$tmp/apache.conf" <<EOF
ServerRoot /etc/apache2
ServerName localhost
DefaultRuntimeDir $tmp/run
PidFile $tmp/run/apache.pid
Listen 127.0.0.1:$front_port
User www-data
Group www-data
ErrorLog $tmp/log/apache-error.log
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_scgi_module /usr/lib/apache2/modules/mod_proxy_scgi.so
Include $snippet
EOF
      start apache /usr/sbin/apache2 -f "$tmp/apache.conf" -DFOREGROUND ;;
  esac
  wait_for curl -s -o /dev/null "http://127.0.0.1:$front_port/"
}

# start_lighttpd NAME SNIPPET: starts lighttpd on 127.0.0.1:$front_port with the SNIPPET file included,
# its config in $tmp/NAME.conf and its error log in $tmp/log/NAME-error.log.
start_lighttpd() {
  cat >"$tmp/$1.conf" <<EOF
server.document-root = "$tmp/srv"
server.bind = "127.0.0.1"
server.port = $front_port
server.pid-file = "$tmp/$1.pid"
server.errorlog = "$tmp/log/$1-error.log"
server.username = "www-data"
server.groupname = "www-data"
include "$2"
EOF
  start "$1" /usr/sbin/lighttpd -D -f "$tmp/$1.conf"
}

# ---- Checks ----------------------------------------------------------------------------------------
# check NAME WHY-IF-NOT COMMAND...: prints ok/not ok for the command's success.
check() {
  local name=$1 why=$2
  shift 2
  if "$@"; then echo "ok $label $name"; else echo "not ok $label $name: $why"; fi
}
is() { [ "$1" = "$2" ]; }

head -c 10000000 /dev/urandom >"$tmp/data/10mb"
head -c 1000 /dev/urandom >"$tmp/data/1kb"
head -c 3000000 /dev/zero >"$tmp/data/3mb"
sha() { sha256sum "$1" | cut -d' ' -f1; }
big_sha=$(head -c 5242880 /dev/zero | tr '\0' x | sha256sum | cut -d' ' -f1) # /big: 80 x 64 KiB of "x"

run_checks() {
  local base=http://127.0.0.1:$front_port out code
  out=$(curl -sS -H 'X-Custom: v' "$base/info/a%20b/%2525?q=a%20b%26c")
  check get-path-query-header "got: $out" is "$out" $'REQUEST_METHOD=GET\nSCRIPT_NAME=\nPATH_INFO=/info/a b/%25\nQUERY_STRING=q=a%20b%26c\nCONTENT_LENGTH=0\nHTTP_X_CUSTOM=v\nwsgi.url_scheme=http'
  code=$(curl -sS -I -o "$tmp/head.out" -w '%{http_code}' "$base/info/x")
  check head "status $code" is "$code" 200
  out=$(curl -sS --data-binary 'small body' "$base/echo")
  check post-small "got: $out" is "$out" 'small body'
  curl -sS --data-binary @"$tmp/data/1kb" "$base/echo" -o "$tmp/echo.out"
  check post-binary "echo differs" cmp -s "$tmp/data/1kb" "$tmp/echo.out"
  out=$(curl -sS -X POST --data-binary '' -w '%{http_code}:%{size_download}' -o /dev/null "$base/echo")
  check post-empty "got: $out" is "$out" 200:0
  curl -sS --data-binary @"$tmp/data/10mb" "$base/echo" -o "$tmp/echo.out"
  check upload-10mb-sha256 "echo differs" is "$(sha "$tmp/echo.out")" "$(sha "$tmp/data/10mb")"
  code=$(curl -sS -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/data/1kb" -w '%{http_code}' -o "$tmp/echo.out" "$base/echo")
  if [ "$front" = apache ]; then
    check chunked-upload-refused-411 "status $code" is "$code" 411
  else
    check chunked-upload "status $code" eval '[ "$code" = 200 ] && cmp -s "$tmp/data/1kb" "$tmp/echo.out"'
  fi
  curl -sS "$base/big" -o "$tmp/big.out"
  check download-5mb "sha256 differs" is "$(sha "$tmp/big.out")" "$big_sha"
  out=$(curl -sS -o /dev/null -w '%{time_starttransfer} %{time_total}' "$base/stream")
  check "streamed-first-chunk-early (first byte at ${out% *} s, end at ${out#* } s)" "too late" \
    "$NODE" -e "const [first, total] = '$out'.split(' ').map(Number); process.exit(first < 0.8 && total >= 1 ? 0 : 1)"
  out=$(curl -sS -o /dev/null -w '%{http_code}' "$base/nowhere")
  check status-404 "status $out" is "$out" 404
  out=$(curl -sS -o /dev/null -w '%{http_code}' "$base/headers")
  check status-418 "status $out" is "$out" 418
  out=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "$base/redirect")
  check status-302-location "got: $out" is "$out" "302 http://127.0.0.1:$front_port/elsewhere"
  out=$(curl -sS -D - -o /dev/null "$base/headers" | tr -d '\r' | grep -i '^set-cookie:' | tr '\n' ' ')
  check two-set-cookies "got: $out" is "$out" 'Set-Cookie: a=1 Set-Cookie: b=2 '
  out=$(curl -sS --data-binary @"$tmp/data/3mb" -w ' %{http_code}' "$base/unread")
  check unread-body-whole-response "got: $out" is "$out" $'body left unread\n 200'
  local curls=()
  for i in $(seq 20); do
    curl -sS "$base/info/p$i" -o "$tmp/parallel.$i" &
    curls+=($!)
  done
  wait "${curls[@]}" # not a bare wait: the daemons are this shell's background jobs too
  local bad=0
  for i in $(seq 20); do grep -qx "PATH_INFO=/info/p$i" "$tmp/parallel.$i" || { bad=$((bad + 1)); head -c 80 "$tmp/parallel.$i" >"$tmp/parallel.bad"; }; done
  check parallel-20 "$bad of 20 wrong, like: $(cat "$tmp/parallel.bad" 2>/dev/null | tr '\n' ' ')" is "$bad" 0
  out=$(curl -sS -o /dev/null -w '%{http_code}' "$base/throw")
  check app-throws-500 "status $out" is "$out" 500
  out=$(curl -sS "$base/noisy")
  check noisy-app-response-intact "got: $out" is "$out" quiet
  curl -sS --limit-rate 50k --max-time 0.5 -o /dev/null "$base/big" 2>/dev/null
  case $backend in
    inetd-wait | systemd | listen) long_running_checks "$base" ;;
    *) check client-gone-no-process-left "a process is still running" wait_for no_app_process ;;
  esac
}
no_app_process() { ! pgrep -f "^(node|$NODE) (--[^ ]+ )*$tmp/srv/inetd-scgi.cjs" >/dev/null; }

# app_pids: prints the PIDs of the app's processes, one line.
app_pids() { pgrep -f "^(node|$NODE) (--[^ ]+ )*$tmp/srv/inetd-scgi.cjs" | sort | tr '\n' ' '; }

# The checks of the long-running modes (wait, LISTEN_FDS, --listen).
long_running_checks() {
  local base=$1 out
  out=$(curl -sS "$base/process")
  check still-serving-after-client-gone "got: $out" eval '[[ "$out" == pid=* ]]'
  # 200 at once through the front; one process (or the two --listen instances) serves them all.
  local pids_before=$(app_pids)
  curl -sS --no-progress-meter --parallel --parallel-max 200 "$base/info/p[1-200]" -o "$tmp/par.#1"
  local bad=0
  for i in $(seq 200); do grep -qx "PATH_INFO=/info/p$i" "$tmp/par.$i" 2>/dev/null || bad=$((bad + 1)); done
  check parallel-200 "$bad of 200 wrong" is "$bad" 0
  check parallel-200-same-processes "before: $pids_before, after: $(app_pids)" is "$(app_pids)" "$pids_before"
  case $backend in
    inetd-wait)
      # inetd puts its listening socket on fds 0-2 too: fds 1 and 2 are re-pointed at the error log.
      local first=${pids_before%% *}
      check fds-1-and-2-are-the-error-log "fd 1: $(readlink /proc/$first/fd/1), fd 2: $(readlink /proc/$first/fd/2)" \
        eval '[ "$(readlink /proc/$first/fd/1)" = "$tmp/log/error.log" ] && [ "$(readlink /proc/$first/fd/2)" = "$tmp/log/error.log" ]'
      # Idle for 1 s (--idle-timeout 1000): the process exits; inetd starts a new one on the next request.
      check idle-exit "process $first still running after 5 s" wait_for eval "! kill -0 $first 2>/dev/null"
      out=$(curl -sS "$base/process")
      check restart-on-next-request "got: $out, old pid $first" eval '[[ "$out" == pid=* && "$out" != "pid=$first "* ]]' ;;
    listen)
      out=$(for _ in $(seq 20); do curl -sS "$base/process" | cut -d' ' -f1; done | sort -u | wc -l)
      check two-instances-both-serve "$out distinct pids in 20 requests" is "$out" 2
      # SIGTERM to both with a request in flight: the response arrives whole, then both exit 0.
      curl -sS "$base/stream" -o "$tmp/stream.out" &
      local streaming=$!
      sleep 0.3
      local instances=($(app_pids))
      kill -TERM "${instances[@]}"
      wait "$streaming"
      check sigterm-finishes-request-in-flight "got: $(cat "$tmp/stream.out")" is "$(cat "$tmp/stream.out")" $'first\nsecond'
      local statuses=""
      for pid in "${instances[@]}"; do
        wait "$pid" # they are this shell's background jobs (env execs node); each exits within --shutdown-timeout
        statuses+="$? "
      done
      check sigterm-exit-0 "exit statuses: $statuses" is "$statuses" "0 0 " ;;
  esac
}

# ---- Every front with every super-server -------------------------------------------------------------
declare -A backend_needs=([inetd-unix]=/usr/sbin/inetd [inetd-tcp]=/usr/sbin/inetd [xinetd]=$XINETD [socat]=socat [ucspi]=unixserver
  [inetd-wait]=/usr/sbin/inetd [systemd]=perl [listen]=$NODE)
declare -A front_needs=([nginx]=/usr/sbin/nginx [lighttpd]=/usr/sbin/lighttpd [apache]=/usr/sbin/apache2)
for backend in inetd-unix inetd-tcp xinetd socat ucspi inetd-wait systemd listen; do
  program=${backend_needs[$backend]}
  if ! have "$program"; then
    if [ "$backend" = xinetd ]; then echo "skip xinetd: not found on the PATH nor in .cache/xinetd (.ci/run unpacks it there: apt-get download xinetd; dpkg -x)"
    else echo "skip $backend: $program is not installed (apt-get install -y ${package[$program]})"; fi
    continue
  fi
  fronts=(nginx lighttpd apache)
  [ "$backend" = listen ] && fronts=(nginx) # the two instances behind nginx's upstream block
  for front in "${fronts[@]}"; do
    program=${front_needs[$front]}
    if ! have "$program"; then echo "skip $front+$backend: $program is not installed (apt-get install -y ${package[$program]})"; continue; fi
    label=$front+$backend
    if ! start_backend "$backend"; then echo "not ok $label start: $backend did not listen: $(cat "$tmp/log/"*.out 2>/dev/null | head -c 300)"; stop_all; continue; fi
    if ! start_front "$front"; then echo "not ok $label start: $front did not answer: $(cat "$tmp/log/$front.out" "$tmp/log/$front-error.log" 2>/dev/null | tail -c 300)"; stop_all; continue; fi
    run_checks
    stop_all
  done
done

# ---- The adapters: a fetch handler and a (req, res) listener, per connection and long-running ---------
cp "$root/test/apps/fetch-app.mjs" "$root/test/apps/node-app.cjs" "$tmp/srv/"
tenmib_sha=$(head -c 10485760 /dev/zero | tr '\0' a | sha256sum | cut -d' ' -f1) # /download?mib=10: "aaa..."

adapter_checks() {
  local base=http://127.0.0.1:$front_port out code
  out=$(curl -sS "$base/hello?x=1")
  check hello "got: $out" is "$out" 'hello from /hello?x=1'
  out=$(curl -sS -H 'Content-Type: application/json' --data-binary '{"numbers":[1,2,3]}' -w ' %{http_code}' "$base/json")
  check json-in-out "got: $out" is "$out" '{"sum":6} 201'
  out=$(curl -sS -D - -o /dev/null "$base/cookies" | tr -d '\r' | grep -i '^set-cookie:' | cut -d' ' -f2- | tr '\n' '|')
  check two-set-cookies "got: $out" is "$out" 'a=1; Path=/|b=2; Path=/; HttpOnly|'
  out=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "$base/redirect")
  check redirect "got: $out" is "$out" "302 http://127.0.0.1:$front_port/hello"
  out=$(curl -sS --data-binary @"$tmp/data/10mb" "$base/upload")
  check upload-10mb "got: $out" is "$out" "{\"length\":10000000,\"sha256\":\"$(sha "$tmp/data/10mb")\"}"
  curl -sS "$base/download?mib=10" -o "$tmp/download.out"
  check download-10mib "sha256 differs" is "$(sha "$tmp/download.out")" "$tenmib_sha"
  out=$(curl -sS -N -o "$tmp/events.out" -w '%{time_starttransfer} %{time_total}' "$base/events?gap=500")
  check "events-as-produced (first byte at ${out% *} s, end at ${out#* } s)" "too late: $(tr '\n' ' ' <"$tmp/events.out")" \
    eval "[ \"\$(cat \"$tmp/events.out\")\" = \"$(printf 'data: event 1\n\ndata: event 2\n\ndata: event 3')\" ] && \"$NODE\" -e \"const [first, total] = '$out'.split(' ').map(Number); process.exit(first < 0.4 && total >= 0.9 ? 0 : 1)\""
  for route in throw reject; do
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$base/$route")
    check "$route-500" "status $code" is "$code" 500
  done
  : >"$tmp/log/error.log"
  curl -sS -N --max-time 0.5 -o /dev/null "$base/abort" 2>/dev/null
  check client-gone-seen-by-app "log: $(tail -c 300 "$tmp/log/error.log")" \
    wait_for grep -qE "request.signal aborted|req 'close', res 'close' too" "$tmp/log/error.log"
}

if have /usr/sbin/inetd; then
  for app_module in fetch-app.mjs 'node-app.cjs --app-type node'; do
    for backend in inetd-unix inetd-tcp inetd-wait; do
      for front in nginx lighttpd apache; do
        have "${front_needs[$front]}" || continue
        label="$front+$backend ${app_module%% *}"
        if ! start_backend "$backend" || ! start_front "$front"; then echo "not ok $label start: $(tail -c 300 "$tmp/log/"*.out)"; stop_all; continue; fi
        adapter_checks
        stop_all
      done
    done
  done
  app_module=app.js
fi

# ---- openbsd-inetd + nginx: a peer that stays silent, and an app that writes below JavaScript ---------
# The process must end within a second of --header-timeout, whatever read is left blocked; fds 1 and
# 2 (the connection, under inetd) must carry nothing but the response: the client gets it, or nginx's
# 502, never the raw bytes, which land in the error log.
if have /usr/sbin/inetd && have /usr/sbin/nginx; then
  cp "$root/test/apps/raw-output.cjs" "$tmp/srv/"
  app_module='raw-output.cjs --header-timeout 500' node_args='--max-old-space-size=16 ' backend=inetd-unix front=nginx
  label='nginx+inetd-unix raw-output'
  if ! start_backend inetd-unix || ! start_front nginx; then
    echo "not ok $label start: $(tail -c 300 "$tmp/log/"*.out)"
  else
    base=http://127.0.0.1:$front_port
    : >"$tmp/log/error.log"
    for why in nothing half-header; do
      "$NODE" -e "const c = require('net').connect(process.argv[1], () => process.argv[2] === 'nothing' || c.write('70:CONTENT_LENGTH\0')); setTimeout(() => process.exit(0), 4000)" "$upstream" "$why" &
      silent=$!
      wait_for eval '! no_app_process'
      t0=$(date +%s%N)
      wait_for no_app_process
      ms=$((($(date +%s%N) - t0) / 1000000))
      kill "$silent" 2>/dev/null
      wait "$silent" 2>/dev/null
      check "silent-peer-$why-process-gone (after ${ms} ms)" "still running after ${ms} ms" eval '[ "$ms" -lt 1500 ] && no_app_process'
    done
    check silent-peer-logged "log: $(tail -c 300 "$tmp/log/error.log")" \
      eval '[ "$(grep -c "dropping the connection: no complete header block within 500 ms" "$tmp/log/error.log")" = 2 ]'
    for route in fd1 fd2 raw-debug spawn; do
      out=$(curl -sS "$base/$route")
      check "raw-$route-response-alone" "got: $out" is "$out" "ok /$route"
    done
    check raw-bytes-in-error-log "log: $(tail -c 300 "$tmp/log/error.log")" \
      eval 'grep -q "RAW fs.writeSync(1)" "$tmp/log/error.log" && grep -q "RAW process._rawDebug" "$tmp/log/error.log" && grep -q "RAW child stderr" "$tmp/log/error.log"'
    for route in abort oom; do
      code=$(curl -sS -o "$tmp/raw.out" -w '%{http_code}' "$base/$route")
      check "raw-$route-is-502" "status $code, body: $(head -c 200 "$tmp/raw.out")" eval '[ "$code" = 502 ] && ! grep -qiE "native|heap|RAW" "$tmp/raw.out"'
    done
    check oom-report-in-error-log "no report in the log" grep -q 'heap out of memory' "$tmp/log/error.log"
    # The limit: a child that inherits fd 0 holds the connection until it exits, so nginx ends a
    # response without a Content-Length (this one) only then.
    out=$(curl -sS -o "$tmp/fork.out" -w '%{time_total}' "$base/fork?1500")
    check "fork-holds-connection-until-child-exits (${out} s)" "got: $(cat "$tmp/fork.out") after ${out} s" \
      eval '[ "$(cat "$tmp/fork.out")" = "ok /fork" ] && "$NODE" -e "process.exit(Number(process.argv[1]) >= 1.4 ? 0 : 1)" "$out"'
  fi
  stop_all
  app_module=app.js node_args=
fi

# ---- Real framework apps behind one nginx: natively (proxy_pass to the framework's own server) and
# through inetd-scgi per connection (the deployment's scgi_pass); the same requests, the answers
# compared: status, body, and the headers an app sets (test/frameworks.test.mjs compares all of them,
# without nginx). The frameworks are in .cache/frameworks (test.sh installs them).
if have /usr/sbin/inetd && have /usr/sbin/nginx && [ -d "$root/.cache/frameworks/node_modules" ]; then
  mkdir -p "$tmp/.cache"
  cp -r "$root/test/frameworks" "$tmp/srv/"
  # need.cjs looks two folders up; a copy, as for the app: www-data may not reach the checkout.
  cp -r "$root/.cache/frameworks" "$tmp/.cache/frameworks"
  declare -A fw_module=([express]='frameworks/express-app.cjs --app-type node' [koa]='frameworks/koa-app.cjs --app-type node'
    [fastify]='frameworks/fastify-app.cjs --app-type node' [hono]='frameworks/hono-app.mjs')
  for framework in express koa fastify hono; do
    label="nginx+inetd-unix $framework"
    app_module=${fw_module[$framework]} backend=inetd-unix front=nginx
    native_port=$(free_port)
    start "native-$framework" env NODE_ENV=production "$NODE" "$tmp/srv/frameworks/native.cjs" "$framework" "$native_port"
    if ! start_backend inetd-unix || ! start_front nginx; then echo "not ok $label start: $(tail -c 300 "$tmp/log/"*.out)"; stop_all; continue; fi
    # A second server in the same nginx, in front of the framework's own server.
    proxy_port=$(free_port)
    cat >"$tmp/proxy.conf" <<CONF
server {
  listen 127.0.0.1:$proxy_port;
  location / {
    proxy_pass http://127.0.0.1:$native_port; proxy_http_version 1.1; client_max_body_size 20m;
    proxy_set_header Connection ""; proxy_set_header Host \$http_host;
  }
}
CONF
    sed -i "s#^http {#http {\n  include $tmp/proxy.conf;#" "$tmp/nginx.conf"
    kill -HUP "$(cat "$tmp/nginx/nginx.pid")"
    if ! wait_for curl -s -o /dev/null "http://127.0.0.1:$proxy_port/" || ! wait_for curl -s -o /dev/null "http://127.0.0.1:$native_port/"; then
      echo "not ok $label start: the native server behind nginx did not answer: $(tail -c 300 "$tmp/log/native-$framework.out")"
      stop_all
      continue
    fi
    for request in "GET /" "HEAD /" "GET /users/42?x=1" "POST /json {\"numbers\":[1,2,3]}" "POST /json " "POST /form a=1&b=two+words" \
      "GET /download?kib=300" "GET /cookies" "GET /redirect" "GET /nowhere" "GET /throw" "GET /api/v1/items/7" "GET /events"; do
      read -r method target body <<<"$request"
      args=(-sS -X "$method" -D "$tmp/fw.head" -o "$tmp/fw.body")
      [ "$method" = HEAD ] && args=(-sS -I -D "$tmp/fw.head" -o /dev/null)
      case $target in /json) args+=(-H 'Content-Type: application/json' --data-binary "$body") ;; /form) args+=(--data-binary "$body") ;; esac
      for side in ours native; do
        port=$front_port
        [ $side = native ] && port=$proxy_port
        : >"$tmp/fw.body"
        curl "${args[@]}" "http://127.0.0.1:$port$target" 2>/dev/null
        # The status, the headers an app sets (sorted; cookies one per line; no white space around a
        # media type's ";", which RFC 9110 leaves optional), then the body; the front's port as PORT.
        { head -n 1 "$tmp/fw.head" | cut -d' ' -f2; tr -d '\r' <"$tmp/fw.head" | grep -iE '^(content-type|location|set-cookie|cache-control|x-powered-by|etag):' | sed 's/; */;/g' | sort; cat "$tmp/fw.body"; } | sed "s/:$port\b/:PORT/g" >"$tmp/fw.$side"
      done
      check "same-as-native: $method $target" "$(diff "$tmp/fw.native" "$tmp/fw.ours" | head -n 6 | tr '\n' ' ')" cmp -s "$tmp/fw.native" "$tmp/fw.ours"
    done
    stop_all
  done
  app_module=app.js
fi

# ---- nginx with the app under a prefix (nginx-prefix.conf, the original post's form) ----------------
if have /usr/sbin/inetd && have /usr/sbin/nginx; then
  for app_module in app.js 'frameworks/express-app.cjs --app-type node'; do
    [ -f "$tmp/srv/${app_module%% *}" ] || continue # the frameworks, when installed (above)
    label="nginx-prefix+inetd-unix ${app_module%% *}"
    nginx_file=nginx-prefix.conf backend=inetd-unix front=nginx
    if ! start_backend inetd-unix || ! start_front nginx; then echo "not ok $label start: $(tail -c 300 "$tmp/log/"*.out)"; stop_all; continue; fi
    base=http://127.0.0.1:$front_port/app
    if [ "$app_module" = app.js ]; then
      out=$(curl -sS "$base/info/a%20b?q=1")
      check script-name-path-info "got: $out" is "$(head -n 3 <<<"$out" | tail -n 2)" $'SCRIPT_NAME=/app\nPATH_INFO=/info/a b'
    else
      out=$(curl -sS "$base/users/42?x=1")
      check routes-below-the-prefix "got: $out" is "$out" '{"id":"42","query":{"x":"1"},"url":"/users/42?x=1","originalUrl":"/app/users/42?x=1"}'
    fi
    stop_all
  done
  app_module=app.js nginx_file=
fi

# ---- Troubleshooting: each mistake made on purpose, and the message the README names checked ---------
# provoked NAME LOG PATTERN: with the mistake set up and nginx started, a request gets 502 and LOG
# (nginx's error log, or inetd's output) comes to match PATTERN. Two requests: nginx marks an
# upstream down only once one has failed.
provoked() {
  local name=$1 log=$2 pattern=$3 code
  curl -sS -o /dev/null "http://127.0.0.1:$front_port/info/x"
  code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$front_port/info/x")
  check "$name ($code)" "log: $(tail -c 300 "$log")" eval '[ "$code" = 502 ] && wait_for grep -qF -- "$pattern" "$log"'
}
if have /usr/sbin/nginx; then
  label=troubleshooting backend=inetd-unix front=nginx
  # A --listen socket made by root without --socket-mode: nginx's workers (www-data) cannot connect.
  upstream=$tmp/run/app.sock
  rm -f "$upstream"
  start listen-root "$NODE" "$tmp/srv/inetd-scgi.cjs" "$tmp/srv/app.js" --listen "$upstream"
  if wait_for test -S "$upstream" && start_front nginx; then
    provoked listen-socket-without-socket-mode "$tmp/log/nginx-error.log" '(13: Permission denied)'
  else
    echo "not ok $label start: $(tail -c 300 "$tmp/log/"*.out)"
  fi
  stop_all
  # Two --listen instances, both gone: nginx marks them down for fail_timeout, "no live upstreams".
  if start_backend listen && backend=listen start_front nginx; then
    kill -TERM $(app_pids) # (SIGKILL would make bash print a notice for each of its jobs)
    wait_for no_app_process
    provoked no-live-upstreams-after-instances-failed "$tmp/log/nginx-error.log" 'no live upstreams'
  else
    echo "not ok $label start: $(tail -c 300 "$tmp/log/"*.out)"
  fi
  stop_all
  # An inetd.conf line naming "node" without its path: openbsd-inetd clears PATH, so exec fails, and
  # nginx sees the connection reset.
  if have /usr/sbin/inetd; then
    backend=inetd-unix
    start_backend inetd-unix
    stop_all
    sed -i 's#^\(\S* stream unix nowait.600 www-data\) \S*node node #\1 node node #' "$tmp/inetd.conf"
    start inetd /usr/sbin/inetd -d "$tmp/inetd.conf"
    if wait_for test -S "$upstream" && start_front nginx; then
      provoked node-not-on-inetds-path-104 "$tmp/log/nginx-error.log" '(104: Connection reset by peer) while reading response header'
      check node-not-on-inetds-path-execv "inetd said: $(tail -c 300 "$tmp/log/inetd.out")" wait_for grep -q 'execv node' "$tmp/log/inetd.out"
    else
      echo "not ok $label start: $(tail -c 300 "$tmp/log/"*.out)"
    fi
    stop_all
  fi
fi

# ---- lighttpd as a CGI host: app.cgi runs once per request, under /app ------------------------------
if have /usr/sbin/lighttpd; then
  label=lighttpd+cgi
  placed "$deploy/app.cgi" 0 >"$tmp/srv/app.cgi"
  chmod 755 "$tmp/srv/app.cgi"
  placed "$deploy/lighttpd-cgi.conf" 0 >"$tmp/cgi-snippet.conf"
  front_port=$(free_port)
  start_lighttpd lighttpd-cgi "$tmp/cgi-snippet.conf"
  base=http://127.0.0.1:$front_port/app
  if ! wait_for curl -s -o /dev/null "$base/"; then
    echo "not ok $label start: lighttpd did not answer: $(tail -c 300 "$tmp/log/lighttpd-cgi-error.log" 2>/dev/null)"
  else
    out=$(curl -sS -H 'X-Custom: v' "$base/info/a%20b?q=1")
    check get-script-name-path-info "got: $out" is "$out" $'REQUEST_METHOD=GET\nSCRIPT_NAME=/app\nPATH_INFO=/info/a b\nQUERY_STRING=q=1\nCONTENT_LENGTH=0\nHTTP_X_CUSTOM=v\nwsgi.url_scheme=http'
    curl -sS --data-binary @"$tmp/data/1kb" "$base/echo" -o "$tmp/echo.out"
    check post-binary "echo differs" cmp -s "$tmp/data/1kb" "$tmp/echo.out"
    curl -sS --data-binary @"$tmp/data/10mb" "$base/echo" -o "$tmp/echo.out"
    check upload-10mb-sha256 "echo differs" is "$(sha "$tmp/echo.out")" "$(sha "$tmp/data/10mb")"
    curl -sS "$base/big" -o "$tmp/big.out"
    check download-5mb "sha256 differs" is "$(sha "$tmp/big.out")" "$big_sha"
    out=$(curl -sS -o /dev/null -w '%{http_code}' "$base/headers")
    check status-418 "status $out" is "$out" 418
    out=$(curl -sS -o /dev/null -w '%{http_code}' "$base/throw")
    check app-throws-500 "status $out" is "$out" 500
    out=$(curl -sS "$base/process")
    check run-once "got: $out" eval '[[ "$out" == *"run_once=true multithread=false multiprocess=true" ]]'
    # lighttpd passes its own stderr to CGI scripts (or its error log, configured so).
    check error-log-is-the-hosts "no trace in lighttpd's stderr" wait_for grep -q 'the app failed: Error: the app broke' "$tmp/log/lighttpd-cgi.out" "$tmp/log/lighttpd-cgi-error.log"
  fi
  stop_all
fi
