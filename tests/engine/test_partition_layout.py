"""Partitions stay contiguous on disk, and cloning some of many partitions reads only their
metadata: what the `partitions` line of scripts/bench measures, checked for correctness."""

from __future__ import annotations

from collections.abc import Callable

from engine_helpers import fails, rows, run

from cloneshell.engine import Session
from cloneshell.engine.core.catalog import ProjectCatalog

SETUP = """
CREATE PROJECT proj_a;
CREATE PROJECT proj_b;
USE proj_a;
CREATE TABLE src (id BIGINT, k BIGINT);
INSERT INTO src VALUES (0, 0), (1, 1), (2, 2), (3, 0), (4, 1), (5, 2), (6, 0), (7, 1), (8, 2);
CREATE TABLE pt (id BIGINT) PARTITIONED BY (ds STRING, hh STRING);
"""


def physical_order(s: Session, project: str, table: str) -> list[tuple[object, ...]]:
    """A table's rows in storage order (rowid), without the version column."""
    info = s.warehouse.get_project(project)
    assert info is not None
    cat = ProjectCatalog(s.warehouse.con, s.warehouse.attach_project(info), info.name)
    meta = cat.get_table("default", table)
    assert meta is not None
    names = ", ".join(f'"{c.name}"' for c in meta.all_columns)
    return s.warehouse.con.execute(
        f"SELECT {names} FROM {cat.physical(meta)} ORDER BY rowid"
    ).fetchall()


def test_a_dynamic_partition_insert_writes_each_partition_contiguously(
    open_session: Callable[..., Session],
) -> None:
    s = open_session()
    run(s, SETUP)
    # The source interleaves the partitions (k = 0, 1, 2, 0, 1, 2, ...).
    run(
        s,
        "INSERT INTO pt PARTITION (ds, hh) SELECT id, concat('d', CAST(k AS STRING)), "
        "CAST(k % 2 AS STRING) FROM src",
    )
    stored = physical_order(s, "proj_a", "pt")
    keys = [(ds, hh) for _, ds, hh in stored]
    assert keys == sorted(keys)
    assert sorted(i for i, _, _ in stored) == list(range(9))
    assert rows(s, "SELECT count(*) FROM pt WHERE ds = 'd1'") == [(3,)]
    # INSERT OVERWRITE of dynamic partitions too.
    run(s, "INSERT OVERWRITE TABLE pt PARTITION (ds, hh) SELECT id, 'e' || CAST(k AS STRING), "
        "'0' FROM src")  # fmt: skip
    keys = [(ds, hh) for _, ds, hh in physical_order(s, "proj_a", "pt")]
    assert keys == sorted(keys)


def test_cloning_named_partitions(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(s, SETUP)
    adds = " ".join(f"PARTITION (ds='p{i:03d}', hh='0')" for i in range(200))
    run(s, f"ALTER TABLE pt ADD {adds}")
    for i in (3, 50, 120):
        run(s, f"INSERT INTO pt PARTITION (ds='p{i:03d}', hh='0') VALUES ({i})")
    run(
        s,
        "CLONE TABLE pt PARTITION (ds='p120', hh='0'), PARTITION (ds='p003', hh='0'), "
        "PARTITION (ds='p120', hh='0'), PARTITION (ds='p007', hh='0') TO proj_b.pt",
    )
    assert rows(s, "SELECT id, ds FROM proj_b.pt ORDER BY id LIMIT 10") == [
        (3, "p003"),
        (120, "p120"),
    ]
    (shown,) = s.execute("SHOW PARTITIONS proj_b.pt")
    assert shown.lines == ("ds=p003/hh=0", "ds=p007/hh=0", "ds=p120/hh=0")  # type: ignore[union-attr]
    # into the existing table: new partitions are added, the named ones replaced
    run(s, "INSERT INTO pt PARTITION (ds='p003', hh='0') VALUES (33)")
    run(
        s,
        "CLONE TABLE pt PARTITION (ds='p003', hh='0'), PARTITION (ds='p050', hh='0') "
        "TO proj_b.pt IF EXISTS OVERWRITE",
    )
    assert rows(s, "SELECT id FROM proj_b.pt ORDER BY id LIMIT 10") == [(3,), (33,), (50,), (120,)]
    (shown,) = s.execute("SHOW PARTITIONS proj_b.pt")
    assert shown.lines == (  # type: ignore[union-attr]
        "ds=p003/hh=0",
        "ds=p007/hh=0",
        "ds=p050/hh=0",
        "ds=p120/hh=0",
    )


def test_a_missing_partition_named_first_is_reported_first(
    open_session: Callable[..., Session],
) -> None:
    s = open_session()
    run(s, SETUP)
    run(s, "ALTER TABLE pt ADD PARTITION (ds='a', hh='0')")
    err = fails(s, "CLONE TABLE pt PARTITION (ds='zz', hh='0'), PARTITION (nope='1') TO proj_b.x")
    assert "zz" in err.text and "nope" not in err.text
    err = fails(s, "CLONE TABLE pt PARTITION (ds='a', hh='0'), PARTITION (nope='1') TO proj_b.x")
    assert "nope" in err.text
    err = fails(
        s, "CLONE TABLE pt PARTITION (ds='a', hh='0'), PARTITION (ds='b', hh='0') TO proj_b.x"
    )
    assert "ds=b/hh=0" in err.text
    assert rows(s, "SELECT count(*) FROM pt") == [(0,)]
