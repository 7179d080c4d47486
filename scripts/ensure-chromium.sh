#!/usr/bin/env bash
# Makes sure a Chromium the browser tests can drive exists at /usr/bin/chromium.
# playwright-core ships no browser and the only reachable package source is Debian's,
# so the tests use the distribution's Chromium instead of `playwright install`.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "${CHROMIUM}" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

echo "Chromium is missing; installing it from the Debian repositories (one-time, a few minutes)" >&2
export DEBIAN_FRONTEND=noninteractive
${SUDO} apt-get update -qq
${SUDO} apt-get install -y -qq --no-install-recommends chromium >/dev/null

if [ ! -x "${CHROMIUM}" ]; then
  echo "error: apt-get finished but ${CHROMIUM} is still missing" >&2
  exit 1
fi
