"""`newsledger serve`: the web interface and REST API over a ledger database."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from newsledger.cli.app import app, err_console
from newsledger.cli.ledger_cmds import DbOption
from newsledger.errors import InputError


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback needs NEWSLEDGER_TOKEN.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (one per CPU serves the most readers).")] = 1,
) -> None:
    """Serve the ledger in a browser (pages, REST API under /api/v1, Atom feeds) at http://HOST:PORT."""
    try:
        import uvicorn

        from newsledger.web import create_app
    except ImportError as err:
        raise InputError(f"the web interface is not installed ({err.name} is missing)",
                         "install it with: pip install 'newsledger[web]'") from err
    if not 0 < port < 65536:
        raise InputError(f"port {port} is out of range", "give a port from 1 to 65535")
    if not 1 <= workers <= 64:
        raise InputError(f"--workers {workers} is out of range", "give 1 to 64 processes")
    from newsledger.ledger import Ledger

    ledger = Ledger(db, must_exist=False)
    web = create_app(host=host, token=os.environ.get("NEWSLEDGER_TOKEN"), ledger=ledger)
    err_console.print(f"newsledger: serving {ledger.store.display_url} at http://{host}:{port} (Ctrl+C stops)")
    if workers == 1:
        uvicorn.run(web, host=host, port=port, log_level="warning")
        return
    # Several processes: each builds its own app from the environment (checked above, in this process).
    os.environ["NEWSLEDGER_DB"] = ledger.store.url
    os.environ["NEWSLEDGER_HOST"] = host
    ledger.close()
    uvicorn.run("newsledger.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning")
