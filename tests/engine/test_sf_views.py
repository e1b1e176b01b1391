"""Snowflake views: CREATE/DROP/ALTER … RENAME/SHOW/DESC VIEW, reading a view with the owner's
rights, views refused as DML targets, and views in clones (snowflake.md §1.6, §6, [CC])."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run, snapshot, status

from cloneshell.engine import Session

WRONG = (
    "002203 (02000): SQL compilation error:\nObject found is of type '{}', not specified type '{}'."
)


@pytest.fixture
def db(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (id INT, name STRING);
        INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');""",
    )
    return sf


def test_create_view_and_select(db: Session) -> None:
    assert status(db, "CREATE VIEW v AS SELECT id, name FROM t WHERE id > 1") == (
        "View V successfully created."
    )
    assert rows(db, "SELECT * FROM v ORDER BY id") == [(2, "b"), (3, "c")]
    # A view reads the table as it is now, not as it was at CREATE.
    run(db, "INSERT INTO t VALUES (4, 'd')")
    assert rows(db, "SELECT count(*) FROM v") == [(3,)]


def test_column_list_renames_and_must_match(db: Session) -> None:
    run(db, "CREATE VIEW v (i COMMENT 'the id', n) AS SELECT id, name FROM t")
    assert rows(db, "SELECT i, n FROM v WHERE i = 1") == [(1, "a")]
    desc = rows(db, "DESC VIEW v")
    assert [(r[0], r[1], r[2], r[9]) for r in desc] == [
        ("I", "NUMBER(38,0)", "COLUMN", "the id"),
        ("N", "VARCHAR(16777216)", "COLUMN", None),
    ]
    err = fails(db, "CREATE VIEW w (a) AS SELECT id, name FROM t")
    assert "declared 1 column(s), but view query produces 2 column(s)" in err.text


def test_or_replace_if_not_exists_and_exists(db: Session) -> None:
    run(db, "CREATE VIEW v AS SELECT 1 AS x")
    err = fails(db, "CREATE VIEW v AS SELECT 2 AS x")
    assert err.text == "002002 (42710): SQL compilation error:\nObject 'V' already exists."
    assert "already exists" in status(db, "CREATE VIEW IF NOT EXISTS v AS SELECT 3 AS x")
    assert rows(db, "SELECT x FROM v") == [(1,)]
    run(db, "CREATE OR REPLACE VIEW v AS SELECT 2 AS x")
    assert rows(db, "SELECT x FROM v") == [(2,)]
    # A view and a table share one namespace.
    err = fails(db, "CREATE VIEW t AS SELECT 1 AS x")
    assert err.text == "002002 (42710): SQL compilation error:\nObject 'T' already exists."
    err = fails(db, "CREATE OR REPLACE VIEW t AS SELECT 1 AS x")
    assert err.text == WRONG.format("TABLE", "VIEW")


def test_writes_into_a_view_are_refused(db: Session) -> None:
    run(db, "CREATE VIEW v AS SELECT id FROM t")
    before = snapshot(db)
    for sql in (
        "INSERT INTO v VALUES (9)",
        "UPDATE v SET id = 0",
        "DELETE FROM v",
        "TRUNCATE TABLE v",
        "DROP TABLE v",
    ):
        assert fails(db, sql).text == WRONG.format("VIEW", "TABLE"), sql
    assert fails(db, "DROP VIEW t").text == WRONG.format("TABLE", "VIEW")
    assert snapshot(db) == before


def test_show_views_not_tables(db: Session) -> None:
    run(db, "CREATE SECURE VIEW v COMMENT = 'c' AS SELECT id FROM t")
    assert [r[1] for r in rows(db, "SHOW TABLES")] == ["T"]
    (row,) = rows(db, "SHOW VIEWS")
    assert row[1:8] == (
        "V",
        "",
        "D",
        "PUBLIC",
        "ACCOUNTADMIN",
        "c",
        "CREATE SECURE VIEW v COMMENT = 'c' AS SELECT id FROM t",
    )
    assert row[8] == "true"
    assert rows(db, "SHOW VIEWS LIKE 'X%'") == []
    assert [r[1:3] for r in rows(db, "DESC SCHEMA d.public")] == [("T", "TABLE"), ("V", "VIEW")]


def test_rename_and_drop(db: Session) -> None:
    run(db, "CREATE VIEW v AS SELECT id FROM t")
    run(db, "ALTER VIEW v RENAME TO w")
    assert rows(db, "SELECT count(*) FROM w") == [(3,)]
    assert status(db, "DROP VIEW w") == "W successfully dropped."
    err = fails(db, "SELECT * FROM w")
    assert err.text == (
        "002003 (42S02): SQL compilation error:\nObject 'D.PUBLIC.W' does not exist or not "
        "authorized."
    )
    assert "already dropped" in status(db, "DROP VIEW IF EXISTS w")
    assert "UNDROP VIEW" in fails(db, "UNDROP VIEW w").text


def test_time_travel_on_a_view_is_refused(db: Session) -> None:
    run(db, "CREATE VIEW v AS SELECT id FROM t")
    err = fails(db, "SELECT * FROM v AT(OFFSET => -1)")
    assert err.text.startswith("000002 (0A000): Unsupported feature 'Time Travel")


def test_view_resolves_in_its_own_schema(db: Session) -> None:
    run(
        db,
        """CREATE SCHEMA other; CREATE TABLE t (id INT); INSERT INTO t VALUES (100);
        USE SCHEMA d.public; CREATE VIEW v AS SELECT id FROM t; USE SCHEMA d.other""",
    )
    # Unqualified `t` in the view is D.PUBLIC.T, not the session's D.OTHER.T.
    assert rows(db, "SELECT count(*) FROM d.public.v") == [(3,)]


def test_self_reference_fails_cleanly(db: Session) -> None:
    run(db, "CREATE VIEW v AS SELECT id FROM t; CREATE VIEW w AS SELECT id FROM v")
    run(db, "CREATE OR REPLACE VIEW v AS SELECT 1 AS id")
    run(db, "DROP VIEW w")
    run(db, "CREATE VIEW w AS SELECT id FROM v")
    run(db, "CREATE OR REPLACE VIEW v AS SELECT id FROM w")
    assert "refers to itself" in fails(db, "SELECT * FROM v").text


def test_owners_rights_select_on_view_only(sf: Session) -> None:
    run(
        sf,
        """CREATE ROLE analyst; CREATE USER bob DEFAULT_ROLE = analyst;
        GRANT ROLE analyst TO USER bob;
        CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1), (2);
        CREATE VIEW big AS SELECT v FROM t WHERE v > 1;
        GRANT USAGE ON DATABASE d TO ROLE analyst;
        GRANT USAGE ON SCHEMA d.public TO ROLE analyst;""",
    )
    sf.login("bob")
    err = fails(sf, "SELECT * FROM d.public.big")
    assert "does not exist or not authorized" in err.text
    sf.login("cloneshell")
    run(sf, "GRANT SELECT ON VIEW d.public.big TO ROLE analyst")
    sf.login("bob")
    # SELECT on the view suffices: the view reads T with its owner's rights.
    assert rows(sf, "SELECT * FROM d.public.big") == [(2,)]
    assert "does not exist or not authorized" in fails(sf, "SELECT * FROM d.public.t").text


def test_database_clone_keeps_qualified_reference_to_source(db: Session) -> None:
    run(
        db,
        """CREATE VIEW qualified AS SELECT id FROM d.public.t;
        CREATE VIEW relative AS SELECT id FROM t;
        CREATE DATABASE d2 CLONE d;
        INSERT INTO d.public.t VALUES (4, 'd');""",
    )
    # The fully qualified name still points at the source; the unqualified one at the clone.
    assert rows(db, "SELECT count(*) FROM d2.public.qualified") == [(4,)]
    assert rows(db, "SELECT count(*) FROM d2.public.relative") == [(3,)]


def test_schema_clone_copies_views(db: Session) -> None:
    run(
        db,
        """CREATE VIEW v AS SELECT id FROM public.t;
        CREATE SCHEMA s2 CLONE public;
        INSERT INTO d.public.t VALUES (4, 'd');""",
    )
    assert rows(db, "SELECT count(*) FROM d.s2.v") == [(4,)]
    assert [r[1] for r in rows(db, "SHOW VIEWS IN SCHEMA d.s2")] == ["V"]


def test_create_table_like_a_view(db: Session) -> None:
    run(db, "CREATE VIEW v AS SELECT id, name FROM t; CREATE TABLE c LIKE v")
    assert [r[0:2] for r in rows(db, "DESC TABLE c")] == [
        ("ID", "NUMBER(38,0)"),
        ("NAME", "VARCHAR(16777216)"),
    ]
    assert rows(db, "SELECT count(*) FROM c") == [(0,)]
