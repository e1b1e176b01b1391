"""Every non-query statement form parses to the expected AST node with the expected fields."""

from __future__ import annotations

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import parse, parse_statement


def ident(name: str, quoted: bool = False) -> ast.Ident:
    return ast.Ident(name=name, quoted=quoted)


def qn(*parts: str) -> ast.QualifiedName:
    return ast.QualifiedName(parts=tuple(ident(p) for p in parts))


def user(name: str, quoted: bool = False) -> ast.Principal:
    return ast.Principal(name=name, quoted=quoted)


def string(value: str, text: str | None = None) -> ast.Literal:
    return ast.Literal(value=value, kind="string", text=text or f"'{value}'")


def integer(value: int) -> ast.Literal:
    return ast.Literal(value=value, kind="integer", text=str(value))


def spec(*items: tuple[str, ast.Literal | None]) -> ast.PartitionSpec:
    return ast.PartitionSpec(
        items=tuple(ast.PartitionItem(name=ident(n), value=v) for n, v in items)
    )


def typ(name: str, *params: int) -> ast.TypeName:
    return ast.TypeName(name=name, params=params)


def col(name: str, type_: ast.TypeName, **kw: object) -> ast.ColumnDef:
    return ast.ColumnDef(name=ident(name), type=type_, **kw)  # type: ignore[arg-type]


SEED = """
-- Run in the source project
SET odps.namespace.schema=false;
-- Clone the sales_data table from project_analytics to project_reporting
CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE;
USE project_analytics;
-- Add the destination project owner to the source project
ADD USER ALIYUN$destination_owner@aliyunid.com;
-- Grant project-level permissions
GRANT CreateTable, CreateInstance ON PROJECT project_analytics TO USER ALIYUN$destination_owner@aliyunid.com;
-- Grant read access to the source table
GRANT Select ON TABLE sales_data TO USER ALIYUN$destination_owner@aliyunid.com;
SELECT * FROM sales_data LIMIT 2;
DESC sales_data;
REMOVE USER ALIYUN$destination_owner@aliyunid.com;
"""  # noqa: E501 - the seed's lines, verbatim


def test_seed_script_verbatim() -> None:
    owner = user("ALIYUN$destination_owner@aliyunid.com")
    star = ast.SelectItem(expr=ast.Star())
    select = ast.Select(items=(star,), from_=ast.TableRef(name=qn("sales_data")))
    assert parse(SEED) == [
        ast.SetStmt(key="odps.namespace.schema", value="false"),
        ast.CloneTable(
            source=qn("project_analytics", "sales_data"),
            target=qn("project_reporting", "sales_data"),
            if_exists="OVERWRITE",
        ),
        ast.Use(name=ident("project_analytics")),
        ast.AddUser(principal=owner),
        ast.GrantPrivileges(
            actions=("CreateTable", "CreateInstance"),
            object_type="PROJECT",
            object_name=qn("project_analytics"),
            grantee_kind="USER",
            grantee=owner,
        ),
        ast.GrantPrivileges(
            actions=("Select",),
            object_type="TABLE",
            object_name=qn("sales_data"),
            grantee_kind="USER",
            grantee=owner,
        ),
        ast.QueryStmt(query=ast.Query(body=select, limit=integer(2))),
        ast.Describe(name=qn("sales_data")),
        ast.RemoveUser(principal=owner),
    ]


# ----------------------------------------------------------------------------- session


@pytest.mark.parametrize(
    ("sql", "key", "value"),
    [
        ("SET odps.sql.allow.fullscan=true", "odps.sql.allow.fullscan", "true"),
        ("set odps.sql.timezone = Asia/Shanghai ", "odps.sql.timezone", "Asia/Shanghai"),
        ("SET a.b=", "a.b", ""),
        ("SET a.b = x = y, z (1)", "a.b", "x = y, z (1)"),
        (
            "SET k='a;b' -- not a comment inside a value",
            "k",
            "'a;b' -- not a comment inside a value",
        ),
    ],
)
def test_set_keeps_the_raw_value(sql: str, key: str, value: str) -> None:
    assert parse_statement(sql) == ast.SetStmt(key=key, value=value)


def test_set_value_ends_at_semicolon() -> None:
    first, second = parse("SET a=1;SELECT 1")
    assert first == ast.SetStmt(key="a", value="1")
    assert isinstance(second, ast.QueryStmt)


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("SHOW FLAGS", ast.ShowFlags()),
        ("show flags;", ast.ShowFlags()),
        ("WHOAMI", ast.Whoami()),
        ("USE my_project", ast.Use(name=ident("my_project"))),
        ("use `odd name`", ast.Use(name=ident("odd name", quoted=True))),
        ("SHOW PROJECTS", ast.ShowProjects()),
        ("LIST USERS", ast.ListUsers()),
        ("list roles", ast.ListRoles()),
    ],
)
def test_simple_statements(sql: str, node: ast.Statement) -> None:
    assert parse_statement(sql) == node


# ----------------------------------------------------------------------------- projects


def test_create_project_with_every_clause() -> None:
    sql = "CREATE PROJECT IF NOT EXISTS p1 OWNER ALIYUN$a@b.com REGION 'cn-hangzhou' COMMENT \"c\""
    assert parse_statement(sql) == ast.CreateProject(
        name=ident("p1"),
        owner=user("ALIYUN$a@b.com"),
        region="cn-hangzhou",
        comment="c",
        if_not_exists=True,
    )


def test_create_project_clauses_in_any_order() -> None:
    sql = "create project p2 comment 'x' region \"r\" owner bob"
    assert parse_statement(sql) == ast.CreateProject(
        name=ident("p2"), owner=user("bob"), region="r", comment="x"
    )


def test_drop_project() -> None:
    assert parse_statement("DROP PROJECT p") == ast.DropProject(name=ident("p"))
    assert parse_statement("DROP PROJECT IF EXISTS p") == ast.DropProject(
        name=ident("p"), if_exists=True
    )


# ----------------------------------------------------------------------------- tables


def test_create_table_with_every_clause() -> None:
    sql = """
        CREATE OR REPLACE EXTERNAL TABLE IF NOT EXISTS prj.sch.t (
            id BIGINT NOT NULL DEFAULT -1 COMMENT 'the id',
            amount DECIMAL(10, 2),
            name VARCHAR(20) COMMENT "n"
        )
        COMMENT 'sales'
        PARTITIONED BY (ds STRING COMMENT 'day', hr BIGINT)
        CLUSTERED BY (id) SORTED BY (id DESC, amount) INTO 8 BUCKETS
        STORED BY 'com.example.Handler'
        LOCATION 'oss://bucket/path'
        TBLPROPERTIES ('k1'='v1', "k2"="v2")
        LIFECYCLE 30
    """
    minus_one = ast.UnaryOp(op="-", operand=integer(1))
    assert parse_statement(sql) == ast.CreateTable(
        name=qn("prj", "sch", "t"),
        or_replace=True,
        external=True,
        if_not_exists=True,
        columns=(
            col("id", typ("bigint"), not_null=True, default=minus_one, comment="the id"),
            col("amount", typ("decimal", 10, 2)),
            col("name", typ("varchar", 20), comment="n"),
        ),
        comment="sales",
        partitioned_by=(col("ds", typ("string"), comment="day"), col("hr", typ("bigint"))),
        clustered=ast.ClusterSpec(
            kind="hash",
            columns=(ident("id"),),
            sorted_by=(
                ast.OrderItem(expr=ast.ColumnRef(parts=(ident("id"),)), desc=True),
                ast.OrderItem(expr=ast.ColumnRef(parts=(ident("amount"),))),
            ),
            buckets=8,
        ),
        stored_by="com.example.Handler",
        location="oss://bucket/path",
        tblproperties=(("k1", "v1"), ("k2", "v2")),
        lifecycle=30,
    )


def test_table_clauses_in_any_order() -> None:
    a = parse_statement("CREATE TABLE t (a INT) LIFECYCLE 7 COMMENT 'c'")
    b = parse_statement("CREATE TABLE t (a INT) COMMENT 'c' LIFECYCLE 7")
    assert (
        a
        == b
        == ast.CreateTable(name=qn("t"), columns=(col("a", typ("int")),), comment="c", lifecycle=7)
    )


def test_range_clustered_buckets_optional() -> None:
    stmt = parse_statement("CREATE TABLE t (a INT) RANGE CLUSTERED BY (a) SORTED BY (a ASC)")
    assert isinstance(stmt, ast.CreateTable)
    assert stmt.clustered == ast.ClusterSpec(
        kind="range",
        columns=(ident("a"),),
        sorted_by=(ast.OrderItem(expr=ast.ColumnRef(parts=(ident("a"),))),),
    )
    stmt = parse_statement("CREATE TABLE t (a INT) RANGE CLUSTERED BY (a) INTO 4 BUCKETS")
    assert isinstance(stmt, ast.CreateTable) and stmt.clustered is not None
    assert stmt.clustered.buckets == 4


def test_hash_clustered_needs_buckets() -> None:
    with pytest.raises(SqlSyntaxError):
        parse_statement("CREATE TABLE t (a INT) CLUSTERED BY (a)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tinyint", ast.TypeName(name="tinyint")),
        ("DOUBLE", ast.TypeName(name="double")),
        ("decimal(38)", ast.TypeName(name="decimal", params=(38,))),
        ("NUMBER(38, 0)", ast.TypeName(name="number", params=(38, 0))),
        ("char(3)", ast.TypeName(name="char", params=(3,))),
        ("timestamp_ntz", ast.TypeName(name="timestamp_ntz")),
        ("DATE", ast.TypeName(name="date")),
        ("ARRAY", ast.TypeName(name="array")),
        ("array<bigint>", ast.TypeName(name="array", args=(ast.TypeName(name="bigint"),))),
        (
            "map<string, array<int>>",
            ast.TypeName(
                name="map",
                args=(
                    ast.TypeName(name="string"),
                    ast.TypeName(name="array", args=(ast.TypeName(name="int"),)),
                ),
            ),
        ),
        (
            "struct<a:int, comment:varchar(5)>",
            ast.TypeName(
                name="struct",
                fields=(
                    ("a", ast.TypeName(name="int")),
                    ("comment", ast.TypeName(name="varchar", params=(5,))),
                ),
            ),
        ),
        ("mystery", ast.TypeName(name="mystery")),
    ],
)
def test_column_types(text: str, expected: ast.TypeName) -> None:
    stmt = parse_statement(f"CREATE TABLE t (c {text})")
    assert isinstance(stmt, ast.CreateTable)
    assert stmt.columns[0].type == expected


def test_create_table_like() -> None:
    assert parse_statement("CREATE TABLE IF NOT EXISTS t2 LIKE p.t1 LIFECYCLE 3") == (
        ast.CreateTable(name=qn("t2"), like=qn("p", "t1"), if_not_exists=True, lifecycle=3)
    )


def test_create_table_as_select() -> None:
    stmt = parse_statement("CREATE TABLE t LIFECYCLE 1 AS SELECT a FROM s")
    assert isinstance(stmt, ast.CreateTable)
    assert stmt.lifecycle == 1 and stmt.columns == ()
    assert stmt.as_query is not None
    body = stmt.as_query.body
    assert isinstance(body, ast.Select)
    assert body.from_ == ast.TableRef(name=qn("s"))


def test_create_table_needs_columns_like_or_query() -> None:
    with pytest.raises(SqlSyntaxError):
        parse_statement("CREATE TABLE t")
    with pytest.raises(SqlSyntaxError):
        parse_statement("CREATE TABLE t LIFECYCLE 3")


def test_drop_table() -> None:
    assert parse_statement("DROP TABLE IF EXISTS a.b") == ast.DropTable(
        name=qn("a", "b"), if_exists=True
    )


def test_alter_table_add_partitions_blank_or_comma_separated() -> None:
    expected = ast.AlterTableAddPartitions(
        table=qn("t"),
        partitions=(
            spec(("ds", string("20240101")), ("hr", integer(1))),
            spec(("ds", string("20240102", '"20240102"')), ("hr", integer(2))),
        ),
        if_not_exists=True,
    )
    base = "ALTER TABLE t ADD IF NOT EXISTS PARTITION (ds='20240101', hr=1)"
    assert parse_statement(base + ' PARTITION (ds="20240102", hr=2)') == expected
    assert parse_statement(base + ', PARTITION (ds="20240102", hr=2)') == expected


def test_alter_table_drop_partitions() -> None:
    sql = "ALTER TABLE p.t DROP IF EXISTS PARTITION (ds='a'), PARTITION (ds='b')"
    assert parse_statement(sql) == ast.AlterTableDropPartitions(
        table=qn("p", "t"),
        partitions=(spec(("ds", string("a"))), spec(("ds", string("b")))),
        if_exists=True,
    )


def test_partition_values_need_a_value_outside_insert() -> None:
    with pytest.raises(SqlSyntaxError):
        parse_statement("ALTER TABLE t ADD PARTITION (ds)")


def test_negative_partition_value() -> None:
    stmt = parse_statement("ALTER TABLE t ADD PARTITION (n=-5)")
    assert stmt == ast.AlterTableAddPartitions(
        table=qn("t"), partitions=(spec(("n", ast.Literal(value=-5, kind="integer", text="-5"))),)
    )


def test_truncate_table() -> None:
    assert parse_statement("TRUNCATE TABLE t") == ast.TruncateTable(table=qn("t"))
    assert parse_statement("TRUNCATE TABLE t PARTITION (a=1), PARTITION (a=2)") == (
        ast.TruncateTable(
            table=qn("t"), partitions=(spec(("a", integer(1))), spec(("a", integer(2))))
        )
    )


# ----------------------------------------------------------------------------- insert


def test_insert_values() -> None:
    stmt = parse_statement("INSERT INTO t VALUES (1, 'a'), (2, \"b\")")
    assert stmt == ast.Insert(
        table=qn("t"),
        source=ast.Values(
            rows=((integer(1), string("a")), (integer(2), string("b", '"b"'))),
        ),
    )


def test_insert_into_table_with_partition_and_columns() -> None:
    stmt = parse_statement(
        "INSERT INTO TABLE t PARTITION (ds='x', hr) (a, b) SELECT a, b, hr FROM s"
    )
    assert isinstance(stmt, ast.Insert)
    assert stmt.overwrite is False
    assert stmt.partition == spec(("ds", string("x")), ("hr", None))
    assert stmt.columns == (ident("a"), ident("b"))
    assert isinstance(stmt.source, ast.Query)


def test_insert_overwrite() -> None:
    stmt = parse_statement("INSERT OVERWRITE TABLE t PARTITION (ds='x') SELECT 1")
    assert isinstance(stmt, ast.Insert)
    assert stmt.overwrite is True
    assert stmt.partition == spec(("ds", string("x")))
    values = parse_statement("insert overwrite table t values (1)")
    assert isinstance(values, ast.Insert) and isinstance(values.source, ast.Values)


def test_insert_overwrite_needs_table_keyword() -> None:
    with pytest.raises(SqlSyntaxError):
        parse_statement("INSERT OVERWRITE t SELECT 1")


def test_insert_parenthesized_query() -> None:
    stmt = parse_statement("INSERT INTO t (SELECT 1)")
    assert isinstance(stmt, ast.Insert)
    assert stmt.columns == ()
    assert isinstance(stmt.source, ast.Query)


# ----------------------------------------------------------------------------- describe / show


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("DESC t", ast.Describe(name=qn("t"))),
        ("describe p.t", ast.Describe(name=qn("p", "t"))),
        ("DESC EXTENDED t", ast.Describe(name=qn("t"), extended=True)),
        (
            "DESC EXTENDED t PARTITION (ds='1')",
            ast.Describe(name=qn("t"), extended=True, partition=spec(("ds", string("1")))),
        ),
        ("DESC extended", ast.Describe(name=qn("extended"))),
        ("SHOW TABLES", ast.ShowTables()),
        ("SHOW TABLES IN p", ast.ShowTables(in_=qn("p"))),
        ("SHOW TABLES FROM p.s LIKE 'sales%'", ast.ShowTables(in_=qn("p", "s"), like="sales%")),
        ('SHOW TABLES LIKE "x*"', ast.ShowTables(like="x*")),
        ("SHOW PARTITIONS t", ast.ShowPartitions(table=qn("t"))),
        (
            "SHOW PARTITIONS t PARTITION (ds='1')",
            ast.ShowPartitions(table=qn("t"), partition=spec(("ds", string("1")))),
        ),
    ],
)
def test_describe_and_show(sql: str, node: ast.Statement) -> None:
    assert parse_statement(sql) == node


# ----------------------------------------------------------------------------- clone


@pytest.mark.parametrize(
    ("tail", "if_exists"),
    [("", None), (" IF EXISTS OVERWRITE", "OVERWRITE"), (" if exists ignore", "IGNORE")],
)
def test_clone_table(tail: str, if_exists: str | None) -> None:
    stmt = parse_statement("CLONE TABLE a.t PARTITION (ds='1'), PARTITION (ds='2') TO b.t" + tail)
    assert stmt == ast.CloneTable(
        source=qn("a", "t"),
        target=qn("b", "t"),
        partitions=(spec(("ds", string("1"))), spec(("ds", string("2")))),
        if_exists=if_exists,  # type: ignore[arg-type]
    )


def test_clone_table_bare_if_exists_is_an_error() -> None:
    with pytest.raises(SqlSyntaxError) as info:
        parse_statement("CLONE TABLE a TO b IF EXISTS")
    assert info.value.token is None
    assert info.value.expected == ("IGNORE", "OVERWRITE")


# ----------------------------------------------------------------------------- users and grants


@pytest.mark.parametrize(
    ("text", "principal"),
    [
        ("ALIYUN$name@domain.com", user("ALIYUN$name@domain.com")),
        ("RAM$account:user", user("RAM$account:user")),
        ("RAM$owner@aliyun.com:username", user("RAM$owner@aliyun.com:username")),
        ("RAM$acct:role/name", user("RAM$acct:role/name")),
        ("`RAM$acct:role/name`", user("RAM$acct:role/name", quoted=True)),
        ("bob", user("bob")),
        ('"Mixed Case"', user("Mixed Case", quoted=True)),
    ],
)
def test_principal_forms(text: str, principal: ast.Principal) -> None:
    assert parse_statement(f"ADD USER {text}") == ast.AddUser(principal=principal)
    assert parse_statement(f"REMOVE USER {text};") == ast.RemoveUser(principal=principal)


def test_add_user_comment() -> None:
    assert parse_statement("ADD USER RAM$a:b COMMENT 'analyst'") == ast.AddUser(
        principal=user("RAM$a:b"), comment="analyst"
    )


def test_roles() -> None:
    assert parse_statement("CREATE ROLE IF NOT EXISTS analyst") == ast.CreateRole(
        name=ident("analyst"), if_not_exists=True
    )
    assert parse_statement("DROP ROLE analyst") == ast.DropRole(name=ident("analyst"))


def test_grant_and_revoke_roles() -> None:
    assert parse_statement("GRANT r1, r2 TO USER RAM$a:b") == ast.GrantRoles(
        roles=(ident("r1"), ident("r2")), grantee=user("RAM$a:b")
    )
    assert parse_statement("GRANT r1 TO bob") == ast.GrantRoles(
        roles=(ident("r1"),), grantee=user("bob")
    )
    assert parse_statement("REVOKE r1 FROM USER bob") == ast.RevokeRoles(
        roles=(ident("r1"),), grantee=user("bob")
    )
    assert parse_statement("revoke r1, r2 from bob") == ast.RevokeRoles(
        roles=(ident("r1"), ident("r2")), grantee=user("bob")
    )


ACTIONS = (
    "CreateTable, CreateInstance, Select, Describe, Alter, Update, Drop, All, List, Read, "
    "Write, Download, ShowHistory, CreateFunction, CreateResource, Insert, Create, Desc"
)


def test_grant_privileges_keeps_actions_as_written() -> None:
    stmt = parse_statement(f"GRANT {ACTIONS} ON TABLE p.t TO ROLE analyst")
    assert stmt == ast.GrantPrivileges(
        actions=tuple(a.strip() for a in ACTIONS.split(",")),
        object_type="TABLE",
        object_name=qn("p", "t"),
        grantee_kind="ROLE",
        grantee=user("analyst"),
    )


@pytest.mark.parametrize(
    ("obj", "object_type", "name"),
    [
        ("PROJECT p", "PROJECT", qn("p")),
        ("project p", "PROJECT", qn("p")),
        ("table t", "TABLE", qn("t")),
        ("t", "TABLE", qn("t")),
        ("Function f", "FUNCTION", qn("f")),
    ],
)
def test_privilege_objects(obj: str, object_type: str, name: ast.QualifiedName) -> None:
    stmt = parse_statement(f"REVOKE Read ON {obj} FROM USER ALIYUN$x@y.com")
    assert stmt == ast.RevokePrivileges(
        actions=("Read",),
        object_type=object_type,
        object_name=name,
        grantee_kind="USER",
        grantee=user("ALIYUN$x@y.com"),
    )


def test_grant_privileges_needs_user_or_role() -> None:
    with pytest.raises(SqlSyntaxError):
        parse_statement("GRANT Select ON TABLE t TO bob")


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("SHOW GRANTS", ast.ShowGrants()),
        ("SHOW GRANTS FOR bob", ast.ShowGrants(for_kind="USER", for_name=user("bob"))),
        (
            "SHOW GRANTS FOR USER ALIYUN$x@y.com",
            ast.ShowGrants(for_kind="USER", for_name=user("ALIYUN$x@y.com")),
        ),
        ("SHOW GRANTS FOR ROLE r", ast.ShowGrants(for_kind="ROLE", for_name=user("r"))),
    ],
)
def test_show_grants(sql: str, node: ast.Statement) -> None:
    assert parse_statement(sql) == node


# ----------------------------------------------------------------------------- scripts


def test_script_separators_and_comments() -> None:
    script = """
        ;;
        /* a block
           comment */ SHOW FLAGS ;  ; -- trailing
        WHOAMI
    """
    assert parse(script) == [ast.ShowFlags(), ast.Whoami()]


@pytest.mark.parametrize("text", ["", "   ", ";", " ; ;\n", "-- only a comment", "/* x */"])
def test_empty_scripts(text: str) -> None:
    assert parse(text) == []


def test_keywords_are_case_insensitive() -> None:
    assert parse_statement("cLoNe TaBlE a To b iF eXiStS oVeRwRiTe") == ast.CloneTable(
        source=qn("a"), target=qn("b"), if_exists="OVERWRITE"
    )
