"""The command line: thin Typer commands over the importable API."""
