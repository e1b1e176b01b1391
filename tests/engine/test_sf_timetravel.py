"""Time Travel: AT/BEFORE by timestamp, offset and statement; retention windows; retention 0;
purges (reference/snowflake.md §1.2, §2)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from engine_helpers import START, fails, rows, run, snapshot

from cloneshell.engine import Session

UNAVAILABLE = (
    "000707 (02000): Time travel data is not available for table T. The requested time is "
    "either beyond the allowed time travel period or before the object creation time."
)


def values(s: Session, sql: str) -> list[int]:
    return sorted(int(str(r[0])) for r in rows(s, sql))


def setup(sf: Session, retention: int = 1) -> None:
    run(sf, f"CREATE DATABASE d; CREATE TABLE t (v INT) DATA_RETENTION_TIME_IN_DAYS = {retention}")


def test_at_and_before_timestamp_and_offset(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1), (2)")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "DELETE FROM t WHERE v = 1")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "UPDATE t SET v = 20 WHERE v = 2; INSERT INTO t VALUES (3)")
    sf.move_clock(timedelta(minutes=10))
    assert values(sf, "SELECT v FROM t") == [3, 20]
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*25)") == [1, 2]
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*15)") == [2]
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*5)") == [3, 20]
    at = "'2024-01-15 10:10:00'::TIMESTAMP_LTZ"
    assert values(sf, f"SELECT v FROM t AT(TIMESTAMP => {at})") == [2]
    # BEFORE excludes the statements made at that instant.
    assert values(sf, f"SELECT v FROM t BEFORE(TIMESTAMP => {at})") == [1, 2]
    # An uncast string is read as a UTC timestamp.
    assert values(sf, "SELECT v FROM t AT(TIMESTAMP => '2024-01-15 10:20:00')") == [3, 20]


def test_statement_order_decides_at_one_instant(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1)")
    first = sf.query_ids[-1]
    run(sf, "INSERT INTO t VALUES (2)")
    second = sf.query_ids[-1]
    run(sf, "DELETE FROM t")
    delete = sf.query_ids[-1]
    assert values(sf, f"SELECT v FROM t AT(STATEMENT => '{first}')") == [1]
    assert values(sf, f"SELECT v FROM t BEFORE(STATEMENT => '{second}')") == [1]
    assert values(sf, f"SELECT v FROM t AT(STATEMENT => '{second}')") == [1, 2]
    assert values(sf, "SELECT v FROM t BEFORE(STATEMENT => LAST_QUERY_ID(-4))") == [1, 2]
    assert values(sf, f"SELECT v FROM t BEFORE(STATEMENT => '{delete}')") == [1, 2]
    # A query changes nothing: the point of a SELECT is the state it saw (after the DELETE).
    assert values(sf, "SELECT v FROM t BEFORE(STATEMENT => LAST_QUERY_ID())") == []
    assert values(sf, "SELECT v FROM t") == []
    err = fails(sf, "SELECT v FROM t AT(STATEMENT => '01234567-0000-0000-0000-000000000000')")
    assert err.text == "000709 (02000): Statement 01234567-0000-0000-0000-000000000000 not found"


def test_point_before_creation_or_beyond_retention(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1)")
    assert fails(sf, "SELECT * FROM t AT(OFFSET => -60)").text == UNAVAILABLE
    sf.move_clock(timedelta(hours=23))
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*60*22)") == [1]
    sf.move_clock(timedelta(hours=2))
    # 25 hours after creation, retention 1 day: the first hour is out of reach.
    assert fails(sf, "SELECT * FROM t AT(OFFSET => -60*60*24.5)").text == UNAVAILABLE
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*60*23)") == [1]
    # The future is not available either.
    assert fails(sf, "SELECT * FROM t AT(OFFSET => 60)").text == UNAVAILABLE


def test_retention_zero_keeps_no_history(sf: Session) -> None:
    setup(sf, retention=0)
    run(sf, "INSERT INTO t VALUES (1), (2)")
    sf.move_clock(timedelta(minutes=5))
    run(sf, "DELETE FROM t WHERE v = 1")
    sf.move_clock(timedelta(minutes=5))
    assert fails(sf, "SELECT * FROM t AT(OFFSET => -60)").text == UNAVAILABLE
    assert fails(sf, "SELECT * FROM t BEFORE(STATEMENT => LAST_QUERY_ID(-2))").text == UNAVAILABLE
    # Nothing was written to history.
    assert not _history_tables(sf)
    # Raising retention starts history now: earlier points stay unavailable.
    run(sf, "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 1")
    sf.move_clock(timedelta(minutes=5))
    run(sf, "INSERT INTO t VALUES (3)")
    sf.move_clock(timedelta(minutes=5))
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*7)") == [2]
    assert fails(sf, "SELECT * FROM t AT(OFFSET => -60*12)").text == UNAVAILABLE


def _history_tables(sf: Session) -> list[str]:
    wh = sf.warehouse
    return [
        r[0]
        for r in wh.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = '__cs' "
            "AND table_name LIKE 'h\\_%' ESCAPE '\\'"
        ).fetchall()
    ]


def test_lowering_retention_to_zero_purges_history(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1); DELETE FROM t")
    assert _history_tables(sf)
    sf.move_clock(timedelta(minutes=1))
    run(sf, "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 0")
    assert not _history_tables(sf)
    assert fails(sf, "SELECT * FROM t AT(OFFSET => -30)").text == UNAVAILABLE


def test_history_leaves_with_retention_and_is_purged(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1), (2)")
    sf.move_clock(timedelta(hours=1))
    run(sf, "DELETE FROM t WHERE v = 1")
    sf.move_clock(timedelta(hours=1))
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*90)") == [1, 2]
    assert _history_rows(sf) == 1
    sf.move_clock(timedelta(days=1, hours=1))
    run(sf, "INSERT INTO t VALUES (3)")  # a write purges what left the window
    assert _history_rows(sf) == 0
    # Raising retention afterwards cannot bring purged history back.
    run(sf, "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 30")
    assert values(sf, "SELECT v FROM t AT(OFFSET => -60*60*25)") == [2]  # after the purge point
    assert fails(sf, "SELECT * FROM t AT(OFFSET => -60*60*26.5)").text == UNAVAILABLE


def _history_rows(sf: Session) -> int:
    total = 0
    for name in _history_tables(sf):
        db = sf.warehouse.con.execute(
            "SELECT database_name FROM duckdb_tables() WHERE table_name = ?", [name]
        ).fetchone()
        assert db is not None
        row = sf.warehouse.con.execute(f'SELECT count(*) FROM "{db[0]}".__cs."{name}"').fetchone()
        total += int(row[0]) if row else 0
    return total


def test_rename_keeps_history(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "ALTER TABLE t RENAME TO t2; INSERT INTO t2 VALUES (2)")
    sf.move_clock(timedelta(minutes=10))
    assert values(sf, "SELECT v FROM t2 AT(OFFSET => -60*15)") == [1]
    assert fails(sf, "SELECT v FROM t AT(OFFSET => -60*15)").code == "002003"


def test_time_travel_in_joins_and_subqueries(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1), (2)")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "UPDATE t SET v = v * 10")
    got = rows(
        sf,
        "SELECT a.v, b.v FROM t AS a JOIN t AT(OFFSET => -300) AS b ON a.v = b.v * 10 ORDER BY 1",
    )
    assert got == [(Decimal(10), Decimal(1)), (Decimal(20), Decimal(2))]
    assert rows(sf, "SELECT (SELECT max(v) FROM t BEFORE(OFFSET => -300))") == [(Decimal(2),)]


def test_dropped_table_is_purged_after_retention(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1); DROP TABLE t")
    sf.move_clock(timedelta(days=1, seconds=1))
    (hist,) = sf.execute("SHOW TABLES HISTORY")
    assert hist.rows == []  # type: ignore[union-attr]
    assert fails(sf, "UNDROP TABLE t").text.endswith("Table 'T' did not exist or was purged.")
    physical = sf.warehouse.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 't1'"
    ).fetchone()
    assert physical == (0,)


def test_dropped_database_is_purged_after_retention(sf: Session) -> None:
    run(sf, "CREATE DATABASE gone; CREATE DATABASE zero DATA_RETENTION_TIME_IN_DAYS = 0")
    run(sf, "DROP DATABASE gone; DROP DATABASE zero")
    sf.idle()
    assert len(list((sf.warehouse.root / "projects").glob("*.duckdb"))) == 1
    names = [r[1] for r in rows(sf, "SHOW DATABASES HISTORY")]
    assert names == ["GONE"]
    sf.move_clock(timedelta(days=2))
    assert rows(sf, "SHOW DATABASES HISTORY") == []
    sf.idle()
    assert list((sf.warehouse.root / "projects").glob("*.duckdb")) == []


def test_failed_time_travel_changes_nothing(sf: Session) -> None:
    setup(sf)
    run(sf, "INSERT INTO t VALUES (1)")
    before = snapshot(sf)
    fails(sf, "SELECT * FROM t AT(OFFSET => -600)")
    fails(sf, "CREATE TABLE t3 CLONE t AT(OFFSET => -600)")
    assert snapshot(sf) == before


def test_start_is_the_fixture_clock(sf: Session) -> None:
    assert sf.clock.now() == START


def test_purges_shrink_the_file(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT, pad VARCHAR)")
    con = sf.warehouse.con
    info = sf.warehouse.get_database("D")
    assert info is not None
    alias = sf.warehouse.attach_project(info)
    # Bulk data straight into storage (as the benchmarks do), stamped with version 2.
    con.execute(
        f'INSERT INTO "{alias}".main.t1 SELECT range, md5(range::VARCHAR), 2 FROM range(500000)'
    )
    sf.move_clock(timedelta(minutes=1))
    run(sf, "DELETE FROM t")  # every row moves to history
    sf.idle()
    path = sf.warehouse.root / "projects" / f"{info.file}.duckdb"
    full = path.stat().st_size
    sf.move_clock(timedelta(days=2))
    run(sf, "INSERT INTO t VALUES (1, 'y')")  # the write purges the history
    sf.idle()  # ... and going idle compacts the mostly free file
    assert path.stat().st_size < full / 2
    assert rows(sf, "SELECT v, pad FROM t") == [(Decimal(1), "y")]
    assert fails(sf, "SELECT * FROM t AT(OFFSET => -60*60*24*2 + 30)").text == UNAVAILABLE
