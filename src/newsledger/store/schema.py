"""The ledger's tables in SQLAlchemy Core: one definition for SQLite and PostgreSQL (documented in docs/schema.md)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# Spans are (article_id, span_start, span_end) into `articles.text`, which is never updated: a changed
# text at the same URL is a new row (a new version), so every stored offset stays valid forever.
# Columns are named span_start/span_end rather than start/end because END is an SQL keyword and the
# SQLite file is meant to be queried by hand (sqlite3, Datasette).

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Text),  # the id the input gave the article (file name, JSONL id)
    Column("url", Text),
    Column("version", Integer, nullable=False, default=1),
    # True on the newest version of a URL (and on every article without one); queries read these.
    Column("is_current", Boolean, nullable=False, default=True),
    Column("text_hash", String(64), nullable=False),
    Column("title", Text),
    Column("outlet", Text),
    Column("published", Date),
    Column("origin", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("added_at", DateTime, nullable=False),
    Column("warnings", Text),  # JSON list of the pipeline's warnings, when there were any
    UniqueConstraint("text_hash", name="uq_articles_text_hash"),
    UniqueConstraint("url", "version", name="uq_articles_url_version"),
)
Index("ix_articles_url", articles.c.url)
Index("ix_articles_published", articles.c.published)

# Each measure key once, with its human label; figures point at it by key (text, so that a key stays
# readable in the raw database and survives re-grouping rules that produce the same key).
measures = Table(
    "measures", metadata,
    Column("key", Text, primary_key=True),
    Column("label", Text, nullable=False),
)


def _span_columns() -> list[Column]:
    return [
        Column("id", Integer, primary_key=True),
        Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        Column("ordinal", Integer, nullable=False),  # position in the article's list of its kind
        Column("span_start", Integer, nullable=False),
        Column("span_end", Integer, nullable=False),
    ]


figures = Table(
    "figures", metadata,
    *_span_columns(),
    Column("text", Text, nullable=False),
    Column("value", Float),
    Column("value_max", Float),
    Column("qualifier", String(20), nullable=False),
    Column("counted", Text),
    Column("category", String(20), nullable=False),
    Column("source", Text),
    Column("as_of", Date),
    Column("part_of", Integer),  # ordinal of the figure (same article) this one is a part of
    Column("measure_key", Text, nullable=False),
    Column("measure_explanation", Text),  # how the figure was grouped, for `figures --explain`
    # The period a count of a period covers ("2016", "2016-03", "2016-W10", "2016-03-12/2016-03-13"),
    # when its measure's scope is a period; NULL otherwise (see newsledger.ledger.measures.period_of).
    Column("period", Text),
)
# (article_id, ordinal) finds a figure's whole (part_of is an ordinal) in one step, and its article's figures.
Index("ix_figures_article", figures.c.article_id, figures.c.ordinal)
# Series and conflicts read one measure ordered by as-of date: this index answers both.
Index("ix_figures_measure_as_of", figures.c.measure_key, figures.c.as_of)
Index("ix_figures_source", figures.c.source)

quotes = Table(
    "quotes", metadata,
    *_span_columns(),
    Column("content", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("speaker", Text),
    Column("speaker_mention", Text),
    Column("cue", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
)
Index("ix_quotes_article", quotes.c.article_id)
Index("ix_quotes_speaker", quotes.c.speaker)

entities = Table(
    "entities", metadata,
    *_span_columns(),
    Column("text", Text, nullable=False),
    Column("label", String(10), nullable=False),
    Column("canonical", Text, nullable=False),
)
Index("ix_entities_article", entities.c.article_id)
Index("ix_entities_canonical", entities.c.canonical)

dates = Table(
    "dates", metadata,
    *_span_columns(),
    Column("text", Text, nullable=False),
    Column("value", Date),
    Column("value_end", Date),
    Column("granularity", String(10)),
    Column("relative", Boolean, nullable=False, default=False),
)
Index("ix_dates_article", dates.c.article_id)

events = Table(
    "events", metadata,
    *_span_columns(),
    Column("text", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("actor", Text),
    Column("target", Text),  # before migration events_contract: the object; now the recipients, joined
    Column("date", Date),    # the first day of `date_value`'s period, for sorting and --since/--until
    # Added by migration "events_contract" (../shared/spec/events.md); names are joined with "; ".
    Column("trigger_start", Integer),
    Column("type", String(12)),
    Column("mode", Text),
    Column("recipient", Text),
    Column("date_value", String(10)),  # ISO at the precision written: YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY
    Column("end_date", String(10)),
    Column("date_text", Text),
    Column("location", Text),
    Column("status", String(12)),
    Column("source", Text),
    Column("dead", Integer),      # ordinal of the figure (same article) counting the dead
    Column("injured", Integer),   # ... the injured
    Column("size", Integer),      # ... those involved
    Column("same_as", Integer),   # ordinal of an earlier event of the same article
    Column("content_of", Integer),
    Column("quote", Integer),     # ordinal of the quote (same article) the event is told in
)
Index("ix_events_article", events.c.article_id)
Index("ix_events_date", events.c.date)

# Manual regrouping, kept apart from the figures so that later adds never overwrite it: applied when
# figures are read (see newsledger.store.overrides).
measure_merges = Table(
    "measure_merges", metadata,
    Column("from_key", Text, primary_key=True),  # every figure of this measure ...
    Column("into_key", Text, nullable=False),     # ... is read as belonging to this one
    Column("created_at", DateTime, nullable=False),
)

measure_splits = Table(
    "measure_splits", metadata,
    Column("id", Integer, primary_key=True),
    Column("from_key", Text, nullable=False),  # figures of this measure (after merges) ...
    Column("pattern", Text, nullable=False),   # ... whose counted phrase or text contains this ...
    Column("into_key", Text, nullable=False),  # ... are read as this measure
    Column("label", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Sources as entities: one row per source (its canonical name), and every way articles wrote it. An alias
# keeps the source it was first given (or moved to by hand), so later adds never undo a manual choice.
sources = Table(
    "sources", metadata,
    Column("name", Text, primary_key=True),  # canonical, lower case: "health ministry"
    Column("label", Text, nullable=False),   # as people read it: "Health Ministry"
)

source_aliases = Table(
    "source_aliases", metadata,
    Column("alias", Text, primary_key=True),  # as written, whitespace made single: "Hamas-run health ministry"
    Column("source", Text, nullable=False),   # sources.name
)
Index("ix_source_aliases_source", source_aliases.c.source)

# Authoritative series loaded with `newsledger reference add FILE`: a source of their own, one value per
# measure and day, compared with the figures of the same measure.
reference_series = Table(
    "reference_series", metadata,
    Column("name", Text, primary_key=True),  # "gaza-casualties-daily"
    Column("path", Text, nullable=False),
    Column("place", Text),
    Column("added_at", DateTime, nullable=False),
)

reference_values = Table(
    "reference_values", metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", Text, ForeignKey("reference_series.name", ondelete="CASCADE"), nullable=False),
    Column("measure_key", Text, nullable=False),
    Column("field", Text, nullable=False),  # the file's field: "killed_cum"
    Column("as_of", Date, nullable=False),
    Column("value", Float, nullable=False),
)
Index("ix_reference_values_measure", reference_values.c.measure_key, reference_values.c.as_of)
# Feeds that `newsledger watch` polls: what the last poll found, the validators for the next conditional
# GET, and the backoff after errors (see newsledger.ledger.watch).
feeds = Table(
    "feeds", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(10)),          # feed | sitemap, once known
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_poll", DateTime),
    Column("last_status", String(20)),   # ok | not modified | error | robots | backoff
    Column("last_error", Text),
    Column("http_status", Integer),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failed polls
    Column("next_poll", DateTime),       # not polled before this (backoff after errors)
    Column("articles", Integer, nullable=False, default=0),  # articles and new versions added from it
    Column("last_new", Integer, nullable=False, default=0),  # ... by the last poll
    Column("added_at", DateTime, nullable=False),
)

# Entries a feed has listed, with a fingerprint of what it said about them: an entry is fetched again only
# when its fingerprint changes (a new `updated` date or new content), not on every poll.
feed_items = Table(
    "feed_items", metadata,
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("item_key", Text, primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("seen_at", DateTime, nullable=False),
)

RECORD_TABLES = {"figures": figures, "quotes": quotes, "entities": entities, "dates": dates,
                 "events": events}

# Stories (newsledger.ledger.stories): which articles cover one happening. A story's id is the ledger id
# of its first article. The table is derived (rebuilt from the articles and the rules at any time); the
# hand-made rules in story_rules are not, and are applied on every build.
stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("place", Text),
    Column("first_day", Date),   # earliest event day of its articles
    Column("last_day", Date),    # latest publication day of its articles
    Column("kind", String(10), nullable=False),  # story | roundup (sums up several stories)
    Column("articles", Integer, nullable=False),
    Column("killed", Float),     # best estimates (see newsledger.ledger.story_figures)
    Column("injured", Float),
)
Index("ix_stories_first_day", stories.c.first_day)

story_articles = Table(
    "story_articles", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("story_id", Integer, nullable=False),
)
Index("ix_story_articles_story", story_articles.c.story_id)

# A roundup story and a story it sums up.
story_links = Table(
    "story_links", metadata,
    Column("roundup_id", Integer, primary_key=True, autoincrement=False),
    Column("story_id", Integer, primary_key=True, autoincrement=False),
)

# Hand-made rules, kept across adds and rebuilds: `together` puts two articles in one story (a merge),
# `apart` keeps them in different stories (a split).
story_rules = Table(
    "story_rules", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("article_a", Integer, nullable=False),
    Column("article_b", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# People's corrections, kept apart from what the machine extracted so that a re-extraction or a new
# version of the article never overwrites them: applied when records are read (newsledger.ledger.corrections).
# One row per changed field (or `field` = "wrong" when the whole record is marked wrong). `record_id` is the
# record it applies to now; the anchor (article URL and text hash, span, span text, context) finds the same
# record again after a re-extraction or in a new version of the article.
corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # figure | quote | event
    Column("record_id", Integer, nullable=False),
    Column("article_url", Text),
    Column("text_hash", String(64), nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("span_text", Text, nullable=False),
    Column("context", Text, nullable=False),
    Column("field", String(20), nullable=False),
    Column("old_value", Text),  # JSON
    Column("new_value", Text),  # JSON
    Column("author", Text, nullable=False),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_corrections_record", corrections.c.kind, corrections.c.record_id)
Index("ix_corrections_anchor", corrections.c.text_hash)

# Conflicts a person dismissed as not real (kept, with who and why); a conflict's id is derived from its
# kind, measure and figures (newsledger.ledger.corrections.conflict_id).
conflict_dismissals = Table(
    "conflict_dismissals", metadata,
    Column("conflict_id", String(40), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("measure_key", Text, nullable=False),
    Column("figure_ids", Text, nullable=False),  # JSON list
    Column("author", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
