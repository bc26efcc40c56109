#!/usr/bin/env bash
# Installs the compatibility suite's frameworks (test/frameworks/package.json, pinned by its lockfile)
# into .cache/frameworks/, once per lockfile: `npm ci` there, from the npm registry. Sourced or run by
# test.sh; the apps in test/frameworks/ load them from there (need.cjs). Exits non-zero, saying why,
# if they cannot be had.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=$here/../../.cache/frameworks
if ! cmp -s "$here/package-lock.json" "$cache/package-lock.json" || [ ! -d "$cache/node_modules" ]; then
  rm -rf "$cache"
  mkdir -p "$cache"
  cp "$here/package.json" "$here/package-lock.json" "$cache/"
  if ! (cd "$cache" && npm ci --no-audit --no-fund --silent >npm.log 2>&1); then
    echo "npm ci of test/frameworks/package.json failed: $(tail -n 3 "$cache/npm.log")"
    rm -f "$cache/package-lock.json" # tried again next time
    exit 1
  fi
fi
