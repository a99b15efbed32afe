#!/usr/bin/env bash
# A streaming read replica of the local Debian Postgres cluster, for tests and .ci/run:
#   scripts/replica.sh start PORT   copies the running cluster with pg_basebackup and starts a hot
#                                   standby on PORT (prints its URL)
#   scripts/replica.sh stop PORT    stops it and removes its files
# Run as root or as the postgres user. The main cluster must allow replication connections from
# 127.0.0.1: a missing `host replication` line is added to its pg_hba.conf and the cluster is
# reloaded (never restarted); wal_level must already be `replica` or higher (the default).
set -euo pipefail

action=${1:?usage: replica.sh start|stop PORT}
port=${2:?usage: replica.sh start|stop PORT}
version=$(ls /etc/postgresql | sort -V | tail -1)
bin=/usr/lib/postgresql/$version/bin
dir=/tmp/salon-replica-$port
primary_port=${PRIMARY_PORT:-5432}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
  hba=$(psql -h 127.0.0.1 -p "$primary_port" -U postgres -Atc "SHOW hba_file")
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    printf '\n# Added by salon scripts/replica.sh: local streaming replicas (tests, CI).\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
    psql -h 127.0.0.1 -p "$primary_port" -U postgres -Atc "SELECT pg_reload_conf()" >/dev/null
  fi
  wal_level=$(psql -h 127.0.0.1 -p "$primary_port" -U postgres -Atc "SHOW wal_level")
  if [ "$wal_level" = minimal ]; then
    echo "replica.sh: the main cluster has wal_level=minimal; set it to replica and restart it" >&2
    exit 1
  fi
  # Settings a hot standby must not have lower than its primary.
  settings=$(psql -h 127.0.0.1 -p "$primary_port" -U postgres -Atc "SELECT string_agg(format('-c %s=%s', name, setting), ' ')
    FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders',
      'max_prepared_transactions', 'max_locks_per_transaction')")
  as_postgres rm -rf "$dir"
  as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast --no-sync
  # Debian keeps the configuration outside the data directory: the copy gets a minimal one.
  as_postgres sh -c "printf 'host all all 127.0.0.1/32 trust\nlocal all all trust\n' > '$dir/pg_hba.conf' && : > '$dir/pg_ident.conf' && : > '$dir/postgresql.conf'"
  # shellcheck disable=SC2086 # $settings is a list of options
  as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start -o \
    "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off $settings" >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  if [ -d "$dir" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir" -w -t 60 stop -m fast >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
  ;;
*)
  echo "usage: replica.sh start|stop PORT" >&2
  exit 2
  ;;
esac
