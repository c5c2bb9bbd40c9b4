"""Language knowledge shipped as JSON files under `extract/resources/`, each read once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_resource(name: str) -> dict[str, Any]:
    """The JSON object in `extract/resources/NAME`. Shared and cached: callers copy before changing it."""
    text = resources.files("newsledger.extract").joinpath("resources", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
