"""CLONE TABLE: every rule and limit of the seed and reference/maxcompute.md §1, each failure
checked for its code and for changing nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from engine_helpers import OWNER_A, OWNER_B, fails, lines, rows, run, snapshot

from cloneshell.engine import Session, TableDescription


def make_partitioned(session: Session, name: str, parts: list[str], project: str = "") -> None:
    prefix = f"{project}." if project else ""
    run(session, f"CREATE TABLE {prefix}{name} (id BIGINT, v STRING) PARTITIONED BY (ds STRING);")
    for i, ds in enumerate(parts):
        run(session, f"INSERT INTO {prefix}{name} PARTITION (ds='{ds}') VALUES ({i}, 'v{ds}');")


def test_clone_to_new_table_in_other_project(two_projects: Session) -> None:
    s = two_projects
    run(s, "CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data;")
    assert rows(
        s, "SELECT * FROM project_reporting.sales_data WHERE id < 3 ORDER BY id LIMIT 5"
    ) == [
        (1, "2024-01-15", Decimal("299.00")),
        (2, "2024-01-16", Decimal("450.50")),
    ]
    (desc,) = s.execute("DESC project_reporting.sales_data")
    assert isinstance(desc, TableDescription)
    assert [(c.name, c.type) for c in desc.columns] == [
        ("id", "bigint"),
        ("order_date", "string"),
        ("amount", "decimal(10,2)"),
    ]
    (src_desc,) = s.execute("DESC sales_data")
    assert isinstance(src_desc, TableDescription)
    assert desc.size == src_desc.size > 0
    assert desc.project == "project_reporting"


def test_seed_statement_with_overwrite_creates_then_replaces(two_projects: Session) -> None:
    s = two_projects
    stmt = (
        "CLONE TABLE project_analytics.sales_data TO "
        "project_reporting.sales_data IF EXISTS OVERWRITE"
    )
    run(s, "SET odps.namespace.schema=false;" + stmt + ";")
    run(s, "INSERT INTO sales_data VALUES (4, '2024-01-18', 1.00);")
    run(s, stmt + ";")
    assert rows(s, "SELECT count(*) FROM project_reporting.sales_data") == [(4,)]


def test_existing_destination_without_clause_fails_and_changes_nothing(
    two_projects: Session,
) -> None:
    s = two_projects
    run(s, "CLONE TABLE sales_data TO project_reporting.sales_data;")
    run(s, "INSERT INTO sales_data VALUES (9, '2024-02-01', 5.00);")
    before = snapshot(s)
    err = fails(s, "CLONE TABLE sales_data TO project_reporting.sales_data")
    assert err.code == "ODPS-0130111"
    assert "already exists" in err.text
    assert snapshot(s) == before


def test_incompatible_schema_fails_and_changes_nothing(two_projects: Session) -> None:
    s = two_projects
    run(s, "CREATE TABLE project_reporting.sales_data (id BIGINT, order_date STRING);")
    before = snapshot(s)
    err = fails(s, "CLONE TABLE sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE")
    assert err.code == "ODPS-0130071"
    assert "not compatible" in err.text
    assert snapshot(s) == before
    run(s, "DROP TABLE project_reporting.sales_data;")
    run(
        s,
        "CREATE TABLE project_reporting.sales_data (id BIGINT, order_date STRING, amount DOUBLE);",
    )
    err = fails(s, "CLONE TABLE sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE")
    assert "not compatible" in err.text


def test_partition_columns_must_match(two_projects: Session) -> None:
    s = two_projects
    make_partitioned(s, "p_src", ["a"])
    run(s, "CREATE TABLE project_reporting.p_src (id BIGINT, v STRING) PARTITIONED BY (dt STRING);")
    before = snapshot(s)
    err = fails(s, "CLONE TABLE p_src TO project_reporting.p_src IF EXISTS OVERWRITE")
    assert "partition columns differ" in err.text
    assert snapshot(s) == before


def test_overwrite_replaces_only_matching_partitions(two_projects: Session) -> None:
    s = two_projects
    make_partitioned(s, "events", ["d1", "d2"])
    run(s, "CLONE TABLE events TO project_reporting.events;")
    # destination gets its own extra partition and changed data in d1
    run(s, "INSERT INTO project_reporting.events PARTITION (ds='d3') VALUES (30, 'dest-only');")
    run(s, "INSERT INTO project_reporting.events PARTITION (ds='d1') VALUES (10, 'dest-extra');")
    run(s, ("INSERT INTO events PARTITION (ds='d2') VALUES (20, 'src-new');"))
    run(
        s,
        "CLONE TABLE events PARTITION (ds='d1'), PARTITION (ds='d2') TO "
        "project_reporting.events IF EXISTS OVERWRITE;",
    )
    got = rows(s, "SELECT ds, id, v FROM project_reporting.events ORDER BY ds, id LIMIT 100")
    assert got == [
        ("d1", 0, "vd1"),
        ("d2", 1, "vd2"),
        ("d2", 20, "src-new"),
        ("d3", 30, "dest-only"),
    ]
    assert lines(s, "SHOW PARTITIONS project_reporting.events") == ("ds=d1", "ds=d2", "ds=d3")


def test_ignore_copies_only_missing_partitions(two_projects: Session) -> None:
    s = two_projects
    make_partitioned(s, "events", ["d1"])
    run(s, "CLONE TABLE events TO project_reporting.events;")
    run(s, "INSERT INTO project_reporting.events PARTITION (ds='d1') VALUES (99, 'kept');")
    run(s, "INSERT INTO events PARTITION (ds='d2') VALUES (2, 'new');")
    run(s, "CLONE TABLE events TO project_reporting.events IF EXISTS IGNORE;")
    got = rows(s, "SELECT ds, id FROM project_reporting.events ORDER BY ds, id LIMIT 100")
    assert got == [("d1", 0), ("d1", 99), ("d2", 2)]


def test_ignore_skips_existing_non_partitioned_table(two_projects: Session) -> None:
    s = two_projects
    run(s, "CLONE TABLE sales_data TO project_reporting.sales_data;")
    run(s, "INSERT INTO sales_data VALUES (4, '2024-01-18', 1.00);")
    before = snapshot(s)
    run(s, "CLONE TABLE sales_data TO project_reporting.sales_data IF EXISTS IGNORE;")
    assert snapshot(s) == before


def test_empty_partitions_are_cloned(two_projects: Session) -> None:
    s = two_projects
    run(s, "CREATE TABLE t (id BIGINT) PARTITIONED BY (ds STRING, hr STRING);")
    run(s, "ALTER TABLE t ADD PARTITION (ds='a', hr='01') PARTITION (ds='b', hr='02');")
    run(s, "CLONE TABLE t TO project_reporting.t;")
    assert lines(s, "SHOW PARTITIONS project_reporting.t") == ("ds=a/hr=01", "ds=b/hr=02")


def test_partition_limit_into_existing_table(two_projects: Session) -> None:
    s = two_projects
    run(s, "CREATE TABLE big (id BIGINT) PARTITIONED BY (ds STRING);")
    run(s, "CREATE TABLE project_reporting.big (id BIGINT) PARTITIONED BY (ds STRING);")
    adds = " ".join(f"PARTITION (ds='p{i:05d}')" for i in range(10_001))
    run(s, f"ALTER TABLE big ADD {adds};")
    before = snapshot(s)
    err = fails(s, "CLONE TABLE big TO project_reporting.big IF EXISTS OVERWRITE")
    assert err.code == "ODPS-0130071"
    assert "10001 partitions exceed the limit of 10000" in err.text
    assert snapshot(s) == before
    # exactly 10,000 is allowed
    run(s, "ALTER TABLE big DROP PARTITION (ds='p10000');")
    run(s, "CLONE TABLE big TO project_reporting.big IF EXISTS OVERWRITE;")
    assert len(lines(s, "SHOW PARTITIONS project_reporting.big")) == 10_000


def test_new_destination_has_no_partition_limit(two_projects: Session) -> None:
    s = two_projects
    run(s, "CREATE TABLE big (id BIGINT) PARTITIONED BY (ds STRING);")
    adds = " ".join(f"PARTITION (ds='p{i:05d}')" for i in range(10_001))
    run(s, f"ALTER TABLE big ADD {adds};")
    run(s, "CLONE TABLE big TO project_reporting.big2;")
    assert len(lines(s, "SHOW PARTITIONS project_reporting.big2")) == 10_001


def test_external_tables_are_refused(two_projects: Session) -> None:
    s = two_projects
    run(s, "CREATE EXTERNAL TABLE ext (id BIGINT) LOCATION 'oss://bucket/path/';")
    before = snapshot(s)
    err = fails(s, "CLONE TABLE ext TO project_reporting.ext")
    assert err.code == "ODPS-0130071"
    assert "external table" in err.text
    assert snapshot(s) == before


def test_cross_region_is_refused(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        """CREATE PROJECT hz_proj REGION 'cn-hangzhou';
        CREATE PROJECT sh_proj REGION 'cn-shanghai';
        CREATE TABLE hz_proj.t (id BIGINT);""",
    )
    before = snapshot(s)
    err = fails(s, "CLONE TABLE hz_proj.t TO sh_proj.t")
    assert err.code == "ODPS-0130071"
    assert "across regions" in err.text
    assert snapshot(s) == before


def test_clustered_tables_clone_with_their_clustering(two_projects: Session) -> None:
    s = two_projects
    run(
        s,
        """CREATE TABLE c (id BIGINT, v STRING) CLUSTERED BY (id) SORTED BY (id) INTO 4 BUCKETS;
        INSERT INTO c VALUES (1, 'a');
        CREATE TABLE r (id BIGINT) RANGE CLUSTERED BY (id);
        CLONE TABLE c TO project_reporting.c;
        CLONE TABLE r TO project_reporting.r;""",
    )
    (desc,) = s.execute("DESC EXTENDED project_reporting.c")
    assert isinstance(desc, TableDescription)
    info = dict(desc.extended_info)
    assert info["ClusterType"] == "hash" and info["BucketNum"] == "4"
    (desc,) = s.execute("DESC EXTENDED project_reporting.r")
    assert isinstance(desc, TableDescription)
    assert dict(desc.extended_info)["ClusterType"] == "range"


def test_grants_are_not_copied_and_runner_owns_clone(
    open_session: Callable[..., Session],
) -> None:
    s = open_session(OWNER_A)
    run(
        s,
        f"""CREATE PROJECT src_proj;
        CREATE PROJECT dst_proj OWNER {OWNER_B};
        USE src_proj;
        CREATE TABLE t (id BIGINT) LIFECYCLE 30 COMMENT 'kept';
        ADD USER {OWNER_B};
        GRANT Select, Describe ON TABLE t TO USER {OWNER_B};
        \\login {OWNER_B}
        USE dst_proj;
        CLONE TABLE src_proj.t TO dst_proj.t;
        SHOW GRANTS;""",
    )
    (desc,) = s.execute("DESC t")
    assert isinstance(desc, TableDescription)
    assert desc.owner == OWNER_B
    assert desc.lifecycle is None  # CREATE TABLE LIKE does not copy lifecycle
    assert desc.comment == "kept"
    grants = lines(s, "SHOW GRANTS")
    assert not any("tables/t" in line for line in grants)


def test_unknown_source_and_partition(two_projects: Session) -> None:
    s = two_projects
    err = fails(s, "CLONE TABLE nope TO project_reporting.nope")
    assert err.code == "ODPS-0130131"
    assert err.span is not None and (err.span.line, err.span.column) == (1, 13)
    make_partitioned(s, "ev", ["d1"])
    err = fails(s, "CLONE TABLE ev PARTITION (ds='zz') TO project_reporting.ev")
    assert "partition ds=zz does not exist" in err.text
    err = fails(s, "CLONE TABLE sales_data PARTITION (ds='zz') TO project_reporting.x")
    assert "not partitioned" in err.text
