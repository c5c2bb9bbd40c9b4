"""One options object: shipped defaults, then a user file, then `NEWSLEDGER_*` variables, then CLI flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from newsledger.errors import InputError

# spaCy's own default limit; longer texts are refused with a clear message rather than silently cut.
MAX_CHARS = 1_000_000
# 32 articles a batch keeps nlp.pipe efficient while peak memory stays well under 1 GB (peers.md:
# 680 MB at 64, 1.9 GB at 256 for the small model).
BATCH_SIZE = 32
FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv")


@dataclass(frozen=True)
class Options:
    """Settings a run of newsledger uses; build with `load_options`, never by hand in the CLI."""

    model: str | None = None
    jobs: int = 1
    batch_size: int = BATCH_SIZE
    max_chars: int = MAX_CHARS
    encoding: str | None = None
    format: str = "table"
    allow_private: bool = False

    def replace(self, **changes: Any) -> Options:
        return dataclasses.replace(self, **changes)


def user_config_path() -> Path:
    """The user file: `$NEWSLEDGER_CONFIG`, else `~/.config/newsledger/config.toml`."""
    env = os.environ.get("NEWSLEDGER_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "newsledger" / "config.toml"


def _convert(name: str, kind: type, raw: Any, where: str) -> Any:
    if raw is None or raw == "":
        return None
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if kind is int:
            return int(raw)
        return str(raw)
    except (TypeError, ValueError) as err:
        raise InputError(f"{where}: {name} = {raw!r} is not a valid {kind.__name__}",
                         f"set {name} to a {kind.__name__}") from err


def _kind(f: dataclasses.Field) -> type:
    text = str(f.type)
    return bool if "bool" in text else int if "int" in text else str


def _check(opts: Options) -> Options:
    if opts.jobs < 1:
        raise InputError(f"jobs must be 1 or more, not {opts.jobs}", "use --jobs 1 for one process")
    if opts.batch_size < 1:
        raise InputError(f"batch size must be 1 or more, not {opts.batch_size}", "use --batch-size 32")
    if opts.max_chars < 1:
        raise InputError(f"max chars must be 1 or more, not {opts.max_chars}", "use --max-chars 1000000")
    if opts.format not in FORMATS:
        raise InputError(f"unknown format {opts.format!r}", f"use one of {', '.join(FORMATS)}")
    if opts.encoding:
        import codecs

        try:
            codecs.lookup(opts.encoding)
        except LookupError as err:
            raise InputError(f"unknown encoding {opts.encoding!r}",
                             "name a Python codec such as utf-8, latin-1 or cp1252") from err
    return opts


def load_options(overrides: Mapping[str, Any] | None = None, *,
                 env: Mapping[str, str] | None = None, config_file: Path | None = None) -> Options:
    """Defaults, laid over by the user file, the environment (`NEWSLEDGER_JOBS=2`), then `overrides`.

    `overrides` holds CLI flags; a None value means the flag was not given and the layer below wins.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = config_file or user_config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise InputError(f"{path}: the config file cannot be read ({err})",
                             "fix the file or point NEWSLEDGER_CONFIG elsewhere") from err
        section = data.get("newsledger", data)
        for f in fields(Options):
            key = f.name.replace("_", "-")
            raw = section.get(f.name, section.get(key))
            value = _convert(f.name, _kind(f), raw, str(path))
            if value is not None:
                values[f.name] = value
    for f in fields(Options):
        var = f"NEWSLEDGER_{f.name.upper()}"
        value = _convert(f.name, _kind(f), env.get(var), var)
        if value is not None:
            values[f.name] = value
    for name, raw in (overrides or {}).items():
        if raw is not None:
            values[name] = raw
    return _check(Options(**values))
