"""Malformed, unsupported or hostile Snowflake statements: every one is a coded Snowflake error
(`NNNNNN (SSSSS): …`, never another exception) and none changes anything."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from engine_helpers import START, run, snapshot

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.parser import parse

HANDWRITTEN = [
    # syntax
    "CREATE DATABSE x",
    "CREATE TABLE t (",
    "SELECT * FROM t AT(",
    "SELECT * FROM t AT(OFFSET => )",
    "SELECT * FROM t AT(STREAM => 's')",
    "UNDROP VIEW v",
    "CREATE OR REPLACE TABLE IF NOT EXISTS t (a INT)",
    # names
    "SELECT * FROM nosuch",
    "SELECT * FROM nodb.public.t",
    "SELECT * FROM sales.nosuch.t",
    "SELECT * FROM a.b.c.d",
    "USE DATABASE nosuch",
    "USE SCHEMA nosuch",
    "USE ROLE nosuch",
    "DROP TABLE nosuch",
    "DROP SCHEMA nosuch",
    "DROP DATABASE nosuch",
    "UNDROP TABLE nosuch",
    "UNDROP SCHEMA nosuch",
    "UNDROP DATABASE nosuch",
    "ALTER TABLE nosuch RENAME TO x",
    "ALTER TABLE t_sales RENAME TO nodb.public.x",
    "CREATE TABLE t_sales (a INT)",
    "CREATE DATABASE sales",
    "CREATE SCHEMA public",
    "CREATE TABLE " + "x" * 300 + " (a INT)",
    'CREATE TABLE "bad\x01name" (a INT)',
    # types, columns, values
    "CREATE TABLE t2 (a NUMBER(39,0))",
    "CREATE TABLE t2 (a NUMBER(10,11))",
    "CREATE TABLE t2 (a VARCHAR(0))",
    "CREATE TABLE t2 (a NOSUCHTYPE)",
    "CREATE TABLE t2 (a INT, A INT)",
    'CREATE TABLE t2 (a INT, "a" INT)',
    "CREATE TABLE t2 (__cs_v INT)",
    "CREATE TABLE t2 (a INT) DATA_RETENTION_TIME_IN_DAYS = 91",
    "CREATE TRANSIENT TABLE t2 (a INT) DATA_RETENTION_TIME_IN_DAYS = 2",
    "INSERT INTO t_sales VALUES (1, 2)",
    "INSERT INTO t_sales (nosuch) VALUES (1)",
    "INSERT INTO t_sales VALUES ('abc')",
    "UPDATE t_sales SET nosuch = 1",
    "UPDATE t_sales SET numeric = 'abc'",
    "DELETE FROM t_sales WHERE nosuch = 1",
    "SELECT nosuch FROM t_sales",
    "SELECT 1 / 0",
    "SELECT nosuchfunction(1)",
    "SELECT read_csv('/etc/passwd')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM duckdb_tables()",
    # INFORMATION_SCHEMA is Snowflake's (its views only), never DuckDB's catalog
    "SELECT * FROM information_schema.duckdb_tables",
    "SELECT * FROM information_schema.key_column_usage",
    "SELECT * FROM pg_catalog.pg_tables",
    "DELETE FROM information_schema.tables",  # Snowflake's, read-only (not DuckDB's)
    "SELECT getenv('HOME')",
    # time travel
    "SELECT * FROM t_sales AT(OFFSET => -60*60*24*2)",
    "SELECT * FROM t_sales AT(OFFSET => 3600)",
    "SELECT * FROM t_sales AT(OFFSET => 'abc')",
    "SELECT * FROM t_sales AT(TIMESTAMP => 'not a time')",
    "SELECT * FROM t_sales AT(TIMESTAMP => (SELECT max(numeric) FROM t_sales))",
    "SELECT * FROM t_sales AT(STATEMENT => 'nope')",
    "SELECT * FROM t_sales AT(STATEMENT => 42)",
    "SELECT * FROM t_sales BEFORE(TIMESTAMP => '2000-01-01'::TIMESTAMP_NTZ)",
    "CREATE TABLE c CLONE t_sales AT(OFFSET => -60*30)",
    "CREATE TABLE c CLONE nosuch",
    "CREATE SCHEMA c CLONE nosuch",
    "CREATE DATABASE c CLONE nosuch",
    "CREATE DATABASE c CLONE sales AT(OFFSET => -60*60)",
    "CREATE SCHEMA c CLONE public AT(OFFSET => -60*60)",
    # access control
    "CREATE ROLE accountadmin",
    "DROP ROLE accountadmin",
    "GRANT ROLE nosuch TO USER cloneshell",
    "GRANT ROLE analyst TO USER nosuch",
    "GRANT ROLE analyst TO ROLE analyst",
    "GRANT SELECT ON TABLE nosuch TO ROLE analyst",
    "GRANT NOSUCH ON TABLE t_sales TO ROLE analyst",
    "GRANT CREATE SCHEMA ON TABLE t_sales TO ROLE analyst",
    "GRANT SELECT ON TABLE t_sales TO ROLE nosuch",
    "GRANT SELECT ON FUTURE TABLES IN SCHEMA public TO ROLE analyst",
    "GRANT OWNERSHIP ON TABLE t_sales TO ROLE nosuch",
    "SHOW GRANTS TO ROLE nosuch",
    "SHOW GRANTS TO USER nosuch",
    "DROP USER nosuch",
    # MaxCompute statements in Snowflake
    "CREATE PROJECT p1",
    "CLONE TABLE t_sales TO t2",
    "ADD USER ALIYUN$x@y.com",
    "SHOW PARTITIONS t_sales",
]


def _generated() -> Iterator[str]:
    """Seeded mutations of valid statements: dropped, doubled or swapped words."""
    rng = random.Random(4)
    seeds = [
        "CREATE OR REPLACE SCHEMA sales.private CLONE sales.public AT(OFFSET => -60*30)",
        "CREATE TABLE t2 CLONE t_sales BEFORE(STATEMENT => LAST_QUERY_ID()) COPY GRANTS",
        "UPDATE t_sales SET numeric = numeric + 1 WHERE numeric > 1",
        "GRANT SELECT ON TABLE sales.public.t_sales TO ROLE analyst",
        "ALTER TABLE t_sales SET DATA_RETENTION_TIME_IN_DAYS = 0",
    ]
    for _ in range(60):
        words = rng.choice(seeds).split()
        i = rng.randrange(len(words))
        op = rng.choice(("drop", "dup", "swap"))
        if op == "drop":
            del words[i]
        elif op == "dup":
            words.insert(i, words[i])
        else:
            j = rng.randrange(len(words))
            words[i], words[j] = words[j], words[i]
        yield " ".join(words)


def _parses(text: str) -> bool:
    try:
        parse(text, "snowflake")
    except CloneshellError:
        return False
    return True


# Mutations that happen to be valid syntax are not malformed: leave them out.
CASES = HANDWRITTEN + sorted({t for t in _generated() if not _parses(t)})


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    s = Session.open(
        tmp_path_factory.mktemp("sf_hostile"), dialect="snowflake", clock=FixedClock(START)
    )
    run(
        s,
        """CREATE ROLE analyst; CREATE DATABASE sales;
        CREATE TABLE t_sales (numeric INT) DATA_RETENTION_TIME_IN_DAYS = 1;
        INSERT INTO t_sales VALUES (1), (2);""",
    )
    yield s
    s.close()


CODE = re.compile(r"\d{6} \([0-9A-Z]{5}\): ")


@pytest.mark.parametrize("text", CASES, ids=range(len(CASES)))
def test_hostile_snowflake_input(prepared: Session, text: str) -> None:
    s = prepared
    run(s, "USE ROLE accountadmin; USE SCHEMA sales.public")
    before = snapshot(s)
    with pytest.raises(CloneshellError) as info:
        s.execute(text)
    err = info.value
    assert CODE.match(err.text), (text, err.text)
    assert err.text.startswith(err.code), err.text
    assert snapshot(s) == before, text
