"""MaxCompute statement forms that customers paste (issue 14): Hive storage clauses in CREATE
TABLE, multi-insert, the partition and table ALTERs, READ and SHOW CREATE TABLE."""

from __future__ import annotations

from collections.abc import Callable

from engine_helpers import RAM_A, fails, lines, rows, run

from cloneshell.engine import Session


def test_hive_storage_clauses_are_kept(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        """CREATE TABLE ctas STORED AS parquet TBLPROPERTIES ('x'='1') AS SELECT 1 AS a;
        CREATE EXTERNAL TABLE ext (y BIGINT) ROW FORMAT SERDE 'org.apache.hive.Serde'
            WITH SERDEPROPERTIES ('field.delim'=',') STORED AS TEXTFILE LOCATION 'oss://b/p/';
        CREATE EXTERNAL TABLE ext2 (a BIGINT) ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
            STORED AS INPUTFORMAT 'in.Fmt' OUTPUTFORMAT 'out.Fmt' LOCATION 'oss://b/q/';""",
    )
    assert rows(s, "SELECT a FROM ctas") == [(1,)]
    text = "\n".join(lines(s, "SHOW CREATE TABLE ext"))
    assert "ROW FORMAT SERDE 'org.apache.hive.Serde'" in text
    assert "WITH SERDEPROPERTIES ('field.delim'=',')" in text
    assert "STORED AS TEXTFILE" in text and "LOCATION 'oss://b/p/'" in text
    text2 = "\n".join(lines(s, "SHOW CREATE TABLE ext2"))
    assert "ROW FORMAT DELIMITED FIELDS TERMINATED BY ','" in text2
    assert "STORED AS INPUTFORMAT 'in.Fmt' OUTPUTFORMAT 'out.Fmt'" in text2


def test_unknown_file_format_is_refused(open_session: Callable[..., Session]) -> None:
    s = open_session()
    err = fails(s, "CREATE TABLE y (a BIGINT) STORED AS foo")
    assert "file format FOO" in err.text
    assert fails(s, "SELECT * FROM y")  # nothing was created


def test_show_create_table_makes_the_table_again(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        """CREATE TABLE c3 (a BIGINT COMMENT 'the a', b STRING) COMMENT 'tbl'
        PARTITIONED BY (pt STRING) CLUSTERED BY (a) SORTED BY (a) INTO 4 BUCKETS
        TBLPROPERTIES ('transactional'='true') LIFECYCLE 7""",
    )
    ddl = lines(s, "SHOW CREATE TABLE c3")
    assert ddl == (
        "CREATE TABLE IF NOT EXISTS my_project.`c3` (",
        "    `a` BIGINT COMMENT 'the a',",
        "    `b` STRING",
        ")",
        "COMMENT 'tbl'",
        "PARTITIONED BY (`pt` STRING)",
        "CLUSTERED BY (a) SORTED BY (a ASC) INTO 4 BUCKETS",
        "TBLPROPERTIES ('transactional'='true')",
        "LIFECYCLE 7;",
    )
    run(s, "DROP TABLE c3")
    run(s, "\n".join(ddl))
    assert lines(s, "SHOW CREATE TABLE c3") == ddl
    assert "not found" in fails(s, "SHOW CREATE TABLE nope").text


def _source(s: Session) -> None:
    run(
        s,
        """CREATE TABLE src (k STRING, v BIGINT);
        INSERT INTO src VALUES ('a', 1), ('b', 2), ('b', 3);
        CREATE TABLE t1 (k STRING, v BIGINT);
        CREATE TABLE t2 (k STRING, n BIGINT) PARTITIONED BY (p STRING);""",
    )


def test_multi_insert_writes_every_branch_in_one_version(
    open_session: Callable[..., Session],
) -> None:
    s = open_session()
    _source(s)
    run(s, "INSERT INTO t1 VALUES ('old', 0)")
    run(
        s,
        """FROM src INSERT OVERWRITE TABLE t1 SELECT k, v WHERE v > 1
        INSERT INTO TABLE t2 PARTITION (p='x') SELECT k, count(*) GROUP BY k""",
    )
    assert rows(s, "SELECT k, v FROM t1 ORDER BY v LIMIT 9") == [("b", 2), ("b", 3)]
    assert rows(s, "SELECT k, n, p FROM t2 WHERE p = 'x' ORDER BY k LIMIT 9") == [
        ("a", 1, "x"),
        ("b", 2, "x"),
    ]


def test_multi_insert_failing_branch_writes_nothing(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _source(s)
    err = fails(s, "FROM src INSERT INTO TABLE t1 SELECT k, v INSERT INTO TABLE nope SELECT k")
    assert "nope" in err.text
    assert rows(s, "SELECT count(*) FROM t1") == [(0,)]


def test_rename_partition_moves_its_rows(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _source(s)
    run(s, "INSERT INTO t2 PARTITION (p='x') SELECT k, v FROM src")
    run(s, "ALTER TABLE t2 PARTITION (p='x') RENAME TO PARTITION (p='y')")
    assert lines(s, "SHOW PARTITIONS t2") == ("p=y",)
    assert rows(s, "SELECT count(*) FROM t2 WHERE p = 'y'") == [(3,)]
    assert rows(s, "SELECT count(*) FROM t2 WHERE p = 'x'") == [(0,)]
    assert (
        "does not exist"
        in fails(s, "ALTER TABLE t2 PARTITION (p='x') RENAME TO PARTITION (p='z')").text
    )
    run(s, "ALTER TABLE t2 ADD PARTITION (p='z')")
    assert (
        "already exists"
        in fails(s, "ALTER TABLE t2 PARTITION (p='y') RENAME TO PARTITION (p='z')").text
    )
    assert lines(s, "SHOW PARTITIONS t2") == ("p=y", "p=z")


def test_merge_smallfiles_queues_the_compaction(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _source(s)
    run(s, "ALTER TABLE t2 ADD PARTITION (p='x')")
    run(s, "ALTER TABLE src MERGE SMALLFILES")
    assert s.compact_candidates  # compacted when the session goes idle
    run(s, "ALTER TABLE t2 PARTITION (p='x') MERGE SMALLFILES")
    missing = fails(s, "ALTER TABLE t2 PARTITION (p='q') MERGE SMALLFILES")
    assert "does not exist" in missing.text
    assert rows(s, "SELECT count(*) FROM src") == [(3,)]


def _sale_detail(s: Session) -> None:
    """The partition operations page's sale_detail, with four partitions."""
    run(
        s,
        """CREATE TABLE sale_detail (shop_name STRING, total_price DOUBLE)
            PARTITIONED BY (sale_date STRING, region STRING);
        ALTER TABLE sale_detail ADD PARTITION (sale_date='201910', region='hz')
            PARTITION (sale_date='201911', region='hz') PARTITION (sale_date='201912', region='sh')
            PARTITION (sale_date='202001', region='sh');
        INSERT INTO sale_detail PARTITION (sale_date='201910', region='hz') VALUES ('a', 1.0);""",
    )


def test_drop_partition_by_filter_condition(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _sale_detail(s)
    run(s, "ALTER TABLE sale_detail DROP IF EXISTS PARTITION (sale_date < '201911')")
    assert lines(s, "SHOW PARTITIONS sale_detail") == (
        "sale_date=201911/region=hz",
        "sale_date=201912/region=sh",
        "sale_date=202001/region=sh",
    )
    assert rows(s, "SELECT count(*) FROM sale_detail WHERE sale_date = '201910'") == [(0,)]
    run(
        s,
        "ALTER TABLE sale_detail DROP PARTITION (substr(sale_date, 1, 4) = '2020'), "
        "PARTITION (sale_date LIKE '%12')",
    )
    assert lines(s, "SHOW PARTITIONS sale_detail") == ("sale_date=201911/region=hz",)
    run(s, "ALTER TABLE sale_detail DROP PARTITION (sale_date = '201911', region = 'hz') PURGE")
    assert lines(s, "SHOW PARTITIONS sale_detail") == ()


def test_drop_partition_filter_refusals(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _sale_detail(s)
    none = fails(s, "ALTER TABLE sale_detail DROP PARTITION (sale_date > '2030')")
    assert "does not exist" in none.text
    run(s, "ALTER TABLE sale_detail DROP IF EXISTS PARTITION (sale_date > '2030')")
    two = fails(s, "ALTER TABLE sale_detail DROP PARTITION (sale_date > region)")
    assert "only one partition column" in two.text
    native = fails(s, "ALTER TABLE sale_detail DROP PARTITION (shop_name = 'a' OR sale_date > '1')")
    assert "shop_name is not a partition column" in native.text
    assert len(lines(s, "SHOW PARTITIONS sale_detail")) == 4


def test_read_shows_the_first_rows(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _source(s)
    run(s, "INSERT INTO t2 PARTITION (p='x') SELECT k, v FROM src")
    run(s, "INSERT INTO t2 PARTITION (p='y') VALUES ('z', 9)")
    assert len(rows(s, "READ t2")) == 4
    assert rows(s, "READ t2 (k, n) PARTITION (p='y')") == [("z", 9)]
    assert len(rows(s, "read src 2")) == 2
    assert "cannot be resolved" in fails(s, "READ nope").text
    assert "nope" in fails(s, "READ src (nope)").text


def test_change_column_rename_to(open_session: Callable[..., Session]) -> None:
    s = open_session()
    _source(s)
    run(s, "ALTER TABLE src CHANGE COLUMN v RENAME TO amount")
    assert rows(s, "SELECT sum(amount) FROM src") == [(6,)]
    assert "already exists" in fails(s, "ALTER TABLE src CHANGE COLUMN k RENAME TO amount").text


def test_describe_role_and_show_acl(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(
        s,
        f"""CREATE TABLE src (k STRING);
        CREATE ROLE worker;
        ADD USER {RAM_A};
        GRANT worker TO {RAM_A};
        GRANT Select, Describe ON TABLE src TO ROLE worker;
        GRANT Alter ON TABLE src TO USER {RAM_A};""",
    )
    assert lines(s, "DESC ROLE worker") == (
        "[users]",
        RAM_A,
        "",
        "Authorization Type: ACL",
        "A       projects/my_project/tables/src: Describe | Select",
    )
    assert lines(s, "SHOW ACL FOR src ON TYPE table") == (
        "Authorization Type: ACL",
        f"[user/{RAM_A}]",
        "A       projects/my_project/tables/src: Alter",
        "[role/worker]",
        "A       projects/my_project/tables/src: Describe | Select",
    )
    assert "does not exist" in fails(s, "DESCRIBE ROLE nope").text
    assert "type function" in fails(s, "SHOW ACL FOR src ON TYPE function").text


def test_change_owner(open_session: Callable[..., Session]) -> None:
    s = open_session()
    run(s, f"CREATE TABLE t (a BIGINT); ADD USER {RAM_A}")
    run(s, f"ALTER TABLE t CHANGEOWNER TO '{RAM_A}'")
    (desc,) = s.execute("DESC t")
    assert desc.owner == RAM_A
    stranger = fails(s, "ALTER TABLE t CHANGEOWNER TO 'RAM$alice@aliyun.com:nobody'")
    assert "ODPS-" in stranger.text
    assert s.execute("DESC t")[0].owner == RAM_A


def test_column_level_grant_is_refused_as_unsupported(
    open_session: Callable[..., Session],
) -> None:
    s = open_session()
    run(s, "CREATE TABLE src (k STRING); CREATE ROLE w")
    for verb in (
        "GRANT Select ON TABLE src (k) TO ROLE w",
        "REVOKE Select ON TABLE src (k) FROM ROLE w",
    ):
        err = fails(s, verb)
        assert "column-level grants" in err.text
    assert lines(s, "SHOW GRANTS FOR ROLE w") == ("Authorization Type: ACL", "[role/w]")
