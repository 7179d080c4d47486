#!/usr/bin/env bash
# Installs the npm packages when node_modules is missing or older than the lockfile.
# `npm ci`: exactly the locked versions, and it never rewrites package-lock.json. (`npm install`
# with npm 11 rewrote the lockfile without the other platforms' optional packages, rollup's,
# which made `npm ci` fail on every other platform; the lockfile now lists them all and
# scripts/test.sh checks that it still does.) The postinstall step generates the Prisma clients.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "== installing packages (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
