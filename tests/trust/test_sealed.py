"""Sealed off from the host (DESIGN.md "Safety", issue 6): hostile statements in both dialects,
through `Session.execute` and through `cloneshell -f`, each a coded error with a position that
reads or writes nothing outside the warehouse (a canary directory proves it) and changes nothing
inside (every warehouse file hashed before and after). Then the same attacks as raw SQL on the
sealed DuckDB connection itself: were a string ever to reach it, DuckDB refuses it too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from hostile_helpers import (
    OWNER_A,
    OWNER_B,
    Canary,
    assert_coded,
    dir_files,
    open_session,
    warehouse_files,
)

from cloneshell.engine import Session
from cloneshell.engine.core.errors import PrivilegeError
from cloneshell.engine.core.warehouse import Warehouse
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.split import split_script

DIALECTS = ("maxcompute", "snowflake")

# Placeholders: {canary} a file outside the warehouse, {out} its directory (every write target
# lies there), {wh} the warehouse root. `*` marks text that holds more than one statement (run
# through Session.execute only; a script would number its statements differently). `mc:` marks
# names only MaxCompute refuses: Snowflake takes any printable text in a quoted identifier (see
# test_snowflake_quoted_names_are_names_not_paths).
HOSTILE: list[str] = [
    # ---- host files through DuckDB's readers, in every position a table or value may take
    "SELECT * FROM read_csv('{canary}')",
    "SELECT * FROM read_csv_auto('{canary}')",
    "SELECT read_csv('{canary}')",
    "SELECT * FROM TABLE(read_csv('{canary}'))",
    "SELECT * FROM read_parquet('{canary}')",
    "SELECT * FROM parquet_scan('{canary}')",
    "SELECT * FROM read_json('{canary}')",
    "SELECT * FROM read_json_auto('{canary}')",
    "SELECT * FROM read_ndjson('{canary}')",
    "SELECT * FROM read_text('{canary}')",
    "SELECT content FROM read_text('{canary}')",
    "SELECT read_text('{canary}')",
    "SELECT * FROM read_blob('{canary}')",
    "SELECT * FROM glob('{out}/*')",
    "SELECT * FROM TABLE(glob('{out}/*'))",
    "SELECT glob('{out}/*')",
    "SELECT * FROM sniff_csv('{canary}')",
    "SELECT * FROM '{canary}'",
    'SELECT * FROM "{canary}"',
    "SELECT * FROM `{canary}`",
    "SELECT * FROM read_csv('{wh}/../outside/canary.csv')",
    "SELECT * FROM read_csv('{wh}/warehouse.duckdb')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM t, read_text('{canary}')",
    "SELECT * FROM t JOIN read_text('{canary}') r ON TRUE",
    "SELECT (SELECT content FROM read_text('{canary}'))",
    "SELECT a FROM t WHERE a IN (SELECT * FROM read_csv('{canary}'))",
    "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM read_text('{canary}'))",
    "WITH c AS (SELECT * FROM read_csv('{canary}')) SELECT * FROM c",
    "SELECT upper(read_text('{canary}'))",
    "SELECT coalesce(NULL, read_text('{canary}'))",
    "SELECT CAST(read_text('{canary}') AS STRING)",
    "CREATE TABLE stolen AS SELECT * FROM read_csv('{canary}')",
    "INSERT INTO t SELECT * FROM read_csv('{canary}')",
    "INSERT INTO t VALUES (1, read_text('{canary}'))",
    # ---- writing to the host
    "COPY t TO '{out}/copy.csv'",
    "COPY (SELECT * FROM t) TO '{out}/copy.csv' (FORMAT csv)",
    "COPY t FROM '{canary}'",
    "COPY INTO t FROM '{canary}'",
    "COPY INTO '@~/stage' FROM t",
    "EXPORT DATABASE '{out}/export'",
    "IMPORT DATABASE '{out}'",
    "CREATE TABLE t2 AS SELECT * FROM t; COPY t2 TO '{out}/copy.csv'*",
    "SELECT 1; COPY t TO '{out}/copy.csv'*",
    # ---- attaching other files
    "ATTACH '{out}/canary.db' AS evil",
    "ATTACH DATABASE '{out}/new.db' AS evil",
    "ATTACH '{out}/new.sqlite' AS evil (TYPE sqlite)",
    "ATTACH '{wh}/../outside/new.db' AS evil",
    "ATTACH ':memory:' AS evil",
    "DETACH prj_mine",
    "USE evil",
    "SELECT 1; ATTACH '{out}/new.db' AS evil*",
    # ---- extensions
    "INSTALL httpfs",
    "LOAD httpfs",
    "FORCE INSTALL httpfs",
    "INSTALL httpfs FROM community",
    "LOAD '{out}/evil.duckdb_extension'",
    "SELECT * FROM duckdb_extensions()",
    # ---- PRAGMA and CALL
    "PRAGMA version",
    "PRAGMA database_list",
    "PRAGMA show_tables",
    "PRAGMA table_info('t')",
    "PRAGMA enable_profiling",
    "PRAGMA threads=1",
    "CALL pragma_version()",
    "SELECT * FROM pragma_database_size()",
    "CHECKPOINT",
    "VACUUM",
    # ---- DuckDB's own settings
    # (in Snowflake `SET name = value` defines a session variable: valid there, and
    # test_snowflake_set_defines_a_variable_never_a_duckdb_setting pins that)
    "mc:SET threads = 1",
    "mc:SET threads=1",
    "mc:SET enable_external_access = true",
    "mc:SET enable_external_access=true",
    "mc:SET allowed_directories = ['/']",
    "mc:SET allowed_directories=['/']",
    "mc:SET lock_configuration = false",
    "mc:SET lock_configuration=false",
    "mc:SET temp_directory='{out}'",
    "mc:SET profiling_output='{out}/profile.json'",
    "mc:SET log_query_path='{out}/queries.log'",
    "mc:SET home_directory='{out}'",
    "mc:SET memory_limit='1GB'",
    "SET GLOBAL threads = 1",
    "SET SESSION threads = 1",
    "RESET threads",
    "RESET ALL",
    "RESET enable_external_access",
    "ALTER SESSION SET enable_external_access = true",
    "ALTER SESSION SET allowed_directories = '/'",
    "ALTER SESSION SET lock_configuration = false",
    "ALTER SESSION SET threads = 1",
    # ---- catalog views that would show other projects' tables
    "SELECT * FROM duckdb_tables()",
    "SELECT table_name FROM duckdb_tables()",
    "SELECT duckdb_tables()",
    "SELECT * FROM TABLE(duckdb_tables())",
    "SELECT * FROM duckdb_databases()",
    "SELECT * FROM duckdb_columns()",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_secrets()",
    # (Snowflake has its own INFORMATION_SCHEMA in every database: valid there, and
    # test_snowflake_information_schema_shows_only_the_database below pins what it shows)
    "mc:SELECT * FROM information_schema.tables",
    "mc:SELECT table_name FROM information_schema.columns",
    "mc:SELECT * FROM INFORMATION_SCHEMA.SCHEMATA",
    "SELECT * FROM information_schema.duckdb_tables",
    "SELECT * FROM information_schema.key_column_usage",
    "SELECT * FROM theirs.information_schema.tables",
    "SELECT * FROM pg_catalog.pg_tables",
    "SELECT * FROM sqlite_master",
    "SELECT * FROM system.main.duckdb_tables",
    "SELECT * FROM temp.main.t",
    "SELECT * FROM __wh.projects",
    "SELECT * FROM __cs.tables",
    "SELECT * FROM __cs.acl",
    "SELECT * FROM theirs.__cs.tables",
    "SELECT * FROM prj_theirs.main.secret_table",
    "SELECT * FROM theirs.secret_table",
    "SELECT * FROM theirs.public.secret_table",
    "SELECT * FROM t JOIN theirs.secret_table s ON TRUE",
    "SELECT a FROM t WHERE a IN (SELECT id FROM theirs.secret_table)",
    "DESC theirs.secret_table",
    "SHOW TABLES IN theirs",
    # ---- the process environment and settings
    "SELECT getenv('HOME')",
    "SELECT CAST(getenv('HOME') AS STRING)",
    "SELECT a FROM t WHERE s = getenv('HOME')",
    "SELECT current_setting('allowed_directories')",
    "SELECT current_setting('home_directory')",
    "SELECT current_setting('threads')",
    "SELECT getvariable('x')",
    "SELECT version()",
    "SELECT * FROM which_secret('s3://bucket/x', 's3')",
    # ---- names that try to become paths
    "mc:CREATE TABLE `..` (a BIGINT)",
    "mc:CREATE TABLE `../x` (a BIGINT)",
    "mc:CREATE TABLE `../../outside/x` (a BIGINT)",
    "mc:CREATE TABLE `a/b` (a BIGINT)",
    "mc:CREATE TABLE `a\\b` (a BIGINT)",
    "mc:CREATE TABLE `a'b` (a BIGINT)",
    'mc:CREATE TABLE "a""b" (a BIGINT)',
    "CREATE TABLE `a\x00b` (a BIGINT)",
    'CREATE TABLE "a\x00b" (a BIGINT)',
    "CREATE TABLE " + "x" * 300 + " (a BIGINT)",
    "CREATE TABLE " + "x" * 100_000 + " (a BIGINT)",
    "CREATE TABLE t (a BIGINT)",
    "CREATE PROJECT `..`",
    "CREATE PROJECT `../../outside/evil`",
    "CREATE PROJECT `a/b`",
    "CREATE PROJECT `a\\b`",
    "CREATE PROJECT `x\x00y`",
    "CREATE PROJECT `a'b`",
    'CREATE PROJECT `a"b`',
    "CREATE PROJECT " + "p" * 29,
    "CREATE PROJECT " + "p" * 100_000,
    "CREATE DATABASE " + "d" * 300,
    'CREATE DATABASE "a\x00b"',
    'CREATE DATABASE "' + "d" * 256 + '"',
    "USE `../..`",
    'USE DATABASE "../.."',
    "DROP PROJECT `../theirs`",
    "DROP DATABASE `../theirs`",
    "CLONE TABLE t TO `..`.x",
    "CLONE TABLE t TO `../outside`.x",
    "CREATE TABLE x CLONE `../theirs`.public.secret_table",
    "ALTER TABLE t RENAME TO `a\x00b`",
    "ALTER TABLE t RENAME TO " + "r" * 300,
    "INSERT INTO p PARTITION (ds='../..') VALUES (1)",
    "INSERT INTO p PARTITION (ds='a/b') VALUES (1)",
    "ALTER TABLE p ADD PARTITION (ds='..\\\\x')",
    "ALTER TABLE p ADD PARTITION (ds='" + "v" * 300 + "')",
    "CREATE TABLE c (`a\x00b` BIGINT)",
    "CREATE TABLE c (`" + "c" * 300 + "` BIGINT)",
    # ---- identifiers and strings that try to close their quotes and append a statement
    "SELECT * FROM `t``; DROP TABLE t; --`",
    'SELECT * FROM "t""; DROP TABLE t; --"',
    "SELECT * FROM t WHERE s = '1'' ; DROP TABLE t; --",
    "SELECT * FROM t WHERE s = '1\\'; DROP TABLE t; --",
    'mc:CREATE TABLE `t"; DROP TABLE t; --` (a BIGINT)',
    'mc:CREATE TABLE "t`; DROP TABLE t; --" (a BIGINT)',
    "USE `mine``; DROP PROJECT mine; --`",
    "GRANT Select ON TABLE `t``; DROP TABLE t` TO USER " + OWNER_B,
    "SELECT * FROM t WHERE a = 1 /* ; DROP TABLE t",
    "SELECT * FROM ＂t＂",
    "SELECT * FROM t WHERE s = ’x’",
    "SELECT '\udcff'",
    "\x00",
    "SELECT 1\x00",
]


@dataclass
class World:
    """One prepared warehouse per dialect: the principal works in database/project `mine` and
    has no access at all to `theirs` (owned by someone else, holding `secret_table`)."""

    dialect: str
    root: Path
    canary: Canary
    session: Session

    def fill(self, case: str) -> str:
        return fill(case, self.canary, self.root)


def fill(case: str, canary: Canary, root: Path) -> str:
    """The statement of a case, its placeholders filled and its markers removed."""
    text = case.removeprefix("mc:").removesuffix("*")
    return (
        text.replace("{canary}", str(canary.file))
        .replace("{out}", str(canary.root))
        .replace("{wh}", str(root))
    )


def _setup(dialect: str, root: Path) -> None:
    if dialect == "maxcompute":
        s = open_session(root, dialect)
        s.execute(f"CREATE PROJECT mine; CREATE PROJECT theirs OWNER {OWNER_B}")
        s.login(OWNER_B)
        s.execute(
            "USE theirs; CREATE TABLE secret_table (id BIGINT, secret STRING); "
            "INSERT INTO secret_table VALUES (1, 'the secret')"
        )
        s.login(OWNER_A)
        s.execute(
            "USE mine; CREATE TABLE t (a BIGINT, s STRING); INSERT INTO t VALUES (1, 'x'); "
            "CREATE TABLE p (a BIGINT) PARTITIONED BY (ds STRING)"
        )
    else:
        s = open_session(root, dialect)  # CLONESHELL, the account's ACCOUNTADMIN
        s.execute(
            "CREATE DATABASE theirs; CREATE TABLE secret_table (id INT, secret VARCHAR); "
            "INSERT INTO secret_table VALUES (1, 'the secret'); "
            "CREATE ROLE analyst; GRANT CREATE DATABASE ON ACCOUNT TO ROLE analyst; "
            "CREATE USER alice DEFAULT_ROLE = analyst; GRANT ROLE analyst TO USER alice"
        )
        s.login("alice")
        s.execute(
            "CREATE DATABASE mine; CREATE TABLE t (a INT, s VARCHAR); "
            "INSERT INTO t VALUES (1, 'x'); CREATE TABLE p (a INT, ds VARCHAR)"
        )
    s.close()


def _session(dialect: str, root: Path) -> Session:
    if dialect == "maxcompute":
        s = open_session(root, dialect, OWNER_A)
        s.execute("USE mine")
    else:
        s = open_session(root, dialect, "alice")
        s.execute("USE DATABASE mine")
    return s


def cases_for(dialect: str) -> list[str]:
    """The hostile cases that are errors in `dialect`."""
    return [c for c in HOSTILE if dialect == "maxcompute" or not c.startswith("mc:")]


def _world(dialect: str, factory: pytest.TempPathFactory) -> World:
    base = factory.mktemp(f"sealed_{dialect}")
    root = base / "wh"
    _setup(dialect, root)
    return World(dialect, root, Canary(base / "outside"), _session(dialect, root))


@pytest.fixture(scope="module")
def mc_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = _world("maxcompute", tmp_path_factory)
    yield w
    w.session.close()


@pytest.fixture(scope="module")
def sf_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = _world("snowflake", tmp_path_factory)
    yield w
    w.session.close()


def _leaks(text: str, statement: str = "") -> bool:
    """Whether an error shows anything of `theirs` the statement did not name itself: its
    table (a catalog view listing it) or its data."""
    low = text.lower()
    return "the secret" in low or ("secret_table" in low and "secret_table" not in statement)


def _ids(cases: list[str]) -> list[str]:
    return [f"h{i:03d}" for i in range(len(cases))]


@pytest.mark.parametrize("case", cases_for("maxcompute"), ids=_ids(cases_for("maxcompute")))
def test_hostile_maxcompute(mc_world: World, case: str) -> None:
    refused_touching_nothing(mc_world, case)


@pytest.mark.parametrize("case", cases_for("snowflake"), ids=_ids(cases_for("snowflake")))
def test_hostile_snowflake(sf_world: World, case: str) -> None:
    refused_touching_nothing(sf_world, case)


def refused_touching_nothing(world: World, case: str) -> None:
    """The case fails with a coded, located error that shows nothing of `theirs`; nothing
    outside the warehouse was read or written, and no warehouse file changed."""
    s = world.session
    # Each case starts from the same place: the principal, in `mine`, in its own dialect.
    if world.dialect == "maxcompute":
        s.login(OWNER_A)
        s.execute("USE mine")
    else:
        s.login("alice")
        s.execute("USE DATABASE mine")
    text = world.fill(case)
    before = warehouse_files(s)
    world.canary.reset()
    with pytest.raises(CloneshellError) as info:
        s.execute(text)
    err = info.value
    assert_coded(err, world.dialect, located=not _is_denial(err))
    assert not _leaks(err.text, text), err.text
    world.canary.check(text[:80])
    assert warehouse_files(s) == before, text[:80]


def test_snowflake_information_schema_shows_only_the_database(sf_world: World) -> None:
    """Snowflake's INFORMATION_SCHEMA is a read of the current database's own catalog: nothing
    of `theirs`, nothing of the engine's internal schemas, no warehouse file changed."""
    s = sf_world.session
    s.login("alice")
    s.execute("USE DATABASE mine")
    before = warehouse_files(s)
    seen: list[str] = []
    for query in (
        "SELECT table_catalog, table_schema, table_name FROM information_schema.tables",
        "SELECT table_catalog, table_schema, table_name, column_name "
        "FROM information_schema.columns",
        "SELECT catalog_name, schema_name FROM information_schema.schemata",
    ):
        (result,) = s.execute(query)
        seen += [str(v) for row in result.rows for v in row]
    assert seen and all("theirs" not in v.lower() and "secret" not in v.lower() for v in seen)
    assert not any(v.startswith("__") for v in seen), seen
    assert warehouse_files(s) == before


def test_snowflake_set_defines_a_variable_never_a_duckdb_setting(sf_world: World) -> None:
    """Snowflake's SET of a DuckDB setting's name makes a session variable: DuckDB's settings,
    the files inside and outside the warehouse stay as they were."""
    s = sf_world.session
    s.login("alice")
    s.execute("USE DATABASE mine")
    con = s.warehouse.con
    names = ("threads", "enable_external_access", "lock_configuration", "memory_limit")
    settings = {n: con.execute(f"SELECT current_setting('{n}')").fetchone() for n in names}
    before = warehouse_files(s)
    sf_world.canary.reset()
    for case in cases_for("maxcompute"):
        if case.startswith("mc:SET ") and "{" not in case:
            s.execute(sf_world.fill(case))
    (result,) = s.execute("SELECT $threads, $memory_limit")
    assert result.rows == [(1, "1GB")]
    assert {n: con.execute(f"SELECT current_setting('{n}')").fetchone() for n in names} == settings
    sf_world.canary.check("SET")
    assert warehouse_files(s) == before


def _is_denial(err: CloneshellError) -> bool:
    """A refusal for lack of access: like the real services, its message carries no position
    (the shell still names the statement and its line)."""
    return isinstance(err, PrivilegeError)


def test_there_are_many_hostile_cases() -> None:
    assert len(HOSTILE) >= 150


# ------------------------------------------------------------------ through `cloneshell -f`


def _script_cases(dialect: str) -> list[str]:
    """The cases a script can hold one per line: UTF-8 text that splits into exactly one
    statement ending on its own line (an unclosed quote or comment would run into the next)."""
    return [
        c
        for c in cases_for(dialect)
        if "\udcff" not in c
        and [(i.kind, i.terminated) for i in split_script(c.removeprefix("mc:") + ";\n")]
        == [("sql", True)]
        and "\n" not in c
    ]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_hostile_script_through_cloneshell_f(dialect: str, tmp_path: Path) -> None:
    """The real console script, as a user runs it: every statement fails with a coded error,
    located at its own statement number and line, and nothing inside or outside changes."""
    root = tmp_path / "wh"
    _setup(dialect, root)
    canary = Canary(tmp_path / "outside")
    cases = [fill(c, canary, root) for c in _script_cases(dialect)]
    script = tmp_path / "hostile.sql"
    script.write_text("".join(c + ";\n" for c in cases), encoding="utf-8")
    before = dir_files(root)
    user = OWNER_A if dialect == "maxcompute" else "alice"
    cloneshell = Path(sys.executable).with_name("cloneshell")
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), NO_COLOR="1")
    proc = subprocess.run(
        [
            str(cloneshell),
            "-w",
            str(root),
            "--dialect",
            dialect,
            "--user",
            user,
            "-p",
            "mine",
            "--clock",
            "2024-01-15T10:00:00",
            "--on-error",
            "continue",
            "-f",
            str(script),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    located = [
        (int(m.group(1)), int(m.group(2)))
        for m in re.finditer(r"^  at statement (\d+), line (\d+) of ", proc.stderr, re.M)
    ]
    n = len(cases)
    assert located == [(i, i) for i in range(1, n + 1)], proc.stderr[-3000:]
    code = r"^FAILED: ODPS-\d{7}:" if dialect == "maxcompute" else r"^\d{6} \([0-9A-Z]{5}\): "
    assert len(re.findall(code, proc.stderr, re.M)) == n
    # every error but a denial (whose text, as on the real service, has no position) shows its
    # line with a caret under the place
    denials = len(
        re.findall(r"Access Denied|Authorization exception|access control error", proc.stderr)
    )
    assert len(re.findall(r"^ +\^$", proc.stderr, re.M)) == n - denials
    assert not _leaks(proc.stdout) and "the secret" not in proc.stderr
    canary.check("cloneshell -f")
    assert dir_files(root) == before


# ------------------------------------------------------------------ names the real service takes


SNOWFLAKE_ODD_NAMES = ["../evil", "..", "a/b", "/etc", "a\\b", "a'b", 'a"b', "x;y", "z" * 255]


def test_snowflake_quoted_names_are_names_not_paths(tmp_path: Path) -> None:
    """Snowflake accepts any printable text in a quoted identifier, so these succeed, as on the
    real service, but never become a path: the database is stored as `projects/db_<hex>.duckdb`,
    and nothing appears anywhere else inside or outside the warehouse."""
    root = tmp_path / "wh"
    canary = Canary(tmp_path / "outside")
    s = open_session(root, "snowflake")
    try:
        for name in SNOWFLAKE_ODD_NAMES:
            quoted = '"' + name.replace('"', '""') + '"'
            before = set(warehouse_files(s))
            s.execute(f"CREATE DATABASE {quoted}")
            table = f"{quoted}.public.{quoted}"
            s.execute(f"CREATE TABLE {table} (v INT); INSERT INTO {table} VALUES (7)")
            (result,) = s.execute(f"SELECT v FROM {table}")
            assert result.rows == [(7,)]  # type: ignore[attr-defined]
            new = set(warehouse_files(s)) - before
            assert len(new) == 1 and re.fullmatch(r"projects/db_[0-9a-f]{8}\.duckdb", new.pop())
            canary.check(name)
            s.execute(f"DROP DATABASE {quoted}")
    finally:
        s.close()


# ------------------------------------------------------------------ injection text stays data


@pytest.mark.parametrize("dialect", DIALECTS)
def test_quote_closing_text_in_a_string_is_data(dialect: str, tmp_path: Path) -> None:
    """Text that closes a quote and appends a statement, inside a correctly quoted literal or
    identifier, is stored and returned verbatim; the appended statement never runs."""
    root = tmp_path / "wh"
    _setup(dialect, root)
    s = _session(dialect, root)
    canary = Canary(tmp_path / "outside")
    payloads = [
        "'; DROP TABLE t; --",
        "x'); ATTACH '" + str(canary.root / "new.db") + "' AS evil; --",
        "\\'; COPY t TO '" + str(canary.root / "copy.csv") + "'; --",
        '"; DROP TABLE t; --',
        "`; DROP TABLE t; --",
    ]
    try:
        for payload in payloads:
            # quoted as both dialects read it: '' for a quote, \\ for a backslash
            literal = "'" + payload.replace("\\", "\\\\").replace("'", "''") + "'"
            s.execute(f"INSERT INTO t VALUES (2, {literal})")
            (result,) = s.execute(f"SELECT s FROM t WHERE s = {literal}")
            assert result.rows == [(payload,)]  # type: ignore[attr-defined]
            canary.check(payload)
        # t is still there, with every row
        (result,) = s.execute("SELECT count(*) FROM t")
        assert result.rows == [(1 + len(payloads),)]  # type: ignore[attr-defined]
        # a column alias that closes its quote is one name
        (result,) = s.execute("SELECT a AS `x``; DROP TABLE t; --` FROM t WHERE a = 1")
        assert result.columns[0].name.lower() == "x`; drop table t; --"  # type: ignore[attr-defined]
    finally:
        s.close()


# ------------------------------------------------------------------ the sealed connection itself


RAW_ATTACKS = [
    "SELECT * FROM read_csv('{canary}')",
    "SELECT * FROM read_csv('{wh}/../outside/canary.csv')",
    "SELECT * FROM read_parquet('{canary}')",
    "SELECT * FROM read_json('{canary}')",
    "SELECT * FROM read_text('{canary}')",
    "SELECT * FROM read_blob('{canary}')",
    "SELECT * FROM glob('{out}/*')",
    "SELECT * FROM '{canary}'",
    "COPY (SELECT 1) TO '{out}/copy.csv'",
    "COPY (SELECT 1) TO '{wh}/../outside/copy.csv'",
    "EXPORT DATABASE '{out}/export'",
    "ATTACH '{out}/canary.db' AS evil",
    "ATTACH '{out}/new.db' AS evil",
    "INSTALL httpfs",
    "LOAD httpfs",
    "LOAD '{out}/evil.duckdb_extension'",
    "CREATE SECRET s (TYPE s3)",
    "SET enable_external_access = true",
    "SET allowed_directories = ['/']",
    "SET allowed_paths = ['{canary}']",
    "SET lock_configuration = false",
    "RESET lock_configuration",
    "RESET enable_external_access",
    "RESET allowed_directories",
    "SET temp_directory = '{out}'",
    "SET profiling_output = '{out}/profile.json'",
    "SET log_query_path = '{out}/queries.log'",
    "SET autoload_known_extensions = true",
    "SET autoinstall_known_extensions = true",
    "SET allow_unsigned_extensions = true",
    "SET threads = 1",
    "PRAGMA enable_profiling",
    "SELECT getenv('HOME')",
]


def test_canary_sees_an_unsealed_read(tmp_path: Path) -> None:
    """The canary can fail: an ordinary DuckDB connection reading the file is noticed."""
    canary = Canary(tmp_path / "outside")
    if not canary.atime_recorded:
        pytest.skip("this file system does not record reads (noatime)")
    duckdb.connect().execute(f"SELECT * FROM read_csv('{canary.file}')").fetchall()
    assert canary.was_read()
    with pytest.raises(AssertionError):
        canary.check()


@pytest.mark.parametrize("sql", RAW_ATTACKS)
def test_sealed_connection_refuses_raw_sql(tmp_path: Path, sql: str) -> None:
    """Defence in depth: the engine never sends user text to DuckDB, but if a string did reach
    the connection, DuckDB itself refuses to leave the warehouse or change its settings."""
    root = tmp_path / "wh"
    canary = Canary(tmp_path / "outside")
    wh = Warehouse.open(root)
    try:
        settings = _settings(wh.con)
        text = (
            sql.replace("{canary}", str(canary.file))
            .replace("{out}", str(canary.root))
            .replace("{wh}", str(root))
        )
        with pytest.raises(duckdb.Error):
            wh.con.execute(text).fetchall()
        assert _settings(wh.con) == settings
        canary.check(text)
        # and the warehouse itself is still reachable: the seal is not a wall around everything
        assert wh.list_projects() == []
    finally:
        wh.close()


def _settings(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("SELECT name, value FROM duckdb_settings() ORDER BY name").fetchall()


def test_sealed_connection_still_reaches_the_warehouse(tmp_path: Path) -> None:
    """The seal allows what the engine needs: project files inside the warehouse attach."""
    root = tmp_path / "wh"
    s = open_session(root, "maxcompute")
    try:
        s.execute("CREATE PROJECT inside_one; USE inside_one; CREATE TABLE t (a BIGINT)")
        assert (root / "projects" / "inside_one.duckdb").exists()
        settings = dict(_settings(s.warehouse.con))  # type: ignore[arg-type]
        assert settings["enable_external_access"] == "false"
        assert settings["lock_configuration"] == "true"
        assert settings["autoload_known_extensions"] == "false"
        assert settings["autoinstall_known_extensions"] == "false"
    finally:
        s.close()
