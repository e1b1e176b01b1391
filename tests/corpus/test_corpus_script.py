"""scripts/corpus on two tiny corpora of its own (tests/corpus/data): the rates it prints, the
stub tables it makes (qualified names, columns per table, the numeric/text/timestamp ladder,
partitions), the dialect of a file and of a line, the failure groups, the timeout."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).with_name("data")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_script", ROOT / "scripts" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_script"] = module
    spec.loader.exec_module(module)
    return module


corpus = _load()


def _run(tmp_path: Path, *args: str) -> dict[str, dict[str, Any]]:
    """Each statement's outcome (from --out), by id."""
    out = tmp_path / "outcomes.jsonl"
    assert corpus.main([*args, "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def test_maxcompute_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = _run(tmp_path, str(DATA / "mc_tiny.jsonl"))
    printed = capsys.readouterr().out
    assert printed.startswith("== mc_tiny.jsonl (maxcompute): 11 statements\n")
    assert "parsed 10 (90.9%), ran 7 (63.6%)" in printed
    assert {r["dialect"] for r in got.values()} == {"maxcompute"}
    # The stub columns are numeric first, then text, then timestamp.
    assert got["mc:qualified"]["ran_with"] == "BIGINT"
    assert got["mc:text"]["ran_with"] == "STRING"
    assert got["mc:timestamp"]["ran_with"] == "DATETIME"
    # Columns go to the table their alias names (a shared column would be ambiguous); a CTE is
    # no table; an INSERT's target gets the partition and as many columns as it is given.
    assert got["mc:join"]["ran"] and got["mc:cte"]["ran"] and got["mc:insert"]["ran"]
    # A column named through the alias of a `SELECT *` subquery or CTE belongs to its table.
    assert got["mc:through"]["ran"]
    assert got["mc:syntax"]["stage"] == "parse" and not got["mc:syntax"]["parsed"]
    assert (
        got["mc:syntax"]["group"] == "parse: ODPS-0130161 Parse exception - invalid token '<EOF>'"
    )
    # A project name MaxCompute refuses: the stub cannot be made, and says so.
    assert got["mc:stub"]["stage"] == "stub" and got["mc:stub"]["parsed"]
    # Both unknown functions fall in one group, which names them.
    group = (
        "run: ODPS-0130071 Semantic analysis exception - function or view <name> cannot be resolved"
    )
    assert got["mc:unknown1"]["group"] == got["mc:unknown2"]["group"] == group
    assert got["mc:unknown2"]["subjects"] == ["other_fn"]
    assert f"     2  {group}\n        names: no_such_fn 1, other_fn 1\n" in printed
    assert "        e.g. mc:unknown1: SELECT no_such_fn(a) FROM t\n" in printed


def test_snowflake_corpus_and_a_line_of_another_dialect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got = _run(tmp_path, str(DATA / "sf_tiny.jsonl"))
    printed = capsys.readouterr().out
    assert "parsed 15 (100.0%), ran 14 (93.3%)" in printed
    assert "expression fragments read as SELECT <fragment>: 2 (ran 2)" in printed
    # `SELECT MAX(x)` names a column without a FROM: run over a stub row, counted apart.
    assert got["sf:rowless"]["rowless"] and got["sf:rowless"]["ran"]
    assert "ran over a stub row: 1; as written, without the row: ran 13 (86.7%)" in printed
    # What a statement names must exist: a database alone, ALTER's tables, a named stage.
    assert got["sf:show_in"]["ran"] and got["sf:alter"]["ran"] and got["sf:stage"]["ran"]
    assert got["sf:use"]["ran"]  # USE SCHEMA db.s: both made
    assert got["sf:infoschema"]["ran"]  # INFORMATION_SCHEMA is every database's, never a stub
    assert got["sf:fragment_row"]["wrapped"] and got["sf:fragment_row"]["ran"]  # x from a row
    assert got["sf:fragment"]["wrapped"] and got["sf:fragment"]["ran"]
    assert not got["sf:merge"]["wrapped"]
    # LIFECYCLE is MaxCompute's: the line names its dialect.
    assert got["sf:lifecycle"]["dialect"] == "maxcompute" and got["sf:lifecycle"]["ran"]
    assert got["sf:qualified"]["ran"]  # its database and schema were made
    assert got["sf:quoted"]["ran"]  # "Quoted" keeps its case, plain is folded to PLAIN
    assert got["sf:text"]["ran_with"] == "VARCHAR"
    assert got["sf:dml"]["ran"]
    # MERGE's target and source are stubbed, each with the columns named through its alias.
    assert got["sf:merge"]["ran"]
    assert (
        got["sf:unknown"]["group"] == "run: 002140 SQL compilation error: Unknown function <name>"
    )


def test_dialect_option_and_files_without_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "statements.jsonl"
    plain.write_text('{"id": "1", "sql": "CREATE TABLE t (a BIGINT) LIFECYCLE 7"}\n', "utf-8")
    with pytest.raises(SystemExit):
        corpus.main([str(plain)])
    assert "no dialect for 1" in capsys.readouterr().err
    got = _run(tmp_path, str(plain), "--dialect", "snowflake")
    assert got["1"]["dialect"] == "snowflake" and got["1"]["stage"] == "parse"
    got = _run(tmp_path, str(plain), "--dialect", "mc")
    assert got["1"]["dialect"] == "maxcompute" and got["1"]["ran"]


def test_a_statement_over_its_time_is_interrupted(tmp_path: Path) -> None:
    runner = corpus.Runner(tmp_path, timeout=0.001)
    try:
        slow = runner.run({"id": "slow", "sql": "SELECT count(*) FROM t a, t b, t c"}, "maxcompute")
        assert slow.parsed and not slow.ran and slow.stage == "timeout"
        runner.timeout = 5.0  # the next statement, in its own warehouse, is not held up
        after = runner.run({"id": "after", "sql": "SELECT count(*) FROM t"}, "maxcompute")
        assert after.ran, after
    finally:
        runner.close()


def test_normalize_keeps_a_syntax_errors_token_and_takes_names_out() -> None:
    group, subjects = corpus.normalize(
        "Table not found - table my_project.orders cannot be resolved at [1:5] 42",
        {"my_project", "orders"},
        False,
    )
    assert group == "Table not found - table <name> cannot be resolved N"
    assert subjects == ("my_project", "orders")
    group, _ = corpus.normalize(
        "syntax error line 3 at position 7 unexpected 'merge'.", set(), True
    )
    assert group == "syntax error unexpected 'MERGE'."


def _stub_ddl(sql: str, dialect: str = "maxcompute", type_name: str = "BIGINT") -> list[str]:
    from cloneshell.grammar.parser import parse

    return corpus.table_script(corpus.Names(dialect).collect(parse(sql, dialect)), type_name)


def test_stub_columns_take_the_shape_the_statement_uses() -> None:
    # Arrays: the argument of EXPLODE/SIZE/SORT_ARRAY/ARRAY_CONTAINS, a subscript by a number.
    assert _stub_ddl("SELECT size(t.a), sort_array(b), c[id - 1], d FROM t") == [
        "CREATE TABLE IF NOT EXISTS `t` (`a` ARRAY<BIGINT>, `b` ARRAY<BIGINT>, "
        "`c` ARRAY<BIGINT>, `id` BIGINT, `d` BIGINT)"
    ]
    # Maps: MAP_KEYS/MAP_VALUES, a subscript by a string, EXPLODE with two names.
    assert _stub_ddl("SELECT map_keys(m), n['k'] FROM t", type_name="STRING") == [
        "CREATE TABLE IF NOT EXISTS `t` (`m` MAP<STRING,STRING>, `n` MAP<STRING,STRING>)"
    ]
    assert _stub_ddl("SELECT explode(m) AS (k, v) FROM t") == [
        "CREATE TABLE IF NOT EXISTS `t` (`m` MAP<STRING,BIGINT>)"
    ]
    assert _stub_ddl("SELECT x.id, y.k FROM t x LATERAL VIEW explode(x.m) y AS k, v") == [
        "CREATE TABLE IF NOT EXISTS `t` (`m` MAP<STRING,BIGINT>, `id` BIGINT)"
    ]
    assert _stub_ddl("SELECT y.e FROM t x LATERAL VIEW posexplode(x.a) y AS p, e") == [
        "CREATE TABLE IF NOT EXISTS `t` (`a` ARRAY<BIGINT>)"
    ]
    # Snowflake: ARRAY and OBJECT.
    assert _stub_ddl("SELECT array_size(a), o['k'] FROM t", "snowflake", "NUMBER") == [
        'CREATE TABLE IF NOT EXISTS "T" ("A" ARRAY, "O" OBJECT)'
    ]


def test_shaped_stubs_let_complex_type_statements_run(tmp_path: Path) -> None:
    data = tmp_path / "mc_shapes.jsonl"
    statements = [
        "SELECT SIZE(t1.`hobbies`) AS `hobbies` FROM proj_a.`t` t1",
        "SELECT t1.`relatives`['abc'] AS r FROM proj_a.`t` t1",
        "SELECT EXPLODE(t1.`relatives`) AS (`k`, `v`) FROM proj_a.`t` t1",
        "SELECT ARRAY_CONTAINS(t1.`hobbies`, t1.`name`) AS h FROM proj_a.`t` t1",
    ]
    data.write_text(
        "".join(json.dumps({"id": f"s{i}", "sql": s}) + "\n" for i, s in enumerate(statements)),
        encoding="utf-8",
    )
    got = _run(tmp_path, str(data))
    assert [got[f"s{i}"]["ran"] for i in range(len(statements))] == [True] * len(statements)


def test_string_uses_make_text_columns_and_unions_pass_columns_to_each_branch() -> None:
    # A column passed to a string function, compared with a string or matched by LIKE is text in
    # every attempt; the others keep the attempt's type.
    assert _stub_ddl(
        "SELECT split(name, 'x'), id + 1 FROM t WHERE city > 'b' AND note LIKE 'a%'"
    ) == [
        "CREATE TABLE IF NOT EXISTS `t` (`name` STRING, `id` BIGINT, `city` STRING, `note` STRING)"
    ]
    # A column named through a `SELECT * … UNION ALL SELECT * …` belongs to both tables.
    assert _stub_ddl(
        "SELECT u.name FROM (SELECT * FROM a WHERE a.id > 1 UNION ALL SELECT * FROM b) u"
    ) == [
        "CREATE TABLE IF NOT EXISTS `a` (`id` BIGINT, `name` BIGINT)",
        "CREATE TABLE IF NOT EXISTS `b` (`name` BIGINT)",
    ]


def test_a_column_named_through_a_projection_is_the_column_it_selects() -> None:
    # t2.h is t1.hobbies: exploding it makes hobbies an array.
    assert _stub_ddl(
        "SELECT x.e FROM (SELECT t1.id, t1.hobbies AS h FROM t t1) t2 "
        "LATERAL VIEW explode(t2.h) x AS e"
    ) == ["CREATE TABLE IF NOT EXISTS `t` (`id` BIGINT, `hobbies` ARRAY<BIGINT>)"]


def test_generated_columns_and_changed_or_read_columns() -> None:
    # A LATERAL VIEW's column is no table's: `adid` is not made a column of pageAds.
    assert _stub_ddl(
        "SELECT pageid, adid FROM pageAds LATERAL VIEW explode(adid_list) adTable AS adid"
    ) == ["CREATE TABLE IF NOT EXISTS `pageAds` (`adid_list` ARRAY<BIGINT>, `pageid` BIGINT)"]
    # CHANGE COLUMN names a column of the table, of the type it restates; READ names columns.
    assert _stub_ddl("ALTER TABLE x CHANGE COLUMN a b VARCHAR(10) COMMENT 'c'") == [
        "CREATE TABLE IF NOT EXISTS `x` (`a` varchar(10))"
    ]
    assert _stub_ddl("ALTER TABLE x CHANGE COLUMN a COMMENT 'c'") == [
        "CREATE TABLE IF NOT EXISTS `x` (`a` BIGINT)"
    ]
    assert _stub_ddl("read sale_detail(f0, f1) 10") == [
        "CREATE TABLE IF NOT EXISTS `sale_detail` (`f0` BIGINT, `f1` BIGINT)"
    ]
