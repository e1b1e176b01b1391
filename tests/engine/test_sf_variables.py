"""Snowflake session variables: SET (both forms), UNSET, `$x` in expressions, SHOW VARIABLES,
with the SET doc page's examples; an undefined variable fails and changes nothing."""

from __future__ import annotations

from engine_helpers import fails, rows, run

from cloneshell.engine import Session


def test_set_doc_examples(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE table1 (id INT); INSERT INTO table1 VALUES (1), (2)")
    run(sf, "SET V1 = 10; SET V2 = 'example'")
    assert rows(sf, "SELECT $V1, $v2") == [(10, "example")]
    run(sf, "SET (V1, V2) = (11, 'other')")
    assert rows(sf, "SELECT $v1, $V2") == [(11, "other")]
    run(sf, "SET id_threshold = (SELECT COUNT(*)/2 FROM table1)")
    assert rows(sf, "SELECT id FROM table1 WHERE id > $id_threshold") == [(2,)]
    run(sf, "SET (min, max) = (40, 70)")
    assert rows(sf, "SELECT $min") == [(40,)]
    assert rows(sf, "SELECT $max - $min") == [(30,)]


def test_value_is_taken_when_set(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT); INSERT INTO t VALUES (1)")
    run(sf, "SET n = (SELECT count(*) FROM t)")
    run(sf, "INSERT INTO t VALUES (2)")
    assert rows(sf, "SELECT $n") == [(1,)]


def test_undefined_and_unset(sf: Session) -> None:
    err = fails(sf, "SELECT $nope + 1")
    assert err.text == (
        "002000 (42000): SQL compilation error:\nSession variable '$NOPE' does not exist"
    )
    assert err.span is not None and err.span.column == 8
    run(sf, "SET (a, b, c) = (1, 2, 3)")
    run(sf, "UNSET a; UNSET (b, c)")
    assert fails(sf, "SELECT $b").code == "002000"
    assert fails(sf, "UNSET a").code == "002000"
    assert "2 value(s) to 3 variable(s)" in fails(sf, "SET (a, b, c) = (1, 2)").text
    assert fails(sf, "SET a = (1 +").code == "001003"
    assert rows(sf, "SHOW VARIABLES") == []


def test_show_variables(sf: Session) -> None:
    run(sf, "SET (num, txt, flag) = (5, 'hi', TRUE)")
    shown = [(r[3], r[4], r[5]) for r in rows(sf, "SHOW VARIABLES")]
    assert shown == [("FLAG", "true", "boolean"), ("NUM", "5", "fixed"), ("TXT", "hi", "text")]
    assert [r[3] for r in rows(sf, "SHOW VARIABLES LIKE 'n%'")] == ["NUM"]


def test_identifier_names_an_object(sf: Session) -> None:
    """IDENTIFIER('name') as an object name (the IDENTIFIER() doc page's literal forms)."""
    run(sf, "CREATE DATABASE d; CREATE TABLE IDENTIFIER('my_t') (a INT)")
    run(sf, "INSERT INTO IDENTIFIER('d.public.my_t') VALUES (1)")
    assert rows(sf, "SELECT a FROM identifier('MY_T')") == [(1,)]
    assert rows(sf, "WITH x AS (SELECT 1 AS foo) SELECT foo FROM IDENTIFIER('x')") == [(1,)]
    # A quoted part keeps its case: "my_t" is not MY_T.
    assert fails(sf, """SELECT * FROM IDENTIFIER('"my_t"')""").code == "002003"
    assert fails(sf, "SELECT * FROM IDENTIFIER('a b')").code == "001003"
