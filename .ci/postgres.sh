#!/usr/bin/env bash
# Make the local PostgreSQL test server ready: the Debian cluster running, role goalbook/goalbook and
# database goalbook_test present. Idempotent: a server that already answers as the test role is used
# as it is, and nothing is ever stopped (the tests create and drop a schema of their own per test).
# The test role is a superuser: the reader-role tests create throwaway login roles (gbtest_role_*),
# owners and readers that log in over TCP with a password, and drop them again.
set -euo pipefail
url="postgresql://goalbook:goalbook@127.0.0.1:5432/goalbook_test"
ready() { PGPASSWORD=goalbook PGCONNECT_TIMEOUT=3 psql -qtAX -h 127.0.0.1 -p 5432 -U goalbook -d goalbook_test \
  -c "select rolsuper from pg_roles where rolname = current_user" 2>/dev/null | grep -qx t; }
if command -v psql >/dev/null 2>&1 && ready; then echo "postgres: ready at $url"; exit 0; fi

if [ "$(id -u)" != 0 ]; then
  echo "postgres: not reachable at $url as a superuser, and setting it up needs root (see .ci/postgres.sh)" >&2
  exit 1
fi
ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -z "$ver" ]; then
  ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$ver" ] || { echo "postgres: PostgreSQL is not installed (run .ci/system-deps.sh)" >&2; exit 1; }
  pg_createcluster "$ver" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" && $4 ~ /^online/' | grep -q .; then
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start
fi
for _ in $(seq 1 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "postgres: cluster $ver/main did not start" >&2; exit 1; }
as_postgres() { su postgres -c "$1"; }
if as_postgres "psql -qtAXc \"select 1 from pg_roles where rolname='goalbook'\"" | grep -q 1; then
  as_postgres "psql -qXc \"alter role goalbook login superuser password 'goalbook'\""
else
  as_postgres "psql -qXc \"create role goalbook login superuser password 'goalbook'\""
fi
as_postgres "psql -qtAXc \"select 1 from pg_database where datname='goalbook_test'\"" | grep -q 1 ||
  as_postgres "createdb -O goalbook goalbook_test"
ready || { echo "postgres: running, but goalbook cannot log in over TCP as a superuser (check pg_hba.conf)" >&2; exit 1; }
echo "postgres: ready at $url"
