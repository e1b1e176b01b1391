"""Snowflake stages, PUT/LIST/REMOVE and COPY INTO with load history (reference/snowflake.md
§7.1; engine/snowflake/stages.py, engine/snowflake/copyload.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest
from engine_helpers import fails, rows, run, snapshot, status

from cloneshell.engine import Rows, Session


def result(s: Session, sql: str) -> Rows:
    (r,) = s.execute(sql)
    assert isinstance(r, Rows), r
    return r


@pytest.fixture
def local(tmp_path: Path) -> Path:
    """The shell user's own files, outside the warehouse."""
    d = tmp_path / "local"
    d.mkdir()
    (d / "orders_1.csv").write_text("id,name,amount\n1,apple,1.50\n2,pear,2.25\n")
    (d / "orders_2.csv").write_text("id,name,amount\n3,plum,abc\n4,kiwi,4.00\n")
    (d / "short.csv").write_text("id,name,amount\n5,fig\n6,lime,6.00\n")
    return d


@pytest.fixture
def orders(sf: Session) -> Session:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE orders (id INT, name STRING, amount NUMBER(10,2));
        CREATE STAGE s FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);""",
    )
    return sf


def stage_folder(sf: Session) -> Path:
    (folder,) = [p for p in (sf.warehouse.root / "stages").glob("db_*/s*") if p.is_dir()]
    return folder


# ---------------------------------------------------------------------------- PUT, LIST, REMOVE


def test_put_compresses_into_the_stage_folder_and_list_shows_it(
    orders: Session, local: Path
) -> None:
    put = result(orders, f"PUT file://{local}/orders_*.csv @s/in/")
    assert [c.name for c in put.columns] == [
        "source", "target", "source_size", "target_size", "source_compression",
        "target_compression", "status", "message",
    ]  # fmt: skip
    assert [(r[0], r[1], r[4], r[5], r[6]) for r in put.rows] == [
        ("orders_1.csv", "orders_1.csv.gz", "NONE", "GZIP", "UPLOADED"),
        ("orders_2.csv", "orders_2.csv.gz", "NONE", "GZIP", "UPLOADED"),
    ]
    folder = stage_folder(orders)
    assert folder.is_relative_to(orders.warehouse.root)
    data = gzip.decompress((folder / "in" / "orders_1.csv.gz").read_bytes())
    assert data == (local / "orders_1.csv").read_bytes()
    listed = result(orders, "LIST @s")
    assert [c.name for c in listed.columns] == ["name", "size", "md5", "last_modified"]
    assert [r[0] for r in listed.rows] == ["s/in/orders_1.csv.gz", "s/in/orders_2.csv.gz"]
    # last_modified follows the session clock (reproducible demos).
    assert listed.rows[0][3] == "Mon, 15 Jan 2024 10:00:00 GMT"
    assert listed.rows[0][1] == (folder / "in" / "orders_1.csv.gz").stat().st_size


def test_put_skips_an_existing_file_unless_overwrite(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_1.csv @s AUTO_COMPRESS = FALSE")
    again = result(orders, f"PUT file://{local}/orders_1.csv @s AUTO_COMPRESS = FALSE")
    assert again.rows[0][6] == "SKIPPED"
    forced = result(
        orders, f"PUT file://{local}/orders_1.csv @s AUTO_COMPRESS = FALSE OVERWRITE = TRUE"
    )
    assert forced.rows[0][1] == "orders_1.csv" and forced.rows[0][6] == "UPLOADED"


def test_list_pattern_and_remove_by_prefix(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_*.csv @s/in/")
    run(orders, f"PUT file://{local}/short.csv @s/other/")
    assert [r[0] for r in rows(orders, "LIST @s PATTERN = '.*short.*'")] == ["s/other/short.csv.gz"]
    assert [r[0] for r in rows(orders, "LIST @s/in/orders_2")] == ["s/in/orders_2.csv.gz"]
    removed = result(orders, "REMOVE @s/in/")
    assert [c.name for c in removed.columns] == ["name", "result"]
    assert removed.rows == [
        ("s/in/orders_1.csv.gz", "removed"),
        ("s/in/orders_2.csv.gz", "removed"),
    ]
    assert [r[0] for r in rows(orders, "LIST @s")] == ["s/other/short.csv.gz"]
    assert not (stage_folder(orders) / "in").exists()


@pytest.mark.parametrize("location", ["@s/../x", "@s/a//b", "'@s/./a'", "'@s/a\\\\b'"])
def test_a_stage_path_cannot_escape_its_folder(orders: Session, location: str) -> None:
    before = snapshot(orders)
    err = fails(orders, f"REMOVE {location}")
    assert err.text.startswith("002000 (42000): SQL compilation error:\ninvalid stage path")
    assert snapshot(orders) == before


def test_put_refuses_missing_files_and_the_warehouses_own(orders: Session, local: Path) -> None:
    err = fails(orders, f"PUT file://{local}/nothing.csv @s")
    assert err.text == f"253006 (n/a): File doesn't exist: ['{local}/nothing.csv']"
    run(orders, f"PUT file://{local}/orders_1.csv @s")
    staged = next(stage_folder(orders).rglob("*.gz"))
    err = fails(orders, f"PUT file://{staged} @s/copy/")
    assert "is inside the warehouse directory" in err.text


def test_unknown_stage_and_stage_properties(orders: Session) -> None:
    err = fails(orders, "LIST @nope")
    assert err.text == (
        "002003 (02000): SQL compilation error:\nStage 'D.PUBLIC.NOPE' does not exist or not "
        "authorized."
    )
    err = fails(orders, "CREATE STAGE x URL = 'ftp://host/dir/'")
    assert "invalid URL 'ftp://host/dir/'" in err.text
    err = fails(orders, "CREATE STAGE x FILE_FORMAT = (TYPE = CSV SKIP_HEADERS = 1)")
    assert "invalid file format option SKIP_HEADERS for type CSV" in err.text
    err = fails(orders, "CREATE STAGE s")
    assert err.text == "002002 (42710): SQL compilation error:\nObject 'S' already exists."
    assert (
        status(orders, "CREATE STAGE IF NOT EXISTS s") == "S already exists, statement succeeded."
    )


# ---------------------------------------------------------------------------- COPY INTO


def test_copy_loads_once_then_skips_by_load_history(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_1.csv @s")
    first = result(orders, "COPY INTO orders FROM @s")
    assert [c.name for c in first.columns] == [
        "file", "status", "rows_parsed", "rows_loaded", "error_limit", "errors_seen",
        "first_error", "first_error_line", "first_error_character", "first_error_column_name",
    ]  # fmt: skip
    assert first.rows == [("s/orders_1.csv.gz", "LOADED", 2, 2, 1, 0, None, None, None, None)]
    again = result(orders, "COPY INTO orders FROM @s")
    assert again.rows == [("Copy executed with 0 files processed.",)]
    assert rows(orders, "SELECT count(*) FROM orders") == [(2,)]
    forced = result(orders, "COPY INTO orders FROM @s FORCE = TRUE")
    assert forced.rows[0][1] == "LOADED"
    assert rows(orders, "SELECT count(*) FROM orders") == [(4,)]


def test_a_changed_file_of_the_same_name_is_loaded_again(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_1.csv @s")
    run(orders, "COPY INTO orders FROM @s")
    (local / "orders_1.csv").write_text("id,name,amount\n9,date,9.00\n")
    run(orders, f"PUT file://{local}/orders_1.csv @s OVERWRITE = TRUE")
    assert result(orders, "COPY INTO orders FROM @s").rows[0][3] == 1
    assert rows(orders, "SELECT id FROM orders ORDER BY id") == [(1,), (2,), (9,)]


def test_abort_statement_names_file_line_and_column(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_*.csv @s")
    before = snapshot(orders)
    err = fails(orders, "COPY INTO orders FROM @s")
    assert err.text.splitlines()[:3] == [
        "100038 (22018): Numeric value 'abc' is not recognized",
        "  File 's/orders_2.csv.gz', line 2, character 8",
        '  Row 1, column "ORDERS"["AMOUNT":3]',
    ]
    # All or nothing: orders_1 was loaded first, and rolled back with the rest.
    assert snapshot(orders) == before


def test_on_error_continue_and_skip_file(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_2.csv @s")
    skipped = result(orders, "COPY INTO orders FROM @s ON_ERROR = SKIP_FILE")
    assert skipped.rows[0][:6] == ("s/orders_2.csv.gz", "LOAD_FAILED", 2, 0, 1, 1)
    assert rows(orders, "SELECT count(*) FROM orders") == [(0,)]
    # A failed file is not in the load history as loaded: it can be tried again.
    partial = result(orders, "COPY INTO orders FROM @s ON_ERROR = CONTINUE")
    assert partial.rows == [
        (
            "s/orders_2.csv.gz",
            "PARTIALLY_LOADED",
            2,
            1,
            2,
            1,
            "Numeric value 'abc' is not recognized",
            2,
            8,
            '"ORDERS"["AMOUNT":3]',
        )
    ]
    assert rows(orders, "SELECT id, amount FROM orders") == [(4, pytest.approx(4))]


def test_a_row_with_too_few_fields(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/short.csv @s")
    err = fails(orders, "COPY INTO orders FROM @s")
    assert err.text.startswith(
        "100080 (22000): Number of columns in file (2) does not match that of the corresponding "
        "table (3), use file format option error_on_column_count_mismatch=false to ignore this "
        "error\n  File 's/short.csv.gz', line 2"
    )
    loaded = result(orders, "COPY INTO orders FROM @s ON_ERROR = CONTINUE")
    assert loaded.rows[0][1:6] == ("PARTIALLY_LOADED", 2, 1, 2, 1)


def test_files_pattern_column_list_and_defaults(sf: Session, local: Path) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (id INT, note STRING DEFAULT 'none', amount NUMBER(10,2));
        CREATE STAGE s FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);""",
    )
    (local / "two.csv").write_text("id,amount\n7,7.50\n")
    run(sf, f"PUT file://{local}/two.csv @s/x/")
    run(sf, f"PUT file://{local}/orders_1.csv @s/x/")
    loaded = result(sf, "COPY INTO t (id, amount) FROM @s/x FILES = ('two.csv.gz')")
    assert [r[0] for r in loaded.rows] == ["s/x/two.csv.gz"]
    assert rows(sf, "SELECT * FROM t") == [(7, "none", pytest.approx(7.5))]
    err = fails(sf, "COPY INTO t FROM @s FILES = ('missing.csv')")
    assert "Remote file 's/missing.csv' was not found." in err.text
    err = fails(sf, "COPY INTO t (id, nope) FROM @s")
    assert "invalid identifier 'NOPE'" in err.text


def test_json_into_a_variant_and_by_column_name(sf: Session, local: Path) -> None:
    (local / "events.json").write_text('{"id": 1, "Kind": "a"}\n{"id": 2, "kind": "b", "x": 1}\n')
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE raw (v VARIANT);
        CREATE TABLE ev (id INT, kind STRING);
        CREATE STAGE js FILE_FORMAT = (TYPE = JSON);""",
    )
    run(sf, f"PUT file://{local}/events.json @js")
    run(sf, "COPY INTO raw FROM @js")
    assert [str(r[0]) for r in rows(sf, "SELECT v FROM raw")] == [
        '{"id":1,"Kind":"a"}',
        '{"id":2,"kind":"b","x":1}',
    ]
    err = fails(sf, "COPY INTO ev FROM @js FORCE = TRUE")
    assert err.text.startswith("002019 (0A000): SQL compilation error:\nJSON file format can")
    run(sf, "COPY INTO ev FROM @js MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE")
    # Each record's key matches whatever its case (CASE_INSENSITIVE).
    assert rows(sf, "SELECT * FROM ev ORDER BY id") == [(1, "a"), (2, "b")]


def test_parquet_by_column_name(sf: Session, local: Path) -> None:
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 1 AS ID, 'x' AS NAME UNION ALL SELECT 2, 'y') TO '{local}/p.parquet'"
    )
    con.close()
    run(sf, "CREATE DATABASE d; CREATE TABLE t (id INT, name STRING); CREATE STAGE s")
    put = result(sf, f"PUT file://{local}/p.parquet @s")
    assert put.rows[0][1] == "p.parquet" and put.rows[0][5] == "PARQUET"
    run(
        sf,
        "COPY INTO t FROM @s FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE",
    )
    assert rows(sf, "SELECT * FROM t ORDER BY id") == [(1, "x"), (2, "y")]


def test_copy_needs_insert_and_read(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_1.csv @s")
    run(
        orders,
        """CREATE ROLE loader;
        GRANT ROLE loader TO USER cloneshell;
        GRANT USAGE ON DATABASE d TO ROLE loader;
        GRANT USAGE ON SCHEMA d.public TO ROLE loader;
        GRANT INSERT ON TABLE orders TO ROLE loader;
        USE ROLE loader;""",
    )
    err = fails(orders, "COPY INTO orders FROM @s")
    assert "Stage 'D.PUBLIC.S' does not exist or not authorized." in err.text
    run(orders, "USE ROLE accountadmin; GRANT READ ON STAGE s TO ROLE loader; USE ROLE loader")
    assert result(orders, "COPY INTO orders FROM @s").rows[0][1] == "LOADED"
    err = fails(orders, f"PUT file://{local}/orders_2.csv @s")
    assert err.text == (
        "003001 (42501): SQL access control error:\nInsufficient privileges to operate on stage 'S'"
    )


# ---------------------------------------------------------------------------- table stages


def test_every_table_has_its_own_stage(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_1.csv @%orders")
    assert [r[0] for r in rows(orders, "LIST @%orders")] == ["orders_1.csv.gz"]
    loaded = result(orders, "COPY INTO orders FROM @%orders FILE_FORMAT = (SKIP_HEADER = 1)")
    assert loaded.rows[0][:4] == ("orders_1.csv.gz", "LOADED", 2, 2)
    assert rows(orders, "LIST @s") == []
    run(orders, "CREATE TABLE other (id INT)")
    assert rows(orders, "LIST @%other") == []


# ---------------------------------------------------------------------------- external stages


def test_external_file_stage_reads_the_users_directory(sf: Session, local: Path) -> None:
    run(
        sf,
        f"""CREATE DATABASE d;
        CREATE TABLE orders (id INT, name STRING, amount NUMBER(10,2));
        CREATE STAGE ext URL = 'file://{local}/' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);""",
    )
    assert [r[0] for r in rows(sf, "LIST @ext PATTERN = '.*orders_1.*'")] == [
        f"file://{local}/orders_1.csv"
    ]
    loaded = result(sf, "COPY INTO orders FROM @ext FILES = ('orders_1.csv')")
    assert loaded.rows[0][:4] == (f"file://{local}/orders_1.csv", "LOADED", 2, 2)
    # The engine copied the file in and removed its scratch copy afterwards.
    assert not list((sf.warehouse.root / "tmp").glob("load_*"))
    assert (local / "orders_1.csv").exists()
    err = fails(sf, "REMOVE @ext")
    assert "never deletes files outside the warehouse" in err.text


def test_cloud_stage_keeps_its_definition_but_cannot_be_read(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (id INT);
        CREATE STAGE s3s URL = 's3://bucket/path/' CREDENTIALS = (AWS_KEY_ID = 'k'
            AWS_SECRET_KEY = 's');""",
    )
    (row,) = rows(sf, "SHOW STAGES")
    assert row[1] == "S3S" and row[4] == "s3://bucket/path/"
    assert (row[5], row[10], row[11]) == ("Y", "EXTERNAL", "AWS")
    err = fails(sf, "COPY INTO t FROM @s3s")
    assert err.text.startswith("000002 (0A000): Unsupported feature 'reading s3:// locations")


def test_a_file_url_into_the_warehouse_is_refused(sf: Session) -> None:
    root = sf.warehouse.root
    run(sf, f"CREATE DATABASE d; CREATE STAGE w URL = 'file://{root}/stages/'")
    err = fails(sf, "LIST @w")
    assert "is inside the warehouse directory" in err.text


def test_a_directory_holding_the_warehouse_lists_only_the_users_files(
    tmp_path: Path,
) -> None:
    wh = tmp_path / "home" / "wh"
    s = Session.open(wh, dialect="snowflake")
    try:
        (tmp_path / "home" / "mine.csv").write_text("1\n")
        run(s, f"CREATE DATABASE d; CREATE STAGE h URL = 'file://{tmp_path}/home/'")
        assert [r[0] for r in rows(s, "LIST @h")] == [f"file://{tmp_path}/home/mine.csv"]
    finally:
        s.close()


# ---------------------------------------------------------------------------- DROP


def test_drop_stage_deletes_its_files(orders: Session, local: Path) -> None:
    run(orders, f"PUT file://{local}/orders_1.csv @s")
    folder = stage_folder(orders)
    assert status(orders, "DROP STAGE s") == "S successfully dropped."
    assert not folder.exists()
    run(orders, "CREATE STAGE s")
    assert rows(orders, "LIST @s") == []  # a new stage of the same name starts empty
    assert (
        status(orders, "DROP STAGE IF EXISTS nope")
        == "Drop statement executed successfully (NOPE already dropped)."
    )
