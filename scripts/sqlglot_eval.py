"""The measurement behind docs/corpus.md's expression-layer recommendation (issue 14's How):
what sqlglot's Snowflake->DuckDB and Hive->DuckDB transpilation would do for the statements
cloneshell fails on, and whether it gets documented results right.

    .venv/bin/pip install sqlglot==30.30.0      # not a project dependency: the lead decides
    scripts/corpus CORPUS.jsonl --out OUTCOMES.jsonl
    .venv/bin/python scripts/sqlglot_eval.py OUTCOMES.jsonl [...] [--timeout S]
    .venv/bin/python scripts/sqlglot_eval.py --known

For each statement scripts/corpus recorded as failed, in two sets — `function`: it parsed but
failed on a function or expression (unknown function, no matching signature, a function's
arguments, an unsupported expression), and `query syntax`: a SELECT/WITH the grammar could not
parse — sqlglot transpiles it to DuckDB (read "snowflake", or "hive" for MaxCompute), and the
result runs in plain in-memory DuckDB over stub tables (the columns the statement names, BIGINT,
then VARCHAR, then TIMESTAMP; qualifiers dropped), 5 s each. "Runs" says only that DuckDB
accepted it, not that the result is the vendor's: `--known` checks documented results.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

READ = {"snowflake": "snowflake", "maxcompute": "hive"}
TYPES = ("BIGINT", "VARCHAR", "TIMESTAMP")
# Run-stage failures about a function or an expression (the expression layer's business).
_FUNCTION_ERROR = re.compile(
    r"Unknown function|function or view .* cannot be resolved|No function matches|"
    r"not an aggregate or window function|does not exist|Invalid argument|unsupported|"
    r"argument|format|Could not convert|Conversion Error|Binder Error|requires OVER",
    re.I,
)


def category(outcome: dict[str, Any]) -> str | None:
    """`function`, `query syntax` or None (a failure sqlglot's expressions cannot help)."""
    if outcome["ran"]:
        return None
    if outcome["stage"] == "run" and _FUNCTION_ERROR.search(outcome["group"]):
        return "function"
    if outcome["stage"] == "parse" and re.match(r"\s*(SELECT|WITH|\()", outcome["sql"], re.I):
        return "query syntax"
    return None


def stubs(tree: exp.Expression) -> dict[str, dict[str, None]]:
    """Table name -> the columns the statement names for it (by alias; unqualified: the first
    table), CTE names left out; every table loses its database/schema qualifiers."""
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    tables: dict[str, dict[str, None]] = {}
    alias: dict[str, str] = {}
    for table in tree.find_all(exp.Table):
        name = table.name.lower()
        if not name or name in ctes:
            continue
        tables.setdefault(name, {})
        alias[table.alias_or_name.lower()] = name
        table.set("db", None)
        table.set("catalog", None)
    first = next(iter(tables), None)
    for column in tree.find_all(exp.Column):
        owner = alias.get(column.table.lower()) if column.table else first
        if owner is not None and column.name:
            tables[owner].setdefault(column.name, None)
    return tables


def run_duckdb(sql: str, tables: dict[str, dict[str, None]], timeout: float) -> str | None:
    """None if DuckDB runs `sql` over the stubs with one of the types, else the first error."""
    first: str | None = None
    for type_name in TYPES:
        con = duckdb.connect(":memory:")
        timer = threading.Timer(timeout, con.interrupt)
        try:
            for name, columns in tables.items():
                cols = ", ".join(f'"{c}" {type_name}' for c in columns) or "stub_col BIGINT"
                con.execute(f'CREATE TABLE "{name}" ({cols})')
            timer.start()
            con.execute(sql).fetchall()
            return None
        except duckdb.Error as err:
            first = first or f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"
        finally:
            timer.cancel()
            con.close()
    return first


def evaluate(outcome: dict[str, Any], timeout: float) -> tuple[str, str]:
    """(`runs` | `sqlglot refused` | `duckdb refused`, detail) for one failed statement."""
    read = READ[outcome["dialect"]]
    try:
        trees = sqlglot.parse(outcome["sql"], read=read)
        tree = trees[0]
        if tree is None or len(trees) != 1:
            return "sqlglot refused", "no single statement"
        tables = stubs(tree)
        sql = tree.sql(dialect="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except (sqlglot.errors.SqlglotError, RecursionError, ValueError) as err:
        return "sqlglot refused", f"{type(err).__name__}: {str(err).splitlines()[0][:100]}"
    error = run_duckdb(sql, tables, timeout)
    return ("runs", sql) if error is None else ("duckdb refused", error)


def corpus_report(paths: list[Path], timeout: float) -> None:
    for path in paths:
        outcomes = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        failed = [o for o in outcomes if not o["ran"]]
        print(f"== {path.name}: {len(outcomes)} statements, {len(failed)} failed in cloneshell")
        for name in ("function", "query syntax"):
            chosen = [o for o in failed if category(o) == name]
            verdicts: Counter[str] = Counter()
            refusals: Counter[str] = Counter()
            for o in chosen:
                verdict, detail = evaluate(o, timeout)
                verdicts[verdict] += 1
                if verdict != "runs":
                    refusals[re.sub(r"\d+", "N", detail)[:90]] += 1
            runs = verdicts["runs"]
            share = f"{100 * runs / len(chosen):.0f}%" if chosen else "-"
            print(f"{name}: {len(chosen)} failed; sqlglot->DuckDB runs {runs} ({share}), "
                  f"sqlglot refused {verdicts['sqlglot refused']}, "
                  f"DuckDB refused {verdicts['duckdb refused']}")  # fmt: skip
            for detail, n in refusals.most_common(6):
                print(f"    {n:4d}  {detail}")


_UNKNOWN = re.compile(r"Unknown function|function or view <name> cannot be resolved")


def names_report(paths: list[Path]) -> None:
    """The functions cloneshell does not know, by what sqlglot makes of them: a typed node (it
    knows the function and writes DuckDB's form), or an anonymous call it passes on by name —
    to a DuckDB function of that name (which may mean something else) or to nothing."""
    duck = {r[0] for r in duckdb.connect().execute("SELECT function_name FROM duckdb_functions()")
            .fetchall()}  # fmt: skip
    for path in paths:
        outcomes = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        counts: Counter[str] = Counter()
        dialect = ""
        for o in outcomes:
            if not o["ran"] and _UNKNOWN.search(o["group"]):
                dialect = o["dialect"]
                counts.update(set(o["subjects"]))
        kinds: dict[str, list[str]] = {
            "typed": [],
            "anonymous, in DuckDB": [],
            "anonymous": [],
            "sqlglot raised": [],
        }
        statements: Counter[str] = Counter()
        for name, n in counts.most_common():
            call = None
            for args in ("x", "x, y", "x, y, z", ""):  # the first arity sqlglot accepts
                try:
                    sql = f"SELECT {name}({args})"
                    call = sqlglot.parse_one(sql, read=READ[dialect]).selects[0]
                    break
                except Exception:  # noqa: BLE001, S112 - sqlglot raises IndexError on some
                    continue
            if call is None:
                kind = "sqlglot raised"
            elif not isinstance(call, exp.Anonymous):
                kind = "typed"
            elif name.lower() in duck:
                kind = "anonymous, in DuckDB"
            else:
                kind = "anonymous"
            kinds[kind].append(f"{name} {n}")
            statements[kind] += n
        print(f"== {path.name}: {len(counts)} unknown functions")
        for kind, names in kinds.items():
            print(f"{kind}: {len(names)} functions, {statements[kind]} statements: "
                  + ", ".join(names[:25]))  # fmt: skip


# Documented results (the vendor's page says so; see docs/corpus.md for the pages).
KNOWN: list[tuple[str, str, object]] = [
    ("snowflake", "SELECT REGEXP_REPLACE('aXbX', 'X', '')", "ab"),
    ("snowflake", "SELECT REGEXP_REPLACE('It was the best of times', '( ){1,}', '')",
     "Itwasthebestoftimes"),
    ("snowflake", "SELECT GREATEST(1, 2, NULL)", None),
    ("snowflake", "SELECT LEAST(5, NULL)", None),
    ("snowflake", "SELECT TYPEOF(DATEADD(DAY, 5, TO_DATE('2024-01-01'))::VARIANT)", "DATE"),
    ("snowflake", "SELECT DATEADD(DAY, 5, TO_DATE('2024-01-01'))::VARCHAR", "2024-01-06"),
    ("snowflake", "SELECT DATEDIFF(YEAR, '2010-04-09 14:39:20'::TIMESTAMP, "
                  "'2013-05-08 23:39:20'::TIMESTAMP)", 3),
    ("snowflake", "SELECT IFF(TRUE, 'true', 'false')", "true"),
    ("snowflake", "SELECT NVL2(NULL, 1, 2)", 2),
    ("snowflake", "SELECT DECODE(2, 1, 'one', 2, 'two', 'other')", "two"),
    ("snowflake", "SELECT ZEROIFNULL(NULL)", 0),
    ("snowflake", "SELECT DIV0(1, 0)", 0),
    ("snowflake", "SELECT TRY_TO_NUMBER('abc')", None),
    ("snowflake", "SELECT ARRAY_SIZE(PARSE_JSON('[1, 2, 3]'))", 3),
    ("snowflake", "SELECT PARSE_JSON('{\"a\": {\"b\": 1}}'):a.b::INT", 1),
    ("snowflake", "SELECT SPLIT_PART('11.22.33', '.', -1)", "33"),
    ("snowflake", "SELECT SPLIT_PART('11.22.33', '.', 0)", "11"),
    ("snowflake", "SELECT ROUND(2.5, 0, 'HALF_TO_EVEN')", 2),
    ("snowflake", "SELECT ROUND(-2.5)", -3),
    ("snowflake", "SELECT CONCAT('a', NULL)", None),
    ("snowflake", "SELECT TO_CHAR(TO_DATE('2024-04-05'), 'YYYY.MM.DD')", "2024.04.05"),
    ("snowflake", "SELECT DATE_TRUNC('MONTH', TO_DATE('2024-05-17'))::VARCHAR", "2024-05-01"),
    ("snowflake", "SELECT REGEXP_SUBSTR('It was the best of times', 'b\\\\w+')", "best"),
    ("snowflake", "SELECT REGEXP_COUNT('It was the best of times, it was', 'was')", 2),
    ("snowflake", "SELECT LISTAGG(x, ',') WITHIN GROUP (ORDER BY x) "
                  "FROM (SELECT 'b' AS x UNION ALL SELECT 'a') t", "a,b"),
    ("snowflake", "SELECT TRUNC(3.14159, 2)", "3.14"),
    ("snowflake", "SELECT DATEDIFF(MONTH, '2024-01-31'::DATE, '2024-02-01'::DATE)", 1),
    ("snowflake", "SELECT TIME_SLICE('2019-02-28 12:34:56'::TIMESTAMP_NTZ, 15, 'MINUTE')"
                  "::VARCHAR", "2019-02-28 12:30:00"),
    ("snowflake", "SELECT HOUR(TO_TIMESTAMP('2025-01-16 14:45:30', 'YYYY-MM-DD HH24:MI:SS'))",
     14),
    ("maxcompute", "SELECT concat('aabc', 'abcde', NULL)", None),
    ("maxcompute", "SELECT concat_ws(':', 'avg', NULL, '34')", None),
    ("maxcompute", "SELECT split_part('a,b,c,d', '', 1)", "a,b,c,d"),
    ("maxcompute", "SELECT split_part('a,b,c,d', ',', 1, 2)", "a,b"),
    ("maxcompute", "SELECT split_part('a,b,c,d', ',', 10)", ""),
    ("maxcompute", "SELECT instr('Tech on the net', 'e', 3, 2)", 14),
    ("maxcompute", "SELECT instr('abc', '')", 1),
    ("maxcompute", "SELECT datediff('2005-12-31 23:59:59', '2005-12-30 00:00:00', 'dd')", 1),
    ("maxcompute", "SELECT dateadd('2005-02-28 00:00:00', 1, 'dd')", "2005-03-01 00:00:00"),
    ("maxcompute", "SELECT get_json_object('{\"a\": {\"b\": 1}}', '$.a.b')", "1"),
    ("maxcompute", "SELECT nvl(NULL, 'x')", "x"),
    ("maxcompute", "SELECT decode(2, 1, 'one', 2, 'two', 'other')", "two"),
    ("maxcompute", "SELECT size(array(1, 2, 3))", 3),
    ("maxcompute", "SELECT weekday(datetime '2024-01-01 00:00:00')", 0),  # a Monday
    ("maxcompute", "SELECT percentile(x, 0.5) FROM (SELECT 1 AS x UNION ALL SELECT 2 "
                   "UNION ALL SELECT 3 UNION ALL SELECT 4) t", 2.5),
    ("maxcompute", "SELECT to_char(datetime '2024-04-05 00:00:00', 'yyyy.mm.dd')", "2024.04.05"),
    ("maxcompute", "SELECT collect_set(x) FROM (SELECT 1 AS x UNION ALL SELECT 1) t", [1]),
]  # fmt: skip


def _same(got: object, want: object) -> bool:
    if isinstance(want, str) and not isinstance(got, str) and got is not None:
        return str(got) == want
    if isinstance(want, int) and not isinstance(want, bool) and got is not None:
        try:
            return float(got) == want  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    return got == want


def known_report() -> None:
    import tempfile

    from cloneshell.engine import open_session  # the engine's answer, for comparison
    from cloneshell.grammar.errors import CloneshellError

    right = Counter[str]()
    with tempfile.TemporaryDirectory() as work:
        sessions = {d: open_session(Path(work) / d, dialect=d) for d in READ}
        print("| dialect | statement | documented | cloneshell now | sqlglot -> DuckDB |")
        print("|---|---|---|---|---|")
        for dialect, sql, want in KNOWN:
            try:
                rows = sessions[dialect].execute(sql)[-1].rows  # type: ignore[attr-defined]
                ours: object = rows[0][0]
                ours_text = repr(ours) + ("" if _same(ours, want) else " ✗")
                right["cloneshell"] += _same(ours, want)
            except CloneshellError as err:
                ours_text = "error: " + err.text.splitlines()[-1][:50]
            try:
                duck = sqlglot.transpile(
                    sql,
                    read=READ[dialect],
                    write="duckdb",
                    unsupported_level=sqlglot.ErrorLevel.RAISE,
                )[0]
                theirs: object = duckdb.connect().execute(duck).fetchall()[0][0]
                theirs_text = f"{theirs!r}" + ("" if _same(theirs, want) else " ✗")
                theirs_text += f" (`{duck[:60]}`)"
                right["sqlglot"] += _same(theirs, want)
            except (sqlglot.errors.SqlglotError, duckdb.Error) as err:
                theirs_text = f"error: {type(err).__name__}: {str(err).splitlines()[0][:50]}"
            row = [dialect, f"`{sql}`", repr(want), ours_text, theirs_text]
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        for s in sessions.values():
            s.close()
    print(f"\nright: cloneshell {right['cloneshell']}/{len(KNOWN)}, "
          f"sqlglot->DuckDB {right['sqlglot']}/{len(KNOWN)}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outcomes", nargs="*", type=Path, help="scripts/corpus --out files")
    parser.add_argument("--known", action="store_true", help="check documented results")
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    print(f"sqlglot {sqlglot.__version__}, duckdb {duckdb.__version__}")
    if args.outcomes:
        corpus_report(args.outcomes, args.timeout)
        names_report(args.outcomes)
    if args.known:
        known_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
