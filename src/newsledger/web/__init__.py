"""The web interface and REST API over the Ledger (FastAPI; install with `pip install newsledger[web]`)."""

from newsledger.web.app import create_app

__all__ = ["create_app"]
