"""Snowflake ALTER TABLE on columns, clustering and names (ALTER TABLE doc page's forms), Time
Travel after a column change (the current columns; an added one NULL in the past), OWNERSHIP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_helpers import fails, rows, run, status

from cloneshell.engine import Session

OK = "Statement executed successfully."


@pytest.fixture
def db(sf: Session) -> Session:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT, b STRING); INSERT INTO t VALUES (1, 'x')")
    return sf


def columns(s: Session, table: str = "t") -> list[tuple[object, ...]]:
    """(name, type, null?, default) of DESC TABLE."""
    return [(r[0], r[1], r[3], r[4]) for r in rows(s, f"DESC TABLE {table}")]


def test_add_column_with_default_and_if_not_exists(db: Session) -> None:
    assert status(db, "ALTER TABLE t ADD COLUMN c NUMBER(10,2) DEFAULT 1.5") == OK
    run(db, "ALTER TABLE t ADD d VARCHAR(5), e BOOLEAN")
    run(db, "ALTER TABLE t ADD COLUMN IF NOT EXISTS c INT")
    assert rows(db, "SELECT * FROM t") == [(1, "x", pytest.approx(1.5), None, None)]
    assert [c[0] for c in columns(db)] == ["A", "B", "C", "D", "E"]
    err = fails(db, "ALTER TABLE t ADD COLUMN a INT")
    assert err.text == "002000 (42000): SQL compilation error:\ncolumn 'A' already exists"
    err = fails(db, "ALTER TABLE t ADD COLUMN z INT NOT NULL")
    assert "Non-nullable column 'Z' cannot be added to non-empty table 'T'" in err.text
    run(db, "INSERT INTO t (a, b) VALUES (2, 'y')")
    assert rows(db, "SELECT c, d FROM t WHERE a = 2") == [(pytest.approx(1.5), None)]


def test_drop_and_rename_column(db: Session) -> None:
    run(db, "ALTER TABLE t ADD COLUMN c INT")
    run(db, "ALTER TABLE t DROP COLUMN c")
    run(db, "ALTER TABLE t RENAME COLUMN b TO name")
    assert rows(db, "SELECT a, name FROM t") == [(1, "x")]
    err = fails(db, "ALTER TABLE t DROP COLUMN nope")
    assert err.code == "000904" and "invalid identifier 'NOPE'" in err.text
    run(db, "ALTER TABLE t DROP COLUMN IF EXISTS nope")
    assert "Cannot drop the only column" in fails(db, "ALTER TABLE t DROP a, name").text
    assert [c[0] for c in columns(db)] == ["A", "NAME"]  # nothing changed


def test_alter_column_changes(db: Session) -> None:
    run(db, "ALTER TABLE t ALTER COLUMN a SET NOT NULL, COLUMN b SET DEFAULT 'dflt'")
    assert columns(db)[:2] == [
        ("A", "NUMBER(38,0)", "N", None),
        ("B", "VARCHAR(16777216)", "Y", "'dflt'"),
    ]
    err = fails(db, "INSERT INTO t (b) VALUES ('z')")
    assert "NULL" in err.text
    run(db, "INSERT INTO t (a) VALUES (2)")
    assert rows(db, "SELECT b FROM t WHERE a = 2") == [("dflt",)]
    run(db, "ALTER TABLE t MODIFY a DROP NOT NULL, b DROP DEFAULT")
    assert columns(db)[:2] == [
        ("A", "NUMBER(38,0)", "Y", None),
        ("B", "VARCHAR(16777216)", "Y", None),
    ]
    run(db, "INSERT INTO t (b) VALUES ('n')")
    assert (
        "NULL result in a non-nullable column 'A'"
        in fails(db, "ALTER TABLE t ALTER a SET NOT NULL").text
    )
    run(db, "ALTER TABLE t ALTER b COMMENT 'the b'")
    assert rows(db, "DESC TABLE t")[1][9] == "the b"


def test_type_changes(db: Session) -> None:
    run(db, "CREATE TABLE n (v VARCHAR(10), x NUMBER(10,2)); INSERT INTO n VALUES ('abc', 12.5)")
    run(db, "ALTER TABLE n ALTER v SET DATA TYPE VARCHAR(50)")
    run(db, "ALTER TABLE n ALTER x TYPE NUMBER(20,2)")
    assert columns(db, "n") == [("V", "VARCHAR(50)", "Y", None), ("X", "NUMBER(20,2)", "Y", None)]
    err = fails(db, "ALTER TABLE n ALTER v TYPE VARCHAR(5)")
    assert "reducing the byte-length of a varchar is not supported" in err.text
    err = fails(db, "ALTER TABLE n ALTER x TYPE NUMBER(20,3)")
    assert "changing the scale of a number is not supported" in err.text
    err = fails(db, "ALTER TABLE n ALTER x TYPE VARCHAR(10)")
    assert err.text.endswith("cannot change column X from type NUMBER(20,2) to VARCHAR(10)")
    assert rows(db, "SELECT v, x FROM n") == [("abc", pytest.approx(12.5))]


def test_time_travel_reads_the_current_columns(db: Session) -> None:
    """ALTER TABLE ADD COLUMN, then a historical read: the new column is NULL in the past; after
    DROP COLUMN the past is read without it."""
    db.move_clock(timedelta(minutes=5))
    run(db, "ALTER TABLE t ADD COLUMN c INT")
    run(db, "INSERT INTO t VALUES (2, 'y', 20)")
    db.move_clock(timedelta(minutes=5))
    run(db, "UPDATE t SET c = 10 WHERE a = 1")
    assert rows(db, "SELECT * FROM t AT(OFFSET => -60*7) ORDER BY a") == [(1, "x", None)]
    assert rows(db, "SELECT * FROM t ORDER BY a") == [(1, "x", 10), (2, "y", 20)]
    run(db, "ALTER TABLE t DROP COLUMN b")
    assert rows(db, "SELECT * FROM t AT(OFFSET => -60*7) ORDER BY a") == [(1, None)]
    db.move_clock(timedelta(minutes=1))
    run(db, "UPDATE t SET c = 11 WHERE a = 1")  # history keeps working after the changes
    assert rows(db, "SELECT c FROM t AT(OFFSET => -30) ORDER BY a") == [(10,), (20,)]
    assert rows(db, "SELECT c FROM t ORDER BY a") == [(11,), (20,)]


def test_swap_with(db: Session) -> None:
    run(db, "CREATE TABLE u (z INT); INSERT INTO u VALUES (9)")
    assert status(db, "ALTER TABLE t SWAP WITH u") == OK
    assert rows(db, "SELECT * FROM t") == [(9,)]
    assert rows(db, "SELECT * FROM u") == [(1, "x")]


def test_clustering_and_reclustering(db: Session) -> None:
    def show() -> tuple[object, object]:
        r = next(r for r in rows(db, "SHOW TABLES") if r[1] == "T")
        return r[6], r[11]

    run(db, "ALTER TABLE t CLUSTER BY (a, b)")
    assert show() == ("LINEAR(A, B)", "ON")
    run(db, "ALTER TABLE t SUSPEND RECLUSTER")
    assert show() == ("LINEAR(A, B)", "OFF")
    run(db, "ALTER TABLE t RESUME RECLUSTER")
    assert show() == ("LINEAR(A, B)", "ON")
    # A clone starts with automatic clustering suspended.
    run(db, "CREATE TABLE c CLONE t")
    assert next((r[6], r[11]) for r in rows(db, "SHOW TABLES") if r[1] == "C") == (
        "LINEAR(A, B)",
        "OFF",
    )
    run(db, "ALTER TABLE t DROP CLUSTERING KEY")
    assert show() == ("", "OFF")
    assert "does not have a clustering key" in fails(db, "ALTER TABLE t RESUME RECLUSTER").text
    assert fails(db, "ALTER TABLE t CLUSTER BY (nope)").code == "000904"


def test_ownership_if_exists_and_views(db: Session) -> None:
    assert status(db, "ALTER TABLE IF EXISTS missing ADD COLUMN c INT") == OK
    assert fails(db, "ALTER TABLE missing ADD COLUMN c INT").code == "002003"
    run(db, "CREATE VIEW v AS SELECT a FROM t")
    assert fails(db, "ALTER TABLE v ADD COLUMN c INT").code == "002203"
    run(db, "CREATE ROLE r; GRANT ROLE r TO USER cloneshell; GRANT USAGE ON DATABASE d TO ROLE r")
    run(db, "GRANT USAGE ON SCHEMA d.public TO ROLE r; GRANT SELECT ON TABLE d.public.t TO ROLE r")
    run(db, "USE ROLE r")
    assert fails(db, "ALTER TABLE t ADD COLUMN c INT").code == "003001"


def test_added_default_is_not_in_the_past(db: Session) -> None:
    db.move_clock(timedelta(minutes=5))
    run(db, "ALTER TABLE t ADD COLUMN c INT DEFAULT 7")
    assert rows(db, "SELECT c FROM t") == [(7,)]
    assert rows(db, "SELECT c FROM t AT(OFFSET => -60) ") == [(None,)]
