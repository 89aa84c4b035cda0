#!/usr/bin/env bash
# Start the local PostgreSQL cluster from Debian's packages and make sure the test role and
# database exist. Idempotent: a running cluster is reused.
set -euo pipefail
ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -z "$ver" ]; then echo "postgres: no cluster under /etc/postgresql" >&2; exit 1; fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start
fi
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='goalbook'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role goalbook login superuser password 'goalbook'\""
su postgres -c "psql -qtAc \"select 1 from pg_database where datname='goalbook_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O goalbook goalbook_test"
echo "postgres: ready at postgresql://goalbook:goalbook@127.0.0.1:5432/goalbook_test"
