"""Limits from the seed, at their edges (issue 6; reference/maxcompute.md "CLONE TABLE",
reference/snowflake.md §2.2-2.4):

- MaxCompute CLONE TABLE into an existing table copies at most 10,000 partitions per statement:
  exactly 10,000 succeeds, 10,001 fails and changes nothing; IF EXISTS IGNORE counts only the
  partitions it would copy. A new destination has no limit, and is created all or nothing.
- External tables (as source or destination) and clones across regions are refused.
- Snowflake retention: 0 keeps no history (no Time Travel, no UNDROP); with 1 day, a point
  exactly at the boundary is still there, a second further back is not, and a purge at the
  boundary keeps what is still inside the window; a dropped table can be undropped up to the
  last second of its retention and is purged at the boundary.

The partitions are built in bulk through the engine's own metadata API (ProjectCatalog), a few
holding rows; every CLONE under test is the real statement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hostile_helpers import START, assert_coded, open_session, warehouse_files

from cloneshell.engine import Session
from cloneshell.engine.core.catalog import ProjectCatalog
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.maxcompute import catalog as mc_catalog
from cloneshell.grammar.errors import CloneshellError

LIMIT = 10_000

# ================================================================== MaxCompute partitions


def _catalog(s: Session, project: str) -> ProjectCatalog:
    info = s.warehouse.require_project(project)
    return ProjectCatalog(s.warehouse.con, s.warehouse.attach_project(info), info.name)


def add_empty_partitions(s: Session, project: str, table: str, specs: list[str]) -> None:
    """Register partitions `ds=<spec>` in bulk through the metadata API (an ALTER TABLE of
    10,000 partitions would spend its time parsing)."""
    cat = _catalog(s, project)
    meta = cat.get_table("default", table)
    assert meta is not None
    mc_catalog.add_partitions(cat, meta, [{"ds": spec} for spec in specs], START)
    s.idle()


def partitions(s: Session, table: str) -> list[str]:
    (result,) = s.execute(f"SHOW PARTITIONS {table}")
    return list(result.lines)  # type: ignore[attr-defined]


def content(s: Session, table: str) -> list[tuple[object, ...]]:
    (result,) = s.execute(f"SELECT id, ds FROM {table}")
    return sorted(result.rows)  # type: ignore[attr-defined]


def specs(n: int) -> list[str]:
    return [f"p{i:05d}" for i in range(n)]


@pytest.fixture
def mc(tmp_path: Path) -> Iterator[Session]:
    """Projects src and dst; src.big has `count` partitions (set per test), three with rows;
    dst.big exists with the same schema."""
    s = open_session(tmp_path / "wh", "maxcompute")
    s.execute(
        "CREATE PROJECT src_proj; CREATE PROJECT dst_proj; USE src_proj;"
        "CREATE TABLE big (id BIGINT) PARTITIONED BY (ds STRING);"
        "INSERT INTO big PARTITION (ds='p00000') VALUES (1), (2);"
        "INSERT INTO big PARTITION (ds='p00001') VALUES (3);"
        "CREATE TABLE dst_proj.big (id BIGINT) PARTITIONED BY (ds STRING)"
    )
    yield s
    s.close()


def test_exactly_ten_thousand_partitions_into_an_existing_table(mc: Session) -> None:
    add_empty_partitions(mc, "src_proj", "big", specs(LIMIT))
    mc.execute("INSERT INTO big PARTITION (ds='p09999') VALUES (4)")  # the last one holds a row
    mc.execute("CLONE TABLE big TO dst_proj.big IF EXISTS OVERWRITE")
    assert partitions(mc, "dst_proj.big") == partitions(mc, "big")
    assert len(partitions(mc, "dst_proj.big")) == LIMIT
    assert (
        content(mc, "dst_proj.big")
        == content(mc, "big")
        == [
            (1, "p00000"),
            (2, "p00000"),
            (3, "p00001"),
            (4, "p09999"),
        ]
    )


def test_ten_thousand_and_one_fails_and_changes_nothing(mc: Session) -> None:
    add_empty_partitions(mc, "src_proj", "big", specs(LIMIT + 1))
    mc.execute("INSERT INTO dst_proj.big PARTITION (ds='p00000') VALUES (99)")  # old data
    before = warehouse_files(mc)
    with pytest.raises(CloneshellError) as info:
        mc.execute("CLONE TABLE big TO dst_proj.big IF EXISTS OVERWRITE")
    assert_coded(info.value, "maxcompute")
    assert info.value.code == "ODPS-0130071"
    assert "10001 partitions exceed the limit of 10000" in info.value.text
    assert warehouse_files(mc) == before
    assert content(mc, "dst_proj.big") == [(99, "p00000")]
    assert partitions(mc, "dst_proj.big") == ["ds=p00000"]


def test_ignore_counts_only_the_partitions_it_copies(mc: Session) -> None:
    """10,001 in the source, one of them already in the destination: IGNORE copies 10,000,
    which is within the limit; OVERWRITE would copy all 10,001 and is refused."""
    add_empty_partitions(mc, "src_proj", "big", specs(LIMIT + 1))
    mc.execute("INSERT INTO dst_proj.big PARTITION (ds='p00000') VALUES (99)")
    with pytest.raises(CloneshellError):
        mc.execute("CLONE TABLE big TO dst_proj.big IF EXISTS OVERWRITE")
    mc.execute("CLONE TABLE big TO dst_proj.big IF EXISTS IGNORE")
    assert len(partitions(mc, "dst_proj.big")) == LIMIT + 1
    assert content(mc, "dst_proj.big") == [(3, "p00001"), (99, "p00000")]  # p00000 kept


@pytest.mark.parametrize("count", [LIMIT + 1, 12_000])
def test_new_destination_takes_any_number_of_partitions(mc: Session, count: int) -> None:
    add_empty_partitions(mc, "src_proj", "big", specs(count))
    mc.execute(f"CLONE TABLE big TO dst_proj.big_{count}")
    assert partitions(mc, f"dst_proj.big_{count}") == partitions(mc, "big")
    assert len(partitions(mc, f"dst_proj.big_{count}")) == count
    assert content(mc, f"dst_proj.big_{count}") == content(mc, "big")


def test_new_destination_is_all_or_nothing(mc: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure at the last step of a 10,001-partition clone (recording the partition list,
    after the rows are copied) leaves no table, no partition and no file changed."""
    add_empty_partitions(mc, "src_proj", "big", specs(LIMIT + 1))
    before = warehouse_files(mc)
    real = mc_catalog.add_partitions

    def fail_after(cat: ProjectCatalog, *args: object, **kwargs: object) -> None:
        real(cat, *args, **kwargs)  # type: ignore[arg-type]
        raise duckdb.IOException("No space left on device (simulated)")

    monkeypatch.setattr(mc_catalog, "add_partitions", fail_after)
    with pytest.raises(CloneshellError) as info:
        mc.execute("CLONE TABLE big TO dst_proj.big_new")
    assert info.value.code.startswith("ODPS-")
    monkeypatch.undo()
    assert warehouse_files(mc) == before
    with pytest.raises(CloneshellError) as gone:
        mc.execute("SELECT * FROM dst_proj.big_new")
    assert gone.value.code == "ODPS-0130131"  # table not found


# ================================================================== refused clones


def test_external_tables_are_refused_both_ways(mc: Session) -> None:
    mc.execute(
        "CREATE EXTERNAL TABLE ext (id BIGINT) PARTITIONED BY (ds STRING) "
        "LOCATION 'oss://bucket/path/';"
        "CREATE EXTERNAL TABLE dst_proj.ext_dst (id BIGINT) PARTITIONED BY (ds STRING) "
        "LOCATION 'oss://bucket/other/'"
    )
    for statement in (
        "CLONE TABLE ext TO dst_proj.ext_copy",
        "CLONE TABLE ext TO dst_proj.big IF EXISTS OVERWRITE",
        "CLONE TABLE big TO dst_proj.ext_dst IF EXISTS OVERWRITE",
    ):
        before = warehouse_files(mc)
        with pytest.raises(CloneshellError) as info:
            mc.execute(statement)
        assert_coded(info.value, "maxcompute")
        assert "external table" in info.value.text, info.value.text
        assert warehouse_files(mc) == before


def test_cross_region_clones_are_refused(tmp_path: Path) -> None:
    s = open_session(tmp_path / "wh", "maxcompute")
    try:
        s.execute(
            "CREATE PROJECT hz_one REGION 'cn-hangzhou'; CREATE PROJECT hz_two REGION "
            "'cn-hangzhou'; CREATE PROJECT sh_one REGION 'cn-shanghai';"
            "CREATE TABLE hz_one.t (id BIGINT); INSERT INTO hz_one.t VALUES (1);"
            "CREATE TABLE sh_one.t (id BIGINT)"
        )
        for statement in (
            "CLONE TABLE hz_one.t TO sh_one.t_new",
            "CLONE TABLE hz_one.t TO sh_one.t IF EXISTS OVERWRITE",
            "CLONE TABLE sh_one.t TO hz_one.t IF EXISTS OVERWRITE",
        ):
            before = warehouse_files(s)
            with pytest.raises(CloneshellError) as info:
                s.execute(statement)
            assert_coded(info.value, "maxcompute")
            assert "across regions" in info.value.text
            assert warehouse_files(s) == before
        s.execute("CLONE TABLE hz_one.t TO hz_two.t")  # the same region is fine
        (result,) = s.execute("SELECT id FROM hz_two.t")
        assert result.rows == [(1,)]  # type: ignore[attr-defined]
    finally:
        s.close()


# ================================================================== Snowflake retention

UNAVAILABLE = "000707"


@pytest.fixture
def sf(tmp_path: Path) -> Iterator[Session]:
    s = Session.open(tmp_path / "wh", dialect="snowflake", clock=FixedClock(START))
    s.execute("CREATE DATABASE d")
    yield s
    s.close()


def _values(s: Session, sql: str) -> list[object]:
    (result,) = s.execute(sql)
    return sorted(r[0] for r in result.rows)  # type: ignore[attr-defined]


def _unavailable(s: Session, sql: str) -> None:
    with pytest.raises(CloneshellError) as info:
        s.execute(sql)
    assert info.value.code == UNAVAILABLE, info.value.text
    assert_coded(info.value, "snowflake")


def _ts(when: datetime) -> str:
    return f"'{when:%Y-%m-%d %H:%M:%S}'::TIMESTAMP_NTZ"


def test_retention_zero_keeps_nothing(sf: Session) -> None:
    sf.execute("CREATE TABLE t (v INT) DATA_RETENTION_TIME_IN_DAYS = 0; INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(seconds=1))
    sf.execute("DELETE FROM t")
    delete = sf.query_ids[-1]
    sf.move_clock(timedelta(seconds=1))
    # one second back is already out of reach, and so is every clone of the past
    _unavailable(sf, "SELECT * FROM t AT(OFFSET => -1)")
    _unavailable(sf, f"SELECT * FROM t BEFORE(STATEMENT => '{delete}')")
    _unavailable(sf, "CREATE TABLE c CLONE t AT(OFFSET => -1)")
    # the present is still there
    assert _values(sf, "SELECT v FROM t AT(OFFSET => 0)") == []
    # a dropped table with retention 0 is gone at once (snowflake.md §2.2)
    sf.execute("DROP TABLE t")
    with pytest.raises(CloneshellError) as info:
        sf.execute("UNDROP TABLE t")
    assert info.value.code == "002003", info.value.text


def test_time_travel_exactly_at_the_retention_boundary(sf: Session) -> None:
    """Retention 1 day: the state just before a DELETE made at T is readable until T + 1 day
    inclusive; one second later it is not. A write at the boundary (which purges) keeps it."""
    sf.execute("CREATE TABLE t (v INT) DATA_RETENTION_TIME_IN_DAYS = 1; INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(hours=1))
    deleted_at = START + timedelta(hours=1)
    sf.execute("DELETE FROM t")
    sf.move_clock(timedelta(days=1))  # now = deleted_at + 1 day, exactly
    before_delete = f"SELECT v FROM t BEFORE(TIMESTAMP => {_ts(deleted_at)})"
    assert _values(sf, before_delete) == [1]
    assert _values(sf, f"SELECT v FROM t AT(OFFSET => -{24 * 3600})") == []
    _unavailable(sf, f"SELECT v FROM t AT(TIMESTAMP => {_ts(deleted_at - timedelta(seconds=1))})")
    sf.execute("INSERT INTO t VALUES (2)")  # a write purges what left the window ...
    assert _values(sf, before_delete) == [1]  # ... and keeps what is still inside it
    sf.execute(f"CREATE TABLE c CLONE t BEFORE(TIMESTAMP => {_ts(deleted_at)})")
    assert _values(sf, "SELECT v FROM c") == [1]
    sf.move_clock(timedelta(seconds=1))  # one second past the boundary
    _unavailable(sf, before_delete)
    _unavailable(sf, f"CREATE TABLE c2 CLONE t BEFORE(TIMESTAMP => {_ts(deleted_at)})")


def test_undrop_up_to_the_last_second_of_retention(sf: Session) -> None:
    sf.execute(
        "CREATE TABLE kept (v INT) DATA_RETENTION_TIME_IN_DAYS = 1; INSERT INTO kept VALUES (7);"
        "CREATE TABLE lost (v INT) DATA_RETENTION_TIME_IN_DAYS = 1; INSERT INTO lost VALUES (8)"
    )
    sf.execute("DROP TABLE kept; DROP TABLE lost")
    sf.move_clock(timedelta(days=1) - timedelta(seconds=1))  # the last second
    sf.execute("UNDROP TABLE kept")
    assert _values(sf, "SELECT v FROM kept") == [7]
    sf.move_clock(timedelta(seconds=1))  # exactly one day after the drop: purged
    with pytest.raises(CloneshellError) as info:
        sf.execute("UNDROP TABLE lost")
    assert info.value.code == "002003", info.value.text
    assert "did not exist or was purged" in info.value.text
    with pytest.raises(CloneshellError):
        sf.execute("SELECT * FROM lost")
    assert _values(sf, "SELECT v FROM kept") == [7]


def test_dropped_database_is_purged_at_its_boundary_and_its_file_removed(sf: Session) -> None:
    sf.execute("CREATE DATABASE gone DATA_RETENTION_TIME_IN_DAYS = 1; CREATE TABLE x (v INT)")
    files = set(warehouse_files(sf))
    sf.execute("DROP DATABASE gone")
    sf.move_clock(timedelta(days=1) - timedelta(seconds=1))
    (shown,) = sf.execute("SHOW DATABASES HISTORY")
    assert any(r[1] == "GONE" for r in shown.rows)  # type: ignore[attr-defined]
    sf.move_clock(timedelta(seconds=1))
    (shown,) = sf.execute("SHOW DATABASES HISTORY")  # purges dropped databases past retention
    assert not any(r[1] == "GONE" for r in shown.rows)  # type: ignore[attr-defined]
    after = set(warehouse_files(sf))
    assert len(files - after) == 1 and not after - files  # exactly its file went
    with pytest.raises(CloneshellError) as info:
        sf.execute("UNDROP DATABASE gone")
    assert info.value.code == "002003"
