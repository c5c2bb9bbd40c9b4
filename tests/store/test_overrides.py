"""Manual regrouping rules: merges follow chains, splits pick figures by words, sources_of finds them all."""

from __future__ import annotations

from newsledger.store import Overrides, Split


def test_merges_follow_chains():
    rules = Overrides(merges={"a": "b", "b": "c"})
    assert rules.follow("a") == "c"
    assert rules.resolve("b") == "c"
    assert rules.resolve("d") == "d"
    assert rules.would_cycle("c", "a")
    assert not rules.would_cycle("d", "a")


def test_a_hand_made_cycle_does_not_hang():
    rules = Overrides(merges={"a": "b", "b": "a"})
    assert rules.follow("a") in {"a", "b"}


def test_splits_pick_figures_by_counted_words_or_text_after_merges():
    rules = Overrides(merges={"killed|people|gaza city": "killed|people|gaza"},
                      splits=[Split(1, "killed|people|gaza", "children", "killed|children people|gaza", "kids")])
    assert rules.resolve("killed|people|gaza city", counted="Palestinian children") == "killed|children people|gaza"
    assert rules.resolve("killed|people|gaza", counted="people") == "killed|people|gaza"
    assert rules.resolve("killed|people|gaza", counted=None, text="CHILDREN") == "killed|children people|gaza"


def test_sources_of_lists_every_stored_key_that_may_read_as_the_target():
    rules = Overrides(merges={"x": "killed|people|gaza"},
                      splits=[Split(1, "killed|people|gaza", "children", "kids", "kids")])
    assert rules.sources_of("kids", ["killed|people|gaza", "x", "other"]) == {"kids", "killed|people|gaza", "x"}
    assert rules.sources_of("killed|people|gaza", ["x", "other"]) == {"killed|people|gaza", "x"}
