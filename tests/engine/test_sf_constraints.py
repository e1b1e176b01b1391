"""Snowflake column constraints: PRIMARY KEY / UNIQUE / FOREIGN KEY inline and out of line, named
or not, kept as metadata and shown (DESC TABLE, SHOW PRIMARY|UNIQUE|IMPORTED KEYS), never
enforced; NOT NULL enforced; a primary key's columns are NOT NULL; clones keep them."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run, snapshot

from cloneshell.engine import Session


@pytest.fixture
def db(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR UNIQUE, name VARCHAR);
        CREATE TABLE orders (
            id INT, customer_id INT NOT NULL REFERENCES customers (id), ref VARCHAR,
            CONSTRAINT pk_orders PRIMARY KEY (id, ref) NOT ENFORCED RELY,
            CONSTRAINT uq_ref UNIQUE (ref),
            CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers
        )""",
    )
    return sf


def test_desc_table_shows_keys(db: Session) -> None:
    desc = [(r[0], r[3], r[5], r[6]) for r in rows(db, "DESC TABLE customers")]
    # The primary key's column became NOT NULL.
    assert desc == [("ID", "N", "Y", "N"), ("EMAIL", "Y", "N", "Y"), ("NAME", "Y", "N", "N")]
    desc = [(r[0], r[3], r[5], r[6]) for r in rows(db, "DESC TABLE orders")]
    assert desc == [("ID", "N", "Y", "N"), ("CUSTOMER_ID", "N", "N", "N"), ("REF", "N", "Y", "Y")]


def test_show_primary_and_unique_keys(db: Session) -> None:
    got = rows(db, "SHOW PRIMARY KEYS IN TABLE orders")
    assert [r[1:8] for r in got] == [
        ("D", "PUBLIC", "ORDERS", "ID", 1, "PK_ORDERS", "true"),
        ("D", "PUBLIC", "ORDERS", "REF", 2, "PK_ORDERS", "true"),
    ]
    everything = rows(db, "SHOW PRIMARY KEYS IN SCHEMA d.public")
    assert [(r[3], r[4]) for r in everything] == [
        ("CUSTOMERS", "ID"),
        ("ORDERS", "ID"),
        ("ORDERS", "REF"),
    ]
    system = everything[0][6]
    assert system.startswith("SYS_CONSTRAINT_") and len(system) == len("SYS_CONSTRAINT_") + 36
    assert [(r[3], r[4], r[6]) for r in rows(db, "SHOW UNIQUE KEYS")][1:] == [
        ("ORDERS", "REF", "UQ_REF")
    ]


def test_show_imported_keys(db: Session) -> None:
    got = rows(db, "SHOW IMPORTED KEYS IN orders")
    pk_name = rows(db, "SHOW PRIMARY KEYS IN customers")[0][6]
    assert [r[1:15] for r in got] == [
        ("D", "PUBLIC", "CUSTOMERS", "ID", "D", "PUBLIC", "ORDERS", "CUSTOMER_ID", 1)
        + ("NO ACTION", "NO ACTION", f"{name}", pk_name, "NOT DEFERRABLE")
        for name in (got[0][12], "FK_CUST")
    ]


def test_constraints_are_not_enforced_but_not_null_is(db: Session) -> None:
    run(db, "INSERT INTO customers VALUES (1, 'a@x', 'a'), (1, 'a@x', 'b')")
    run(db, "INSERT INTO orders VALUES (1, 99, 'r'), (1, 98, 'r')")  # no such customer: kept
    assert rows(db, "SELECT count(*) FROM orders") == [(2,)]
    before = snapshot(db)
    err = fails(db, "INSERT INTO customers (email) VALUES ('x')")
    assert err.text == "100072 (22000): NULL result in a non-nullable column"
    assert snapshot(db) == before


def test_clone_keeps_constraints(db: Session) -> None:
    run(db, "CREATE TABLE customers2 CLONE customers")
    assert [(r[3], r[4]) for r in rows(db, "SHOW PRIMARY KEYS IN customers2")] == [
        ("CUSTOMERS2", "ID")
    ]
    run(db, "CREATE DATABASE d2 CLONE d")
    assert [r[6] for r in rows(db, "SHOW UNIQUE KEYS IN d2.public.orders")] == ["UQ_REF"]


def test_bad_constraints(db: Session) -> None:
    err = fails(db, "CREATE TABLE x (a INT, PRIMARY KEY (b))")
    assert "invalid identifier 'B'" in err.text
    err = fails(db, "CREATE TABLE x (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))")
    assert "more than one primary key" in err.text
    err = fails(db, "CREATE TABLE x (a INT REFERENCES nope (id))")
    assert "does not exist or not authorized" in err.text
    # Forms from Snowflake's constraint pages parse and are kept.
    run(
        db,
        """CREATE TABLE x (a INT CONSTRAINT pk_x PRIMARY KEY ENFORCED DEFERRABLE INITIALLY DEFERRED,
        b INT NULL, c INT, UNIQUE (b, c) NORELY, FOREIGN KEY (c) REFERENCES customers (id)
        MATCH FULL ON UPDATE NO ACTION ON DELETE SET NULL)""",
    )
    assert [r[6] for r in rows(db, "SHOW PRIMARY KEYS IN x")] == ["PK_X"]


def test_maxcompute_refuses_constraints(db: Session) -> None:
    run(db, "ALTER SESSION SET DIALECT = maxcompute")
    err = fails(db, "CREATE TABLE x (a BIGINT PRIMARY KEY)")
    assert "constraints" in err.text


def test_schema_clone_repoints_foreign_keys_inside_it(db: Session) -> None:
    run(db, "CREATE SCHEMA p2 CLONE public")
    got = rows(db, "SHOW IMPORTED KEYS IN p2.orders")
    assert {(r[1], r[2], r[3]) for r in got} == {("D", "P2", "CUSTOMERS")}
