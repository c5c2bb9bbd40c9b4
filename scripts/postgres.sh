#!/usr/bin/env bash
# start_postgres: install Debian's PostgreSQL if missing, start a throwaway cluster on 127.0.0.1:54329,
# and export NEWSLEDGER_TEST_PG_URL for the tests.
start_postgres() {
  local port=54329 dir=/tmp/newsledger-pg
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "PostgreSQL is not installed; run: sudo apt-get install postgresql" >&2
      return 1
    fi
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  local run_as=()
  if [ "$(id -u)" = 0 ]; then run_as=(runuser -u postgres --); fi
  if ! "${run_as[@]}" "$bin/pg_isready" -h 127.0.0.1 -p "$port" >/dev/null 2>&1; then
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null
  fi
  "${run_as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tc \
    "SELECT 1 FROM pg_database WHERE datname='newsledger_test'" | grep -q 1 ||
    "${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres newsledger_test
  export NEWSLEDGER_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/newsledger_test"
}
