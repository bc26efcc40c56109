#!/usr/bin/env bash
# Type-checks inetd-scgi.ts against the real Node declarations, @types/node for Node 20 and 24
# (pinned by test/types/package-lock.json, installed into .cache/types/). The build checks it
# against the hand-written types/node.d.ts; this keeps that file from drifting from what Node
# declares.
# Prints one "ok"/"not ok" line per version; exits non-zero if a check fails or cannot run.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=$root/.cache/types
source "$here/../npm-cache.sh"
npm_cache "$here" "$cache" || { echo "not ok type-check: the declarations cannot be had"; exit 1; }
status=0
for version in 20 24; do
  # A type root of its own holding the version as "node": undici-types refers to it by that name.
  mkdir -p "$cache/$version"
  ln -sfn "$cache/node_modules/@types/node-$version" "$cache/$version/node"
  # The build's options, with the real declarations (and the DOM-free lib they expect) instead of
  # types/node.d.ts.
  cat >"$cache/tsconfig-$version.json" <<JSON
{
  "extends": "$root/tsconfig.json",
  "compilerOptions": {
    "noEmit": true,
    "rootDir": "$root",
    "typeRoots": ["$cache/$version"],
    "types": ["node"]
  },
  "files": ["$root/inetd-scgi.ts"]
}
JSON
  if out=$("$root/node_modules/.bin/tsc" -p "$cache/tsconfig-$version.json" 2>&1); then
    echo "ok type-check against @types/node $version"
  else
    echo "not ok type-check against @types/node $version:"
    echo "$out" | sed 's/^/  /'
    status=1
  fi
done
exit $status
