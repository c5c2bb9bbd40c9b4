"""Row counts and figures per measure, kept up to date by database triggers, so reading them costs a few rows.

Counting a million figures takes SQLite 15 ms a table and PostgreSQL far longer, and counting figures
per measure of current articles joins every figure to its article (14 s at a million figures). The
triggers installed by migration "maintained_counts" add and subtract as rows arrive, change or go, in
the same transaction, on both backends: SQLite row triggers, PostgreSQL statement triggers over the
changed rows (a COPY or a multi-row insert adjusts each count once). `measure_counts` holds the figures
of every article version; the figures of superseded versions (few: one per correction of an article)
are subtracted when read, through the index on articles.is_current.
"""

from __future__ import annotations

from sqlalchemy import Connection, false, func, literal, select, text

from newsledger.store import schema

# Names in row_counts: current articles, all article versions, and each record table.
COUNTED = ("articles", "article_versions", *schema.RECORD_TABLES)


def _sqlite_triggers() -> list[str]:
    out = [
        """CREATE TRIGGER IF NOT EXISTS count_articles_insert AFTER INSERT ON articles BEGIN
             UPDATE row_counts SET n = n + 1 WHERE name = 'article_versions';
             UPDATE row_counts SET n = n + NEW.is_current WHERE name = 'articles'; END""",
        """CREATE TRIGGER IF NOT EXISTS count_articles_delete AFTER DELETE ON articles BEGIN
             UPDATE row_counts SET n = n - 1 WHERE name = 'article_versions';
             UPDATE row_counts SET n = n - OLD.is_current WHERE name = 'articles'; END""",
        """CREATE TRIGGER IF NOT EXISTS count_articles_current AFTER UPDATE OF is_current ON articles
             WHEN NEW.is_current IS NOT OLD.is_current BEGIN
             UPDATE row_counts SET n = n + NEW.is_current - OLD.is_current WHERE name = 'articles'; END""",
        """CREATE TRIGGER IF NOT EXISTS count_figures_measure AFTER UPDATE OF measure_key ON figures
             WHEN NEW.measure_key IS NOT OLD.measure_key BEGIN
             UPDATE measure_counts SET figures = figures - 1 WHERE measure_key = OLD.measure_key;
             INSERT INTO measure_counts (measure_key, figures) VALUES (NEW.measure_key, 1)
               ON CONFLICT (measure_key) DO UPDATE SET figures = figures + 1; END""",
    ]
    for table in schema.RECORD_TABLES:
        extra_in = extra_out = ""
        if table == "figures":
            extra_in = ("INSERT INTO measure_counts (measure_key, figures) VALUES (NEW.measure_key, 1) "
                        "ON CONFLICT (measure_key) DO UPDATE SET figures = figures + 1;")
            extra_out = "UPDATE measure_counts SET figures = figures - 1 WHERE measure_key = OLD.measure_key;"
        out.append(f"""CREATE TRIGGER IF NOT EXISTS count_{table}_insert AFTER INSERT ON {table} BEGIN
                         UPDATE row_counts SET n = n + 1 WHERE name = '{table}'; {extra_in} END""")
        out.append(f"""CREATE TRIGGER IF NOT EXISTS count_{table}_delete AFTER DELETE ON {table} BEGIN
                         UPDATE row_counts SET n = n - 1 WHERE name = '{table}'; {extra_out} END""")
    return out


# PostgreSQL: statement-level triggers read the inserted or deleted rows as a table. Measure keys are
# upserted in key order, so that two writers adding figures of the same measures cannot deadlock.
_PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION newsledger_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE row_counts SET n = n + (SELECT count(*) FROM added) WHERE name = TG_TABLE_NAME;
         IF TG_TABLE_NAME = 'articles' THEN
           UPDATE row_counts SET n = n + (SELECT count(*) FROM added) WHERE name = 'article_versions';
           UPDATE row_counts SET n = n - (SELECT count(*) FROM added WHERE NOT is_current) WHERE name = 'articles';
         END IF;
         IF TG_TABLE_NAME = 'figures' THEN
           INSERT INTO measure_counts (measure_key, figures)
             SELECT measure_key, count(*) FROM added GROUP BY measure_key ORDER BY measure_key
             ON CONFLICT (measure_key) DO UPDATE SET figures = measure_counts.figures + EXCLUDED.figures;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE OR REPLACE FUNCTION newsledger_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE row_counts SET n = n - (SELECT count(*) FROM removed) WHERE name = TG_TABLE_NAME;
         IF TG_TABLE_NAME = 'articles' THEN
           UPDATE row_counts SET n = n - (SELECT count(*) FROM removed) WHERE name = 'article_versions';
           UPDATE row_counts SET n = n + (SELECT count(*) FROM removed WHERE NOT is_current) WHERE name = 'articles';
         END IF;
         IF TG_TABLE_NAME = 'figures' THEN
           UPDATE measure_counts m SET figures = m.figures - r.n
             FROM (SELECT measure_key, count(*) AS n FROM removed GROUP BY measure_key) r
             WHERE m.measure_key = r.measure_key;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE OR REPLACE FUNCTION newsledger_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_TABLE_NAME = 'articles' THEN
           UPDATE row_counts SET n = n + (SELECT count(*) FROM added WHERE is_current)
                                       - (SELECT count(*) FROM removed WHERE is_current) WHERE name = 'articles';
         ELSE
           UPDATE measure_counts m SET figures = m.figures - r.n
             FROM (SELECT measure_key, count(*) AS n FROM removed GROUP BY measure_key) r
             WHERE m.measure_key = r.measure_key;
           INSERT INTO measure_counts (measure_key, figures)
             SELECT measure_key, count(*) FROM added GROUP BY measure_key ORDER BY measure_key
             ON CONFLICT (measure_key) DO UPDATE SET figures = measure_counts.figures + EXCLUDED.figures;
         END IF;
         RETURN NULL;
       END $$""",
]


def _pg_triggers() -> list[str]:
    out = list(_PG_FUNCTIONS)
    for table in ("articles", *schema.RECORD_TABLES):
        out.append(f"CREATE TRIGGER count_{table}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS added "
                   "FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_added()")
        out.append(f"CREATE TRIGGER count_{table}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS removed "
                   "FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_removed()")
    # UPDATE OF a column cannot be combined with transition tables: the function compares old and new.
    for table in ("articles", "figures"):
        out.append(f"CREATE TRIGGER count_{table}_update AFTER UPDATE ON {table} "
                   "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
                   "FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_changed()")
    return out


def install(conn: Connection) -> None:
    """Create the count tables, fill them by counting once, and install the triggers (a migration's body).
    On PostgreSQL the counted tables are locked against writers meanwhile, so no row is missed."""
    schema.metadata.create_all(conn, tables=[schema.row_counts, schema.measure_counts])
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE articles, " + ", ".join(schema.RECORD_TABLES) + " IN SHARE MODE"))
    a, f = schema.articles, schema.figures
    counted = {"articles": select(func.count()).select_from(a).where(a.c.is_current.is_(True)),
               "article_versions": select(func.count()).select_from(a)}
    counted.update({name: select(func.count()).select_from(t) for name, t in schema.RECORD_TABLES.items()})
    conn.execute(schema.row_counts.delete())
    conn.execute(schema.row_counts.insert(), [{"name": name, "n": int(conn.execute(stmt).scalar() or 0)}
                                              for name, stmt in counted.items()])
    conn.execute(schema.measure_counts.delete())
    conn.execute(schema.measure_counts.insert().from_select(
        ["measure_key", "figures"], select(f.c.measure_key, func.count()).group_by(f.c.measure_key)))
    for statement in (_sqlite_triggers() if conn.dialect.name == "sqlite" else _pg_triggers()):
        conn.execute(text(statement))


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows per counted name (see COUNTED)."""
    rc = schema.row_counts
    return {name: int(n) for name, n in conn.execute(select(rc.c.name, rc.c.n))}


def measure_counts(conn: Connection) -> dict[str, int]:
    """Figures of current article versions per stored measure key (keys with none left out)."""
    mc, a, f = schema.measure_counts, schema.articles, schema.figures
    out = {key: int(n) for key, n in conn.execute(select(mc.c.measure_key, mc.c.figures).where(mc.c.figures > 0))}
    # Written as IN (ids of superseded versions): a join lets SQLite's planner, which sees one value of
    # is_current in its statistics, read every figure instead of the few superseded articles' figures.
    old = select(a.c.id).where(a.c.is_current == false())
    superseded = select(f.c.measure_key, func.count()).where(f.c.article_id.in_(old)).group_by(f.c.measure_key)
    for key, n in conn.execute(superseded):
        out[key] = out.get(key, 0) - int(n)
    return {key: n for key, n in out.items() if n > 0}


_SQLITE_SOURCE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS count_sources_insert AFTER INSERT ON figures WHEN NEW.source IS NOT NULL BEGIN
         INSERT INTO source_counts (source, figures) SELECT NEW.source, 1 WHERE true
           ON CONFLICT (source) DO UPDATE SET figures = figures + 1; END""",
    """CREATE TRIGGER IF NOT EXISTS count_sources_delete AFTER DELETE ON figures WHEN OLD.source IS NOT NULL BEGIN
         UPDATE source_counts SET figures = figures - 1 WHERE source = OLD.source; END""",
    """CREATE TRIGGER IF NOT EXISTS count_sources_update AFTER UPDATE OF source ON figures
         WHEN NEW.source IS NOT OLD.source BEGIN
         UPDATE source_counts SET figures = figures - 1 WHERE source = OLD.source;
         INSERT INTO source_counts (source, figures) SELECT NEW.source, 1 WHERE NEW.source IS NOT NULL
           ON CONFLICT (source) DO UPDATE SET figures = figures + 1; END""",
]

_PG_SOURCE_ADD = """INSERT INTO source_counts (source, figures)
             SELECT source, count(*) FROM added WHERE source IS NOT NULL GROUP BY source ORDER BY source
             ON CONFLICT (source) DO UPDATE SET figures = source_counts.figures + EXCLUDED.figures;"""
_PG_SOURCE_REMOVE = """UPDATE source_counts c SET figures = c.figures - r.n
             FROM (SELECT source, count(*) AS n FROM removed WHERE source IS NOT NULL GROUP BY source) r
             WHERE c.source = r.source;"""
_PG_SOURCE_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION newsledger_count_sources_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_PG_SOURCE_ADD} RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION newsledger_count_sources_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_PG_SOURCE_REMOVE} RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION newsledger_count_sources_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_PG_SOURCE_REMOVE} {_PG_SOURCE_ADD} RETURN NULL; END $$""",
    "CREATE TRIGGER count_sources_insert AFTER INSERT ON figures REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_sources_added()",
    "CREATE TRIGGER count_sources_delete AFTER DELETE ON figures REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_sources_removed()",
    "CREATE TRIGGER count_sources_update AFTER UPDATE ON figures REFERENCING OLD TABLE AS removed "
    "NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_sources_changed()",
]


def install_source_counts(conn: Connection) -> None:
    """Create source_counts, fill it by counting once, and install its triggers (a migration's body)."""
    f = schema.figures
    schema.metadata.create_all(conn, tables=[schema.source_counts])
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE figures IN SHARE MODE"))
    conn.execute(schema.source_counts.delete())
    conn.execute(schema.source_counts.insert().from_select(
        ["source", "figures"],
        select(f.c.source, func.count()).where(f.c.source.is_not(None)).group_by(f.c.source)))
    for statement in _SQLITE_SOURCE_TRIGGERS if conn.dialect.name == "sqlite" else _PG_SOURCE_TRIGGERS:
        conn.execute(text(statement))


def source_counts(conn: Connection) -> dict[str, int]:
    """Figures of current article versions per source as written (sources with none left out)."""
    sc, a, f = schema.source_counts, schema.articles, schema.figures
    out = {src: int(n) for src, n in conn.execute(select(sc.c.source, sc.c.figures).where(sc.c.figures > 0))}
    old = select(a.c.id).where(a.c.is_current == false())
    superseded = (select(f.c.source, func.count()).where(f.c.article_id.in_(old), f.c.source.is_not(None))
                  .group_by(f.c.source))
    for src, n in conn.execute(superseded):
        out[src] = out.get(src, 0) - int(n)
    return {src: n for src, n in out.items() if n > 0}


# Speakers and speaker mentions: the same upkeep as source_counts, a row per (kind, name as written).
_KINDS = (("speaker", "speaker"), ("mention", "speaker_mention"))


def _sqlite_speaker_triggers() -> list[str]:
    out = []
    for kind, col in _KINDS:
        add = (f"INSERT INTO speaker_counts (kind, name, quotes) SELECT '{kind}', NEW.{col}, 1 "
               f"WHERE NEW.{col} IS NOT NULL ON CONFLICT (kind, name) DO UPDATE SET quotes = quotes + 1;")
        remove = f"UPDATE speaker_counts SET quotes = quotes - 1 WHERE kind = '{kind}' AND name = OLD.{col};"
        out += [
            f"CREATE TRIGGER IF NOT EXISTS count_{kind}s_insert AFTER INSERT ON quotes "
            f"WHEN NEW.{col} IS NOT NULL BEGIN {add} END",
            f"CREATE TRIGGER IF NOT EXISTS count_{kind}s_delete AFTER DELETE ON quotes "
            f"WHEN OLD.{col} IS NOT NULL BEGIN {remove} END",
            f"CREATE TRIGGER IF NOT EXISTS count_{kind}s_update AFTER UPDATE OF {col} ON quotes "
            f"WHEN NEW.{col} IS NOT OLD.{col} BEGIN {remove} {add} END",
        ]
    return out


def _pg_speaker_sql(sign: str, rows: str) -> str:
    if sign == "+":
        return " ".join(
            f"INSERT INTO speaker_counts (kind, name, quotes) SELECT '{kind}', {col}, count(*) FROM {rows} "
            f"WHERE {col} IS NOT NULL GROUP BY {col} ORDER BY {col} ON CONFLICT (kind, name) "
            "DO UPDATE SET quotes = speaker_counts.quotes + EXCLUDED.quotes;" for kind, col in _KINDS)
    return " ".join(
        f"UPDATE speaker_counts c SET quotes = c.quotes - r.n FROM (SELECT {col} AS name, count(*) AS n "
        f"FROM {rows} WHERE {col} IS NOT NULL GROUP BY {col}) r WHERE c.kind = '{kind}' AND c.name = r.name;"
        for kind, col in _KINDS)


_PG_SPEAKER_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION newsledger_count_speakers_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_pg_speaker_sql("+", "added")} RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION newsledger_count_speakers_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_pg_speaker_sql("-", "removed")} RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION newsledger_count_speakers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_pg_speaker_sql("-", "removed")} {_pg_speaker_sql("+", "added")} RETURN NULL; END $$""",
    "CREATE TRIGGER count_speakers_insert AFTER INSERT ON quotes REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_speakers_added()",
    "CREATE TRIGGER count_speakers_delete AFTER DELETE ON quotes REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_speakers_removed()",
    "CREATE TRIGGER count_speakers_update AFTER UPDATE ON quotes REFERENCING OLD TABLE AS removed "
    "NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION newsledger_count_speakers_changed()",
]


def install_speaker_counts(conn: Connection) -> None:
    """Create speaker_counts, fill it by counting once, and install its triggers (a migration's body)."""
    qt = schema.quotes
    schema.metadata.create_all(conn, tables=[schema.speaker_counts])
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE quotes IN SHARE MODE"))
    conn.execute(schema.speaker_counts.delete())
    for kind, col in _KINDS:
        column = qt.c[col]
        conn.execute(schema.speaker_counts.insert().from_select(
            ["kind", "name", "quotes"],
            select(literal(kind), column, func.count()).where(column.is_not(None)).group_by(column)))
    for statement in _sqlite_speaker_triggers() if conn.dialect.name == "sqlite" else _PG_SPEAKER_TRIGGERS:
        conn.execute(text(statement))


def speaker_counts(conn: Connection, kind: str = "speaker") -> dict[str, int]:
    """Quotes of every article version per speaker (kind "speaker") or speaker mention ("mention") as
    written, names with none left out."""
    sc = schema.speaker_counts
    return {name: int(n) for name, n in
            conn.execute(select(sc.c.name, sc.c.quotes).where(sc.c.kind == kind, sc.c.quotes > 0))}
