"""CREATE TABLE|SCHEMA|DATABASE … CLONE: every example and rule of the seed
(seeds/snowflake_cloning_considerations.txt) and reference/snowflake.md §1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from engine_helpers import fails, rows, run, snapshot, status

from cloneshell.engine import Rows, Session


def ints(s: Session, sql: str) -> list[int]:
    return sorted(int(str(r[0])) for r in rows(s, sql))


def test_seed_clone_at_a_point_before_the_table_existed(sf: Session) -> None:
    run(sf, "CREATE DATABASE sales")
    run(sf, "CREATE TABLE t_sales (numeric integer) data_retention_time_in_days=1")
    before = snapshot(sf)
    err = fails(
        sf,
        "CREATE OR REPLACE TABLE sales.public.t_sales_20170522 CLONE sales.public.t_sales "
        "at(offset => -60*30)",
    )
    assert err.text == (
        "002003 (02000): SQL compilation error:\nObject 'SALES.PUBLIC.T_SALES' does not exist."
    )
    assert snapshot(sf) == before


def seed_metadata_scenario(sf: Session) -> None:
    """The seed's "historical object metadata" example, with the clock moved between steps."""
    run(
        sf,
        """CREATE DATABASE sales;
        CREATE OR REPLACE TABLE t_sales (numeric integer) data_retention_time_in_days=1;
        INSERT INTO t_sales (numeric) VALUES (1),(2),(3);""",
    )
    sf.move_clock(timedelta(minutes=20))
    run(sf, "ALTER TABLE sales.public.t_sales RENAME TO sales.public.t_sales_20170522")
    run(sf, "INSERT INTO t_sales_20170522 (numeric) VALUES (4)")
    sf.move_clock(timedelta(minutes=20))


def test_seed_schema_clone_takes_current_names_with_past_data(sf: Session) -> None:
    seed_metadata_scenario(sf)
    assert (
        status(sf, "CREATE OR REPLACE SCHEMA sales.private CLONE sales.public at(offset => -60*30)")
        == "Schema PRIVATE successfully created."
    )
    run(sf, "USE SCHEMA sales.private")
    (show,) = sf.execute("SHOW TABLES")
    assert isinstance(show, Rows)
    assert [r[1:5] for r in show.rows] == [("T_SALES_20170522", "SALES", "PRIVATE", "TABLE")]
    assert show.rows[0][7] == 3  # rows
    assert show.rows[0][9] == "ACCOUNTADMIN"  # owned by the cloning role
    assert show.rows[0][10] == "1"  # the explicitly set retention is kept
    assert ints(sf, "SELECT * FROM t_sales_20170522") == [1, 2, 3]
    assert ints(sf, "SELECT * FROM sales.public.t_sales_20170522") == [1, 2, 3, 4]


def test_clone_starts_its_own_history(sf: Session) -> None:
    seed_metadata_scenario(sf)
    run(sf, "CREATE TABLE c CLONE t_sales_20170522")
    assert ints(sf, "SELECT * FROM c") == [1, 2, 3, 4]
    # No source history: a point before the clone existed is unavailable.
    err = fails(sf, "SELECT * FROM c AT(OFFSET => -60)")
    assert err.text.startswith("000707 (02000): Time travel data is not available for table C.")
    sf.move_clock(timedelta(minutes=5))
    run(sf, "DELETE FROM c WHERE numeric > 2")
    sf.move_clock(timedelta(minutes=5))
    assert ints(sf, "SELECT * FROM c AT(OFFSET => -60*7)") == [1, 2, 3, 4]
    # Source and clone are independent.
    assert ints(sf, "SELECT * FROM t_sales_20170522") == [1, 2, 3, 4]


def test_table_clone_at_offset_and_statement(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1), (2)")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "DELETE FROM t WHERE v = 1")
    deleted = sf.query_ids[-1]
    sf.move_clock(timedelta(minutes=10))
    run(sf, "CREATE TABLE t_old CLONE t AT(OFFSET => -60*15)")
    run(sf, f"CREATE TABLE t_before CLONE t BEFORE(STATEMENT => '{deleted}')")
    run(sf, f"CREATE TABLE t_at CLONE t AT(STATEMENT => '{deleted}')")
    assert ints(sf, "SELECT * FROM t_old") == [1, 2]
    assert ints(sf, "SELECT * FROM t_before") == [1, 2]
    assert ints(sf, "SELECT * FROM t_at") == [2]


def test_clone_beyond_retention_and_retention_zero(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT) DATA_RETENTION_TIME_IN_DAYS = 0")
    run(sf, "INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(minutes=1))
    run(sf, "INSERT INTO t VALUES (2)")
    before = snapshot(sf)
    err = fails(sf, "CREATE TABLE t2 CLONE t AT(OFFSET => -30)")
    assert err.text == (
        "000707 (02000): Time travel data is not available for table T. The requested time is "
        "either beyond the allowed time travel period or before the object creation time."
    )
    assert snapshot(sf) == before
    run(sf, "CREATE TABLE t2 CLONE t")  # the present is always there
    assert ints(sf, "SELECT * FROM t2") == [1, 2]


def test_schema_clone_skips_children_born_later_and_takes_dropped_ones(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE SCHEMA s; CREATE TABLE old (v INT)")
    run(sf, "CREATE TABLE gone (v INT); INSERT INTO gone VALUES (9)")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "CREATE TABLE young (v INT); DROP TABLE gone")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "CREATE SCHEMA s_then CLONE s AT(OFFSET => -60*15)")
    names = [r[1] for r in rows(sf, "SHOW TABLES IN SCHEMA s_then")]
    assert names == ["GONE", "OLD"]
    assert ints(sf, "SELECT * FROM s_then.gone") == [9]
    run(sf, "CREATE SCHEMA s_now CLONE s")
    assert [r[1] for r in rows(sf, "SHOW TABLES IN SCHEMA s_now")] == ["OLD", "YOUNG"]


def test_schema_clone_name_conflict_between_dropped_and_renamed(sf: Session) -> None:
    # The seed's DROP + RENAME onto the dropped name, then a clone at a point where both
    # tables existed: both would be T_SALES in the clone.
    run(
        sf,
        "CREATE DATABASE sales; CREATE TABLE t_sales (v INT); "
        "CREATE TABLE t_sales_20170522 (v INT)",
    )
    sf.move_clock(timedelta(minutes=10))
    run(sf, "DROP TABLE sales.public.t_sales")
    run(sf, "ALTER TABLE sales.public.t_sales_20170522 RENAME TO sales.public.t_sales")
    sf.move_clock(timedelta(minutes=10))
    before = snapshot(sf)
    err = fails(sf, "CREATE SCHEMA private CLONE public AT(OFFSET => -60*15)")
    assert err.text == "002002 (42710): SQL compilation error:\nObject 'T_SALES' already exists."
    assert snapshot(sf) == before


def test_ignore_tables_with_insufficient_retention(sf: Session) -> None:
    run(sf, "CREATE DATABASE d DATA_RETENTION_TIME_IN_DAYS = 7; CREATE SCHEMA s")
    run(sf, "CREATE TABLE short (v INT) DATA_RETENTION_TIME_IN_DAYS = 1")
    run(sf, "CREATE TABLE long (v INT); INSERT INTO long VALUES (1); INSERT INTO short VALUES (1)")
    sf.move_clock(timedelta(days=2))
    err = fails(sf, "CREATE SCHEMA c CLONE s AT(OFFSET => -60*60*36)")
    assert err.text.startswith("000707 (02000): Time travel data is not available for table SHORT.")
    run(
        sf,
        "CREATE SCHEMA c CLONE s AT(OFFSET => -60*60*36) "
        "IGNORE TABLES WITH INSUFFICIENT DATA RETENTION",
    )
    assert [r[1] for r in rows(sf, "SHOW TABLES IN SCHEMA c")] == ["LONG"]
    # Twelve hours back both tables are still in Time Travel.
    run(sf, "CREATE SCHEMA c2 CLONE s AT(OFFSET => -60*60*12)")
    assert [r[1] for r in rows(sf, "SHOW TABLES IN SCHEMA c2")] == ["LONG", "SHORT"]


def test_database_clone_of_the_present_copies_everything(sf: Session) -> None:
    run(sf, "CREATE DATABASE src; CREATE SCHEMA s1; CREATE TABLE t (v INT)")
    run(sf, "INSERT INTO t VALUES (1), (2); UPDATE t SET v = 3 WHERE v = 2")
    run(sf, "CREATE TABLE dropped (v INT); DROP TABLE dropped")
    run(sf, "CREATE SCHEMA s2; DROP SCHEMA s2")
    sf.move_clock(timedelta(minutes=5))
    assert status(sf, "CREATE DATABASE dst CLONE src") == "Database DST successfully created."
    assert sf.prompt() == "CLONESHELL#(no warehouse)@DST.PUBLIC>"
    assert ints(sf, "SELECT * FROM dst.s1.t") == [1, 3]
    assert [r[1] for r in rows(sf, "SHOW SCHEMAS IN DATABASE dst")] == ["PUBLIC", "S1"]
    assert [r[1] for r in rows(sf, "SHOW TABLES HISTORY IN DATABASE dst")] == ["T"]
    assert fails(sf, "UNDROP TABLE dst.s1.dropped").code == "002003"
    err = fails(sf, "SELECT * FROM dst.s1.t AT(OFFSET => -1)")
    assert err.code == "000707"
    # Writes to the clone keep their own history from its creation on.
    sf.move_clock(timedelta(minutes=5))
    run(sf, "DELETE FROM dst.s1.t")
    sf.move_clock(timedelta(minutes=5))
    assert ints(sf, "SELECT * FROM dst.s1.t AT(OFFSET => -60*7)") == [1, 3]
    assert ints(sf, "SELECT * FROM src.s1.t") == [1, 3]
    sf.idle()
    files = sorted((sf.warehouse.root / "projects").glob("*.duckdb"))
    assert len(files) == 2


def test_database_clone_stays_in_its_wal_and_a_clone_of_it_copies_file_and_wal(
    sf: Session, sf_factory: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clone of the present is a copy of the file whose metadata rewrite stays in the copy's
    WAL (a checkpoint would sync the whole copy). Another shell reads it read-only (DuckDB
    replays the WAL in memory), a clone of it copies its file and WAL (not table by table),
    and its next writer merges the WAL into the file."""
    from cloneshell.engine.snowflake.handlers import clone

    run(sf, "CREATE DATABASE src; CREATE TABLE t (v INT); INSERT INTO t VALUES (1), (2)")
    run(sf, "CREATE DATABASE dst CLONE src")
    projects = sf.warehouse.root / "projects"

    def wal(name: str) -> Path:
        """The WAL of a database's file (with every file let go of again after the lookup:
        one process holds a file in one session only)."""
        info = sf.warehouse.get_database(name)
        sf.idle()
        assert info is not None
        return projects / f"{info.file}.duckdb.wal"

    assert wal("DST").exists()
    assert not wal("SRC").exists()

    def table_by_table(*args: object, **kwargs: object) -> None:
        raise AssertionError("cloned table by table")

    monkeypatch.setattr(clone, "_clone_database_tables", table_by_table)
    other = sf_factory()
    assert ints(other, "SELECT * FROM dst.public.t") == [1, 2]
    run(other, "CREATE DATABASE dst2 CLONE dst")
    other.idle()
    assert wal("DST2").exists()
    assert ints(other, "SELECT * FROM dst2.public.t") == [1, 2]
    assert fails(other, "SELECT * FROM dst2.public.t AT(OFFSET => -1)").code == "000707"
    other.idle()
    run(sf, "INSERT INTO dst.public.t VALUES (3)")
    sf.idle()
    assert not wal("DST").exists()
    assert ints(other, "SELECT * FROM dst.public.t") == [1, 2, 3]
    assert ints(other, "SELECT * FROM dst2.public.t") == [1, 2]


def test_database_clone_at_a_point(sf: Session) -> None:
    run(sf, "CREATE DATABASE src; CREATE TABLE a (v INT); INSERT INTO a VALUES (1)")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "INSERT INTO a VALUES (2); CREATE SCHEMA later; CREATE TABLE later.b (v INT)")
    run(sf, "ALTER TABLE public.a RENAME TO public.a_renamed")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "CREATE DATABASE dst CLONE src AT(OFFSET => -60*15)")
    assert [r[1] for r in rows(sf, "SHOW SCHEMAS IN DATABASE dst")] == ["PUBLIC"]
    assert ints(sf, "SELECT * FROM dst.public.a_renamed") == [1]
    err = fails(sf, "CREATE DATABASE dst2 CLONE src AT(OFFSET => -60*60)")
    assert err.text == "002003 (02000): SQL compilation error:\nObject 'SRC' does not exist."


def test_clone_is_owned_by_the_current_role(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT)")
    run(sf, "USE ROLE ACCOUNTADMIN; GRANT USAGE ON DATABASE d TO ROLE SYSADMIN")
    run(sf, "GRANT USAGE ON SCHEMA d.public TO ROLE SYSADMIN")
    run(sf, "GRANT SELECT ON TABLE d.public.t TO ROLE SYSADMIN")
    run(sf, "GRANT CREATE TABLE ON SCHEMA d.public TO ROLE SYSADMIN")
    run(sf, "USE ROLE SYSADMIN; CREATE TABLE c CLONE t")
    owners = {r[1]: r[9] for r in rows(sf, "SHOW TABLES")}
    assert owners == {"C": "SYSADMIN", "T": "ACCOUNTADMIN"}


def grants_on(s: Session, what: str) -> list[tuple[object, ...]]:
    return sorted((r[1], r[5]) for r in rows(s, f"SHOW GRANTS ON {what}"))


@pytest.fixture
def granted(sf: Session) -> Session:
    """A database with grants on the database, a schema and a table."""
    run(
        sf,
        """CREATE ROLE analyst; CREATE ROLE loader;
        CREATE DATABASE sales; CREATE SCHEMA crm; CREATE TABLE t (v INT);
        GRANT USAGE ON DATABASE sales TO ROLE analyst;
        GRANT USAGE ON SCHEMA sales.crm TO ROLE analyst;
        GRANT SELECT ON TABLE sales.crm.t TO ROLE analyst;
        GRANT INSERT ON TABLE sales.crm.t TO ROLE loader;""",
    )
    return sf


def test_table_clone_carries_no_grants_unless_copy_grants(granted: Session) -> None:
    s = granted
    run(s, "CREATE TABLE plain CLONE t; CREATE TABLE copied CLONE t COPY GRANTS")
    assert grants_on(s, "TABLE plain") == [("OWNERSHIP", "ACCOUNTADMIN")]
    assert grants_on(s, "TABLE copied") == [
        ("INSERT", "LOADER"),
        ("OWNERSHIP", "ACCOUNTADMIN"),
        ("SELECT", "ANALYST"),
    ]


def test_copy_grants_with_or_replace_takes_the_replaced_tables_grants(granted: Session) -> None:
    s = granted
    run(s, "CREATE TABLE x (v INT); GRANT DELETE ON TABLE x TO ROLE loader")
    run(s, "CREATE OR REPLACE TABLE x CLONE t COPY GRANTS")
    assert grants_on(s, "TABLE x") == [("DELETE", "LOADER"), ("OWNERSHIP", "ACCOUNTADMIN")]


def test_schema_clone_carries_child_grants_not_its_own(granted: Session) -> None:
    s = granted
    run(s, "CREATE SCHEMA crm2 CLONE crm")
    assert grants_on(s, "SCHEMA sales.crm2") == [("OWNERSHIP", "ACCOUNTADMIN")]
    assert grants_on(s, "TABLE sales.crm2.t") == [
        ("INSERT", "LOADER"),
        ("OWNERSHIP", "ACCOUNTADMIN"),
        ("SELECT", "ANALYST"),
    ]


@pytest.mark.parametrize("point", ["", " AT(OFFSET => -60)"])
def test_database_clone_carries_child_grants_not_its_own(granted: Session, point: str) -> None:
    s = granted
    s.move_clock(timedelta(minutes=2))
    run(s, f"CREATE DATABASE sales2 CLONE sales{point}")
    assert grants_on(s, "DATABASE sales2") == [("OWNERSHIP", "ACCOUNTADMIN")]
    assert grants_on(s, "SCHEMA sales2.crm") == [
        ("OWNERSHIP", "ACCOUNTADMIN"),
        ("USAGE", "ANALYST"),
    ]
    assert grants_on(s, "TABLE sales2.crm.t") == [
        ("INSERT", "LOADER"),
        ("OWNERSHIP", "ACCOUNTADMIN"),
        ("SELECT", "ANALYST"),
    ]


def test_clone_includes_only_children_the_role_can_read(
    sf_factory: Callable[..., Session],
) -> None:
    admin = sf_factory()
    run(
        admin,
        """CREATE ROLE analyst; CREATE USER bob DEFAULT_ROLE = analyst;
        GRANT ROLE analyst TO USER bob;
        CREATE DATABASE d; CREATE SCHEMA s; CREATE TABLE readable (v INT);
        CREATE TABLE secret (v INT);
        GRANT USAGE ON DATABASE d TO ROLE analyst; GRANT USAGE ON SCHEMA d.s TO ROLE analyst;
        GRANT CREATE SCHEMA ON DATABASE d TO ROLE analyst;
        GRANT SELECT ON TABLE d.s.readable TO ROLE analyst;""",
    )
    admin.idle()  # one process attaches a file once: sessions take turns, as shells do
    bob = sf_factory("bob")
    run(bob, "CREATE SCHEMA d.s_copy CLONE d.s")
    assert [r[1] for r in rows(bob, "SHOW TABLES IN SCHEMA d.s_copy")] == ["READABLE"]


def test_failed_database_clone_leaves_no_file(sf: Session) -> None:
    run(sf, "CREATE DATABASE src; CREATE TABLE t (v INT) DATA_RETENTION_TIME_IN_DAYS = 0")
    run(sf, "INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(minutes=1))
    run(sf, "INSERT INTO t VALUES (2)")
    sf.idle()
    files = sorted((sf.warehouse.root / "projects").glob("*"))
    before = snapshot(sf)
    fails(sf, "CREATE DATABASE dst CLONE src AT(OFFSET => -30)")
    assert snapshot(sf) == before
    sf.idle()
    assert sorted((sf.warehouse.root / "projects").glob("*")) == files
    assert rows(sf, "SHOW DATABASES LIKE 'DST'") == []


def test_clone_into_another_database_and_replace(sf: Session) -> None:
    run(sf, "CREATE DATABASE a; CREATE TABLE t (v INT); INSERT INTO t VALUES (5)")
    run(sf, "CREATE DATABASE b; CREATE TABLE t (v INT)")
    run(sf, "CREATE OR REPLACE TABLE b.public.t CLONE a.public.t")
    assert ints(sf, "SELECT * FROM b.public.t") == [5]
    # The replaced table can be undropped after a rename (it is kept in Time Travel).
    run(sf, "ALTER TABLE b.public.t RENAME TO b.public.t5; UNDROP TABLE b.public.t")
    assert ints(sf, "SELECT count(*) FROM b.public.t") == [0]
    assert rows(sf, "SELECT * FROM b.public.t5") == [(Decimal(5),)]


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE SCHEMA s2 CLONE s",
        "CREATE DATABASE d2 CLONE d AT(OFFSET => -60)",
        "CREATE DATABASE d2 CLONE d",
    ],
)
def test_container_clone_is_all_or_nothing(
    sf: Session, monkeypatch: pytest.MonkeyPatch, statement: str
) -> None:
    from cloneshell.engine.snowflake.handlers import clone

    run(sf, "CREATE DATABASE d; CREATE SCHEMA s")
    run(sf, "CREATE TABLE a (v INT); CREATE TABLE b (v INT); INSERT INTO b VALUES (1)")
    sf.move_clock(timedelta(minutes=5))
    before = snapshot(sf)
    calls = {"n": 0}
    real_ctas = clone._ctas

    def failing_ctas(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed half-way")
        real_ctas(*args, **kwargs)  # type: ignore[arg-type]

    def failing_rewrite(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(clone, "_ctas", failing_ctas)
    monkeypatch.setattr(sf.warehouse, "register_database", failing_rewrite)
    with pytest.raises(RuntimeError):
        sf.execute(statement)
    assert snapshot(sf) == before
    sf.idle()
    assert len(list((sf.warehouse.root / "projects").glob("*.duckdb"))) == 1
