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
    from newsledger.ledger import Ledger

    ledger = Ledger(db, must_exist=False)
    web = create_app(host=host, token=os.environ.get("NEWSLEDGER_TOKEN"), ledger=ledger)
    err_console.print(f"newsledger: serving {ledger.store.display_url} at http://{host}:{port} (Ctrl+C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning")
