#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs them:
# a virtual environment with the project and its dev tools, a PostgreSQL server on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -e ".[dev]"

# PostgreSQL for the store tests (skipped with NEWSLEDGER_NO_PG=1).
if [ "${NEWSLEDGER_NO_PG:-0}" != "1" ]; then
  source scripts/postgres.sh
  start_postgres
fi

.venv/bin/ruff check src tests benchmarks
.venv/bin/lint-imports --config pyproject.toml
.venv/bin/python -m pytest "$@"
