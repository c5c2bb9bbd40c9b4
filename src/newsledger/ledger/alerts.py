"""Alerts for `watch`: a JSON object per new figure of a watched measure and per new conflict, sent to a
command's stdin or POSTed to a webhook (checked like every other URL)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from newsledger.errors import FetchError, InputError
from newsledger.ledger.conflicts import Conflict, describe_value
from newsledger.store import StoredFigure

# A notify command that takes longer than this is stopped: a stuck mailer must not stop the watch.
COMMAND_TIMEOUT = 60.0


@dataclass
class Notifier:
    """Where alerts go: `command` (run by /bin/sh, the JSON on its stdin) and/or a webhook `url`."""

    command: str | None = None
    url: str | None = None
    allow_private: bool = False
    timeout: float = 15.0
    allow_networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.url is not None and not self.url.lower().startswith(("http://", "https://")):
            raise InputError(f"--notify-url {self.url!r} is not an http(s) URL", "give the webhook's full URL")

    def send(self, alert: dict[str, Any]) -> str | None:
        """Deliver one alert; returns what went wrong (one line) or None. Never raises for a delivery."""
        problems = []
        body = json.dumps(alert, ensure_ascii=False, default=str)
        if self.command:
            try:
                done = subprocess.run(["/bin/sh", "-c", self.command], input=body.encode("utf-8"),
                                      capture_output=True, timeout=COMMAND_TIMEOUT, check=False)
                if done.returncode != 0:
                    err = done.stderr.decode("utf-8", "replace").strip().splitlines()
                    problems.append(f"--notify-cmd exited with {done.returncode}"
                                    + (f": {err[-1]}" if err else ""))
            except subprocess.TimeoutExpired:
                problems.append(f"--notify-cmd ran longer than {COMMAND_TIMEOUT:g}s and was stopped")
            except OSError as err:
                problems.append(f"--notify-cmd could not run: {err}")
        if self.url:
            from newsledger.ingest.poll import post_json

            try:
                post_json(self.url, alert, allow_private=self.allow_private, allow_networks=self.allow_networks,
                          timeout=self.timeout)
            except FetchError as err:
                problems.append(str(err))
        return "; ".join(problems) or None


def figure_alert(fig: StoredFigure, measure_key: str, label: str | None, feed: str | None) -> dict[str, Any]:
    value = describe_value(fig.value, fig.value_max, fig.qualifier) if fig.value is not None else fig.text
    return {
        "type": "figure", "measure": measure_key, "measure_label": label, "value": fig.value,
        "value_max": fig.value_max, "qualifier": fig.qualifier, "value_text": value, "counted": fig.counted,
        "category": fig.category, "source": fig.source,
        "as_of": fig.as_of.isoformat() if fig.as_of else None,
        "published": fig.published.isoformat() if fig.published else None,
        "figure_id": fig.id, "article_id": fig.article_id, "url": fig.url, "title": fig.title,
        "outlet": fig.outlet, "text": fig.text, "feed": feed,
    }


def conflict_signature(conflict: Conflict) -> tuple[Any, ...]:
    return (conflict.kind, conflict.measure_key, tuple(sorted(p.figure_id for p in conflict.points)))


def conflict_alert(conflict: Conflict) -> dict[str, Any]:
    return {
        "type": "conflict", "kind": conflict.kind, "measure": conflict.measure_key, "reason": conflict.reason,
        "figure_ids": [p.figure_id for p in conflict.points],
        "article_ids": sorted({p.article_id for p in conflict.points}),
        "sources": [p.source for p in conflict.points],
    }


def new_conflicts(before: set[tuple[Any, ...]], found: Iterable[Conflict]) -> list[Conflict]:
    return [c for c in found if conflict_signature(c) not in before]


# What a watcher calls for each alert; the CLI passes Notifier.send wrapped to log failures.
Deliver = Callable[[dict[str, Any]], str | None]
