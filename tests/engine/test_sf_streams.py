"""Snowflake table streams over the tables' own history (reference/snowflake.md §7.3;
engine/snowflake/streams.py, engine/snowflake/handlers/streams.py)."""

from __future__ import annotations

from datetime import timedelta

from engine_helpers import fails, rows, run, snapshot, status

from cloneshell.engine import Rows, Session

CHANGES = "SELECT id, v, METADATA$ACTION, METADATA$ISUPDATE FROM s ORDER BY id, METADATA$ACTION, v"


def setup(sf: Session, *extra: str) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (id INT, v STRING);
        INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');
        CREATE STREAM s ON TABLE t;""",
    )
    for statement in extra:
        run(sf, statement)


def changes(sf: Session) -> list[tuple[object, ...]]:
    return [(int(str(r[0])), r[1], r[2], r[3]) for r in rows(sf, CHANGES)]


def test_a_new_stream_is_empty_and_sees_net_changes(sf: Session) -> None:
    setup(sf)
    assert changes(sf) == []
    run(
        sf,
        """INSERT INTO t VALUES (4, 'd');
        UPDATE t SET v = 'B' WHERE id = 2;
        DELETE FROM t WHERE id = 3;
        INSERT INTO t VALUES (5, 'e');
        DELETE FROM t WHERE id = 5;""",
    )
    # 5 was inserted and deleted since the offset: not a change at all.
    assert changes(sf) == [
        (2, "b", "DELETE", True),
        (2, "B", "INSERT", True),
        (3, "c", "DELETE", False),
        (4, "d", "INSERT", False),
    ]
    (result,) = sf.execute("SELECT * FROM s")
    assert isinstance(result, Rows)
    assert [c.name for c in result.columns] == [
        "ID", "V", "METADATA$ACTION", "METADATA$ISUPDATE", "METADATA$ROW_ID",
    ]  # fmt: skip
    by_action = {(r[0], r[2]): r[4] for r in result.rows}
    # An update's two rows share one METADATA$ROW_ID.
    assert by_action[(2, "DELETE")] == by_action[(2, "INSERT")]
    assert len({r[4] for r in result.rows}) == 3


def test_an_update_chain_is_one_pair_and_update_then_delete_is_a_delete(sf: Session) -> None:
    setup(
        sf,
        "UPDATE t SET v = 'b2' WHERE id = 2",
        "UPDATE t SET v = 'b3' WHERE id = 2",
        "UPDATE t SET v = 'c2' WHERE id = 3",
        "DELETE FROM t WHERE id = 3",
        "INSERT INTO t VALUES (9, 'x')",
        "UPDATE t SET v = 'y' WHERE id = 9",
    )
    assert changes(sf) == [
        (2, "b", "DELETE", True),
        (2, "b3", "INSERT", True),
        (3, "c", "DELETE", False),
        (9, "y", "INSERT", False),
    ]


def test_identical_rows_updated_together_pair_up(sf: Session) -> None:
    setup(sf, "INSERT INTO t VALUES (7, 'z'), (7, 'z')")
    run(sf, "INSERT INTO t SELECT id, v FROM s WHERE FALSE")  # consume
    run(sf, "UPDATE t SET v = 'w' WHERE id = 7")
    assert changes(sf) == [
        (7, "z", "DELETE", True),
        (7, "z", "DELETE", True),
        (7, "w", "INSERT", True),
        (7, "w", "INSERT", True),
    ]


def test_only_dml_that_commits_moves_the_offset(sf: Session) -> None:
    setup(sf, "CREATE TABLE sink (id INT NOT NULL, v STRING)", "INSERT INTO t VALUES (4, 'd')")
    assert len(changes(sf)) == 1
    assert len(changes(sf)) == 1  # a query reads, it does not consume
    run(sf, "INSERT INTO t VALUES (NULL, 'n')")
    before = snapshot(sf)
    err = fails(sf, "INSERT INTO sink SELECT id, v FROM s")
    assert err.text.startswith("100072 (22000)")
    assert snapshot(sf) == before  # the failed DML left the offset where it was
    run(sf, "INSERT INTO sink SELECT id, v FROM s WHERE id IS NOT NULL")
    assert changes(sf) == []
    assert rows(sf, "SELECT SYSTEM$STREAM_HAS_DATA('s')") == [(False,)]
    run(sf, "DELETE FROM t WHERE id = 1")
    assert rows(sf, "SELECT SYSTEM$STREAM_HAS_DATA('s')") == [(True,)]


def test_a_stream_in_another_database_is_consumed_too(sf: Session) -> None:
    setup(sf, "INSERT INTO t VALUES (4, 'd')")
    run(sf, "CREATE DATABASE other; CREATE TABLE sink (id INT, v STRING)")
    run(sf, "INSERT INTO other.public.sink SELECT id, v FROM d.public.s")
    assert rows(sf, "SELECT count(*) FROM other.public.sink") == [(1,)]
    run(sf, "USE DATABASE d")
    assert changes(sf) == []


def test_append_only_keeps_inserts_even_if_deleted(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (id INT, v STRING);
        INSERT INTO t VALUES (1, 'a');
        CREATE STREAM s ON TABLE t APPEND_ONLY = TRUE;
        INSERT INTO t VALUES (2, 'b'), (3, 'c');
        DELETE FROM t WHERE id = 2;
        UPDATE t SET v = 'A' WHERE id = 1;""",
    )
    assert changes(sf) == [(2, "b", "INSERT", False), (3, "c", "INSERT", False)]
    assert rows(sf, "SHOW STREAMS")[0][11] == "APPEND_ONLY"


def test_a_table_without_retention_keeps_history_for_its_stream(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (id INT, v STRING) DATA_RETENTION_TIME_IN_DAYS = 0;
        INSERT INTO t VALUES (1, 'a'), (2, 'b');
        CREATE STREAM s ON TABLE t;
        DELETE FROM t WHERE id = 1;
        UPDATE t SET v = 'B' WHERE id = 2;""",
    )
    sf.move_clock(timedelta(minutes=5))  # past the purge's once-a-minute throttle
    run(sf, "INSERT INTO t VALUES (3, 'c')")
    assert changes(sf) == [
        (1, "a", "DELETE", False),
        (2, "b", "DELETE", True),
        (2, "B", "INSERT", True),
        (3, "c", "INSERT", False),
    ]
    # Time Travel still follows the table's own retention.
    err = fails(sf, "SELECT * FROM t AT(OFFSET => -60)")
    assert err.text.startswith("000707 (02000)")


def test_show_initial_rows_and_at(sf: Session) -> None:
    run(
        sf,
        """CREATE DATABASE d;
        CREATE TABLE t (id INT, v STRING);
        INSERT INTO t VALUES (1, 'a');""",
    )
    sf.move_clock(timedelta(minutes=10))
    run(sf, "INSERT INTO t VALUES (2, 'b')")
    run(sf, "CREATE STREAM s ON TABLE t SHOW_INITIAL_ROWS = TRUE")
    assert [r[0] for r in changes(sf)] == [1, 2]
    run(sf, "CREATE OR REPLACE STREAM s ON TABLE t AT(OFFSET => -60)")
    assert [r[:3] for r in changes(sf)] == [(2, "b", "INSERT")]


def test_clone_of_a_stream_inherits_its_offset(sf: Session) -> None:
    setup(sf, "INSERT INTO t VALUES (4, 'd')")
    assert status(sf, "CREATE STREAM s2 CLONE s") == "Stream S2 successfully created."
    assert [r[0] for r in rows(sf, "SELECT id FROM s2")] == [4]
    run(sf, "INSERT INTO t SELECT id, v FROM s2 WHERE FALSE")  # consume s2 only
    assert rows(sf, "SELECT id FROM s2") == []
    assert [r[0] for r in rows(sf, "SELECT id FROM s")] == [4]


def test_stream_privileges(sf: Session) -> None:
    setup(sf)
    run(
        sf,
        """CREATE ROLE reader;
        GRANT ROLE reader TO USER cloneshell;
        GRANT USAGE ON DATABASE d TO ROLE reader;
        GRANT USAGE ON SCHEMA d.public TO ROLE reader;
        GRANT SELECT ON STREAM s TO ROLE reader;
        USE ROLE reader;""",
    )
    err = fails(sf, "SELECT * FROM s")
    assert err.text.endswith("Insufficient privileges to operate on table 'T'")
    run(sf, "USE ROLE accountadmin; GRANT SELECT ON TABLE t TO ROLE reader; USE ROLE reader")
    assert rows(sf, "SELECT * FROM s") == []


def test_a_dropped_table_and_a_stale_stream(sf: Session) -> None:
    setup(sf)
    sf.move_clock(timedelta(days=15))
    err = fails(sf, "SELECT * FROM s")
    assert "Stream D.PUBLIC.S has become stale" in err.text
    run(sf, "CREATE OR REPLACE STREAM s ON TABLE t")
    assert rows(sf, "SELECT * FROM s") == []
    run(sf, "DROP TABLE t")
    assert (
        "Base table dropped, cannot read from stream 'D.PUBLIC.S'"
        in fails(sf, "SELECT * FROM s").text
    )
    assert rows(sf, "SHOW STREAMS")[0][13] == "Base table dropped"
    run(sf, "UNDROP TABLE t")
    assert rows(sf, "SELECT * FROM s") == []


def test_create_stream_checks(sf: Session) -> None:
    setup(sf)
    run(sf, "CREATE DATABASE other")
    err = fails(sf, "CREATE STREAM x ON TABLE d.public.t")
    assert "a stream on a table in another database" in err.text
    run(sf, "USE DATABASE d")
    assert (
        "Object 'D.PUBLIC.NOPE' does not exist" in fails(sf, "CREATE STREAM x ON TABLE nope").text
    )
    assert "invalid stream property" in fails(sf, "CREATE STREAM x ON TABLE t MODE = X").text
