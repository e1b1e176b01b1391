"""Tables, partitions, INSERT, DESC, SHOW, projects, SET/USE/WHOAMI in the engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from engine_helpers import OWNER_A, START, fails, lines, rows, run, snapshot

from cloneshell.engine import Session, Status, TableDescription, Text
from cloneshell.engine.core.clock import FixedClock


def test_fresh_warehouse_has_a_default_project(open_session: Callable[..., Session]) -> None:
    s = open_session()
    assert s.project == "my_project"
    assert s.prompt() == "odps@ my_project>"
    run(s, "CREATE TABLE t (id BIGINT); INSERT INTO t VALUES (1);")
    assert rows(s, "SELECT * FROM t") == [(1,)]


def test_types_round_trip(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        """CREATE TABLE ty (a TINYINT, b SMALLINT, c INT, d BIGINT, e FLOAT, f DOUBLE,
            g DECIMAL, h DECIMAL(10,2), i STRING, j VARCHAR(10), k CHAR(3), l BOOLEAN, m DATE,
            n DATETIME, o TIMESTAMP, p BINARY, q ARRAY<BIGINT>, r MAP<STRING,BIGINT>,
            s STRUCT<x:BIGINT, y:STRING>);""",
    )
    (desc,) = s.execute("DESC ty")
    assert isinstance(desc, TableDescription)
    assert [c.type for c in desc.columns] == [
        "tinyint", "smallint", "int", "bigint", "float", "double", "decimal(38,18)",
        "decimal(10,2)", "string", "varchar(10)", "char(3)", "boolean", "date", "datetime",
        "timestamp", "binary", "array<bigint>", "map<string,bigint>", "struct<x:bigint,y:string>",
    ]  # fmt: skip
    run(
        s,
        """INSERT INTO ty (h, i, l, m, n) VALUES
            (12.5, 'x', true, DATE '2024-01-15', DATETIME '2024-01-15 10:11:12');""",
    )
    assert rows(s, "SELECT h, i, l, m, n FROM ty") == [
        (Decimal("12.50"), "x", True, date(2024, 1, 15), datetime(2024, 1, 15, 10, 11, 12))
    ]


def test_create_table_rules(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(s, "CREATE TABLE t (id BIGINT) COMMENT 'c';")
    assert fails(s, "CREATE TABLE t (id BIGINT)").code == "ODPS-0130111"
    before = snapshot(s)
    (ok,) = s.execute("CREATE TABLE IF NOT EXISTS t (other STRING)")
    assert isinstance(ok, Status) and ok.message == "OK"
    assert snapshot(s) == before
    assert "defined twice" in fails(s, "CREATE TABLE u (a BIGINT, A STRING)").text
    err = fails(s, "CREATE TABLE u (a BIGINT) PARTITIONED BY (d DOUBLE)")
    assert "partition column d cannot be of type double" in err.text
    run(s, "CREATE TABLE l LIKE t LIFECYCLE 3;")
    (desc,) = s.execute("DESC l")
    assert isinstance(desc, TableDescription)
    assert desc.lifecycle == 3 and desc.comment == "c"
    run(s, "CREATE TABLE IF NOT EXISTS l2 LIFECYCLE 2 AS SELECT id, id * 2 FROM t;")
    (desc,) = s.execute("DESC l2")
    assert isinstance(desc, TableDescription)
    assert [(c.name, c.type) for c in desc.columns] == [("id", "bigint"), ("_c1", "bigint")]


def test_partitions_and_dynamic_insert(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        """CREATE TABLE p (id BIGINT, v STRING) PARTITIONED BY (ds STRING, region STRING);
        INSERT INTO p PARTITION (ds='20240101', region='china') VALUES (1, 'a');
        INSERT INTO p PARTITION (ds='20240102', region) SELECT 2, 'b', 'us';
        INSERT INTO p PARTITION (ds, region) VALUES (3, 'c', '20240103', 'eu');
        ALTER TABLE p ADD IF NOT EXISTS PARTITION (ds='20240101', region='china')
            PARTITION (ds='20240104', region='empty');""",
    )
    assert lines(s, "SHOW PARTITIONS p") == (
        "ds=20240101/region=china",
        "ds=20240102/region=us",
        "ds=20240103/region=eu",
        "ds=20240104/region=empty",
    )
    assert lines(s, "SHOW PARTITIONS p PARTITION (ds='20240102')") == ("ds=20240102/region=us",)
    assert fails(s, "ALTER TABLE p ADD PARTITION (ds='20240101', region='china')").code == (
        "ODPS-0110041"
    )
    err = fails(s, "INSERT INTO p VALUES (1, 'x')")
    assert "the number of input partition columns (0) doesn't equal to table's partition" in (
        err.text
    )
    run(s, "INSERT OVERWRITE TABLE p PARTITION (ds='20240101', region='china') SELECT 9, 'z';")
    assert rows(s, "SELECT id FROM p WHERE ds='20240101'") == [(9,)]
    run(s, "ALTER TABLE p DROP PARTITION (ds='20240101', region='china');")
    assert rows(s, "SELECT count(*) FROM p") == [(2,)]
    assert "does not exist" in fails(s, "ALTER TABLE p DROP PARTITION (ds='x', region='y')").text
    run(s, "ALTER TABLE p DROP IF EXISTS PARTITION (ds='x', region='y');")
    err = fails(s, "INSERT INTO p PARTITION (ds, region) SELECT 1, 'a', 'x/y', 'r'")
    assert "invalid partition value" in err.text
    assert rows(s, "SELECT count(*) FROM p") == [(2,)]


def test_describe_partition_and_times(warehouse_dir: object) -> None:
    clock = FixedClock(START)
    s = Session.open(str(warehouse_dir), principal=OWNER_A, clock=clock)
    try:
        run(s, "CREATE TABLE p (id BIGINT) PARTITIONED BY (ds STRING) LIFECYCLE 30;")
        clock.advance(timedelta(minutes=5))
        run(s, "INSERT INTO p PARTITION (ds='a') VALUES (1), (2);")
        (desc,) = s.execute("DESC p")
        assert isinstance(desc, TableDescription)
        assert desc.create_time == START and desc.modified_time == START + timedelta(minutes=5)
        assert desc.size == 16 + 2  # two BIGINTs and two one-byte ds values
        (pdesc,) = s.execute("DESC p PARTITION (ds='a')")
        assert isinstance(pdesc, TableDescription) and pdesc.partition is not None
        assert pdesc.partition.size == 18
    finally:
        s.close()


def test_show_tables_and_like(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        "CREATE TABLE sale_a (id BIGINT); CREATE TABLE sale_b (id BIGINT); "
        "CREATE TABLE x (id INT);",
    )
    assert lines(s, "SHOW TABLES") == tuple(f"{OWNER_A}:{n}" for n in ("sale_a", "sale_b", "x"))
    assert lines(s, "SHOW TABLES LIKE 'sale%'") == (f"{OWNER_A}:sale_a", f"{OWNER_A}:sale_b")
    assert lines(s, "SHOW TABLES IN my_project LIKE 'x*'") == (f"{OWNER_A}:x",)


def test_set_show_flags_whoami_use(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(s, "SET odps.sql.allow.fullscan=true; SET odps.namespace.schema = false;")
    assert lines(s, "SHOW FLAGS") == ("odps.namespace.schema=false", "odps.sql.allow.fullscan=true")
    who = lines(s, "WHOAMI")
    assert who[0] == f"Name: {OWNER_A}" and who[-1] == "Project: my_project"
    assert fails(s, "USE nowhere").code == "ODPS-0420111"


def test_namespace_schema_flag(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        "CREATE PROJECT other_p; CREATE TABLE other_p.t (id BIGINT); INSERT "
        "INTO other_p.t VALUES (7);",
    )
    assert rows(s, "SELECT * FROM other_p.t") == [(7,)]
    assert "three-part names" in fails(s, "SELECT * FROM other_p.default.t").text
    run(s, "SET odps.namespace.schema=true;")
    assert rows(s, "SELECT * FROM other_p.default.t") == [(7,)]
    assert "schema other_p does not exist" in fails(s, "SELECT * FROM other_p.t").text


def test_drop_table_and_project(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(s, "CREATE PROJECT gone_p; CREATE TABLE gone_p.t (id BIGINT); DROP TABLE gone_p.t;")
    assert fails(s, "SELECT * FROM gone_p.t").code == "ODPS-0130131"
    run(s, "DROP TABLE IF EXISTS gone_p.t; DROP PROJECT gone_p;")
    assert fails(s, "USE gone_p").code == "ODPS-0420111"
    (res,) = s.execute("SHOW PROJECTS")
    assert [r[0] for r in res.rows] == ["my_project"]  # type: ignore[union-attr]


def test_external_table_is_metadata_only(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(s, "CREATE EXTERNAL TABLE e (id BIGINT) STORED BY 'x' LOCATION 'oss://b/p/';")
    (desc,) = s.execute("DESC e")
    assert isinstance(desc, TableDescription) and desc.external and desc.size == 0
    assert "external table" in fails(s, "SELECT * FROM e").text
    assert isinstance(s.execute("SHOW TABLES")[0], Text)


def test_insert_overwrite_may_read_its_own_table(open_session: Callable[..., Session]) -> None:
    """MaxCompute's way to delete rows: overwrite a table (or partition) with a filtered read of
    itself. The source must be read before the old rows go."""
    s = open_session()
    run(
        s,
        """CREATE TABLE t (id BIGINT); INSERT INTO t VALUES (1), (2), (3);
        INSERT OVERWRITE TABLE t SELECT id FROM t WHERE id <> 2;
        CREATE TABLE p (id BIGINT) PARTITIONED BY (ds STRING);
        INSERT INTO p PARTITION (ds='a') VALUES (1), (2);
        INSERT INTO p PARTITION (ds='b') VALUES (9);
        INSERT OVERWRITE TABLE p PARTITION (ds='a') SELECT id FROM p WHERE ds = 'a' AND id > 1;""",
    )
    assert rows(s, "SELECT id FROM t ORDER BY id LIMIT 9") == [(1,), (3,)]
    assert rows(s, "SELECT ds, id FROM p ORDER BY ds, id LIMIT 9") == [("a", 2), ("b", 9)]


def test_snapshot_offers_only_what_the_principal_can_see(
    open_session: Callable[..., Session],
) -> None:
    s = open_session()
    ram = "RAM$alice@aliyun.com:dev"
    run(
        s,
        f"""CREATE TABLE open_t (id BIGINT) PARTITIONED BY (ds STRING);
        INSERT INTO open_t PARTITION (ds='a') VALUES (1);
        ALTER TABLE open_t ADD PARTITION (ds='b');
        CREATE TABLE secret_t (id BIGINT);
        CREATE PROJECT other_p;
        ADD USER {ram};""",
    )
    snap = s.snapshot()
    assert {t.name for t in snap.tables} == {"open_t", "secret_t"}
    assert set(snap.projects) == {"my_project", "other_p"}
    s.login(ram)
    assert [t.name for t in s.snapshot().tables] == []
    s.login(OWNER_A)
    run(s, f"GRANT Select ON TABLE open_t TO USER {ram};")
    s.login(ram)
    snap = s.snapshot()
    assert snap.projects == ("my_project",)  # not a member of other_p
    (entry,) = snap.tables
    assert entry.name == "open_t" and entry.partition_columns == (("ds", "string"),)
    assert sorted(p["ds"] for p in entry.partitions) == ["a", "b"]


def test_a_value_that_does_not_convert_names_its_column(
    open_session: Callable[..., Session],
) -> None:
    s = open_session()
    run(s, "CREATE TABLE t (id BIGINT, amount DOUBLE) PARTITIONED BY (d STRING);")
    before = snapshot(s)
    e = fails(s, "INSERT INTO t PARTITION (d='1') VALUES (1, 'lots');")
    assert e.code == "ODPS-0121095"
    assert "Could not convert string 'lots'" in str(e)
    assert "source column amount" in str(e) and "c1" not in str(e)
    assert snapshot(s) == before
