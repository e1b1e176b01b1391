"""Issue 16, items 8-19: what a newcomer (and a psql, pgcli or SnowSQL user) trips on, each
checked by driving the real `cloneshell` — in a pseudo-terminal (repl_driver.Terminal) for
what only happens interactively, as a subprocess for scripts."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from repl_driver import READY, Terminal, cloneshell_argv, shell_env

Start = Callable[..., Terminal]
_ANY_PROMPT = re.compile(r">")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def start(home: Path, tmp_path: Path) -> Iterator[Start]:
    """start(*args) -> a shell on a fresh warehouse at its first prompt (stopped after)."""
    started: list[Terminal] = []

    def run(*args: str, **env: str) -> Terminal:
        term = Terminal(cloneshell_argv(tmp_path / "wh", *args), shell_env(home, **env))
        started.append(term)
        prompt(term)
        return term

    yield run
    for term in started:
        term.close()


def prompt(term: Terminal) -> str:
    """Wait for the next new prompt of either dialect; the output before it."""
    before = term.expect(READY)
    term.expect(_ANY_PROMPT)
    return before


def run(term: Terminal, line: str) -> str:
    """Type a line at the prompt; what it printed before the next prompt."""
    term.line(line)
    return prompt(term)


def batch(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`cloneshell ARGS` on the test's warehouse, as a script runs it."""
    return subprocess.run(
        cloneshell_argv(tmp_path / "wh", *args),
        input=stdin,
        env=shell_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


# ---------------------------------------------------------------------------------------------
# 8. Only statements that destroy data unconditionally ask


def test_snowflake_asks_only_for_unconditional_deletes(start: Start) -> None:
    sf = start("--dialect", "snowflake")
    run(sf, "CREATE DATABASE d;")
    run(sf, "CREATE TABLE t (a INT);")
    run(sf, "INSERT INTO t VALUES (1), (2), (3);")
    for quiet in (
        "DELETE FROM t WHERE a = 1;",
        "UPDATE t SET a = 5 WHERE a = 2;",
        "DROP TABLE IF EXISTS missing;",
        "CREATE OR REPLACE TABLE fresh (a INT);",
    ):
        out = run(sf, quiet)
        assert "Confirm" not in out, (quiet, out)
        assert "Error" not in out and "error" not in out, (quiet, out)
    sf.line("DELETE FROM t;")
    sf.expect('Confirm to "DELETE FROM t" (yes/no)? ')
    sf.line("no")
    assert "Cancelled." in prompt(sf)
    sf.line("UPDATE t SET a = 0;")
    sf.expect("(yes/no)? ")
    sf.line("no")
    prompt(sf)
    sf.line("DROP TABLE IF EXISTS t;")
    sf.expect("(yes/no)? ")
    sf.line("no")
    prompt(sf)
    assert re.search(r"\|\s+2 \|", run(sf, "SELECT count(*) FROM t;"))  # one row deleted


def test_maxcompute_asks_for_an_overwrite_only_onto_an_existing_table(start: Start) -> None:
    mc = start()
    run(mc, "CREATE TABLE a (id BIGINT);")
    out = run(mc, "CLONE TABLE a TO b IF EXISTS OVERWRITE;")
    assert "Confirm" not in out and "OK" in out
    mc.line("CLONE TABLE a TO b IF EXISTS OVERWRITE;")
    mc.expect('Confirm to "CLONE TABLE a TO b IF EXISTS OVERWRITE" (yes/no)? ')
    mc.line("no")
    prompt(mc)
    out = run(mc, "DROP TABLE IF EXISTS nothere;")
    assert "Confirm" not in out and "OK" in out
    out = run(mc, "CREATE OR REPLACE TABLE c (id BIGINT);")
    assert "Confirm" not in out and "OK" in out
    mc.line("CREATE OR REPLACE TABLE c (id BIGINT);")
    mc.expect("(yes/no)? ")
    mc.line("yes")
    assert "OK" in prompt(mc)


# ---------------------------------------------------------------------------------------------
# 9. --echo keeps the script's comments


def test_echo_shows_comments_as_written(tmp_path: Path) -> None:
    script = tmp_path / "teach.sql"
    script.write_text(
        "-- First, a table.\n"
        "CREATE TABLE t (id BIGINT);  -- the table\n"
        "/* Then two rows,\n   in one INSERT. */\n"
        "INSERT INTO t VALUES (1), (2);\n"
        "SELECT count(*) FROM t -- inside\n;\n"
        "-- That is all.\n"
    )
    done = batch(tmp_path, "--echo", "-f", str(script))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "-- First, a table.\nodps@ my_project> CREATE TABLE t (id BIGINT);\n"
    )
    assert (
        "-- the table\n/* Then two rows,\n   in one INSERT. */\n"
        "odps@ my_project> INSERT INTO t VALUES (1), (2);\n" in done.stdout
    )
    assert (
        "odps@ my_project> SELECT count(*) FROM t -- inside\n                  ;\n" in done.stdout
    )
    assert done.stdout.endswith("+-----+\n-- That is all.\n")


# ---------------------------------------------------------------------------------------------
# 10. Did you mean


@pytest.mark.parametrize(
    ("statement", "hint"),
    [
        ("SELEC * FROM sales_data;", "did you mean SELECT?"),
        ("SELECT id FORM sales_data;", "did you mean FROM?"),
        ("SELECT * FROM sales_data WHER id = 1;", "did you mean WHERE?"),
        ("SELECT * FROM sales_dta;", "did you mean sales_data?"),
        ("SELECT * FROM my_project.sales_dta;", "did you mean my_project.sales_data?"),
        ("SELECT idd FROM sales_data;", "did you mean id?"),
    ],
)
def test_did_you_mean(tmp_path: Path, statement: str, hint: str) -> None:
    done = batch(tmp_path, "-e", "CREATE TABLE sales_data (id BIGINT, amount DOUBLE);" + statement)
    assert done.returncode == 1
    assert done.stderr.endswith(f"^\n  hint: {hint}\n"), done.stderr


def test_no_guess_when_nothing_is_close(tmp_path: Path) -> None:
    done = batch(tmp_path, "-e", "CREATE TABLE sales_data (id BIGINT); SELECT * FROM orders;")
    assert "did you mean" not in done.stderr


def test_did_you_mean_in_snowflake(tmp_path: Path) -> None:
    script = "CREATE DATABASE d; CREATE TABLE sales_data (id INT); SELECT * FROM sales_dta;"
    done = batch(tmp_path, "--dialect", "snowflake", "-e", script)
    assert done.stderr.endswith("^\n  hint: did you mean SALES_DATA?\n"), done.stderr


# ---------------------------------------------------------------------------------------------
# 12. Boxes keep their borders straight


def test_desc_box_and_select_box_stay_straight(tmp_path: Path) -> None:
    script = (
        "CREATE TABLE t (id BIGINT COMMENT 'a comment long enough to go past the box, and on',"
        " amount DECIMAL(10,2), m MAP<STRING,ARRAY<BIGINT>>, a_really_long_column_name STRING);"
        "DESC t; INSERT INTO t SELECT 1, 2.5, NULL, 'two\\nlines'; SELECT * FROM t;"
    )
    done = batch(tmp_path, "-e", script)
    assert done.returncode == 0, done.stderr
    desc, select = done.stdout.split("+\n+", 1)
    for box in (desc + "+", "+" + select):
        lines = box.splitlines()
        assert {len(line) for line in lines} == {len(lines[0])}, box
    assert "| map<string,array<bigint>> |" in desc
    assert "| two\\nlines " in select


def test_snowflake_box_keeps_its_borders_over_a_line_break(tmp_path: Path) -> None:
    # SnowSQL prints a value with line breaks over several table lines (as VARIANTs): the
    # borders stay straight.
    done = batch(
        tmp_path, "--dialect", "snowflake", "-e", "SELECT 'two' || CHR(10) || 'lines' AS v;"
    )
    assert "| two   |\n| lines |" in done.stdout, done.stdout


# ---------------------------------------------------------------------------------------------
# 13. NULL and the empty string apart; JSON a stream; one timestamp text in every format

_NULLS = (
    "CREATE TABLE t (s STRING, d DECIMAL(10,2), ts DATETIME);"
    "INSERT INTO t SELECT NULL, 1.50, CAST('2024-01-15 10:00:00' AS DATETIME);"
    "INSERT INTO t SELECT '', NULL, NULL;"
)


def _query(tmp_path: Path, *args: str, sql: str = "SELECT * FROM t;") -> str:
    if not (tmp_path / "wh").exists():
        assert batch(tmp_path, "-e", _NULLS).returncode == 0
    done = batch(tmp_path, *args, "-e", sql)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_csv_tells_null_from_the_empty_string(tmp_path: Path) -> None:
    assert _query(tmp_path, "--format", "csv") == 's,d,ts\n,1.50,2024-01-15 10:00:00\n"",,\n'
    out = _query(tmp_path, "--format", "csv", "--null-text", "NULL", sql="SELECT s FROM t;")
    assert out == 's\nNULL\n""\n'
    assert _query(tmp_path, "--format", "csv", "--null-text", "NULL", sql="SELECT 'NULL';") == (
        '_c0\n"NULL"\n'
    )


def test_tsv_null_text(tmp_path: Path) -> None:
    out = _query(tmp_path, "--format", "tsv", "--null-text", "\\N")
    assert out == "s\td\tts\n\\N\t1.50\t2024-01-15 10:00:00\n\t\\N\t\\N\n"


def test_json_lines_and_timestamps_as_in_the_box(tmp_path: Path) -> None:
    two = "SELECT * FROM t; SELECT 1 AS n;"
    out = _query(tmp_path, "--format", "jsonl", sql=two)
    assert out == (
        '{"s": null, "d": "1.50", "ts": "2024-01-15 10:00:00"}\n'
        '{"s": "", "d": null, "ts": null}\n'
        '{"n": 1}\n'
    )
    # json: one document per statement, timestamps spelled as the box spells them
    out = _query(tmp_path, "--format", "json", sql=two)
    assert out.count("[\n") == 2 and '"ts": "2024-01-15 10:00:00"' in out
    assert "2024-01-15 10:00:00" in _query(tmp_path)  # the box


def test_snowflake_csv_uses_snowsqls_value_text(tmp_path: Path) -> None:
    sql = "SELECT TRUE AS b, '2024-01-15 10:00:00'::TIMESTAMP_NTZ AS ts;"
    done = batch(tmp_path, "--dialect", "snowflake", "--format", "csv", "-e", sql)
    box = batch(tmp_path, "--dialect", "snowflake", "-e", sql)
    assert done.stdout == "B,TS\nTrue,2024-01-15 10:00:00.000\n", done.stderr
    assert "2024-01-15 10:00:00.000" in box.stdout


def test_markdown_and_github_tables(tmp_path: Path) -> None:
    sql = "SELECT 1 AS n, 'x|y' AS s;"
    assert _query(tmp_path, "--format", "markdown", sql=sql) == (
        "|   n | s    |\n|----:|:-----|\n|   1 | x\\|y |\n"
    )
    assert _query(tmp_path, "--format", "github", sql=sql) == (
        "| n   | s    |\n|-----|------|\n| 1   | x\\|y |\n"
    )


# ---------------------------------------------------------------------------------------------
# 14. No internal names in front of the user


def test_a_statement_of_the_other_dialect_is_named_as_written(tmp_path: Path) -> None:
    done = batch(tmp_path, "-e", "USE ROLE analyst;")
    assert "USE ROLE is a Snowflake statement" in done.stderr
    assert "UseObject" not in done.stderr


@pytest.mark.parametrize(
    ("dialect", "message"),
    [
        ("maxcompute", "cloneshell: error: project 'nope' not found; SHOW PROJECTS lists them\n"),
        ("snowflake", "cloneshell: error: database 'nope' not found; SHOW DATABASES lists them\n"),
    ],
)
def test_a_missing_project_is_said_plainly(tmp_path: Path, dialect: str, message: str) -> None:
    done = batch(tmp_path, "--dialect", dialect, "-p", "nope", "-e", "SELECT 1;")
    assert (done.returncode, done.stderr) == (2, message)


def test_meta_command_usage_is_not_a_failed_statement(tmp_path: Path) -> None:
    done = batch(tmp_path, "-e", "\\format xml")
    assert done.stderr.startswith("usage: \\format box|csv|tsv|json|vertical"), done.stderr
    assert "FAILED" not in done.stderr


# ---------------------------------------------------------------------------------------------
# 16. Snowflake identity in Snowflake's terms


def test_snowflake_whoami_and_toolbar_show_user_role_database_schema(start: Start) -> None:
    sf = start("--dialect", "snowflake")
    run(sf, "CREATE DATABASE d;")
    out = run(sf, "\\whoami")
    assert "User: CLONESHELL\nRole: ACCOUNTADMIN\nDatabase: D\nSchema: PUBLIC\n" in out
    assert "Project:" not in out
    sf.wait_screen("CLONESHELL │ ACCOUNTADMIN │ D │ PUBLIC │ snowflake")
