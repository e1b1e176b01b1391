"""Snowflake `SELECT … FROM @stage`: the "Querying data in staged files" page's examples ($1,
$2, METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, PATTERN, JSON paths), privileges (READ on an
internal stage) and coded errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Rows, Session


@pytest.fixture
def staged(sf: Session, tmp_path: Path) -> Session:
    (tmp_path / "data1.csv").write_text("a|b\nc|d\n")
    (tmp_path / "data2.csv").write_text("e|f\ng|h\n")
    (tmp_path / "data1.json").write_text(
        '{"a": {"b": "x1", "c": "y1"}}\n{"a": {"b": "x2", "c": "y2"}}\n'
    )
    run(
        sf,
        f"""
        CREATE DATABASE d;
        CREATE OR REPLACE STAGE mystage1 FILE_FORMAT = (TYPE = CSV FIELD_DELIMITER = '|');
        PUT file://{tmp_path}/data*.csv @mystage1;
        CREATE OR REPLACE STAGE mystage2 FILE_FORMAT = (TYPE = JSON);
        PUT file://{tmp_path}/data1.json @mystage2;
        """,
    )
    return sf


def test_doc_metadata_and_columns(staged: Session) -> None:
    (result,) = staged.execute(
        "SELECT METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, t.$1, t.$2 FROM @mystage1 t "
        "ORDER BY 1 DESC, 2"
    )
    assert isinstance(result, Rows)
    assert [c.name for c in result.columns] == [
        "METADATA$FILENAME",
        "METADATA$FILE_ROW_NUMBER",
        "$1",
        "$2",
    ]
    assert [tuple(r) for r in result.rows] == [
        ("data2.csv.gz", 1, "e", "f"),
        ("data2.csv.gz", 2, "g", "h"),
        ("data1.csv.gz", 1, "a", "b"),
        ("data1.csv.gz", 2, "c", "d"),
    ]


def test_doc_pattern_and_a_path(staged: Session) -> None:
    assert rows(staged, "SELECT $1, $2 FROM @mystage1 (PATTERN => '.*data1.*') ORDER BY 1") == [
        ("a", "b"),
        ("c", "d"),
    ]
    assert rows(staged, "SELECT $2 FROM @mystage1/data2.csv.gz ORDER BY 1") == [("f",), ("h",)]
    # a column past a row's last field is NULL
    assert rows(staged, "SELECT $3 FROM @mystage1/data2.csv.gz") == [(None,), (None,)]


def test_doc_json_paths(staged: Session) -> None:
    got = rows(staged, "SELECT $1:a.b::STRING FROM @mystage2/data1.json.gz ORDER BY 1")
    assert got == [("x1",), ("x2",)]


def test_star_gives_the_file_columns(staged: Session) -> None:
    (result,) = staged.execute("SELECT * FROM @mystage1/data1.csv.gz")
    assert isinstance(result, Rows)
    assert [c.name for c in result.columns] == ["$1", "$2"]
    assert sorted(tuple(r) for r in result.rows) == [("a", "b"), ("c", "d")]


def test_joins_and_subqueries_over_staged_rows(staged: Session) -> None:
    run(staged, "CREATE TABLE t (k STRING, v INT); INSERT INTO t VALUES ('a', 1), ('e', 2);")
    got = rows(
        staged,
        "SELECT t.v, s.$2 FROM t JOIN (SELECT $1 AS k, $2 FROM @mystage1) s ON s.k = t.k "
        "ORDER BY 1",
    )
    assert got == [(1, "b"), (2, "f")]


def test_a_gzipped_file_put_as_is(sf: Session, tmp_path: Path) -> None:
    with gzip.open(tmp_path / "x.csv.gz", "wt") as f:
        f.write("1,2\n3,4\n")
    run(sf, f"CREATE DATABASE d; CREATE STAGE s; PUT file://{tmp_path}/x.csv.gz @s;")
    assert rows(sf, "SELECT $1, $2 FROM @s ORDER BY 1") == [("1", "2"), ("3", "4")]


def test_errors(staged: Session) -> None:
    err = fails(staged, "SELECT $1 FROM @nope")
    assert "NOPE" in str(err)
    err = fails(staged, "SELECT $1 FROM @mystage1 (FILE_FORMAT => 'myformat')")
    assert "named file formats" in str(err)
    err = fails(staged, "SELECT $1 FROM @mystage1 (PATTERN => '(')")
    assert "PATTERN" in str(err)
    err = fails(staged, "SELECT $1 FROM @mystage1 (FORMAT => 'x')")
    assert "FILE_FORMAT" in str(err)


def test_reading_an_internal_stage_needs_read(staged: Session) -> None:
    run(
        staged,
        "CREATE ROLE r; GRANT ROLE r TO USER CLONESHELL; GRANT USAGE ON DATABASE d TO ROLE r;"
        "GRANT USAGE ON SCHEMA d.public TO ROLE r; USE ROLE r;",
    )
    err = fails(staged, "SELECT $1 FROM @d.public.mystage1")
    assert "MYSTAGE1" in str(err)
    run(staged, "USE ROLE ACCOUNTADMIN; GRANT READ ON STAGE d.public.mystage1 TO ROLE r;")
    run(staged, "USE ROLE r;")
    assert len(rows(staged, "SELECT $1 FROM @d.public.mystage1")) == 4
