#!/usr/bin/env bash
# Make sure a PostgreSQL server for the warehouse tests is installed (the tests start and stop their
# own throw-away cluster: tests/postgres_server.py). Debian/Ubuntu as root: install Debian's
# `postgresql` with apt-get. Otherwise: say what to do.
set -euo pipefail
find_bin() {
  if [ -n "${ROI_KIT_PG_BIN:-}" ] && [ -x "$ROI_KIT_PG_BIN/initdb" ]; then echo "$ROI_KIT_PG_BIN"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return 0; fi
  return 1
}
if dir=$(find_bin); then
  echo "postgres: $dir"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "postgres: installing Debian's postgresql with apt-get ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
  # the package starts a system cluster; the tests use their own, so leave it to the admin
  if dir=$(find_bin); then echo "postgres: $dir"; exit 0; fi
fi
cat >&2 <<MSG
No PostgreSQL server for the warehouse tests.
Install one of: Debian/Ubuntu 'apt-get install postgresql' (as root), Homebrew 'brew install postgresql',
or point ROI_KIT_PG_BIN at the folder holding initdb and pg_ctl.
MSG
exit 1
