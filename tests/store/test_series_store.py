"""A measure's figures for its series (store/series.py) are exactly the lean figures query's, in its order,
on SQLite and PostgreSQL (where they are read apart from their articles): every measure of the gold
articles, with the figures' wholes (part_of), undated figures, and picked articles."""

from __future__ import annotations

from newsledger.ledger import Ledger
from newsledger.store import queries as q
from newsledger.store import series


def test_series_figures_equal_the_figures_query_for_every_measure(db_url, gold_extractions):
    with Ledger(db_url) as ledger:
        ledger.add_extractions(gold_extractions, stories=False)
        with ledger.store.read() as conn:
            keys = sorted(q.measure_counts(conn))
            figs = list(q.figures(conn, lean=True))
            assert any(f.whole_figure_id for f in figs) and any(f.as_of is None for f in figs)
            for key in keys:
                assert series.measure_figures(conn, [key]) == list(q.figures(conn, measure_keys=[key], lean=True))
            some = sorted({f.article_id for f in figs})[::3]
            assert (series.measure_figures(conn, keys, some)
                    == list(q.figures(conn, measure_keys=keys, article_ids=some, lean=True)))
