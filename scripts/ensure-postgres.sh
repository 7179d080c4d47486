#!/usr/bin/env bash
# Makes sure the local PostgreSQL (127.0.0.1:5432, trust auth) answers; starts it when it is down.
# The project's machines run one before each session; CI may find it stopped.
set -u
url="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
ready() { pg_isready -q -d "$url" 2>/dev/null; }
if ready; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "PostgreSQL is down; starting it" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
  for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
fi
echo "error: PostgreSQL is not reachable at ${url%%\?*} (set TEST_POSTGRES_URL, or TEST_POSTGRES=0 to test on SQLite only)" >&2
exit 1
