"""Snowflake SHOW [TERSE] OBJECTS and SHOW COLUMNS: the documented columns in order, the scopes,
LIKE / STARTS WITH / LIMIT … FROM, and objects the role cannot see left out."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Rows, Session

OBJECT_COLUMNS = [
    "created_on",
    "name",
    "database_name",
    "schema_name",
    "kind",
    "comment",
    "cluster_by",
    "rows",
    "bytes",
    "owner",
    "retention_time",
    "owner_role_type",
    "is_hybrid",
    "is_dynamic",
    "is_iceberg",
]
TERSE_COLUMNS = ["created_on", "name", "kind", "database_name", "schema_name"]
COLUMN_COLUMNS = [
    "table_name",
    "schema_name",
    "column_name",
    "data_type",
    "null?",
    "default",
    "kind",
    "expression",
    "comment",
    "database_name",
    "autoincrement",
    "schema_evolution_record",
]


@pytest.fixture
def db(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (id INT NOT NULL, name VARCHAR(10) COMMENT 'who');
        INSERT INTO t VALUES (1, 'a'), (2, 'b');
        CREATE TRANSIENT TABLE tr (x FLOAT);
        CREATE VIEW v AS SELECT id FROM t;
        CREATE SCHEMA s2; CREATE TABLE s2.other (ts TIMESTAMP_NTZ, b BOOLEAN, n NUMBER(10,2));
        USE SCHEMA public""",
    )
    return sf


def result(s: Session, sql: str) -> Rows:
    (r,) = s.execute(sql)
    assert isinstance(r, Rows)
    return r


def test_show_objects_columns_and_rows(db: Session) -> None:
    r = result(db, "SHOW OBJECTS")
    assert [c.name for c in r.columns] == OBJECT_COLUMNS
    got = [(x[1], x[2], x[3], x[4], x[7], x[9], x[13]) for x in r.rows]
    # The current schema only; a transient table is of kind TABLE, a view VIEW; rows counted.
    assert got == [
        ("T", "D", "PUBLIC", "TABLE", 2, "ACCOUNTADMIN", "N"),
        ("TR", "D", "PUBLIC", "TABLE", 0, "ACCOUNTADMIN", "N"),
        ("V", "D", "PUBLIC", "VIEW", 0, "ACCOUNTADMIN", "N"),
    ]


def test_show_objects_scopes(db: Session) -> None:
    assert [x[1] for x in rows(db, "SHOW OBJECTS IN SCHEMA d.s2")] == ["OTHER"]
    assert [x[1] for x in rows(db, "SHOW OBJECTS IN d.s2 LIMIT 10000")] == ["OTHER"]
    assert [(x[3], x[1]) for x in rows(db, "SHOW OBJECTS IN DATABASE d")] == [
        ("PUBLIC", "T"),
        ("PUBLIC", "TR"),
        ("PUBLIC", "V"),
        ("S2", "OTHER"),
    ]
    assert [x[1] for x in rows(db, "SHOW OBJECTS IN ACCOUNT")] == ["T", "TR", "V", "OTHER"]
    # The service's code for a SHOW in a missing schema (dbt-snowflake's list_relations
    # expects it: dbt/adapters/snowflake/impl.py, dbt-core issue #621).
    err = fails(db, "SHOW OBJECTS IN SCHEMA d.nope")
    assert err.text == (
        "002043 (02000): SQL compilation error:\n"
        "Object does not exist, or operation cannot be performed."
    )


def test_show_terse_objects_like_starts_limit_from(db: Session) -> None:
    r = result(db, "SHOW TERSE OBJECTS LIKE 't%' IN DATABASE d")
    assert [c.name for c in r.columns] == TERSE_COLUMNS
    assert [x[1:] for x in r.rows] == [
        ("T", "TABLE", "D", "PUBLIC"),
        ("TR", "TABLE", "D", "PUBLIC"),
    ]
    assert [x[1] for x in rows(db, "SHOW OBJECTS STARTS WITH 'T'")] == ["T", "TR"]
    assert [x[1] for x in rows(db, "SHOW OBJECTS LIMIT 1 FROM 'T'")] == ["TR"]
    assert [x[1] for x in rows(db, "SHOW TERSE OBJECTS LIMIT 2")] == ["T", "TR"]


def test_show_columns_of_a_table_as_json_types(db: Session) -> None:
    r = result(db, "SHOW COLUMNS IN TABLE t")
    assert [c.name for c in r.columns] == COLUMN_COLUMNS
    assert r.rows == [
        (
            "T",
            "PUBLIC",
            "ID",
            '{"type":"FIXED","precision":38,"scale":0,"nullable":false}',
            "false",
            "",
            "COLUMN",
            "",
            "",
            "D",
            "",
            None,
        ),
        (
            "T",
            "PUBLIC",
            "NAME",
            '{"type":"TEXT","length":10,"byteLength":40,"nullable":true,"fixed":false}',
            "true",
            "",
            "COLUMN",
            "",
            "who",
            "D",
            "",
            None,
        ),
    ]
    assert [x[3] for x in rows(db, "SHOW COLUMNS IN d.s2.other")] == [
        '{"type":"TIMESTAMP_NTZ","precision":0,"scale":9,"nullable":true}',
        '{"type":"BOOLEAN","nullable":true}',
        '{"type":"FIXED","precision":10,"scale":2,"nullable":true}',
    ]
    assert [x[3] for x in rows(db, "SHOW COLUMNS IN TABLE tr")] == [
        '{"type":"REAL","nullable":true}'
    ]


def test_show_columns_scopes_and_like(db: Session) -> None:
    assert [(x[0], x[2]) for x in rows(db, "SHOW COLUMNS")] == [
        ("T", "ID"),
        ("T", "NAME"),
        ("TR", "X"),
        ("V", "ID"),
    ]
    assert [(x[0], x[2]) for x in rows(db, "SHOW COLUMNS LIKE 'i%' IN DATABASE d")] == [
        ("T", "ID"),
        ("V", "ID"),
    ]
    assert [x[2] for x in rows(db, "SHOW COLUMNS IN VIEW v")] == ["ID"]
    assert [x[2] for x in rows(db, "SHOW COLUMNS IN SCHEMA s2")] == ["TS", "B", "N"]
    assert "not specified type 'VIEW'" in fails(db, "SHOW COLUMNS IN VIEW t").text
    assert "does not exist or not authorized" in fails(db, "SHOW COLUMNS IN TABLE nope").text
    assert "LIMIT is not valid in SHOW COLUMNS" in fails(db, "SHOW COLUMNS LIMIT 3").text
    assert "SHOW TABLES IN TABLE" in fails(db, "SHOW TABLES IN TABLE t").text


def test_invisible_objects_are_not_listed(db: Session) -> None:
    run(
        db,
        """GRANT USAGE ON DATABASE d TO ROLE PUBLIC; GRANT USAGE ON SCHEMA d.public TO ROLE PUBLIC;
        GRANT SELECT ON TABLE d.public.t TO ROLE PUBLIC; CREATE USER eve""",
    )
    db.login("eve")
    run(db, "USE SCHEMA d.public")
    assert [x[1] for x in rows(db, "SHOW OBJECTS")] == ["T"]
    assert [x[1] for x in rows(db, "SHOW TERSE OBJECTS IN ACCOUNT")] == ["T"]
    assert [(x[0], x[2]) for x in rows(db, "SHOW COLUMNS IN DATABASE d")] == [
        ("T", "ID"),
        ("T", "NAME"),
    ]
    err = fails(db, "SHOW COLUMNS IN TABLE tr")
    assert err.text == (
        "002003 (42S02): SQL compilation error:\n"
        "Object 'D.PUBLIC.TR' does not exist or not authorized."
    )
    # The schema S2 holds no grant: not listed, and naming it reports it missing.
    assert fails(db, "SHOW OBJECTS IN SCHEMA d.s2").code == "002043"
    assert "does not exist or not authorized" in fails(db, "SHOW TABLES IN SCHEMA d.s2").text
