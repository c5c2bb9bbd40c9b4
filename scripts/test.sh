#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs them:
# a virtual environment with the project and its dev tools, a PostgreSQL server on loopback.
# Each step says what it is doing; a PostgreSQL server this script starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "test.sh: creating the virtual environment .venv..." >&2
  "$PY" -m venv .venv
fi
# pip's log goes to a file (it warns about every local index it skips); shown only when the install fails.
echo "test.sh: installing newsledger and its dev tools into .venv (pip install -e \".[dev]\"; about a minute the first time)..." >&2
pip_log=$(mktemp)
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 .venv/bin/pip install -q --disable-pip-version-check -e ".[dev]" >"$pip_log" 2>&1 \
  || { cat "$pip_log"; exit 1; }

# Debian's Chromium for the browser tests (tests/web/test_browser.py); Playwright never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null \
    || { echo "could not install chromium (the browser tests need it)" >&2; exit 1; }
fi

# PostgreSQL for the store tests (skipped with NEWSLEDGER_NO_PG=1).
if [ "${NEWSLEDGER_NO_PG:-0}" != "1" ]; then
  source scripts/postgres.sh
  trap stop_postgres EXIT
  start_postgres
fi

echo "test.sh: ruff, import-linter and mypy..." >&2
.venv/bin/ruff check src tests benchmarks
.venv/bin/lint-imports --config pyproject.toml
.venv/bin/mypy src
# The web under load, briefly (20 clients would be the full run: benchmarks/web_load.py): fails on any error.
echo "test.sh: a short load check of the web interface..." >&2
.venv/bin/python benchmarks/web_load.py --articles 30 --clients 5 --seconds 5
echo "test.sh: pytest..." >&2
.venv/bin/python -m pytest "$@"

