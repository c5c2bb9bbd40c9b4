"""Every command has help text: a command without one fails this test."""

from __future__ import annotations

import typer.main

from newsledger.cli import app as cli_app


def _commands():
    cli_app._register()
    group = typer.main.get_command(cli_app.app)
    return group.commands


def test_the_main_commands_are_registered():
    names = set(_commands())
    assert {"extract", "eval", "add", "series", "conflicts", "figures", "quotes", "articles",
            "export", "stats", "diff"} <= names


def test_every_command_has_help_text():
    undocumented = [name for name, cmd in _commands().items() if not (cmd.help or "").strip()]
    assert undocumented == []


def test_every_option_has_help_text():
    missing = []
    for name, cmd in _commands().items():
        for param in cmd.params:
            if getattr(param, "param_type_name", "") == "option" and not (param.help or "").strip() and "--help" not in param.opts:
                missing.append(f"{name} {param.opts[0]}")
    assert missing == []
