"""scripts/test.sh and scripts/postgres.sh: each step says what it does, and the PostgreSQL server is
stopped on exit only when the script started it (a server already running is left alone)."""

from __future__ import annotations

import glob
import socket
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bash(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(["bash", "-c", f"source scripts/postgres.sh; {script}"], cwd=REPO, text=True,
                          capture_output=True, timeout=120, env={**os.environ, **env})


def test_test_sh_says_what_it_does_and_stops_its_server_on_exit():
    text = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "trap stop_postgres EXIT" in text
    assert text.count('echo "test.sh: ') >= 3  # venv, install, checks, pytest


@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="PostgreSQL is not installed")
def test_a_server_the_script_starts_is_stopped_and_one_already_running_is_left():
    import shutil

    port = str(_free_port())
    ready = "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_isready -h 127.0.0.1 -p " + port
    done = _bash(f'start_postgres; echo "started=$NEWSLEDGER_PG_STARTED"; {ready} && '
                 f'bash -c "source scripts/postgres.sh; NEWSLEDGER_PG_PORT={port} start_postgres; stop_postgres"; '
                 f'{ready} && stop_postgres; {ready} || echo "stopped"',
                 NEWSLEDGER_PG_PORT=port)  # its folder is /tmp/newsledger-pg-PORT, which the postgres user can write
    shutil.rmtree(f"/tmp/newsledger-pg-{port}", ignore_errors=True)
    assert done.returncode == 0, done.stderr
    assert "started=1" in done.stdout and done.stdout.strip().endswith("stopped"), done.stdout
    assert "starting a throwaway PostgreSQL server" in done.stderr
    # The nested run found the server running: it said so and left it for the outer one to stop.
    assert "already running" in done.stderr and done.stderr.count("stopping the PostgreSQL server") == 1
