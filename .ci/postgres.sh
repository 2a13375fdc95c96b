#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at TEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/postgres). When nothing answers there, installs Debian's
# postgresql if missing and starts a private cluster with trust authentication for local tests.
set -euo pipefail

url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
hostport=${url#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
host=${hostport%%:*}; port=${hostport##*:}; [ "$port" = "$hostport" ] && port=5432

here=$(cd "$(dirname "$0")/.." && pwd)
name=postgres
# shellcheck source=lib.sh
source "$here/.ci/lib.sh"

answers() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$host" -p "$port" -t 3; }

if answers; then
  say "a server answers at $host:$port"
  exit 0
fi
case "$host" in
  127.0.0.1|localhost|::1) ;;
  *) die "nothing answers at $host:$port, and it is not this machine: start it, or fix TEST_DATABASE_URL" ;;
esac

pg_lib=$sys/usr/lib/postgresql
ls "$pg_lib"/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
ls "$pg_lib"/*/bin/initdb >/dev/null 2>&1 \
  || die "Debian's postgresql is installed but there is no $pg_lib/*/bin/initdb: reinstall it"
bin=$(find "$pg_lib" -mindepth 2 -maxdepth 2 -name bin | sort -V | tail -n1)
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
run_dir=$sys/var/run/postgresql
as_root mkdir -p "$run_dir" && as_root chown postgres:postgres "$run_dir"
run_as_postgres "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
  -o "-c listen_addresses=$host -p $port -c max_connections=300 -c fsync=off -c synchronous_commit=off" start
answers || die "the server did not come up; see $log"
