"""MaxCompute's metadata statements that change no rows (issue 14, druid's ODPS tests): ANALYZE
TABLE (the ANALYZE page's examples), ADD|REMOVE|SHOW STATISTIC, ENABLE|DISABLE LIFECYCLE (the
lifecycle page's examples) and odpscmd's LIST."""

from __future__ import annotations

from collections.abc import Callable

from engine_helpers import fails, lines, rows, run, status

from cloneshell.engine import Session


def _tables(s: Session) -> None:
    run(
        s,
        """create table if not exists analyze2_test (int1 int, double1 double, string1 string,
            datetime1 datetime) lifecycle 30;
        insert overwrite table analyze2_test values (4, 123452.3, 'str1', datetime
            '2018-09-17 00:59:59'), (NULL, 2.5, 'str1', NULL), (7, NULL, 'str2', NULL);
        create table if not exists trans (a bigint) partitioned by (dt string);
        alter table trans add partition (dt='20141111');""",
    )


def test_analyze_table_as_the_page_writes_it(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _tables(s)
    assert status(s, "analyze table analyze2_test compute statistics for columns;") == "OK"
    assert status(s, "analyze table analyze2_test compute statistics for columns (int1);") == "OK"
    assert status(s, "ANALYZE TABLE analyze2_test DELETE STATISTICS FOR COLUMNS;") == "OK"
    assert status(s, "analyze table trans partition(dt='20141111') compute statistics") == "OK"
    # A column, partition or table that does not exist is refused.
    assert (
        "column nope cannot be resolved"
        in fails(s, "analyze table analyze2_test compute statistics for columns (nope)").text
    )
    assert fails(s, "analyze table trans partition(dt='1') compute statistics").code
    assert fails(s, "analyze table missing compute statistics").code == "ODPS-0130131"


def test_statistics_are_checked_and_shown_from_the_rows(
    open_session: Callable[..., Session],
) -> None:
    s = open_session()
    _tables(s)
    for sql in (
        "add statistic analyze2_test table_count",
        "add statistic analyze2_test null_value string1",
        "add statistic analyze2_test column_max int1",
        "add statistic analyze2_test expression_condition int1 > 3",
        "remove statistic analyze2_test column_min int1",
    ):
        assert status(s, sql) == "OK"
    assert "takes a column" in fails(s, "add statistic analyze2_test column_sum").text
    assert "unknown statistic type" in fails(s, "add statistic analyze2_test foo int1").text
    assert fails(s, "add statistic analyze2_test column_sum nope").code == "ODPS-0130071"
    assert rows(s, "show statistic analyze2_test") == [
        ("int1", "7", "4", 2, 1),
        ("double1", "123452.3", "2.5", 2, 1),
        ("string1", None, None, 2, 0),
        ("datetime1", "2018-09-17 00:59:59", "2018-09-17 00:59:59", 1, 2),
    ]
    assert rows(s, "show statistic analyze2_test columns (string1)") == [
        ("string1", None, None, 2, 0)
    ]


def test_lifecycle_switches(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _tables(s)
    # The lifecycle page's examples.
    assert status(s, "ALTER TABLE trans DISABLE LIFECYCLE;") == "OK"
    assert status(s, "ALTER TABLE trans PARTITION(dt='20141111') DISABLE LIFECYCLE;") == "OK"
    assert status(s, "ALTER TABLE trans PARTITION(dt='20141111') ENABLE LIFECYCLE;") == "OK"
    assert status(s, "ALTER TABLE trans ENABLE LIFECYCLE;") == "OK"
    assert fails(s, "ALTER TABLE trans PARTITION(dt='2') ENABLE LIFECYCLE").code
    assert (
        "not partitioned"
        in fails(s, "ALTER TABLE analyze2_test PARTITION(dt='2') ENABLE LIFECYCLE").text
    )


def test_list_project_objects(open_session: Callable[..., Session]) -> None:
    s = open_session()
    assert lines(s, "list functions") == ()
    assert lines(s, "list resources") == ()
    assert lines(s, "list trustedprojects") == ()
    assert lines(s, "list accountproviders") == ("ALIYUN",)
    # The words stay names elsewhere.
    run(s, "create table jobs (analyze bigint, statistic bigint, functions bigint)")
    assert rows(s, "select analyze, statistic, functions from jobs") == []
