# Sourced by test/frameworks/install.sh and test/types/check.sh. npm_cache FOLDER CACHE: installs the
# test-only packages of FOLDER/package.json, pinned by its lockfile, into CACHE (`npm ci` there, from
# the npm registry), once per lockfile. Fails, saying why, if they cannot be had.
npm_cache() {
  local here=$1 cache=$2
  if cmp -s "$here/package-lock.json" "$cache/package-lock.json" && [ -d "$cache/node_modules" ]; then
    return 0
  fi
  rm -rf "$cache"
  mkdir -p "$cache"
  cp "$here/package.json" "$here/package-lock.json" "$cache/"
  if ! (cd "$cache" && npm ci --no-audit --no-fund --silent >npm.log 2>&1); then
    echo "npm ci of $here/package.json failed: $(tail -n 3 "$cache/npm.log")"
    rm -f "$cache/package-lock.json" # tried again next time
    return 1
  fi
}
