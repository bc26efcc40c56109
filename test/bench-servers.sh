#!/usr/bin/env bash
# `make bench`, part 2: requests/s and latency through one nginx, measured with wrk side by side in
# one run, at 1, 4 and 16 connections (RUNS runs of SECONDS each, interleaved; medians):
#   per-connection  openbsd-inetd "nowait": one node process per request
#   wait            openbsd-inetd "wait": one long-running process (--wait)
#   node:http       the same app in a plain node:http server, nginx proxy_pass with keepalive
#   uWSGI           the same app in Python under uWSGI, one process, --scgi-socket (when installed)
# and the cold start of wait mode: the first request after the process has exited (median of 5).
# Needs root (inetd, nginx as www-data) and: apt-get install -y nginx openbsd-inetd wrk curl
# (uWSGI: uwsgi-core uwsgi-plugin-python3). Daemons run with a clean environment, on loopback and
# private unix sockets, and are stopped by PID.
set -u
cd "$(dirname "$0")/.."
root=$PWD
NODE=${NODE:-$(command -v node)}
RUNS=${RUNS:-3}
SECONDS_EACH=${SECONDS_EACH:-3}
CLEAN_ENV=(env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin)

missing=()
for program in /usr/sbin/nginx /usr/sbin/inetd wrk curl; do command -v "$program" >/dev/null || missing+=("$program"); done
if [ ${#missing[@]} -gt 0 ] || [ "$(id -u)" != 0 ]; then
  echo "servers: skipped (needs root and ${missing[*]:-nothing more}: apt-get install -y nginx openbsd-inetd wrk curl uwsgi-core uwsgi-plugin-python3)"
  exit 0
fi
have_uwsgi=0
command -v uwsgi >/dev/null && [ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] && have_uwsgi=1

tmp=$(mktemp -d /tmp/inetd-scgi-bench.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/nginx" "$tmp/log" "$tmp/uwsgi"
chown www-data "$tmp/log" "$tmp/uwsgi" # uWSGI binds after dropping to www-data
cp dist/inetd-scgi.cjs examples/hello.js "$tmp/"
pids=()
stop_all() {
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  sleep 0.5
  [ ${#pids[@]} -gt 0 ] && kill -9 "${pids[@]}" 2>/dev/null
  pids=()
}
trap 'stop_all; rm -rf "$tmp"' EXIT
start() { "${CLEAN_ENV[@]}" "$@" >>"$tmp/log/daemons.out" 2>&1 & pids+=($!); }
free_port() { "$NODE" -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"; }

front=$(free_port)
http_port=$(free_port)
# The deployment lines of examples/deploy, with a start rate high enough for a benchmark.
cat >"$tmp/inetd.conf" <<CONF
$tmp/nowait.sock stream unix nowait.100000 www-data $NODE node $tmp/inetd-scgi.cjs $tmp/hello.js --errors $tmp/log/error.log
$tmp/wait.sock stream unix wait.100000 www-data $NODE node $tmp/inetd-scgi.cjs $tmp/hello.js --wait --errors $tmp/log/error.log
CONF
cat >"$tmp/nginx.conf" <<CONF
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/log/nginx-error.log;
user www-data;
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy; fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  upstream node_http { server 127.0.0.1:$http_port; keepalive 64; }
  server {
    listen 127.0.0.1:$front;
    location /per-connection { include /etc/nginx/scgi_params; scgi_pass unix:$tmp/nowait.sock; }
    location /wait { include /etc/nginx/scgi_params; scgi_pass unix:$tmp/wait.sock; }
    location /uwsgi { include /etc/nginx/scgi_params; scgi_pass unix:$tmp/uwsgi/uwsgi.sock; }
    location /node-http { proxy_pass http://node_http; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
start /usr/sbin/inetd -d "$tmp/inetd.conf"
start /usr/sbin/nginx -c "$tmp/nginx.conf"
start "$NODE" "$root/test/apps/http-server.js" "$http_port"
modes=(wait node-http)
if [ "$have_uwsgi" = 1 ]; then
  start uwsgi --plugin python3 --scgi-socket "$tmp/uwsgi/uwsgi.sock" --chmod-socket=666 --wsgi-file "$root/test/apps/hello.py" \
    --processes 1 --disable-logging --uid www-data --gid www-data
  modes+=(uwsgi)
fi
modes+=(per-connection) # last, and followed by a pause: its processes end after wrk has stopped
base=http://127.0.0.1:$front
for mode in "${modes[@]}"; do
  for _ in $(seq 50); do [ "$(curl -s "$base/$mode")" = 'Hello world!' ] && break; sleep 0.1; done
  [ "$(curl -s "$base/$mode")" = 'Hello world!' ] || { echo "servers: $mode does not answer: $(grep -v inetd "$tmp/log/daemons.out" | tail -c 600)"; exit 1; }
done

# ms VALUE UNIT: prints a wrk latency (like 512.00us, 1.20ms, 1.01s) in ms.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; printf "%.2f", n }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "servers: hello world through one nginx, wrk -t1, $RUNS runs of ${SECONDS_EACH} s interleaved (medians); $(nproc) cores"
printf '  %-5s %-15s %9s %9s %9s %9s\n' conns mode req/s p50-ms p99-ms vs-uWSGI
declare -A rps p50 p99
for conns in 1 4 16; do
  for run in $(seq "$RUNS"); do
    for mode in "${modes[@]}"; do
      out=$(wrk -t1 -c"$conns" -d"${SECONDS_EACH}s" --latency "$base/$mode")
      if echo "$out" | grep -q 'Non-2xx\|Socket errors'; then echo "  $mode at $conns connections had errors: $(echo "$out" | grep 'Non-2xx\|Socket errors')"; fi
      rps[$mode,$run]=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
      p50[$mode,$run]=$(ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
      p99[$mode,$run]=$(ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
      [ "$mode" = per-connection ] && sleep 1
    done
  done
  declare -A med=()
  for mode in "${modes[@]}"; do
    med[$mode]=$(for run in $(seq "$RUNS"); do echo "${rps[$mode,$run]}"; done | median)
  done
  for mode in "${modes[@]}"; do
    ratio=-
    [ "$have_uwsgi" = 1 ] && ratio=$(awk -v a="${med[$mode]}" -v b="${med[uwsgi]}" 'BEGIN { printf "%.3fx", a / b }')
    printf '  %-5s %-15s %9.0f %9s %9s %9s\n' "$conns" "$mode" "${med[$mode]}" \
      "$(for run in $(seq "$RUNS"); do echo "${p50[$mode,$run]}"; done | median)" \
      "$(for run in $(seq "$RUNS"); do echo "${p99[$mode,$run]}"; done | median)" "$ratio"
  done
done

# Cold start: stop the wait-mode process, then time one request (inetd starts a new process for it).
cold=()
for _ in 1 2 3 4 5; do
  pkill -f "^node $tmp/inetd-scgi.cjs $tmp/hello.js --wait" 
  for _ in $(seq 50); do pgrep -f "^node $tmp/inetd-scgi.cjs $tmp/hello.js --wait" >/dev/null || break; sleep 0.1; done
  cold+=("$(curl -sS -o /dev/null -w '%{time_total}' "$base/wait" | awk '{ printf "%.1f", $1 * 1000 }')")
done
warm=$(for _ in 1 2 3 4 5; do curl -sS -o /dev/null -w '%{time_total}\n' "$base/wait"; done | median | awk '{ printf "%.1f", $1 * 1000 }')
echo "  wait mode, first request after the process exited (cold start): $(printf '%s\n' "${cold[@]}" | median) ms (median of 5: ${cold[*]}); a warm request: $warm ms"
