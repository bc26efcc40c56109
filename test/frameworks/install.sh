#!/usr/bin/env bash
# Installs the compatibility suite's frameworks (test/frameworks/package.json, pinned by its lockfile)
# into .cache/frameworks/, once per lockfile: `npm ci` there, from the npm registry. Sourced or run by
# test.sh; the apps in test/frameworks/ load them from there (need.cjs). Exits non-zero, saying why,
# if they cannot be had.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../npm-cache.sh"
npm_cache "$here" "$here/../../.cache/frameworks"
