"""Snowflake MERGE: the MERGE doc page's examples (basic update, every clause kind, the
nondeterministic-merge rules and their GROUP BY fix), the reply columns, one version per MERGE,
streams, privileges, and a failed MERGE changing nothing."""

from __future__ import annotations

from engine_helpers import fails, rows, run, snapshot

from cloneshell.engine import Rows, Session

DUPLICATE = "100090 (42P18): Duplicate row detected during DML action\nRow Values: "


def reply(sf: Session, sql: str) -> tuple[tuple[str, ...], tuple[object, ...]]:
    (result,) = sf.execute(sql)
    assert isinstance(result, Rows)
    return tuple(c.name for c in result.columns), tuple(result.rows[0])


def test_doc_basic_update(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE target_table (id INTEGER, description VARCHAR);
        CREATE TABLE source_table (id INTEGER, description VARCHAR);
        INSERT INTO target_table (id, description) VALUES
            (10, 'To be updated (this is the old value)');
        INSERT INTO source_table (id, description) VALUES
            (10, 'To be updated (this is the new value)');""",
    )
    assert reply(
        sf,
        """MERGE INTO target_table USING source_table
            ON target_table.id = source_table.id
            WHEN MATCHED THEN
                UPDATE SET target_table.description = source_table.description""",
    ) == (("number of rows updated",), (1,))
    assert rows(sf, "SELECT * FROM target_table") == [(10, "To be updated (this is the new value)")]


def _t1_t2(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t1 (t1Key INT, val INT, status INT);
        CREATE TABLE t2 (t2Key INT, marked INT, isNewStatus INT, newVal INT, newStatus INT);
        INSERT INTO t1 VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0), (4, 40, 0);
        INSERT INTO t2 VALUES (1, 1, 0, 11, 1), (2, 0, 1, 21, 2), (3, 0, 0, 31, 3),
            (5, 0, 0, 51, 5);""",
    )


ALL_KINDS = """MERGE INTO t1 USING t2 ON t1.t1Key = t2.t2Key
    WHEN MATCHED AND t2.marked = 1 THEN DELETE
    WHEN MATCHED AND t2.isNewStatus = 1 THEN UPDATE SET val = t2.newVal, status = t2.newStatus
    WHEN MATCHED THEN UPDATE SET val = t2.newVal
    WHEN NOT MATCHED THEN INSERT (val, status, t1Key) VALUES (t2.newVal, t2.newStatus, t2.t2Key)"""


def test_doc_every_clause_kind(sf: Session) -> None:
    _t1_t2(sf)
    assert reply(sf, ALL_KINDS) == (
        ("number of rows inserted", "number of rows updated", "number of rows deleted"),
        (1, 2, 1),
    )
    assert rows(sf, "SELECT * FROM t1 ORDER BY t1Key") == [
        (2, 21, 2),  # first clause whose condition holds: isNewStatus
        (3, 31, 0),  # the unconditional UPDATE
        (4, 40, 0),  # not matched by the source: untouched
        (5, 51, 5),  # inserted
    ]


def test_insert_without_columns_and_not_matched_condition(sf: Session) -> None:
    _t1_t2(sf)
    assert reply(
        sf,
        """MERGE INTO t1 USING t2 ON t1.t1Key = t2.t2Key
            WHEN NOT MATCHED AND t2.newVal > 100 THEN INSERT VALUES (0, 0, 0)
            WHEN NOT MATCHED THEN INSERT VALUES (t2.t2Key, -1, -1)""",
    ) == (("number of rows inserted",), (1,))
    assert rows(sf, "SELECT * FROM t1 WHERE t1Key = 5") == [(5, -1, -1)]


def _target_src(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE target (k NUMBER, v NUMBER);
        INSERT INTO target VALUES (0, 10);
        CREATE TABLE src (k NUMBER, v NUMBER);
        INSERT INTO src VALUES (0, 11), (0, 12), (0, 13);""",
    )


def test_doc_nondeterministic_updates_fail_and_change_nothing(sf: Session) -> None:
    _target_src(sf)
    before = snapshot(sf)
    err = fails(
        sf,
        "MERGE INTO target USING src ON target.k = src.k "
        "WHEN MATCHED THEN UPDATE SET target.v = src.v",
    )
    assert err.text == DUPLICATE + "[0, 10]"
    # Updates and deletes conflict with each other.
    err = fails(
        sf,
        """MERGE INTO target USING src ON target.k = src.k
            WHEN MATCHED AND src.v = 11 THEN DELETE
            WHEN MATCHED THEN UPDATE SET target.v = src.v""",
    )
    assert err.text.startswith(DUPLICATE)
    assert snapshot(sf) == before


def test_doc_joined_rows_no_clause_takes_do_not_conflict(sf: Session) -> None:
    _target_src(sf)
    run(
        sf,
        "MERGE INTO target USING src ON target.k = src.k "
        "WHEN MATCHED AND src.v = 11 THEN UPDATE SET target.v = src.v",
    )
    assert rows(sf, "SELECT v FROM target") == [(11,)]


def test_doc_multiple_deletes_do_not_conflict(sf: Session) -> None:
    _target_src(sf)
    assert reply(
        sf,
        "MERGE INTO target USING src ON target.k = src.k WHEN MATCHED AND src.v <= 12 THEN DELETE",
    ) == (("number of rows deleted",), (1,))
    assert rows(sf, "SELECT count(*) FROM target") == [(0,)]


def test_a_row_several_deletes_take_is_kept_once_in_history_and_streams(sf: Session) -> None:
    _target_src(sf)
    run(sf, "ALTER TABLE target SET DATA_RETENTION_TIME_IN_DAYS = 1")
    run(sf, "CREATE STREAM st ON TABLE target")
    run(sf, "MERGE INTO target USING src ON target.k = src.k WHEN MATCHED THEN DELETE")
    assert rows(sf, "SELECT k, v FROM target BEFORE(STATEMENT => LAST_QUERY_ID())") == [(0, 10)]
    assert rows(sf, "SELECT k, v, METADATA$ACTION FROM st") == [(0, 10, "DELETE")]


def test_an_update_keeps_the_columns_it_does_not_set(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (id INTEGER, a VARCHAR, b FLOAT) DATA_RETENTION_TIME_IN_DAYS = 1;
        INSERT INTO t VALUES (1, 'x', 1.5), (2, 'y', 2.5);
        CREATE TABLE s (id INTEGER, b FLOAT);
        INSERT INTO s VALUES (2, 9.5), (3, 0.5);""",
    )
    run(
        sf,
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET b = s.b "
        "WHEN NOT MATCHED THEN INSERT (id, b) VALUES (s.id, s.b)",
    )
    assert rows(sf, "SELECT * FROM t BEFORE(STATEMENT => LAST_QUERY_ID()) ORDER BY id") == [
        (1, "x", 1.5),
        (2, "y", 2.5),
    ]
    assert rows(sf, "SELECT * FROM t ORDER BY id") == [(1, "x", 1.5), (2, "y", 9.5), (3, None, 0.5)]


def test_doc_group_by_makes_it_deterministic(sf: Session) -> None:
    _target_src(sf)
    run(sf, "INSERT INTO src VALUES (1, 1)")
    assert reply(
        sf,
        """MERGE INTO target USING (select k, max(v) as v from src group by k) AS b
            ON target.k = b.k
            WHEN MATCHED THEN UPDATE SET target.v = b.v
            WHEN NOT MATCHED THEN INSERT (k, v) VALUES (b.k, b.v)""",
    ) == (("number of rows inserted", "number of rows updated"), (1, 1))
    assert rows(sf, "SELECT k, v FROM target ORDER BY k") == [(0, 13), (1, 1)]


def test_one_version_per_merge_and_time_travel(sf: Session) -> None:
    _t1_t2(sf)
    run(sf, "ALTER TABLE t1 SET DATA_RETENTION_TIME_IN_DAYS = 1")
    run(sf, ALL_KINDS)
    assert rows(sf, "SELECT count(*), sum(val) FROM t1 BEFORE(STATEMENT => LAST_QUERY_ID())") == [
        (4, 100)
    ]
    assert rows(sf, "SELECT count(*), sum(val) FROM t1") == [(4, 143)]


def test_streams_see_the_merge(sf: Session) -> None:
    _t1_t2(sf)
    run(sf, "CREATE STREAM s ON TABLE t1")
    run(sf, ALL_KINDS)
    got = rows(sf, "SELECT t1Key, val, METADATA$ACTION, METADATA$ISUPDATE FROM s ORDER BY 1, 3")
    assert [(int(str(r[0])), int(str(r[1])), r[2], r[3]) for r in got] == [
        (1, 10, "DELETE", False),
        (2, 20, "DELETE", True),
        (2, 21, "INSERT", True),
        (3, 30, "DELETE", True),
        (3, 31, "INSERT", True),
        (5, 51, "INSERT", False),
    ]


def test_merge_into_a_view_is_refused(sf: Session) -> None:
    _t1_t2(sf)
    run(sf, "CREATE VIEW v AS SELECT * FROM t1")
    err = fails(sf, "MERGE INTO v USING t2 ON v.t1Key = t2.t2Key WHEN MATCHED THEN DELETE")
    assert "Object found is of type 'VIEW'" in err.text


def test_privileges_per_clause_kind(sf: Session) -> None:
    _t1_t2(sf)
    run(
        sf,
        """CREATE ROLE etl; CREATE USER bob DEFAULT_ROLE = etl; GRANT ROLE etl TO USER bob;
        GRANT USAGE ON DATABASE d TO ROLE etl; GRANT USAGE ON SCHEMA d.public TO ROLE etl;
        GRANT SELECT ON TABLE d.public.t2 TO ROLE etl;
        GRANT UPDATE ON TABLE d.public.t1 TO ROLE etl;""",
    )
    sf.login("bob")
    run(sf, "USE DATABASE d")
    run(sf, "MERGE INTO t1 USING t2 ON t1.t1Key = t2.t2Key WHEN MATCHED THEN UPDATE SET val = 0")
    err = fails(sf, ALL_KINDS)
    assert err.text.startswith("003001 (42501): SQL access control error:")
