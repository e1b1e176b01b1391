"""The fuzzer shared by `scripts/fuzz` (the full run) and tests/trust/test_fuzz.py (the CI run).

Inputs come from two sources, both seeded and reproducible:
- grammar-based generation: a random walk over the rules of the running Lark grammar
  (grammar/dialect.lark as compiled, every alternative and optional part expanded), bounded in
  depth and length, with terminal values drawn from names that exist in the sandbox, odd
  names, literals of every kind and hostile strings;
- mutation of the corpus: every statement of tests/golden/*.sql and docs/examples/*.sql and every
  SQL string constant in the test suite, cut, spliced, duplicated, re-cased, with tokens
  swapped, dropped or inserted, quotes and comments left open, nesting deepened.

Each input goes through `parse()` in both dialects and through a real sealed `Session` of each
dialect over a sandbox warehouse (projects, databases, tables, partitions, users and roles), as
the owner. A finding is any exception that is not a CloneshellError (a traceback), an internal
parser error, a DuckDB parser or internal error hidden behind a coded one (the engine wrote SQL
that DuckDB could not read), an error without a code, or without a position where the error
kind has one, and any input that takes more than `HANG_SECONDS`.
"""

from __future__ import annotations

import ast as pyast
import random
import re
import shutil
import signal
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType

import duckdb
from hostile_helpers import MC_CODE, OWNER_A, SF_TEXT, open_session

from cloneshell.engine import Session
from cloneshell.engine.core.errors import ExecutionError, LockError, PrivilegeError
from cloneshell.grammar.errors import CloneshellError, SqlSyntaxError
from cloneshell.grammar.parser import get_parser, parse
from cloneshell.grammar.split import split_script

REPO = Path(__file__).resolve().parents[2]
HANG_SECONDS = 5.0
_HOUR = timedelta(hours=1)  # Snowflake sessions start an hour after the set-up
DIALECTS = ("maxcompute", "snowflake")


# ------------------------------------------------------------------ the sandbox

MC_SETUP = """
CREATE PROJECT project_analytics; CREATE PROJECT project_reporting;
USE project_analytics;
CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2)) LIFECYCLE 7;
INSERT INTO sales_data VALUES (1, '2024-01-15', 299.00), (2, '2024-01-16', 450.50);
CREATE TABLE parts (id BIGINT, v STRING) PARTITIONED BY (ds STRING, hr STRING);
INSERT INTO parts PARTITION (ds='20240101', hr='01') VALUES (1, 'a');
ALTER TABLE parts ADD PARTITION (ds='20240102', hr='02');
CREATE TABLE t (a BIGINT, s STRING);
INSERT INTO t VALUES (1, 'x'), (2, NULL);
CREATE EXTERNAL TABLE ext (id BIGINT) LOCATION 'oss://bucket/path/';
ADD USER RAM$alice@aliyun.com:dev; CREATE ROLE reader;
GRANT Select ON TABLE t TO ROLE reader;
USE project_reporting;
CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2));
ADD USER ALIYUN$bob@aliyun.com;
USE my_project;
CREATE TABLE t (a BIGINT, s STRING);
INSERT INTO t VALUES (1, 'x');
USE project_analytics;
"""

SF_SETUP = """
CREATE ROLE analyst; CREATE USER bob DEFAULT_ROLE = analyst; GRANT ROLE analyst TO USER bob;
CREATE DATABASE sales;
CREATE TABLE t_sales (numeric INT, name VARCHAR) DATA_RETENTION_TIME_IN_DAYS = 1;
INSERT INTO t_sales VALUES (1, 'a'), (2, 'b');
CREATE TABLE t (a INT, s VARCHAR);
INSERT INTO t VALUES (1, 'x');
CREATE SCHEMA work; CREATE TABLE work.other (v INT);
CREATE TRANSIENT TABLE tr (v INT);
GRANT USAGE ON DATABASE sales TO ROLE analyst;
GRANT SELECT ON TABLE sales.public.t TO ROLE analyst;
CREATE DATABASE d; CREATE TABLE t (secret_v INT);
USE SCHEMA sales.public;
"""


class Sandbox:
    """Two prepared warehouses (one per dialect) under `root`, and a session on each. `reset()`
    brings both back to the prepared state (a copy of a template made once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sessions: dict[str, Session] = {}
        for dialect, setup in (("maxcompute", MC_SETUP), ("snowflake", SF_SETUP)):
            template = root / f"template_{dialect}"
            if not template.exists():
                s = open_session(template, dialect)
                s.execute(setup)
                if dialect == "snowflake":
                    s.move_clock(_HOUR)
                s.close()
        self.reset()

    def reset(self) -> None:
        """Fresh copies of the templates, fresh sessions."""
        self.close()
        for dialect in DIALECTS:
            work = self.root / f"work_{dialect}"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(self.root / f"template_{dialect}", work)
            s = open_session(work, dialect)
            if dialect == "maxcompute":
                s.execute("USE project_analytics")
            else:
                s.move_clock(_HOUR)
                s.execute("USE SCHEMA sales.public")
            self.sessions[dialect] = s

    def restore(self, dialect: str) -> None:
        """Undo what a successful statement may have changed in the session (not the data):
        its dialect, identity, current project and flags."""
        s = self.sessions[dialect]
        if s.dialect_name != dialect:
            s.switch_dialect(dialect)
        s.flags.clear()
        try:
            if dialect == "maxcompute":
                s.login(OWNER_A)
                s.execute("USE project_analytics")
            else:
                s.login("cloneshell")
                s.execute("USE ROLE accountadmin; USE SCHEMA sales.public")
        except CloneshellError:  # the statement dropped what we go back to: start afresh
            self.reset()

    def close(self) -> None:
        for s in self.sessions.values():
            s.close()
        self.sessions.clear()


# ------------------------------------------------------------------ findings


@dataclass(frozen=True)
class Finding:
    """Something the fuzzer found: `kind` is traceback, hang, internal, uncoded or unlocated."""

    kind: str
    where: str  # parse:<dialect> or session:<dialect>
    text: str
    detail: str


@dataclass
class Stats:
    """Counts of one run."""

    inputs: int = 0
    executions: int = 0
    ok: int = 0
    errors: int = 0
    slowest: float = 0.0
    slowest_text: str = ""
    findings: list[Finding] = field(default_factory=list)


class Hang(BaseException):
    """Raised in the main thread by the alarm when one input runs too long."""


def _no_position_by_design(err: CloneshellError) -> bool:
    """Errors whose vendor text carries no position and that concern the whole statement: a
    denial, a busy project file, a cancelled or failing run (the shell names the statement and
    its line)."""
    if isinstance(err, PrivilegeError | LockError | ExecutionError):
        return True
    return getattr(err, "kind", "") == "cancelled"


def check_error(err: CloneshellError, dialect: str) -> str | None:
    """Why a coded error is not good enough, or None."""
    if dialect == "maxcompute":
        if not MC_CODE.fullmatch(err.code) or not err.text.startswith(err.code):
            return f"uncoded: code={err.code!r} text={err.text[:200]!r}"
    elif not SF_TEXT.match(err.text):
        return f"uncoded: code={err.code!r} text={err.text[:200]!r}"
    if err.span is None and not _no_position_by_design(err):
        return f"unlocated: {type(err).__name__} {err.text[:200]!r}"
    if "internal parser error" in err.text:
        return f"internal: {err.text[:300]!r}"
    cause = err.__context__ or err.__cause__
    if isinstance(cause, duckdb.ParserException | duckdb.InternalException | duckdb.FatalException):
        return f"internal: DuckDB {type(cause).__name__} behind {err.text[:200]!r}: {cause}"
    return None


class Runner:
    """Runs inputs through parse() and the sandbox sessions, collecting findings."""

    def __init__(self, sandbox: Sandbox, reset_every: int = 400) -> None:
        self.sandbox = sandbox
        self.stats = Stats()
        self.reset_every = reset_every
        self._since_reset = 0
        self._running: Session | None = None

    def run(self, text: str) -> None:
        """One input, everywhere."""
        self.stats.inputs += 1
        started = time.perf_counter()
        for dialect in DIALECTS:
            self._guarded(f"parse:{dialect}", text, lambda d=dialect: self._parse(text, d))
        for dialect in DIALECTS:
            self._guarded(f"session:{dialect}", text, lambda d=dialect: self._execute(text, d))
        took = time.perf_counter() - started
        if took > self.stats.slowest:
            self.stats.slowest, self.stats.slowest_text = took, text[:200]
        self._since_reset += 1
        if self._since_reset >= self.reset_every:
            self.sandbox.reset()
            self._since_reset = 0

    def _parse(self, text: str, dialect: str) -> None:
        try:
            parse(text, dialect)
        except SqlSyntaxError as err:
            if err.span is None or "internal parser error" in err.message:
                raise _Bad("unlocated" if err.span is None else "internal", err.message) from err

    def _execute(self, text: str, dialect: str) -> None:
        s = self.sandbox.sessions[dialect]
        self.stats.executions += 1
        self._running = s
        try:
            s.execute(text)
        except CloneshellError as err:
            self.stats.errors += 1
            problem = check_error(err, s.dialect_name)
            if problem is not None:
                kind = problem.split(":", 1)[0]
                raise _Bad(kind, problem) from err
            return
        finally:
            self._running = None
        self.stats.ok += 1
        self.sandbox.restore(dialect)

    def _guarded(self, where: str, text: str, call: object) -> None:
        previous = signal.signal(signal.SIGALRM, self._alarm)
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
        try:
            call()  # type: ignore[operator]
        except _Bad as bad:
            self._found(bad.kind, where, text, bad.detail)
        except Hang:
            self._found("hang", where, text, f"over {HANG_SECONDS:g} s")
            self.sandbox.reset()
        except Exception as exc:  # the point of fuzzing: anything else is a traceback
            detail = "".join(traceback.format_exception(exc))[-3000:]
            self._found("traceback", where, text, detail)
            self.sandbox.reset()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _alarm(self, signum: int, frame: FrameType | None) -> None:
        if self._running is not None:  # DuckDB is busy: stop it; the statement then fails
            self._running.interrupt()
        raise Hang()

    def _found(self, kind: str, where: str, text: str, detail: str) -> None:
        self.stats.findings.append(Finding(kind, where, text, detail))


class _Bad(Exception):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


# ------------------------------------------------------------------ the corpus

_STATEMENT_START = re.compile(
    r"\s*(SELECT|WITH|CREATE|INSERT|UPDATE|DELETE|DROP|UNDROP|ALTER|CLONE|GRANT|REVOKE|DESC|"
    r"DESCRIBE|SHOW|USE|SET|ADD|REMOVE|TRUNCATE|LIST|WHOAMI|\()",
    re.I,
)


def corpus() -> list[str]:
    """Every statement of the .sql files and every SQL string constant in the tests, once."""
    found: dict[str, None] = {}
    for path in sorted([*REPO.glob("tests/golden/*.sql"), *REPO.glob("docs/examples/*.sql")]):
        for item in split_script(path.read_text(encoding="utf-8")):
            if item.kind == "sql":
                found.setdefault(item.text, None)
    for path in sorted(REPO.glob("tests/**/*.py")):
        for text in _sql_constants(path):
            found.setdefault(text, None)
    return list(found)


def _sql_constants(path: Path) -> Iterator[str]:
    try:
        tree = pyast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return
    for node in pyast.walk(tree):
        if isinstance(node, pyast.Constant) and isinstance(node.value, str):
            text = node.value
            if 4 <= len(text) <= 2000 and _STATEMENT_START.match(text):
                for item in split_script(text):
                    if item.kind == "sql":
                        yield item.text


# ------------------------------------------------------------------ mutation

_TOKEN = re.compile(r"\s+|[(),;.=<>*+\-/'\"`\[\]]|[^\s(),;.=<>*+\-/'\"`\[\]]+")

HOSTILE_FRAGMENTS = [
    "'",
    '"',
    "`",
    "(",
    ")",
    ";",
    "/*",
    "--",
    "..",
    "../../etc",
    "`..`",
    '"a""b"',
    "`a``b`",
    "\x00",
    "\\",
    "'\\'",
    "\u2028",
    "\udcff",
    "😀",
    "NULL",
    "-1",
    "1e309",
    "99999999999999999999999999999999999999",
    "-9223372036854775808",
    "0.0000000000000000000000000000001",
    "read_csv('/etc/passwd')",
    "getenv('HOME')",
    "duckdb_tables()",
    "information_schema.tables",
    "AT(OFFSET => -60)",
    "BEFORE(STATEMENT => LAST_QUERY_ID())",
    "PARTITION (ds='20240101', hr='01')",
    "IF EXISTS OVERWRITE",
    "x" * 300,
    "ALIYUN$alice@aliyun.com",
    "RAM$alice@aliyun.com:dev",
]


class Mutator:
    """Seeded text mutations of corpus statements."""

    def __init__(self, rng: random.Random, seeds: list[str], words: list[str]) -> None:
        self.rng = rng
        self.seeds = seeds
        self.words = words

    def mutate(self) -> str:
        text = self.rng.choice(self.seeds)
        for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3))):
            text = self._once(text)
        return text

    def _once(self, text: str) -> str:
        rng = self.rng
        tokens = _TOKEN.findall(text) or [text]
        i = rng.randrange(len(tokens))
        op = rng.randrange(13)
        if op == 0:  # drop a token
            del tokens[i]
        elif op == 1:  # duplicate a token
            tokens.insert(i, tokens[i])
        elif op == 2:  # swap two tokens
            j = rng.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == 3:  # insert a keyword or a word of the grammar
            tokens.insert(i, f" {rng.choice(self.words)} ")
        elif op == 4:  # insert something hostile
            tokens.insert(i, rng.choice(HOSTILE_FRAGMENTS))
        elif op == 5:  # replace a token
            tokens[i] = rng.choice(self.words + HOSTILE_FRAGMENTS)
        elif op == 6:  # truncate
            return "".join(tokens[: i + 1])
        elif op == 7:  # splice with another statement
            other = _TOKEN.findall(rng.choice(self.seeds))
            j = rng.randrange(len(other) + 1)
            return "".join(tokens[:i]) + "".join(other[j:])
        elif op == 8:  # re-case
            return "".join(t.swapcase() if rng.random() < 0.5 else t for t in tokens)
        elif op == 9:  # a random character anywhere: printable, control or beyond ASCII
            pos = rng.randrange(len(text) + 1)
            code = rng.choice(
                (rng.randrange(32, 127), rng.randrange(0, 32), rng.randrange(128, 0x3000))
            )
            return text[:pos] + chr(code) + text[pos:]
        elif op == 10:  # deepen the nesting around a token
            depth = rng.choice((2, 10, 60, 199, 201, 1000))
            tokens[i] = "(" * depth + tokens[i] + ")" * depth
        elif op == 11:  # two statements in one
            return text + rng.choice(("; ", ";", " ; ;")) + rng.choice(self.seeds)
        else:  # long repetition of a token
            tokens.insert(i, tokens[i] * rng.choice((2, 50, 2000)))
        return "".join(tokens)


# ------------------------------------------------------------------ generation from the grammar

# Terminal values: names that exist in the sandbox (so statements get past name resolution),
# odd names, and literals of every shape the terminals allow.
_NAMES = [
    "t",
    "s",
    "a",
    "t_sales",
    "numeric",
    "name",
    "sales_data",
    "id",
    "order_date",
    "amount",
    "parts",
    "v",
    "ds",
    "hr",
    "ext",
    "project_analytics",
    "project_reporting",
    "my_project",
    "sales",
    "public",
    "work",
    "other",
    "tr",
    "d",
    "secret_v",
    "reader",
    "analyst",
    "bob",
    "x",
    "y",
    "c",
    "t2",
    "new_table",
    "default",
    "PUBLIC",
    "count",
    "sum",
    "max",
    "min",
    "coalesce",
    "getdate",
    "dateadd",
    "to_char",
    "upper",
    "concat",
    "row_number",
    "last_query_id",
    "current_timestamp",
    "iff",
    "nvl",
    "datediff",
    "cast",
    "_x",
    "A1$",
]
_VALUES = {
    "BQ_IDENT": ["`t`", "`sales_data`", "`a``b`", "`..`", "`Project_Analytics`", "``"],
    "DQ_STRING": ['"T"', '"t"', '"SALES"', '"x""y"', '""', '"a b"', '"PUBLIC"'],
    "SQ_STRING": [
        "''",
        "'a'",
        "'x'",
        "'2024-01-15'",
        "'2024-01-15 10:30:00'",
        "'20240101'",
        "'01'",
        "'it''s'",
        "'\\n'",
        "'x/y'",
        "'oss://b/p/'",
        "'UTC'",
        "'true'",
        "'%a%'",
        "'abc'",
        "'-1'",
        "'1e5'",
        "'9999-12-31'",
    ],
    "NUMBER": [
        "0",
        "1",
        "2",
        "42",
        "3.14",
        "1e3",
        "10000",
        "10001",
        "99999999999999999999",
        "1L",
        "1.5BD",
        ".5",
        "60",
        "1800",
        "0.0",
        "1E-400",
        "7Y",
        "2S",
    ],
    "BINARY_STRING": ["x'00ff'", "X''", "x'4142'"],
    "PRINCIPAL": [
        "ALIYUN$alice@aliyun.com",
        "RAM$alice@aliyun.com:dev",
        "ALIYUN$bob@aliyun.com",
        "RAM$acct:role/name",
        "ALIYUN$x@y.com",
    ],
    "SET_KEY": [
        "odps.namespace.schema",
        "odps.sql.allow.fullscan",
        "odps.sql.validate.orderby.limit",
        "odps.sql.timezone",
        "x.y",
        "threads",
    ],
    "SET_VALUE": ["true", "false", "1", "'x'", "Asia/Shanghai"],
}


class GrammarGenerator:
    """Random statements from the compiled grammar: each non-terminal is expanded by one of its
    alternatives at random; past `max_depth`, or once `max_tokens` are out, by the alternative
    closest to terminating, so every walk ends."""

    def __init__(self, rng: random.Random, max_depth: int = 14, max_tokens: int = 120) -> None:
        self.rng = rng
        self.max_depth = max_depth
        self.max_tokens = max_tokens
        parser = get_parser()
        self.rules: dict[str, list[tuple[tuple[bool, str], ...]]] = {}
        for rule in parser.rules:
            expansion = tuple((sym.is_term, sym.name) for sym in rule.expansion)
            self.rules.setdefault(rule.origin.name, []).append(expansion)
        self.terminals = {t.name: t for t in parser.terminals}
        self.height = self._heights()
        # Alternatives of each non-terminal, shortest first, for the way out.
        self.shortest = {name: min(alts, key=self._alt_height) for name, alts in self.rules.items()}

    def words(self) -> list[str]:
        """Every keyword and punctuation of the grammar (for the mutator)."""
        return sorted({t.pattern.value for t in self.terminals.values() if t.pattern.type == "str"})

    def _heights(self) -> dict[str, int]:
        height: dict[str, int] = {}
        changed = True
        while changed:
            changed = False
            for name, alts in self.rules.items():
                best = min(
                    (
                        1 + max((height.get(s, 10**9) if not t else 0 for t, s in alt), default=0)
                        for alt in alts
                    ),
                )
                if best < height.get(name, 10**9):
                    height[name] = best
                    changed = True
        return height

    def _alt_height(self, alt: tuple[tuple[bool, str], ...]) -> int:
        return max((0 if t else self.height[s] for t, s in alt), default=0)

    def statement(self) -> str:
        """One random statement (occasionally two, separated by `;`)."""
        out: list[str] = []
        self._expand("statement", 0, out)
        if self.rng.random() < 0.05:
            out.append(";")
            self._expand("statement", 0, out)
        return " ".join(out)

    def _expand(self, name: str, depth: int, out: list[str]) -> None:
        alts = self.rules[name]
        # The deeper the walk, the likelier the way out: statements stay of a readable size and
        # most of them parse, so they reach the engine.
        if (
            depth >= self.max_depth
            or len(out) >= self.max_tokens
            or self.rng.random() < depth / self.max_depth
        ):
            alt = self.shortest[name]
        else:
            alt = self.rng.choice(alts)
        for is_term, sym in alt:
            if is_term:
                out.append(self._terminal(sym))
            else:
                self._expand(sym, depth + 1, out)

    def _terminal(self, name: str) -> str:
        rng = self.rng
        if name == "NAME":
            return rng.choice(_NAMES)
        if name in _VALUES:
            return rng.choice(_VALUES[name])
        term = self.terminals[name]
        value = str(term.pattern.value)
        if term.pattern.type == "str" and "i" in term.pattern.flags:
            return rng.choice((value.upper(), value.lower(), value.capitalize()))
        return value


def inputs(seed: int, count: int) -> Iterator[tuple[str, str]]:
    """`count` (origin, text) pairs, origin `grammar` or `mutation`, about half each, mixed."""
    rng = random.Random(seed)
    generator = GrammarGenerator(random.Random(seed + 1))
    mutator = Mutator(random.Random(seed + 2), corpus(), generator.words())
    for _ in range(count):
        if rng.random() < 0.5:
            yield "grammar", generator.statement()
        else:
            yield "mutation", mutator.mutate()


def run_inputs(sandbox: Sandbox, texts: Iterable[str]) -> Stats:
    """Run texts through a Runner over `sandbox`; return its stats."""
    runner = Runner(sandbox)
    for text in texts:
        runner.run(text)
    return runner.stats
