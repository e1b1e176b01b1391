"""At least 200 malformed or hostile statements: every one is a coded error (never another
exception), and none changes anything."""

from __future__ import annotations

import random

import pytest
from engine_helpers import RAM_A, START, run, snapshot

from cloneshell.engine import Session
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.parser import parse

SEED_STATEMENTS = [
    "SET odps.namespace.schema=false",
    "CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data IF EXISTS OVERWRITE",
    "USE project_analytics",
    "ADD USER ALIYUN$destination_owner@aliyunid.com",
    "GRANT CreateTable, CreateInstance ON PROJECT project_analytics TO USER "
    "ALIYUN$destination_owner@aliyunid.com",
    "GRANT Select ON TABLE sales_data TO USER ALIYUN$destination_owner@aliyunid.com",
    "SELECT * FROM sales_data LIMIT 2",
    "DESC sales_data",
    "REMOVE USER ALIYUN$destination_owner@aliyunid.com",
    "CREATE TABLE t (id BIGINT, v STRING) PARTITIONED BY (ds STRING) LIFECYCLE 7",
    "INSERT OVERWRITE TABLE t PARTITION (ds='a') SELECT id, order_date FROM sales_data",
]

HANDWRITTEN = [
    "SELEC * FROM sales_data",
    "SELECT * FORM sales_data",
    "SELECT * FROM",
    "SELECT * FROM sales_data WHERE",
    "SELECT 'unterminated FROM sales_data",
    'SELECT "unterminated FROM sales_data',
    "SELECT `unterminated FROM sales_data",
    "SELECT * FROM sales_data /* open comment",
    "CLONE TABLE a TO b IF EXISTS",
    "CLONE TABLE a TO b IF EXISTS REPLACE",
    "CLONE TABLE TO b",
    "CLONE a TO b",
    "CREATE TABLE x (",
    "CREATE TABLE x (id)",
    "CREATE TABLE x (id BIGINT,)",
    "CREATE TABLE x (id NOSUCHTYPE)",
    "CREATE TABLE x (id DECIMAL(99,2))",
    "CREATE TABLE x (id VARCHAR(0))",
    "CREATE TABLE `x/y` (id BIGINT)",
    "CREATE TABLE `..` (id BIGINT)",
    "CREATE TABLE `a;b` (id BIGINT)",
    'CREATE TABLE `a"b` (id BIGINT)',
    "CREATE TABLE `a\\b` (id BIGINT)",
    "CREATE TABLE x (`bad col` BIGINT)",
    "CREATE TABLE x (__cs_v BIGINT)",
    "CREATE TABLE " + "a" * 300 + " (id BIGINT)",
    "CREATE PROJECT ..",
    "CREATE PROJECT `../../etc`",
    "CREATE PROJECT `a/b`",
    "CREATE PROJECT ab",
    "CREATE PROJECT " + "p" * 40,
    "CREATE PROJECT `x\x00y`",
    "USE `../etc`",
    "USE nosuchproject",
    "DROP PROJECT nosuchproject",
    "SELECT * FROM `../etc/passwd`",
    "SELECT * FROM nosuch.sales_data",
    "SELECT * FROM project_analytics.nosuch",
    "SELECT * FROM a.b.c",
    "SELECT nosuchcolumn FROM sales_data",
    "SELECT read_csv('/etc/passwd')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT getenv('HOME')",
    "SELECT current_setting('threads')",
    "SELECT * FROM duckdb_tables()",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM sales_data WHERE order_date = ''' ; DROP TABLE sales_data",
    "SELECT 1; ATTACH '/tmp/x.db' AS x",
    "ATTACH '/tmp/x.db' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA version",
    "COPY sales_data TO '/tmp/out.csv'",
    "RESET threads",
    'SELECT * FROM sales_data" ; DROP TABLE sales_data; --',
    "SELECT * FROM `sales_data``; DROP TABLE sales_data; --`",
    'SELECT * FROM "sales_data""; DROP TABLE sales_data; --"',
    'CREATE TABLE `t"; DROP TABLE sales_data; --` (id BIGINT)',
    "SELECT 1 +",
    "SELECT (((((1)))",
    "SELECT " + "(" * 5000 + "1" + ")" * 5000,
    "SELECT CASE WHEN THEN END",
    "SELECT CAST(1 AS)",
    "SELECT 1 FROM sales_data GROUP",
    "SELECT * FROM sales_data ORDER BY id",
    "SELECT * FROM sales_data LIMIT 'x'",
    "SELECT dateadd(getdate(), 1, 'fortnight')",
    "SELECT nosuchfunction(1)",
    "SELECT to_char(getdate(), order_date) FROM sales_data",
    "SELECT CAST('abc' AS BIGINT)",
    "INSERT INTO sales_data VALUES (1)",
    "INSERT INTO sales_data VALUES ('x', 'y', 'z')",
    "INSERT INTO sales_data PARTITION (ds='a') VALUES (1, 'a', 1.0)",
    "INSERT INTO nosuch VALUES (1)",
    "INSERT OVERWRITE TABLE sales_data (id) SELECT 1",
    "ALTER TABLE sales_data ADD PARTITION (ds='a')",
    "ALTER TABLE sales_data DROP PARTITION (ds='a')",
    "ADD USER nobody",
    "ADD USER RAM$noaccount",
    "ADD USER ALIYUN$",
    "GRANT Fly ON TABLE sales_data TO USER ALIYUN$x@y.com",
    "GRANT Select ON TABLE nosuch TO USER ALIYUN$x@y.com",
    "GRANT Select ON VOLUME v TO USER ALIYUN$x@y.com",
    "GRANT nosuchrole TO ALIYUN$x@y.com",
    "REVOKE nosuchrole FROM ALIYUN$x@y.com",
    "DROP ROLE nosuchrole",
    "DROP ROLE admin",
    "DESC nosuch",
    "DESC sales_data PARTITION (ds='a')",
    "SHOW PARTITIONS sales_data",
    "SHOW TABLES IN nosuchproject",
    "CLONE TABLE sales_data TO sales_data",
    "CLONE TABLE sales_data TO `..`.x",
    "CLONE TABLE sales_data TO nosuchproject.x",
    "\x00",
    "\x1b[31mSELECT 1",
    "SELECT '\udcff'",
    "😀",
    "SELECT * FROM sales_data WHERE id = 1 AND",
    "WITH c AS SELECT 1 SELECT * FROM c",
    "UPDATE sales_data SET id = 1",
    "DELETE FROM sales_data",
]


def _generated() -> list[str]:
    rng = random.Random(20241115)
    out: list[str] = []
    # every seed statement cut at several points (truncated input)
    for stmt in SEED_STATEMENTS:
        for cut in sorted({len(stmt) // 4, len(stmt) // 3, len(stmt) // 2, len(stmt) - 3}):
            out.append(stmt[:cut])
    # wrong keywords: swap one word for a nearby keyword or junk
    junk = ["FROM", "TABLE", "TO", "IF", "EXISTS", ";", "..", "/", '"', "'", "`", "(", ")", "$"]
    for stmt in SEED_STATEMENTS:
        words = stmt.split()
        for _ in range(4):
            w = list(words)
            w[rng.randrange(len(w))] = rng.choice(junk)
            out.append(" ".join(w))
    # random printable garbage
    alphabet = "abcXYZ019 _.,;:'\"`()[]{}*+-/\\$@#%=<>!?\n\t"
    for _ in range(60):
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60))))
    return [text for text in out if not _parses(text)]


def _parses(text: str) -> bool:
    """Generated mutations that happen to be valid syntax are not malformed: leave them out."""
    try:
        parse(text)
    except CloneshellError:
        return False
    return True


CASES = HANDWRITTEN + _generated()


def test_there_are_at_least_200_cases() -> None:
    assert len(CASES) >= 200


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Session:
    s = Session.open(
        tmp_path_factory.mktemp("hostile"), principal="ALIYUN$alice@aliyun.com", clock=START
    )
    run(
        s,
        f"""CREATE PROJECT project_analytics; CREATE PROJECT project_reporting;
        USE project_analytics;
        CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2));
        INSERT INTO sales_data VALUES (1, '2024-01-15', 299.00);
        CLONE TABLE sales_data TO project_reporting.sales_data;
        ADD USER {RAM_A};""",
    )
    return s


@pytest.mark.parametrize("text", CASES, ids=range(len(CASES)))
def test_hostile_input_is_a_coded_error_and_changes_nothing(prepared: Session, text: str) -> None:
    s = prepared
    s.login("ALIYUN$alice@aliyun.com")
    s.execute("USE project_analytics")
    before = snapshot(s)
    with pytest.raises(CloneshellError) as info:
        s.execute(text)
    err = info.value
    assert err.code.startswith("ODPS-"), (text, err.text)
    assert err.text.startswith(err.code), err.text
    assert snapshot(s) == before, text
