#!/usr/bin/env bash
# Installs the npm packages when node_modules is missing or older than the lockfile.
# `npm install`, not `npm ci`: npm 11 here writes lockfiles without the other platforms'
# optional packages (rollup's), which `npm ci` then rejects as "out of sync"; `npm install`
# still installs exactly the locked versions. The postinstall step generates the Prisma clients.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "== installing packages" >&2
  npm install --no-audit --no-fund >&2
fi
