"""PyODPS, unmodified, against `cloneshell serve`: the seed's cross-account migration (ending with
REMOVE USER and a refused read), results through the result API, table metadata, errors as
PyODPS's own exception classes."""

from __future__ import annotations

from decimal import Decimal

import pytest

odps = pytest.importorskip("odps")
from odps import ODPS, errors  # noqa: E402
from odps.models import TableSchema  # noqa: E402

SOURCE = "ALIYUN$source_owner@aliyunid.com"
DESTINATION = "ALIYUN$destination_owner@aliyunid.com"


def _client(served, principal: str, project: str) -> ODPS:
    return ODPS(principal, "any-secret", project, endpoint=f"http://127.0.0.1:{served.port}/api")


def test_cross_account_migration(served):
    src = _client(served, SOURCE, "my_project")
    src.execute_sql("CREATE PROJECT project_analytics")
    src = _client(served, SOURCE, "project_analytics")
    src.execute_sql(
        "CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2)) "
        "COMMENT 'daily sales' LIFECYCLE 365"
    )
    src.execute_sql(
        "INSERT INTO sales_data VALUES (1, '2024-01-15', 299.00), (2, '2024-01-16', 450.50), "
        "(3, '2024-01-17', 120.00)"
    )
    dst = _client(served, DESTINATION, "my_project")
    dst.execute_sql("CREATE PROJECT project_reporting")
    dst = _client(served, DESTINATION, "project_reporting")
    clone = (
        "CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data "
        "IF EXISTS OVERWRITE"
    )
    with pytest.raises(errors.ODPSError) as stranger:
        dst.execute_sql(clone)
    assert "ODPS-0420095" in str(stranger.value)
    src.execute_sql(f"ADD USER {DESTINATION}")
    src.execute_sql(
        f"GRANT CreateTable, CreateInstance ON PROJECT project_analytics TO USER {DESTINATION}"
    )
    src.execute_sql(f"GRANT Select ON TABLE sales_data TO USER {DESTINATION}")
    dst.execute_sql(clone)
    with dst.execute_sql("SELECT * FROM sales_data ORDER BY id LIMIT 2").open_reader(
        tunnel=False
    ) as reader:
        rows = [list(r.values) for r in reader]
    assert rows == [[1, "2024-01-15", Decimal("299.00")], [2, "2024-01-16", Decimal("450.50")]]
    table = dst.get_table("sales_data")
    assert [(c.name, str(c.type)) for c in table.table_schema.columns] == [
        ("id", "BIGINT"),
        ("order_date", "STRING"),
        ("amount", "DECIMAL(10,2)"),
    ]
    assert table.owner == DESTINATION
    src.execute_sql(f"REMOVE USER {DESTINATION}")
    with pytest.raises(errors.ODPSError) as refused:
        dst.execute_sql("SELECT * FROM project_analytics.sales_data LIMIT 2")
    assert "ODPS-0420095" in str(refused.value)
    assert "You don't exist in project project_analytics" in str(refused.value)
    with dst.execute_sql("SELECT count(*) AS n FROM sales_data").open_reader(tunnel=False) as r:
        assert [list(x.values) for x in r] == [[3]]


def test_async_run_sql_and_plain_open_reader(served):
    o = _client(served, SOURCE, "my_project")
    o.execute_sql("CREATE TABLE t (a BIGINT, b STRING, c DOUBLE, d BOOLEAN)")
    o.execute_sql("INSERT INTO t VALUES (1, 'x', 1.5, true), (2, NULL, NULL, false)")
    instance = o.run_sql("SELECT * FROM t ORDER BY a LIMIT 10")
    instance.wait_for_success()
    assert instance.is_successful()
    # No Instance Tunnel: PyODPS falls back to the result API, warning of its 10,000-row limit.
    with pytest.warns(UserWarning), instance.open_reader() as reader:
        rows = [list(r.values) for r in reader]
    assert rows == [[1, "x", 1.5, True], [2, None, None, False]]


def test_tables_api(served):
    o = _client(served, SOURCE, "my_project")
    assert not o.exist_table("made")
    schema = TableSchema.from_lists(["id", "name"], ["bigint", "string"])
    o.create_table("made", schema)
    assert o.exist_table("made")
    assert "made" in [t.name for t in o.list_tables()]
    o.delete_table("made")
    assert not o.exist_table("made")
    with pytest.raises(errors.NoSuchObject):
        o.get_table("made").reload()


def test_errors_are_pyodps_classes(served):
    o = _client(served, SOURCE, "my_project")
    with pytest.raises(errors.NoSuchTable) as missing:
        o.execute_sql("SELECT * FROM nope")
    assert "ODPS-0130131" in str(missing.value)
    with pytest.raises(errors.ParseError):
        o.execute_sql("SELEC 1")
    o.execute_sql("CREATE TABLE mine (a BIGINT)")
    stranger = _client(served, DESTINATION, "my_project")
    with pytest.raises(errors.NoPermission):
        stranger.get_table("mine").reload()


def test_table_metadata_partitions_and_lifecycle(served):
    """`get_table` as ODPS returns it: owner, comment, lifecycle, size, times, partition keys;
    `partitions`, `exist_partition`, `iterate_partitions` (a prefix of the spec) with each
    partition's times; `create_table` with partitions and a lifecycle."""
    import time
    from datetime import datetime, timedelta

    o = _client(served, SOURCE, "my_project")
    before = datetime.now() - timedelta(seconds=2)
    o.execute_sql(
        "CREATE TABLE sales (id BIGINT, amount DOUBLE) COMMENT 'daily sales' "
        "PARTITIONED BY (ds STRING, region STRING) LIFECYCLE 30"
    )
    for ds, region in (("20240101", "east"), ("20240101", "west"), ("20240102", "east")):
        o.execute_sql(f"INSERT INTO sales PARTITION (ds='{ds}', region='{region}') VALUES (1, 2.5)")
    t = o.get_table("sales")
    assert t.owner == SOURCE
    assert t.comment == "daily sales"
    assert t.lifecycle == 30
    assert t.size > 0
    assert before <= t.creation_time <= datetime.now() + timedelta(seconds=2)
    assert t.last_data_modified_time >= t.creation_time
    assert [c.name for c in t.table_schema.simple_columns] == ["id", "amount"]
    assert [(p.name, p.type) for p in t.table_schema.partitions] == [
        ("ds", odps.types.string),
        ("region", odps.types.string),
    ]
    assert [str(p.partition_spec) for p in t.partitions] == [
        "ds='20240101',region='east'",
        "ds='20240101',region='west'",
        "ds='20240102',region='east'",
    ]
    assert t.exist_partition("ds='20240101',region='west'")
    assert t.exist_partition("ds=20240102,region=east")
    assert not t.exist_partition("ds='20240103',region='east'")
    assert [str(p.partition_spec) for p in t.iterate_partitions("ds='20240101'")] == [
        "ds='20240101',region='east'",
        "ds='20240101',region='west'",
    ]
    one = t.partitions["ds='20240102',region='east'"]
    assert before <= one.creation_time <= datetime.now() + timedelta(seconds=2)
    assert one.size > 0
    # An empty partition has size 0; its times are its ALTER TABLE's.
    time.sleep(1.1)
    o.execute_sql("ALTER TABLE sales ADD PARTITION (ds='20240103', region='north')")
    empty = t.partitions["ds='20240103',region='north'"]
    assert empty.size == 0 and empty.creation_time > one.creation_time

    schema = TableSchema.from_lists(["id"], ["bigint"], ["pt"], ["string"])
    made = o.create_table("made_parted", schema, lifecycle=7)
    made.reload()
    assert made.lifecycle == 7
    assert [p.name for p in made.table_schema.partitions] == ["pt"]
    assert list(made.partitions) == []


def test_list_tables_by_prefix_and_owner(served):
    o = _client(served, SOURCE, "my_project")
    for name in ("orders_a", "orders_b", "users"):
        o.execute_sql(f"CREATE TABLE {name} (id BIGINT)")
    assert sorted(t.name for t in o.list_tables(prefix="orders")) == ["orders_a", "orders_b"]
    assert sorted(t.name for t in o.list_tables(owner=SOURCE)) == [
        "orders_a",
        "orders_b",
        "users",
    ]
    assert list(o.list_tables(owner=DESTINATION)) == []
