"""Snowflake DDL: CREATE TABLE/SCHEMA/DATABASE (with CLONE and Time Travel), DROP, UNDROP, ALTER,
USE, ALTER SESSION, SHOW and DESCRIBE; and the clauses each dialect refuses."""

from __future__ import annotations

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import parse, parse_statement

SF = "snowflake"
MC = "maxcompute"


def ident(name: str, quoted: bool = False) -> ast.Ident:
    return ast.Ident(name=name, quoted=quoted)


def qn(*parts: str) -> ast.QualifiedName:
    return ast.QualifiedName(parts=tuple(ident(p) for p in parts))


def integer(value: int) -> ast.Literal:
    return ast.Literal(value=value, kind="integer", text=str(value))


def string(value: str) -> ast.Literal:
    return ast.Literal(value=value, kind="string", text=f"'{value}'")


def col(name: str, type_name: str, *params: int, **kw: object) -> ast.ColumnDef:
    return ast.ColumnDef(name=ident(name), type=ast.TypeName(name=type_name, params=params), **kw)  # type: ignore[arg-type]


def sf(sql: str) -> ast.Statement:
    return parse_statement(sql, SF)


def refused(sql: str, dialect: str = SF) -> SqlSyntaxError:
    with pytest.raises(SqlSyntaxError) as info:
        parse(sql, dialect)
    return info.value


def spanned(sql: str, error: SqlSyntaxError) -> str:
    assert error.span is not None
    return sql[error.span.start : error.span.end]


# -60*30, as the seed writes the offset: unary minus binds tighter than `*`.
HALF_AN_HOUR_AGO = ast.BinaryOp(
    op="*", left=ast.UnaryOp(op="-", operand=integer(60)), right=integer(30)
)
AT_HALF_AN_HOUR_AGO = ast.TimeTravel(kind="AT", by="OFFSET", expr=HALF_AN_HOUR_AGO)

# The statements of seeds/snowflake_cloning_considerations.txt, verbatim (blank lines and the
# double space after INTO included).
SEED = """
DROP TABLE sales.public.t_sales;

ALTER TABLE sales.public.t_sales_20170522 RENAME TO sales.public.t_sales;

CREATE TABLE t_sales (numeric integer) data_retention_time_in_days=1;

CREATE OR REPLACE TABLE sales.public.t_sales_20170522 CLONE sales.public.t_sales at(offset => -60*30);

CREATE OR REPLACE TABLE t_sales (numeric integer) data_retention_time_in_days=1;

INSERT INTO  t_sales (numeric)
VALUES (1),(2),(3);

ALTER TABLE sales.public.t_sales RENAME TO sales.public.t_sales_20170522;

CREATE OR REPLACE SCHEMA sales.private CLONE sales.public at(offset => -60*30);

USE SCHEMA sales.private;
"""  # noqa: E501 - the seed's lines, verbatim


def test_seed_statements_verbatim() -> None:
    t_sales = qn("sales", "public", "t_sales")
    t_sales_old = qn("sales", "public", "t_sales_20170522")
    numeric = col("numeric", "integer")
    rows = ((integer(1),), (integer(2),), (integer(3),))
    assert parse(SEED, SF) == [
        ast.DropObject(kind="TABLE", name=t_sales),
        ast.AlterRename(kind="TABLE", name=t_sales_old, new_name=t_sales),
        ast.CreateTable(name=qn("t_sales"), columns=(numeric,), retention_days=1),
        ast.CreateTable(
            name=t_sales_old,
            or_replace=True,
            clone=ast.CloneSource(source=t_sales, time_travel=AT_HALF_AN_HOUR_AGO),
        ),
        ast.CreateTable(name=qn("t_sales"), columns=(numeric,), retention_days=1, or_replace=True),
        ast.Insert(table=qn("t_sales"), columns=(ident("numeric"),), source=ast.Values(rows=rows)),
        ast.AlterRename(kind="TABLE", name=t_sales, new_name=t_sales_old),
        ast.CreateSchema(
            name=qn("sales", "private"),
            or_replace=True,
            clone=ast.CloneSource(source=qn("sales", "public"), time_travel=AT_HALF_AN_HOUR_AGO),
        ),
        ast.UseObject(kind="SCHEMA", name=qn("sales", "private")),
    ]


def test_seed_statements_one_by_one_keep_their_spans() -> None:
    statements = [s.strip() for s in SEED.split(";") if s.strip()]
    for text in statements:
        (stmt,) = parse(text, SF)
        assert (stmt.span.start, stmt.span.end) == (0, len(text))


# ----------------------------------------------------------------------------- CREATE TABLE


def test_create_table_with_every_option() -> None:
    sql = """
        CREATE OR REPLACE TRANSIENT TABLE db.s.t (
            id NUMBER(38, 0) NOT NULL DEFAULT 0 COMMENT 'the id',
            amount NUMERIC(10, 2),
            note VARCHAR
        )
        CLUSTER BY (id, to_date(note))
        DATA_RETENTION_TIME_IN_DAYS = 0
        COMMENT = 'sales'
        COPY GRANTS
    """
    assert sf(sql) == ast.CreateTable(
        name=qn("db", "s", "t"),
        or_replace=True,
        transient=True,
        columns=(
            col("id", "number", 38, 0, not_null=True, default=integer(0), comment="the id"),
            col("amount", "numeric", 10, 2),
            col("note", "varchar"),
        ),
        cluster_by=(
            ast.ColumnRef(parts=(ident("id"),)),
            ast.FuncCall(name=qn("to_date"), args=(ast.ColumnRef(parts=(ident("note"),)),)),
        ),
        retention_days=0,
        comment="sales",
        copy_grants=True,
    )


def test_table_options_in_any_order() -> None:
    a = sf("CREATE TABLE t (a INT) COMMENT = 'c' DATA_RETENTION_TIME_IN_DAYS = 7 CLUSTER BY (a)")
    b = sf("CREATE TABLE t (a INT) CLUSTER BY (a) data_retention_time_in_days=7 comment='c'")
    assert a == b
    assert isinstance(a, ast.CreateTable)
    assert (a.comment, a.retention_days, len(a.cluster_by)) == ("c", 7, 1)


@pytest.mark.parametrize(
    ("sql", "transient", "temporary", "if_not_exists"),
    [
        ("CREATE TRANSIENT TABLE t (a INT)", True, False, False),
        ("CREATE TEMPORARY TABLE t (a INT)", False, True, False),
        ("create temp table if not exists t (a int)", False, True, True),
    ],
)
def test_table_kinds(sql: str, transient: bool, temporary: bool, if_not_exists: bool) -> None:
    stmt = sf(sql)
    assert isinstance(stmt, ast.CreateTable)
    assert (stmt.transient, stmt.temporary, stmt.if_not_exists) == (
        transient,
        temporary,
        if_not_exists,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NUMBER(38,0)", ast.TypeName(name="number", params=(38, 0))),
        ("NUMBER", ast.TypeName(name="number")),
        ("NUMERIC", ast.TypeName(name="numeric")),
        ("DECIMAL(10,2)", ast.TypeName(name="decimal", params=(10, 2))),
        ("INT", ast.TypeName(name="int")),
        ("INTEGER", ast.TypeName(name="integer")),
        ("BIGINT", ast.TypeName(name="bigint")),
        ("SMALLINT", ast.TypeName(name="smallint")),
        ("TINYINT", ast.TypeName(name="tinyint")),
        ("BYTEINT", ast.TypeName(name="byteint")),
        ("FLOAT", ast.TypeName(name="float")),
        ("FLOAT4", ast.TypeName(name="float4")),
        ("FLOAT8", ast.TypeName(name="float8")),
        ("DOUBLE", ast.TypeName(name="double")),
        ("DOUBLE PRECISION", ast.TypeName(name="double precision")),
        ("double  precision", ast.TypeName(name="double precision")),
        ("REAL", ast.TypeName(name="real")),
        ("VARCHAR", ast.TypeName(name="varchar")),
        ("VARCHAR(16777216)", ast.TypeName(name="varchar", params=(16777216,))),
        ("CHAR", ast.TypeName(name="char")),
        ("CHARACTER(3)", ast.TypeName(name="character", params=(3,))),
        ("STRING", ast.TypeName(name="string")),
        ("TEXT", ast.TypeName(name="text")),
        ("BINARY", ast.TypeName(name="binary")),
        ("VARBINARY(10)", ast.TypeName(name="varbinary", params=(10,))),
        ("BOOLEAN", ast.TypeName(name="boolean")),
        ("DATE", ast.TypeName(name="date")),
        ("TIME", ast.TypeName(name="time")),
        ("DATETIME", ast.TypeName(name="datetime")),
        ("TIMESTAMP", ast.TypeName(name="timestamp")),
        ("TIMESTAMP(3)", ast.TypeName(name="timestamp", params=(3,))),
        ("TIMESTAMP_NTZ", ast.TypeName(name="timestamp_ntz")),
        ("TIMESTAMP_LTZ(9)", ast.TypeName(name="timestamp_ltz", params=(9,))),
        ("timestamp_tz(0)", ast.TypeName(name="timestamp_tz", params=(0,))),
        ("VARIANT", ast.TypeName(name="variant")),
        ("OBJECT", ast.TypeName(name="object")),
        ("ARRAY", ast.TypeName(name="array")),
        ("GEOGRAPHY", ast.TypeName(name="geography")),
    ],
)
def test_snowflake_column_types(text: str, expected: ast.TypeName) -> None:
    stmt = sf(f"CREATE TABLE t (c {text}, d INT)")
    assert isinstance(stmt, ast.CreateTable)
    assert stmt.columns[0].type == expected
    assert stmt.columns[1].type == ast.TypeName(name="int")


def test_precision_only_follows_double() -> None:
    e = refused("CREATE TABLE t (a INT PRECISION)")
    assert e.message == "invalid token 'PRECISION'"
    assert e.span is not None and e.span.column == 23


def test_create_table_like_and_as() -> None:
    assert sf("CREATE TABLE IF NOT EXISTS t2 LIKE db.s.t1") == ast.CreateTable(
        name=qn("t2"), like=qn("db", "s", "t1"), if_not_exists=True
    )
    stmt = sf("CREATE OR REPLACE TABLE t COPY GRANTS AS SELECT a FROM s")
    assert isinstance(stmt, ast.CreateTable)
    assert stmt.copy_grants and stmt.or_replace and stmt.as_query is not None
    assert isinstance(stmt.as_query.body, ast.Select)
    assert stmt.as_query.body.from_ == ast.TableRef(name=qn("s"))


@pytest.mark.parametrize(
    ("clause", "travel"),
    [
        ("", None),
        (" AT(OFFSET => -60*30)", AT_HALF_AN_HOUR_AGO),
        (
            " BEFORE (STATEMENT => '8e5d0ca9-005e-44e6-b858-a8f5b37c5726')",
            ast.TimeTravel(
                kind="BEFORE", by="STATEMENT", expr=string("8e5d0ca9-005e-44e6-b858-a8f5b37c5726")
            ),
        ),
        (
            " at(timestamp => TO_TIMESTAMP_LTZ('2024-01-15 10:00:00'))",
            ast.TimeTravel(
                kind="AT",
                by="TIMESTAMP",
                expr=ast.FuncCall(
                    name=qn("TO_TIMESTAMP_LTZ"), args=(string("2024-01-15 10:00:00"),)
                ),
            ),
        ),
    ],
)
def test_create_table_clone(clause: str, travel: ast.TimeTravel | None) -> None:
    stmt = sf(f"CREATE TABLE t2 CLONE db.s.t1{clause} COPY GRANTS")
    assert stmt == ast.CreateTable(
        name=qn("t2"),
        clone=ast.CloneSource(source=qn("db", "s", "t1"), time_travel=travel),
        copy_grants=True,
    )


def test_clone_spans() -> None:
    sql = "CREATE TABLE t2 CLONE t1 AT(OFFSET => -60)"
    stmt = sf(sql)
    assert isinstance(stmt, ast.CreateTable) and stmt.clone is not None
    assert sql[stmt.clone.span.start : stmt.clone.span.end] == "CLONE t1 AT(OFFSET => -60)"
    travel = stmt.clone.time_travel
    assert travel is not None and sql[travel.span.start : travel.span.end] == "AT(OFFSET => -60)"


def test_table_clone_has_no_ignore_tables_clause() -> None:
    e = refused("CREATE TABLE t2 CLONE t1 IGNORE TABLES WITH INSUFFICIENT DATA RETENTION")
    assert e.token == "IGNORE"


@pytest.mark.parametrize(
    ("sql", "clause"),
    [
        ("CREATE TABLE t (a INT) LIFECYCLE 3", "LIFECYCLE 3"),
        ("CREATE TABLE t (a INT) PARTITIONED BY (ds STRING)", "PARTITIONED BY (ds STRING)"),
        (
            "CREATE TABLE t (a INT) CLUSTERED BY (a) INTO 4 BUCKETS",
            "CLUSTERED BY (a) INTO 4 BUCKETS",
        ),
        ("CREATE TABLE t (a INT) TBLPROPERTIES ('k'='v')", "TBLPROPERTIES ('k'='v')"),
        ("CREATE TABLE t (a INT) LOCATION 'oss://b/p'", "LOCATION 'oss://b/p'"),
        ("CREATE EXTERNAL TABLE t (a INT)", "EXTERNAL"),
    ],
)
def test_maxcompute_table_clauses_are_refused_in_snowflake(sql: str, clause: str) -> None:
    e = refused(sql, SF)
    head = clause.split(" (")[0].split(" '")[0].split(" 3")[0].split(" INTO")[0]
    assert e.message == f"{head} is not valid in Snowflake CREATE TABLE"
    assert spanned(sql, e) == clause
    assert len(parse(sql, MC)) == 1  # the same text is fine in MaxCompute


@pytest.mark.parametrize(
    ("sql", "clause", "head"),
    [
        ("CREATE TABLE t (a INT) CLUSTER BY (a)", "CLUSTER BY (a)", "CLUSTER BY"),
        ("CREATE TABLE t (a INT) COPY GRANTS", "COPY GRANTS", "COPY GRANTS"),
        (
            "CREATE TABLE t (a INT) DATA_RETENTION_TIME_IN_DAYS = 1",
            "DATA_RETENTION_TIME_IN_DAYS = 1",
            "DATA_RETENTION_TIME_IN_DAYS",
        ),
        ("CREATE TABLE t CLONE s AT(OFFSET => -1)", "CLONE s AT(OFFSET => -1)", "CLONE"),
        ("CREATE TRANSIENT TABLE t (a INT)", "TRANSIENT", "TRANSIENT"),
        ("CREATE TEMPORARY TABLE t (a INT)", "TEMPORARY", "TEMPORARY"),
    ],
)
def test_snowflake_table_clauses_are_refused_in_maxcompute(
    sql: str, clause: str, head: str
) -> None:
    e = refused(sql, MC)
    assert e.message == f"{head} is not valid in MaxCompute CREATE TABLE"
    assert spanned(sql, e) == clause
    assert e.token == clause.split()[0]
    assert len(parse(sql, SF)) == 1


def test_refusal_position_on_a_later_line() -> None:
    sql = "CREATE TABLE t (\n  a INT\n)\nLIFECYCLE 3"
    e = refused(sql)
    assert e.span is not None and (e.span.line, e.span.column) == (4, 1)


def test_maxcompute_create_table_keeps_its_node() -> None:
    stmt = parse_statement("CREATE TABLE t (numeric BIGINT) COMMENT 'c' LIFECYCLE 2", MC)
    assert stmt == ast.CreateTable(
        name=qn("t"), columns=(col("numeric", "bigint"),), comment="c", lifecycle=2
    )


def test_or_replace_and_if_not_exists_exclude_each_other() -> None:
    sql = "CREATE OR REPLACE TABLE IF NOT EXISTS t (a INT)"
    e = refused(sql)
    assert e.message == "OR REPLACE and IF NOT EXISTS cannot be used together"
    assert spanned(sql, e) == "IF NOT EXISTS"


# ----------------------------------------------------------------------------- DATABASE / SCHEMA


def test_create_database_with_every_clause() -> None:
    sql = (
        "CREATE OR REPLACE TRANSIENT DATABASE d2 CLONE d1 BEFORE(OFFSET => -3600) "
        "IGNORE TABLES WITH INSUFFICIENT DATA RETENTION "
        "DATA_RETENTION_TIME_IN_DAYS = 1 COMMENT = 'copy'"
    )
    minus_hour = ast.UnaryOp(op="-", operand=integer(3600))
    assert sf(sql) == ast.CreateDatabase(
        name=ident("d2"),
        or_replace=True,
        transient=True,
        clone=ast.CloneSource(
            source=qn("d1"),
            time_travel=ast.TimeTravel(kind="BEFORE", by="OFFSET", expr=minus_hour),
            ignore_insufficient_retention=True,
        ),
        retention_days=1,
        comment="copy",
    )


def test_create_database_plain() -> None:
    assert sf("create database if not exists sales") == ast.CreateDatabase(
        name=ident("sales"), if_not_exists=True
    )
    # MaxCompute has no databases: the node is built and the engine refuses it.
    assert parse_statement("CREATE DATABASE sales", MC) == ast.CreateDatabase(name=ident("sales"))


def test_create_schema_with_every_clause() -> None:
    sql = (
        "CREATE TRANSIENT SCHEMA IF NOT EXISTS db.s2 CLONE db.s1 "
        "WITH MANAGED ACCESS DATA_RETENTION_TIME_IN_DAYS = 0 COMMENT = 'x'"
    )
    assert sf(sql) == ast.CreateSchema(
        name=qn("db", "s2"),
        transient=True,
        if_not_exists=True,
        clone=ast.CloneSource(source=qn("db", "s1")),
        managed_access=True,
        retention_days=0,
        comment="x",
    )


def test_database_names_are_not_qualified_and_have_no_managed_access() -> None:
    assert refused("CREATE DATABASE a.b").token == "."
    sql = "CREATE DATABASE d WITH MANAGED ACCESS"
    e = refused(sql)
    assert e.message == "WITH MANAGED ACCESS is not valid in Snowflake CREATE DATABASE"
    assert spanned(sql, e) == "WITH MANAGED ACCESS"


def test_duplicate_property_is_an_error() -> None:
    sql = "CREATE SCHEMA s COMMENT = 'a' COMMENT = 'b'"
    e = refused(sql)
    assert e.message == "duplicate COMMENT clause"
    assert e.span is not None and e.span.column == 31


# ----------------------------------------------------------------------------- DROP / UNDROP


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("DROP TABLE t", ast.DropObject(kind="TABLE", name=qn("t"))),
        (
            "drop table if exists db.s.t",
            ast.DropObject(kind="TABLE", name=qn("db", "s", "t"), if_exists=True),
        ),
        ("DROP SCHEMA s CASCADE", ast.DropObject(kind="SCHEMA", name=qn("s"), cascade=True)),
        (
            "DROP DATABASE IF EXISTS d RESTRICT",
            ast.DropObject(kind="DATABASE", name=qn("d"), if_exists=True, cascade=False),
        ),
        ("DROP ROLE analyst", ast.DropObject(kind="ROLE", name=qn("analyst"))),
        ("DROP USER IF EXISTS bob", ast.DropObject(kind="USER", name=qn("bob"), if_exists=True)),
        ("DROP VIEW v", ast.DropObject(kind="VIEW", name=qn("v"))),
    ],
)
def test_drop_objects(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node


def test_maxcompute_drop_keeps_its_nodes() -> None:
    assert parse_statement("DROP TABLE IF EXISTS t", MC) == ast.DropTable(
        name=qn("t"), if_exists=True
    )
    assert parse_statement("DROP ROLE r", MC) == ast.DropRole(name=ident("r"))
    assert parse_statement("DROP SCHEMA s", MC) == ast.DropObject(kind="SCHEMA", name=qn("s"))
    e = refused("DROP ROLE a.b", MC)
    assert e.token == "." and e.span is not None and e.span.column == 12
    sql = "DROP TABLE t CASCADE"
    e = refused(sql, MC)
    assert e.message == "CASCADE is not valid in MaxCompute DROP TABLE"
    assert spanned(sql, e) == "CASCADE"


@pytest.mark.parametrize("kind", ["TABLE", "SCHEMA", "DATABASE"])
def test_undrop(kind: str) -> None:
    assert sf(f"UNDROP {kind} a.b") == ast.Undrop(kind=kind, name=qn("a", "b"))  # type: ignore[arg-type]


def test_undrop_needs_a_kind_it_knows() -> None:
    assert refused("UNDROP ROLE r").token == "ROLE"


# ----------------------------------------------------------------------------- ALTER


@pytest.mark.parametrize("kind", ["TABLE", "SCHEMA", "DATABASE"])
def test_alter_rename(kind: str) -> None:
    assert sf(f"ALTER {kind} IF EXISTS a RENAME TO b") == ast.AlterRename(
        kind=kind,  # type: ignore[arg-type]
        name=qn("a"),
        new_name=qn("b"),
        if_exists=True,
    )


def test_maxcompute_rename_is_the_same_node() -> None:
    assert parse_statement("ALTER TABLE t RENAME TO t2", MC) == ast.AlterRename(
        kind="TABLE", name=qn("t"), new_name=qn("t2")
    )


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        (
            "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 0",
            ast.AlterSet(kind="TABLE", name=qn("t"), retention_days=0),
        ),
        (
            "ALTER SCHEMA db.s SET DATA_RETENTION_TIME_IN_DAYS = 30 COMMENT = 'kept'",
            ast.AlterSet(kind="SCHEMA", name=qn("db", "s"), retention_days=30, comment="kept"),
        ),
        (
            "ALTER DATABASE IF EXISTS d SET COMMENT = 'x'",
            ast.AlterSet(kind="DATABASE", name=qn("d"), comment="x", if_exists=True),
        ),
        (
            "ALTER TABLE t UNSET DATA_RETENTION_TIME_IN_DAYS",
            ast.AlterSet(kind="TABLE", name=qn("t"), unset=("DATA_RETENTION_TIME_IN_DAYS",)),
        ),
        (
            "alter schema s unset comment, data_retention_time_in_days",
            ast.AlterSet(
                kind="SCHEMA", name=qn("s"), unset=("COMMENT", "DATA_RETENTION_TIME_IN_DAYS")
            ),
        ),
    ],
)
def test_alter_set_and_unset(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node


def test_alter_partitions_still_work_and_need_a_table() -> None:
    stmt = parse_statement("ALTER TABLE t ADD PARTITION (ds='1')", MC)
    assert isinstance(stmt, ast.AlterTableAddPartitions) and stmt.table == qn("t")
    stmt = parse_statement("ALTER TABLE t DROP IF EXISTS PARTITION (ds='1')", MC)
    assert isinstance(stmt, ast.AlterTableDropPartitions) and stmt.if_exists
    e = refused("ALTER SCHEMA s ADD PARTITION (ds='1')", MC)
    assert e.message == "ADD PARTITION is only valid in ALTER TABLE"
    assert e.token == "SCHEMA"


# ----------------------------------------------------------------------------- USE / SESSION


@pytest.mark.parametrize(
    ("sql", "kind", "name"),
    [
        ("USE DATABASE sales", "DATABASE", qn("sales")),
        ("USE SCHEMA sales.private", "SCHEMA", qn("sales", "private")),
        ("use schema private", "SCHEMA", qn("private")),
        ("USE ROLE sysadmin", "ROLE", qn("sysadmin")),
        ("USE WAREHOUSE compute_wh", "WAREHOUSE", qn("compute_wh")),
        ("USE sales", "DATABASE", qn("sales")),
        ("USE sales.private", "SCHEMA", qn("sales", "private")),
        ("USE role", "DATABASE", qn("role")),
    ],
)
def test_use(sql: str, kind: str, name: ast.QualifiedName) -> None:
    assert sf(sql) == ast.UseObject(kind=kind, name=name)  # type: ignore[arg-type]


def test_use_in_maxcompute() -> None:
    assert parse_statement("USE p", MC) == ast.Use(name=ident("p"))
    assert parse_statement("USE SCHEMA s", MC) == ast.UseObject(kind="SCHEMA", name=qn("s"))
    assert refused("USE a.b", MC).token == "."
    assert refused("USE a.b.c", SF).token == "c"


@pytest.mark.parametrize(
    ("sql", "settings"),
    [
        ("ALTER SESSION SET DIALECT = snowflake", (("DIALECT", "snowflake"),)),
        ("alter session set dialect=maxcompute", (("DIALECT", "maxcompute"),)),
        (
            "ALTER SESSION SET TIMEZONE = 'America/Los_Angeles' QUERY_TAG = 'it''s'",
            (("TIMEZONE", "America/Los_Angeles"), ("QUERY_TAG", "it's")),
        ),
        (
            "ALTER SESSION SET LOCK_TIMEOUT = -1, AUTOCOMMIT = FALSE, ROWS_PER_RESULTSET = 10",
            (("LOCK_TIMEOUT", "-1"), ("AUTOCOMMIT", "FALSE"), ("ROWS_PER_RESULTSET", "10")),
        ),
    ],
)
def test_alter_session_set(sql: str, settings: tuple[tuple[str, str], ...]) -> None:
    expected = ast.AlterSession(settings=settings)
    assert sf(sql) == expected
    assert parse_statement(sql, MC) == expected  # the emulator's dialect switch works in both


def test_alter_session_unset() -> None:
    assert sf("ALTER SESSION UNSET timezone, QUERY_TAG") == ast.AlterSession(
        unset=("TIMEZONE", "QUERY_TAG")
    )


def test_maxcompute_set_is_unchanged() -> None:
    assert parse_statement("SET odps.sql.timezone=UTC", SF) == ast.SetStmt(
        key="odps.sql.timezone", value="UTC"
    )


# ----------------------------------------------------------------------------- SHOW / DESCRIBE


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("SHOW TABLES", ast.ShowObjects(kind="TABLES")),
        (
            "SHOW TERSE TABLES HISTORY LIKE 't_%' IN SCHEMA sales.public STARTS WITH 'T' LIMIT 5",
            ast.ShowObjects(
                kind="TABLES",
                terse=True,
                history=True,
                like="t_%",
                in_kind="SCHEMA",
                in_name=qn("sales", "public"),
                starts_with="T",
                limit=5,
            ),
        ),
        ("SHOW SCHEMAS IN DATABASE", ast.ShowObjects(kind="SCHEMAS", in_kind="DATABASE")),
        (
            "SHOW SCHEMAS HISTORY IN DATABASE sales",
            ast.ShowObjects(kind="SCHEMAS", history=True, in_kind="DATABASE", in_name=qn("sales")),
        ),
        ("SHOW DATABASES IN ACCOUNT", ast.ShowObjects(kind="DATABASES", in_kind="ACCOUNT")),
        ("show databases history", ast.ShowObjects(kind="DATABASES", history=True)),
        (
            "SHOW TABLES IN sales.public",
            ast.ShowObjects(kind="TABLES", in_name=qn("sales", "public")),
        ),
        ("SHOW TABLES IN SCHEMA", ast.ShowObjects(kind="TABLES", in_kind="SCHEMA")),
        ("SHOW ROLES LIKE 'A%'", ast.ShowObjects(kind="ROLES", like="A%")),
        ("SHOW USERS", ast.ShowObjects(kind="USERS")),
    ],
)
def test_show_objects(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node


def test_show_tables_stays_maxcompute_in_maxcompute() -> None:
    expected = ast.ShowTables(in_=qn("p"), like="a%")
    assert parse_statement("SHOW TABLES IN p LIKE 'a%'", MC) == expected
    assert parse_statement("SHOW TABLES FROM p LIKE 'a%'", MC) == expected
    for sql, clause in [
        ("SHOW TERSE TABLES", "TERSE"),
        ("SHOW TABLES HISTORY", "HISTORY"),
        ("SHOW TABLES IN ACCOUNT", "IN ACCOUNT"),
        ("SHOW TABLES STARTS WITH 'a'", "STARTS WITH 'a'"),
        ("SHOW TABLES LIMIT 3", "LIMIT 3"),
    ]:
        e = refused(sql, MC)
        assert spanned(sql, e) == clause, sql
        assert e.message.endswith("is not valid in MaxCompute SHOW TABLES")


def test_show_from_is_maxcompute_spelling() -> None:
    sql = "SHOW TABLES FROM p"
    e = refused(sql, SF)
    assert e.message == "FROM is not valid in Snowflake SHOW TABLES"
    assert spanned(sql, e) == "FROM p"


def test_show_duplicate_in_clause() -> None:
    e = refused("SHOW TABLES IN ACCOUNT IN DATABASE d")
    assert e.message == "duplicate IN clause"


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("DESC t", ast.DescribeObject(kind="TABLE", name=qn("t"))),
        ("DESCRIBE TABLE db.s.t", ast.DescribeObject(kind="TABLE", name=qn("db", "s", "t"))),
        ("desc schema sales.public", ast.DescribeObject(kind="SCHEMA", name=qn("sales", "public"))),
        ("DESCRIBE DATABASE sales", ast.DescribeObject(kind="DATABASE", name=qn("sales"))),
    ],
)
def test_describe_objects(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node


def test_describe_in_maxcompute() -> None:
    assert parse_statement("DESC t", MC) == ast.Describe(name=qn("t"))
    assert parse_statement("DESC TABLE t", MC) == ast.Describe(name=qn("t"))
    assert parse_statement("DESC SCHEMA s", MC) == ast.DescribeObject(kind="SCHEMA", name=qn("s"))
    sql = "DESC EXTENDED t"
    e = refused(sql, SF)
    assert e.message == "EXTENDED is not valid in Snowflake DESCRIBE TABLE"
    assert spanned(sql, e) == "EXTENDED"
    sql = "DESC t PARTITION (ds='1')"
    assert spanned(sql, refused(sql, SF)) == "PARTITION (ds='1')"
