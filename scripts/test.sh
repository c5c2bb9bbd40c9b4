#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs them:
# a virtual environment with the project and its dev tools, a PostgreSQL server on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# pip's log goes to a file (it warns about every local index it skips); shown only when the install fails.
pip_log=$(mktemp)
.venv/bin/pip install -q --disable-pip-version-check -e ".[dev]" >"$pip_log" 2>&1 || { cat "$pip_log"; exit 1; }

# PostgreSQL for the store tests (skipped with NEWSLEDGER_NO_PG=1).
if [ "${NEWSLEDGER_NO_PG:-0}" != "1" ]; then
  source scripts/postgres.sh
  start_postgres
fi

.venv/bin/ruff check src tests benchmarks
.venv/bin/lint-imports --config pyproject.toml
.venv/bin/mypy src
.venv/bin/python -m pytest "$@"
