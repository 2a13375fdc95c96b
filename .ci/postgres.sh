#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at TEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/postgres). When nothing answers there, installs Debian's
# postgresql if missing and starts a private cluster with trust authentication for local tests.
set -euo pipefail

url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
hostport=${url#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
host=${hostport%%:*}; port=${hostport##*:}; [ "$port" = "$hostport" ] && port=5432

say() { printf '\033[1mpostgres:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

answers() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$host" -p "$port" -t 3; }

if answers; then
  say "a server answers at $host:$port"
  exit 0
fi
case "$host" in
  127.0.0.1|localhost|::1) ;;
  *) say "nothing answers at $host:$port, and it is not this machine: start it, or fix TEST_DATABASE_URL" >&2; exit 1 ;;
esac

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing Debian's postgresql"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
data=${SM_PGDATA:-/var/lib/postgresql/service-market-test}
log=$data.log

run_as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else as_root su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}

if [ ! -f "$data/PG_VERSION" ]; then
  say "creating a test cluster in $data"
  as_root mkdir -p "$data"
  as_root chown postgres:postgres "$data"
  run_as_postgres "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
say "starting the test cluster on $host:$port"
as_root mkdir -p /var/run/postgresql && as_root chown postgres:postgres /var/run/postgresql
run_as_postgres "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
  -o "-c listen_addresses=$host -p $port -c max_connections=300 -c fsync=off -c synchronous_commit=off" start
answers || { say "the server did not come up; see $log" >&2; exit 1; }
