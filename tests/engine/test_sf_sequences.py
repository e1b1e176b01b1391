"""Snowflake sequences: CREATE/DROP/SHOW/DESC SEQUENCE, seq.NEXTVAL in SELECT, INSERT and DEFAULT,
AUTOINCREMENT/IDENTITY columns (the examples of Snowflake's CREATE SEQUENCE and "Using
sequences" pages), and clones re-pointing defaults to the cloned sequence."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run, snapshot

from cloneshell.engine import Session

SHOW_COLUMNS = [
    "name",
    "database_name",
    "schema_name",
    "next_value",
    "interval",
    "created_on",
    "owner",
    "comment",
    "owner_role_type",
    "ordered",
]


@pytest.fixture
def db(sf: Session) -> Session:
    run(sf, "CREATE DATABASE d")
    return sf


def test_doc_example_seq_01(db: Session) -> None:
    run(
        db,
        """CREATE OR REPLACE SEQUENCE seq_01 START = 1 INCREMENT = 1;
        CREATE OR REPLACE TABLE sequence_test_table (i INTEGER)""",
    )
    assert rows(db, "SELECT seq_01.nextval") == [(1,)]
    assert rows(db, "SELECT seq_01.nextval") == [(2,)]
    run(db, "INSERT INTO sequence_test_table (i) VALUES (seq_01.nextval)")
    assert rows(db, "SELECT i FROM sequence_test_table") == [(3,)]


def test_doc_example_seq_5_each_call_distinct(db: Session) -> None:
    run(db, "CREATE OR REPLACE SEQUENCE seq_5 START = 1 INCREMENT = 5")
    assert rows(
        db, "SELECT seq_5.nextval a, seq_5.nextval b, seq_5.nextval c, seq_5.nextval d"
    ) == [(1, 6, 11, 16)]
    run(db, "CREATE TABLE three (x INT); INSERT INTO three VALUES (1), (2), (3)")
    got = rows(db, "SELECT seq_5.nextval FROM three")
    assert sorted(got) == [(21,), (26,), (31,)]


def test_default_nextval_and_identity(db: Session) -> None:
    run(
        db,
        """CREATE OR REPLACE SEQUENCE seq90;
        CREATE OR REPLACE TABLE sequence_demo (i INTEGER DEFAULT seq90.nextval, dummy SMALLINT);
        INSERT INTO sequence_demo (dummy) VALUES (0);
        CREATE TABLE auto (id INT AUTOINCREMENT, k INT IDENTITY (100, 10), v STRING);
        INSERT INTO auto (v) VALUES ('a'), ('b'); INSERT INTO auto (v) SELECT 'c'""",
    )
    assert rows(db, "SELECT * FROM sequence_demo") == [(1, 0)]
    assert rows(db, "SELECT id, k, v FROM auto ORDER BY v") == [
        (1, 100, "a"),
        (2, 110, "b"),
        (3, 120, "c"),
    ]
    desc = [(r[0], r[4]) for r in rows(db, "DESC TABLE auto")]
    assert desc == [
        ("ID", "IDENTITY START 1 INCREMENT 1 ORDER"),
        ("K", "IDENTITY START 100 INCREMENT 10 ORDER"),
        ("V", None),
    ]
    assert rows(db, "DESC TABLE sequence_demo")[0][4] == "D.PUBLIC.SEQ90.NEXTVAL"
    # An identity column's own sequence is not listed.
    assert [r[0] for r in rows(db, "SHOW SEQUENCES")] == ["SEQ90"]


def test_show_desc_drop(db: Session) -> None:
    run(db, "CREATE SEQUENCE s START WITH 10 INCREMENT BY -2 COMMENT = 'down'")
    (r,) = db.execute("SHOW SEQUENCES LIKE 's%'")
    assert [c.name for c in r.columns] == SHOW_COLUMNS  # type: ignore[union-attr]
    assert [x[:5] + x[6:8] for x in rows(db, "SHOW SEQUENCES")] == [
        ("S", "D", "PUBLIC", 10, -2, "ACCOUNTADMIN", "down")
    ]
    assert rows(db, "SELECT s.nextval, s.nextval") == [(10, 8)]
    assert rows(db, "DESC SEQUENCE s")[0][3] == 6
    assert fails(db, "CREATE SEQUENCE s").text == (
        "002002 (42710): SQL compilation error:\nObject 'S' already exists."
    )
    assert "already exists" in rows_or_status(db, "CREATE SEQUENCE IF NOT EXISTS s")
    assert rows_or_status(db, "DROP SEQUENCE s") == "S successfully dropped."
    before = snapshot(db)
    err = fails(db, "SELECT s.nextval")
    assert err.text == (
        "002003 (42S02): SQL compilation error:\n"
        "Object 'D.PUBLIC.S' does not exist or not authorized."
    )
    assert snapshot(db) == before


def rows_or_status(s: Session, sql: str) -> str:
    (r,) = s.execute(sql)
    return str(r.message)


def test_clones_repoint_defaults(db: Session) -> None:
    run(
        db,
        """CREATE SEQUENCE seq; CREATE TABLE t (id INT DEFAULT seq.nextval, v STRING);
        INSERT INTO t (v) VALUES ('a');
        CREATE SCHEMA s2 CLONE public; CREATE DATABASE d2 CLONE d""",
    )
    # Both clones go on from where the source was; each draws from its own copy.
    run(db, "INSERT INTO d.s2.t (v) VALUES ('b'); INSERT INTO d2.public.t (v) VALUES ('c')")
    assert rows(db, "SELECT id, v FROM d.s2.t ORDER BY v") == [(1, "a"), (2, "b")]
    assert rows(db, "SELECT id, v FROM d2.public.t ORDER BY v") == [(1, "a"), (2, "c")]
    assert rows(db, "DESC TABLE d2.public.t")[0][4] == "D2.PUBLIC.SEQ.NEXTVAL"
    assert rows(db, "DESC TABLE d.s2.t")[0][4] == "D.S2.SEQ.NEXTVAL"
    run(db, "INSERT INTO d.public.t (v) VALUES ('d')")
    assert rows(db, "SELECT id FROM d.public.t WHERE v = 'd'") == [(2,)]


def test_maxcompute_refuses(db: Session) -> None:
    run(db, "ALTER SESSION SET DIALECT = maxcompute")
    assert "Snowflake" in fails(db, "CREATE SEQUENCE s").text


def test_identity_in_show_columns_information_schema_and_get_ddl(db: Session) -> None:
    run(
        db,
        "CREATE SEQUENCE sq;"
        " CREATE TABLE t (id INT IDENTITY START 5 INCREMENT 2, n INT DEFAULT sq.nextval)",
    )
    got = [(r[2], r[5], r[10]) for r in rows(db, "SHOW COLUMNS IN TABLE t")]
    assert got == [
        ("ID", "", "IDENTITY START 5 INCREMENT 2 ORDER"),
        ("N", "D.PUBLIC.SQ.NEXTVAL", ""),
    ]
    info = rows(
        db,
        """SELECT column_name, column_default, is_identity, identity_start, identity_increment
        FROM information_schema.columns WHERE table_name = 'T' ORDER BY ordinal_position""",
    )
    assert info == [("ID", None, "YES", "5", "2"), ("N", "D.PUBLIC.SQ.NEXTVAL", "NO", None, None)]
    assert rows(db, "SELECT GET_DDL('TABLE', 't')") == [
        (
            "create or replace TABLE T (\n"
            "\tID NUMBER(38,0) autoincrement start 5 increment 2 order,\n"
            "\tN NUMBER(38,0) DEFAULT D.PUBLIC.SQ.NEXTVAL\n);",
        )
    ]
