"""Snowflake stages, COPY INTO, PUT/LIST/REMOVE, pipes, streams and tasks: statement -> AST, and
the texts that must be refused (reference/snowflake.md §7)."""

from __future__ import annotations

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import parse, parse_statement
from cloneshell.grammar.split import split_script

SF = "snowflake"


def ident(name: str, quoted: bool = False) -> ast.Ident:
    return ast.Ident(name=name, quoted=quoted)


def qn(*parts: str) -> ast.QualifiedName:
    return ast.QualifiedName(parts=tuple(ident(p) for p in parts))


def word(text: str) -> ast.OptionValue:
    return ast.OptionValue(kind="word", text=text)


def string(text: str) -> ast.OptionValue:
    return ast.OptionValue(kind="string", text=text)


def option(key: str, value: ast.OptionValue) -> ast.ObjectOption:
    return ast.ObjectOption(key=key, value=value)


def sf(sql: str) -> ast.Statement:
    return parse_statement(sql, SF)


def refused(sql: str) -> SqlSyntaxError:
    with pytest.raises(SqlSyntaxError) as info:
        parse(sql, SF)
    return info.value


# ---------------------------------------------------------------------------- stages


def test_create_internal_and_external_stages() -> None:
    assert sf("CREATE STAGE s") == ast.CreateStage(name=qn("s"))
    stmt = sf(
        "CREATE OR REPLACE STAGE db.sch.ext URL = 's3://bucket/path/' "
        "FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1, FIELD_DELIMITER = '|') COMMENT = 'raw'"
    )
    assert stmt == ast.CreateStage(
        name=qn("db", "sch", "ext"),
        or_replace=True,
        comment="raw",
        options=(
            option("URL", string("s3://bucket/path/")),
            option(
                "FILE_FORMAT",
                ast.OptionValue(
                    kind="group",
                    options=(
                        option("TYPE", word("CSV")),
                        option("SKIP_HEADER", ast.OptionValue(kind="number", text="1")),
                        option("FIELD_DELIMITER", string("|")),
                    ),
                ),
            ),
        ),
    )


def test_create_stage_clone_and_temporary() -> None:
    stmt = sf("CREATE TEMPORARY STAGE IF NOT EXISTS s2 CLONE s1")
    assert stmt == ast.CreateStage(
        name=qn("s2"),
        temporary=True,
        if_not_exists=True,
        clone=ast.CloneSource(source=qn("s1")),
    )
    assert "OR REPLACE" in refused("CREATE OR REPLACE STAGE IF NOT EXISTS s").message


QUOTED = ast.QualifiedName(parts=(ident("My Stage", True),))
TYPE_CSV = option("TYPE", string("CSV"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@s", ast.StageRef(kind="NAMED", name=qn("s"))),
        ("@s/in/2024/", ast.StageRef(kind="NAMED", name=qn("s"), path="in/2024/")),
        ("@db.sch.s/a.csv", ast.StageRef(kind="NAMED", name=qn("db", "sch", "s"), path="a.csv")),
        ("@%orders", ast.StageRef(kind="TABLE", name=qn("orders"))),
        ("@%sch.orders/x", ast.StageRef(kind="TABLE", name=qn("sch", "orders"), path="x")),
        ("@db.sch.%orders", ast.StageRef(kind="TABLE", name=qn("db", "sch", "orders"))),
        ("@~/staged", ast.StageRef(kind="USER", path="staged")),
        ('@"My Stage"/p', ast.StageRef(kind="NAMED", name=QUOTED, path="p")),
        ("'@s/dir with space/'", ast.StageRef(kind="NAMED", name=qn("s"), path="dir with space/")),
        ("'s3://bucket/dir/'", ast.StageRef(kind="URL", url="s3://bucket/dir/")),
    ],
)  # fmt: skip
def test_stage_locations(text: str, expected: ast.StageRef) -> None:
    stmt = sf(f"LIST {text}")
    assert stmt == ast.ListStage(stage=expected)


def test_put_list_remove() -> None:
    stmt = sf("PUT file:///tmp/data/orders_*.csv @s/in/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE")
    assert stmt == ast.PutFile(
        file="/tmp/data/orders_*.csv",
        stage=ast.StageRef(kind="NAMED", name=qn("s"), path="in/"),
        options=(
            option("AUTO_COMPRESS", ast.OptionValue(kind="boolean", text="FALSE")),
            option("OVERWRITE", ast.OptionValue(kind="boolean", text="TRUE")),
        ),
    )
    quoted = sf("PUT 'file://data/my file.csv' @%t")
    assert isinstance(quoted, ast.PutFile) and quoted.file == "data/my file.csv"
    assert sf("ls @s PATTERN = '.*[.]csv'") == ast.ListStage(
        stage=ast.StageRef(kind="NAMED", name=qn("s")),
        options=(option("PATTERN", string(".*[.]csv")),),
    )
    assert sf("RM @s/in/a.csv") == ast.RemoveStage(
        stage=ast.StageRef(kind="NAMED", name=qn("s"), path="in/a.csv")
    )
    assert sf("REMOVE @s") == ast.RemoveStage(stage=ast.StageRef(kind="NAMED", name=qn("s")))


def test_put_needs_a_file_url() -> None:
    e = refused("PUT '/tmp/x.csv' @s")
    assert e.message == "PUT needs a local file as file://<path>"
    assert "identifier" not in refused("PUT @s").message


def test_a_url_is_not_a_comment() -> None:
    # `//` is a Snowflake line comment, except in a URL: the statement ends at its own `;`.
    items = split_script("PUT file:///tmp/x.csv @s; SELECT 1; // a comment;\nSELECT 2;")
    assert [i.text for i in items] == ["PUT file:///tmp/x.csv @s", "SELECT 1", "SELECT 2"]


# ---------------------------------------------------------------------------- COPY INTO


def test_copy_into() -> None:
    stmt = sf(
        "COPY INTO db.s.t (a, b) FROM @db.s.stage/path/ FILES = ('a.csv', 'b.csv') "
        "FILE_FORMAT = (TYPE = 'CSV') ON_ERROR = SKIP_FILE FORCE = TRUE"
    )
    assert stmt == ast.CopyInto(
        table=qn("db", "s", "t"),
        columns=(ident("a"), ident("b")),
        source=ast.StageRef(kind="NAMED", name=qn("db", "s", "stage"), path="path/"),
        options=(
            option("FILES", ast.OptionValue(kind="list", items=(string("a.csv"), string("b.csv")))),
            option("FILE_FORMAT", ast.OptionValue(kind="group", options=(TYPE_CSV,))),
            option("ON_ERROR", word("SKIP_FILE")),
            option("FORCE", ast.OptionValue(kind="boolean", text="TRUE")),
        ),
    )  # fmt: skip
    url = sf("COPY INTO t FROM 'file:///data/' NULL_IF = ()")
    assert isinstance(url, ast.CopyInto) and url.source == ast.StageRef(
        kind="URL", url="file:///data/"
    )
    assert url.options == (option("NULL_IF", ast.OptionValue(kind="list")),)


# ---------------------------------------------------------------------------- pipes


def test_create_pipe_keeps_its_copy_text() -> None:
    text = "CREATE PIPE p AUTO_INGEST = TRUE COMMENT = 'c' AS COPY INTO  sales.public.t FROM @s"
    stmt = sf(text)
    assert isinstance(stmt, ast.CreatePipe)
    assert stmt.definition == "COPY INTO  sales.public.t FROM @s"
    assert stmt.copy == ast.CopyInto(
        table=qn("sales", "public", "t"), source=ast.StageRef(kind="NAMED", name=qn("s"))
    )
    assert stmt.options == (option("AUTO_INGEST", ast.OptionValue(kind="boolean", text="TRUE")),)
    assert stmt.comment == "c"


def test_alter_pipe() -> None:
    assert sf("ALTER PIPE p REFRESH") == ast.AlterPipe(name=qn("p"), action="REFRESH")
    assert sf("ALTER PIPE IF EXISTS p REFRESH PREFIX = 'd/'") == ast.AlterPipe(
        name=qn("p"),
        action="REFRESH",
        if_exists=True,
        options=(option("PREFIX", string("d/")),),
    )
    assert sf("ALTER PIPE p SET PIPE_EXECUTION_PAUSED = TRUE COMMENT = 'x'") == ast.AlterPipe(
        name=qn("p"),
        action="SET",
        options=(option("PIPE_EXECUTION_PAUSED", ast.OptionValue(kind="boolean", text="TRUE")),),
        comment="x",
    )
    assert sf("ALTER PIPE p UNSET comment") == ast.AlterPipe(
        name=qn("p"), action="UNSET", unset=("COMMENT",)
    )
    assert "CREATE PIPE" not in refused("CREATE PIPE p AS SELECT 1").message


# ---------------------------------------------------------------------------- streams


def test_create_stream() -> None:
    stmt = sf("CREATE OR REPLACE STREAM st COPY GRANTS ON TABLE t APPEND_ONLY = TRUE COMMENT = 'x'")
    assert stmt == ast.CreateStream(
        name=qn("st"),
        table=qn("t"),
        or_replace=True,
        copy_grants=True,
        options=(option("APPEND_ONLY", ast.OptionValue(kind="boolean", text="TRUE")),),
        comment="x",
    )
    at = sf("CREATE STREAM st ON TABLE t AT(OFFSET => -60)")
    assert isinstance(at, ast.CreateStream) and at.time_travel is not None
    assert at.time_travel.kind == "AT" and at.time_travel.by == "OFFSET"
    assert sf("CREATE STREAM st2 CLONE st") == ast.CreateStream(
        name=qn("st2"), clone=ast.CloneSource(source=qn("st"))
    )


def test_stream_metadata_columns_are_names() -> None:
    stmt = sf("SELECT METADATA$ACTION, metadata$isupdate FROM st")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    refs = [i.expr for i in stmt.query.body.items]
    assert refs == [
        ast.ColumnRef(parts=(ident("METADATA$ACTION"),)),
        ast.ColumnRef(parts=(ident("metadata$isupdate"),)),
    ]


# ---------------------------------------------------------------------------- tasks


def test_create_task() -> None:
    text = "CREATE TASK k WAREHOUSE = wh SCHEDULE = '5 MINUTE' AS INSERT INTO t SELECT * FROM st"
    stmt = sf(text)
    assert isinstance(stmt, ast.CreateTask)
    assert stmt.options == (
        option("WAREHOUSE", word("WH")),
        option("SCHEDULE", string("5 MINUTE")),
    )
    assert stmt.body_text == "INSERT INTO t SELECT * FROM st"
    assert isinstance(stmt.body, ast.Insert)
    child = sf("CREATE TASK k2 AFTER k, db.s.k1 WHEN SYSTEM$STREAM_HAS_DATA('ST') AS DELETE FROM t")
    assert isinstance(child, ast.CreateTask)
    assert child.after == (qn("k"), qn("db", "s", "k1"))
    assert child.when_text == "SYSTEM$STREAM_HAS_DATA('ST')"
    assert isinstance(child.when, ast.FuncCall)
    assert isinstance(child.body, ast.Delete)
    assert sf("CREATE OR REPLACE TASK k3 CLONE k") == ast.CreateTask(
        name=qn("k3"), or_replace=True, clone=ast.CloneSource(source=qn("k"))
    )


@pytest.mark.parametrize(
    ("tail", "action"),
    [
        ("RESUME", "RESUME"),
        ("SUSPEND", "SUSPEND"),
        ("SET SCHEDULE = '1 MINUTE'", "SET"),
        ("UNSET SCHEDULE, COMMENT", "UNSET"),
        ("MODIFY AS SELECT 1", "MODIFY AS"),
        ("MODIFY WHEN 1 = 1", "MODIFY WHEN"),
        ("REMOVE WHEN", "REMOVE WHEN"),
        ("ADD AFTER a, b", "ADD AFTER"),
        ("REMOVE AFTER a", "REMOVE AFTER"),
    ],
)
def test_alter_task(tail: str, action: str) -> None:
    stmt = sf(f"ALTER TASK IF EXISTS k {tail}")
    assert isinstance(stmt, ast.AlterTask)
    assert (stmt.action, stmt.if_exists, stmt.name) == (action, True, qn("k"))
    if action == "MODIFY AS":
        assert stmt.body_text == "SELECT 1" and isinstance(stmt.body, ast.QueryStmt)
    if action == "UNSET":
        assert stmt.unset == ("SCHEDULE", "COMMENT")
    if action == "ADD AFTER":
        assert stmt.after == (qn("a"), qn("b"))


def test_execute_task_and_task_history() -> None:
    assert sf("EXECUTE TASK k") == ast.ExecuteTask(name=qn("k"))
    stmt = sf(
        "SELECT * FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10, TASK_NAME => 'K'))"
    )
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    source = stmt.query.body.from_
    assert isinstance(source, ast.TableFunctionRef)
    assert source.func.name == qn("INFORMATION_SCHEMA", "TASK_HISTORY")
    assert source.func.args == (
        ast.NamedArg(name="RESULT_LIMIT", value=ast.Literal(value=10, kind="integer", text="10")),
        ast.NamedArg(name="TASK_NAME", value=ast.Literal(value="K", kind="string", text="'K'")),
    )


# ---------------------------------------------------------------------------- SHOW, DESC, DROP


@pytest.mark.parametrize("kind", ["STAGES", "PIPES", "STREAMS", "TASKS"])
def test_show(kind: str) -> None:
    stmt = sf(f"SHOW TERSE {kind} LIKE 'x%' IN SCHEMA db.s")
    assert stmt == ast.ShowObjects(
        kind=kind, terse=True, like="x%", in_kind="SCHEMA", in_name=qn("db", "s")
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["STAGE", "PIPE", "STREAM", "TASK"])
def test_describe_and_drop(kind: str) -> None:
    assert sf(f"DESC {kind} x") == ast.DescribePipeline(kind=kind, name=qn("x"))  # type: ignore[arg-type]
    assert sf(f"DROP {kind} IF EXISTS x") == ast.DropObject(kind=kind, name=qn("x"), if_exists=True)  # type: ignore[arg-type]
    # The same words name tables: `DESC task` describes a table called TASK.
    assert sf(f"DESC {kind.lower()}") == ast.DescribeObject(kind="TABLE", name=qn(kind.lower()))
    assert sf(f"DESC {kind.lower()};") == ast.DescribeObject(kind="TABLE", name=qn(kind.lower()))


def test_the_new_keywords_stay_names_elsewhere() -> None:
    stmt = sf("SELECT stage, task, stream, pipe, after, refresh FROM task")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    assert len(stmt.query.body.items) == 6
    assert isinstance(sf("CREATE TABLE stage (task INT)"), ast.CreateTable)
    # ... and a reserved word at the end is still an error, not a name.
    assert refused("SELECT 1 FROM").message == "invalid token '<EOF>'"


def test_container_clone_include_internal_stages() -> None:
    stmt = sf(
        "CREATE SCHEMA s2 CLONE s IGNORE TABLES WITH INSUFFICIENT DATA RETENTION "
        "INCLUDE INTERNAL STAGES"
    )
    assert isinstance(stmt, ast.CreateSchema) and stmt.clone is not None
    assert stmt.clone.include_internal_stages and stmt.clone.ignore_insufficient_retention
    # A table clone has no stages to include.
    assert refused("CREATE TABLE t2 CLONE t INCLUDE INTERNAL STAGES").token == "INCLUDE"


def test_grants_on_pipeline_objects() -> None:
    stmt = sf("GRANT READ, WRITE ON STAGE s TO ROLE r")
    assert stmt == ast.GrantToRole(
        privileges=("READ", "WRITE"), object_type="STAGE", object_name=qn("s"), role=ident("r")
    )
    create = sf("GRANT CREATE STAGE, CREATE TASK ON SCHEMA s TO ROLE r")
    assert isinstance(create, ast.GrantToRole)
    assert create.privileges == ("CREATE STAGE", "CREATE TASK")
