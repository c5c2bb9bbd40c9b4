"""Options: defaults, then the user file, then NEWSLEDGER_* variables, then CLI flags; bad values refused."""

from __future__ import annotations

import pytest

from newsledger.config import BATCH_SIZE, load_options
from newsledger.errors import InputError


def test_defaults_without_file_or_environment(tmp_path):
    opts = load_options(env={}, config_file=tmp_path / "none.toml")
    assert (opts.jobs, opts.batch_size, opts.format, opts.model) == (1, BATCH_SIZE, "table", None)


def test_layers_apply_in_order(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[newsledger]\njobs = 3\nformat = "jsonl"\nbatch-size = 8\n', encoding="utf-8")
    opts = load_options({"jobs": None, "format": "csv"}, env={"NEWSLEDGER_JOBS": "2"}, config_file=path)
    assert opts.batch_size == 8  # from the file
    assert opts.jobs == 2  # the environment beats the file; a flag not given (None) changes nothing
    assert opts.format == "csv"  # a flag beats both


def test_environment_booleans_and_bad_values(tmp_path):
    none = tmp_path / "none.toml"
    assert load_options(env={"NEWSLEDGER_ALLOW_PRIVATE": "yes"}, config_file=none).allow_private is True
    with pytest.raises(InputError, match="NEWSLEDGER_JOBS"):
        load_options(env={"NEWSLEDGER_JOBS": "many"}, config_file=none)
    with pytest.raises(InputError, match="jobs must be 1 or more"):
        load_options({"jobs": 0}, env={}, config_file=none)
    with pytest.raises(InputError, match="unknown encoding"):
        load_options({"encoding": "klingon-8"}, env={}, config_file=none)


def test_broken_config_file_is_named(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("jobs = = 2", encoding="utf-8")
    with pytest.raises(InputError, match="config file"):
        load_options(env={}, config_file=path)
