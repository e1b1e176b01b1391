"""Snowflake GET_DDL for tables, views, schemas and databases: the DDL as GET_DDL's page shows
it (its books_table / books_view examples), constraints included, visibility respected."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Session

BOOKS_TABLE = "create or replace TABLE BOOKS_TABLE (\n\tID NUMBER(38,0),\n\tTITLE VARCHAR(255)\n);"
BOOKS_VIEW = "CREATE VIEW books_view AS SELECT title FROM books_table;"


@pytest.fixture
def db(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE books_db; CREATE SCHEMA books_schema;
        CREATE TABLE books_table (id INT, title VARCHAR(255));
        CREATE VIEW books_view AS SELECT title FROM books_table""",
    )
    return sf


def ddl(s: Session, sql: str) -> str:
    ((value,),) = rows(s, sql)
    assert isinstance(value, str)
    return value


def test_doc_examples(db: Session) -> None:
    assert ddl(db, "SELECT GET_DDL('TABLE', 'books_table')") == BOOKS_TABLE
    assert ddl(db, "SELECT GET_DDL('VIEW', 'books_view')") == BOOKS_VIEW
    assert ddl(db, "SELECT GET_DDL('SCHEMA', 'books_schema')") == (
        f"create or replace schema BOOKS_SCHEMA;\n\n{BOOKS_TABLE}\n\n{BOOKS_VIEW}"
    )
    # The third argument qualifies the recreated objects' names.
    assert ddl(db, "SELECT GET_DDL('TABLE', 'books_db.books_schema.books_table', TRUE)") == (
        BOOKS_TABLE.replace("TABLE BOOKS_TABLE", "TABLE BOOKS_DB.BOOKS_SCHEMA.BOOKS_TABLE")
    )


def test_columns_and_constraints(db: Session) -> None:
    run(
        db,
        """CREATE TRANSIENT TABLE k (a INT PRIMARY KEY,
        b STRING NOT NULL DEFAULT 'x' COMMENT 'the b', c INT, CONSTRAINT uq UNIQUE (c),
        FOREIGN KEY (c) REFERENCES k (a)) COMMENT = 'keys'""",
    )
    assert ddl(db, "SELECT get_ddl('table', 'k')") == (
        "create or replace TRANSIENT TABLE K (\n"
        "\tA NUMBER(38,0) NOT NULL,\n"
        "\tB VARCHAR(16777216) NOT NULL DEFAULT 'x' COMMENT 'the b',\n"
        "\tC NUMBER(38,0),\n"
        "\tprimary key (A),\n"
        "\tconstraint UQ unique (C),\n"
        "\tforeign key (C) references BOOKS_DB.BOOKS_SCHEMA.K(A)\n"
        ")\nCOMMENT='keys';"
    )


def test_database_and_errors(db: Session) -> None:
    text = ddl(db, "SELECT GET_DDL('DATABASE', 'books_db')")
    assert text.startswith(
        "create or replace database BOOKS_DB;\n\ncreate or replace schema PUBLIC;"
    )
    assert text.endswith(f"create or replace schema BOOKS_SCHEMA;\n\n{BOOKS_TABLE}\n\n{BOOKS_VIEW}")
    assert "not specified type 'VIEW'" in fails(db, "SELECT GET_DDL('VIEW', 'books_table')").text
    assert "does not exist or not authorized" in fails(db, "SELECT GET_DDL('TABLE', 'nope')").text
    err = fails(db, "SELECT GET_DDL('WAREHOUSE', 'w')")
    assert err.code == "000002" and "GET_DDL of a WAREHOUSE" in err.text


def test_invisible_objects(db: Session) -> None:
    run(
        db,
        """GRANT USAGE ON DATABASE books_db TO ROLE PUBLIC;
        GRANT USAGE ON SCHEMA books_db.books_schema TO ROLE PUBLIC;
        GRANT SELECT ON VIEW books_db.books_schema.books_view TO ROLE PUBLIC; CREATE USER eve""",
    )
    db.login("eve")
    run(db, "USE SCHEMA books_db.books_schema")
    assert "does not exist" in fails(db, "SELECT GET_DDL('TABLE', 'books_table')").text
    assert ddl(db, "SELECT GET_DDL('SCHEMA', 'books_schema')") == (
        f"create or replace schema BOOKS_SCHEMA;\n\n{BOOKS_VIEW}"
    )
