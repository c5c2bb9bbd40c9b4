#!/usr/bin/env bash
# start_postgres: install Debian's PostgreSQL if missing, start a throwaway cluster on 127.0.0.1 (port
# $NEWSLEDGER_PG_PORT, default 54329) unless one already answers there, and export NEWSLEDGER_TEST_PG_URL
# for the tests. stop_postgres: stop that cluster again, only if start_postgres started it (a server that
# was already running, e.g. one shared with other sessions, is left alone).
NEWSLEDGER_PG_STARTED=0

_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

_pg_run_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local port=${NEWSLEDGER_PG_PORT:-54329}
  local dir=${NEWSLEDGER_PG_DIR:-/tmp/newsledger-pg-$port}
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      echo "test.sh: installing PostgreSQL with apt-get (a minute or two)..." >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "PostgreSQL is not installed; run: sudo apt-get install postgresql" >&2
      return 1
    fi
  fi
  local bin
  bin=$(_pg_bin)
  if ! _pg_run_as "$bin/pg_isready" -h 127.0.0.1 -p "$port" >/dev/null 2>&1; then
    echo "test.sh: starting a throwaway PostgreSQL server on 127.0.0.1:$port ($dir)..." >&2
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    _pg_run_as "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
    _pg_run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null
    NEWSLEDGER_PG_STARTED=1
    NEWSLEDGER_PG_DATA="$dir/data"
  else
    echo "test.sh: using the PostgreSQL server already running on 127.0.0.1:$port (left running)" >&2
  fi
  _pg_run_as "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tc \
    "SELECT 1 FROM pg_database WHERE datname='newsledger_test'" | grep -q 1 ||
    _pg_run_as "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres newsledger_test
  export NEWSLEDGER_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/newsledger_test"
}

stop_postgres() {
  if [ "${NEWSLEDGER_PG_STARTED:-0}" = 1 ] && [ -n "${NEWSLEDGER_PG_DATA:-}" ]; then
    echo "test.sh: stopping the PostgreSQL server it started" >&2
    _pg_run_as "$(_pg_bin)/pg_ctl" -D "$NEWSLEDGER_PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    NEWSLEDGER_PG_STARTED=0
  fi
}
