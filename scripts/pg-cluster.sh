#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for the store tests and the PostgreSQL bench,
# with Debian's server binaries (/usr/lib/postgresql/<version>/bin).
#
#   eval "$(scripts/pg-cluster.sh start)"   # prints export lines:
#       NETINSIGHTS_TEST_PG_URL   postgres://postgres@127.0.0.1:<port>/postgres
#       NETINSIGHTS_PG_CLUSTER    the cluster's temporary directory
#   scripts/pg-cluster.sh stop "$NETINSIGHTS_PG_CLUSTER"   # stops it and deletes everything
#   scripts/pg-cluster.sh standby <primary dir>   # a streaming replica of a cluster started here:
#       NETINSIGHTS_TEST_PG_STANDBY_URL, NETINSIGHTS_PG_STANDBY (stop it the same way)
#
# initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` system user (runuser); as any other user it belongs to that user.
# It listens on 127.0.0.1 only, on a free port, with trust authentication:
# it exists for the length of one test run on one machine. Durability settings
# are PostgreSQL's defaults (fsync on, synchronous_commit on), so a bench on it
# pays the same commit cost as a real deployment.
set -euo pipefail
# runuser lives in sbin, which a non-login PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  echo "$d"
}

# Runs a command as the cluster owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port no one listens on, below the kernel's ephemeral range: a port in that range can be
# held by someone's outgoing connection, which a connect test does not see, and the server's
# bind then fails ("Address already in use", seen on a busy machine).
free_port() {
  local p i low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$low" -gt 21000 ] || low=61000
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % (low - 20000)))
    port_in_use "$p" || {
      echo "$p"
      return
    }
  done
  die "no free port found on 127.0.0.1"
}

# Starts the server of data directory $2 on a free port, logging to $1/server.log; tries a
# few ports, since another process may take the chosen one before the server binds it.
start_server() {
  local dir=$1 data=$2 extra=${3:-} port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_owner "$(bindir)/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 $extra" >/dev/null; then
      echo "$port" >"$dir/port"
      return
    fi
  done
  return 1
}

start() {
  local bin dir port
  bin=$(bindir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ni-pg.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then
    getent passwd postgres >/dev/null || die "running as root needs the 'postgres' user (from the postgresql package)"
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  # Sockets in the cluster's own directory (not /var/run/postgresql, which may not exist).
  start_server "$dir" "$dir/data" || die "the server did not start: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
  port=$(cat "$dir/port")
  echo "export NETINSIGHTS_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "export NETINSIGHTS_PG_CLUSTER=$dir"
}

# A hot standby of the cluster in $1: pg_basebackup -R copies it over the
# replication protocol and writes primary_conninfo + standby.signal, so the
# copy starts as a streaming replica (initdb's pg_hba.conf already trusts
# replication connections from 127.0.0.1; wal_level=replica is the default).
standby() {
  local primary=${1:-} bin dir port pport
  [ -n "$primary" ] && [ -f "$primary/port" ] || die "usage: pg-cluster.sh standby <dir of a cluster started by pg-cluster.sh>"
  bin=$(bindir)
  pport=$(cat "$primary/port")
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ni-pg.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$dir/data" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 || {
    local why
    why=$(tail -n 5 "$dir/basebackup.log")
    rm -rf "$dir"
    die "pg_basebackup failed: $why"
  }
  start_server "$dir" "$dir/data" "-c hot_standby=on" || {
    local why
    why=$(tail -n 5 "$dir/server.log" 2>/dev/null)
    rm -rf "$dir"
    die "the standby did not start: $why"
  }
  port=$(cat "$dir/port")
  echo "export NETINSIGHTS_TEST_PG_STANDBY_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "export NETINSIGHTS_PG_STANDBY=$dir"
}

stop() {
  local dir=${1:-${NETINSIGHTS_PG_CLUSTER:-}}
  [ -n "$dir" ] || die "usage: pg-cluster.sh stop <dir> (or set NETINSIGHTS_PG_CLUSTER)"
  # Refuse anything that is not one of ours before deleting it.
  case "$(basename "$dir")" in ni-pg.*) ;; *) die "$dir is not a cluster made by pg-cluster.sh" ;; esac
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
standby) standby "${2:-}" ;;
stop) stop "${2:-}" ;;
*)
  echo "usage: scripts/pg-cluster.sh start | standby <primary dir> | stop <dir>" >&2
  exit 2
  ;;
esac
