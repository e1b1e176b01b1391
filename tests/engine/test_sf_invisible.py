"""Objects a role cannot see are reported as not existing, everywhere (issue 13, defect 19):
a sweep of the statement kinds that name an object — UNDROP, DROP, DESC, SHOW … HISTORY, ALTER,
CLONE and stream sources, reads, writes, grants — each run once on a hidden object and once on
a name that never existed: the two answers must be the same error, names aside. Dropped
objects go through `Authorizer.require_owner_seen`, live ones through the resolver's
visibility (SnowflakeContext.resolve/database)."""

from __future__ import annotations

import pytest
from engine_helpers import START, rows, run

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.grammar.errors import CloneshellError

SETUP = """CREATE DATABASE oldsecret; DROP DATABASE oldsecret;
CREATE DATABASE secret; CREATE SCHEMA ss; CREATE TABLE st (a INT);
CREATE DATABASE vis; CREATE SCHEMA pub; CREATE TABLE st (a INT);
CREATE TABLE dt (a INT); DROP TABLE dt;
CREATE STAGE stg; CREATE STREAM str ON TABLE st;
CREATE TASK tk WAREHOUSE = w SCHEDULE = '1 minute' AS INSERT INTO st VALUES (1);
CREATE SCHEMA vis.hid; CREATE SCHEMA vis.ds; DROP SCHEMA vis.ds;
CREATE DATABASE mine; GRANT CREATE DATABASE ON ACCOUNT TO ROLE PUBLIC;
GRANT ALL ON DATABASE mine TO ROLE PUBLIC; GRANT ALL ON SCHEMA mine.public TO ROLE PUBLIC;
GRANT USAGE ON DATABASE vis TO ROLE PUBLIC; GRANT USAGE ON SCHEMA vis.pub TO ROLE PUBLIC;
CREATE USER eve"""

# {d}: a database, {s}: a schema in it, {t} a table, {g} a stage, {r} a stream, {k} a task of it.
# Hidden: VIS.PUB (visible) holding objects EVE holds nothing on; SECRET.SS (a database EVE
# cannot see) holding the same. Missing: the same shapes with names that never existed.
OBJECT_STATEMENTS = [
    "DROP TABLE {d}.{s}.{t}",
    "DESC TABLE {d}.{s}.{t}",
    "ALTER TABLE {d}.{s}.{t} SET COMMENT = 'x'",
    "ALTER TABLE {d}.{s}.{t} RENAME TO {d}.{s}.zz",
    "TRUNCATE TABLE {d}.{s}.{t}",
    "SELECT * FROM {d}.{s}.{t}",
    "SELECT * FROM {d}.{s}.{t} AT(OFFSET => -1)",
    "INSERT INTO {d}.{s}.{t} VALUES (1)",
    "CREATE TABLE mine.public.c AS SELECT * FROM {d}.{s}.{t}",
    "CREATE TABLE mine.public.c CLONE {d}.{s}.{t}",
    "CREATE STREAM mine.public.x ON TABLE {d}.{s}.{t}",
    "GRANT SELECT ON TABLE {d}.{s}.{t} TO ROLE PUBLIC",
    "SHOW GRANTS ON TABLE {d}.{s}.{t}",
    "DESC STAGE {d}.{s}.{g}",
    "DROP STAGE {d}.{s}.{g}",
    "LIST @{d}.{s}.{g}",
    "CREATE STAGE mine.public.x CLONE {d}.{s}.{g}",
    "DESC STREAM {d}.{s}.{r}",
    "DROP STREAM {d}.{s}.{r}",
    "SELECT * FROM {d}.{s}.{r}",
    "SELECT SYSTEM$STREAM_HAS_DATA('{d}.{s}.{r}')",
    "DESC TASK {d}.{s}.{k}",
    "DROP TASK {d}.{s}.{k}",
    "ALTER TASK {d}.{s}.{k} RESUME",
    "EXECUTE TASK {d}.{s}.{k}",
]
SCHEMA_STATEMENTS = [
    "DROP SCHEMA {d}.{s}",
    "DESC SCHEMA {d}.{s}",
    "ALTER SCHEMA {d}.{s} SET COMMENT = 'x'",
    "ALTER SCHEMA {d}.{s} RENAME TO zz",
    "USE SCHEMA {d}.{s}",
    "SHOW TABLES IN SCHEMA {d}.{s}",
    "SHOW TABLES HISTORY IN SCHEMA {d}.{s}",
    "CREATE SCHEMA mine.c CLONE {d}.{s}",
    "CREATE TABLE {d}.{s}.x (a INT)",
    "UNDROP SCHEMA {d}.{s}",
]
DATABASE_STATEMENTS = [
    "DROP DATABASE {d}",
    "DESC DATABASE {d}",
    "ALTER DATABASE {d} SET COMMENT = 'x'",
    "ALTER DATABASE {d} RENAME TO zz",
    "USE DATABASE {d}",
    "SHOW SCHEMAS HISTORY IN DATABASE {d}",
    "SHOW TABLES HISTORY IN DATABASE {d}",
    "SHOW STREAMS IN DATABASE {d}",
    "SHOW GRANTS ON DATABASE {d}",
    "CREATE DATABASE c CLONE {d}",
    "UNDROP DATABASE {d}",
]
DROPPED_STATEMENTS = [  # dropped objects the role holds nothing on
    ("UNDROP DATABASE {n}", "OLDSECRET", "NOPEDB"),
    ("UNDROP SCHEMA vis.{n}", "DS", "NOPEDS"),
    ("UNDROP TABLE vis.pub.{n}", "DT", "NOPEDT"),
    ("UNDROP TABLE vis.pub.{n}", "ST", "NOPEST"),  # live but hidden, none dropped
    ("UNDROP SCHEMA vis.{n}", "HID", "NOPEHID"),  # live but hidden, none dropped
]

HIDDEN_IN_VISIBLE = {"d": "VIS", "s": "PUB", "t": "ST", "g": "STG", "r": "STR", "k": "TK"}
MISSING_IN_VISIBLE = {"d": "VIS", "s": "PUB", "t": "NOPET", "g": "NOPEG", "r": "NOPER", "k": "NK"}
HIDDEN_DATABASE = {"d": "SECRET", "s": "SS", "t": "ST", "g": "STG", "r": "STR", "k": "TK"}
MISSING_DATABASE = {"d": "NOPEDB", "s": "NOPES", "t": "NOPET", "g": "NOPEG", "r": "NOPER", "k": "K"}


@pytest.fixture(scope="module")
def eve(tmp_path_factory: pytest.TempPathFactory) -> Session:
    s = Session.open(tmp_path_factory.mktemp("wh"), dialect="snowflake", clock=FixedClock(START))
    run(s, SETUP)
    s.login("eve")
    assert s.role == "PUBLIC"
    return s


def _answer(s: Session, statement: str) -> str:
    try:
        s.execute(statement)
    except CloneshellError as err:
        return err.text
    return "OK"


def _same(s: Session, template: str, hidden: dict[str, str], missing: dict[str, str]) -> None:
    got = _answer(s, template.format(**hidden))
    want = _answer(s, template.format(**missing))
    for key, name in hidden.items():
        if name != missing[key]:
            for a, b in (("'", "'"), ("'", "."), (".", "'"), (".", ".")):
                got = got.replace(f"{a}{name}{b}", f"{a}{missing[key]}{b}")
    assert want != "OK", template
    assert got == want, (template, got, want)


@pytest.mark.parametrize("template", OBJECT_STATEMENTS)
def test_a_hidden_object_is_a_missing_one(eve: Session, template: str) -> None:
    _same(eve, template, HIDDEN_IN_VISIBLE, MISSING_IN_VISIBLE)
    _same(eve, template, HIDDEN_DATABASE, MISSING_DATABASE)


@pytest.mark.parametrize("template", SCHEMA_STATEMENTS)
def test_a_hidden_schema_is_a_missing_one(eve: Session, template: str) -> None:
    _same(eve, template, {"d": "VIS", "s": "HID"}, {"d": "VIS", "s": "NOPEH"})
    _same(eve, template, {"d": "SECRET", "s": "SS"}, {"d": "NOPEDB", "s": "SS"})


@pytest.mark.parametrize("template", DATABASE_STATEMENTS)
def test_a_hidden_database_is_a_missing_one(eve: Session, template: str) -> None:
    _same(eve, template, {"d": "SECRET"}, {"d": "NOPEDB"})


@pytest.mark.parametrize(("template", "hidden", "missing"), DROPPED_STATEMENTS)
def test_a_hidden_dropped_object_is_a_missing_one(
    eve: Session, template: str, hidden: str, missing: str
) -> None:
    """UNDROP DATABASE OLDSECRET answered `Insufficient privileges … 'OLDSECRET'` before the
    fix (TABLE and SCHEMA alike), confirming that it existed."""
    _same(eve, template, {"n": hidden}, {"n": missing})


def test_listings_do_not_name_hidden_objects(eve: Session) -> None:
    assert [r[1] for r in rows(eve, "SHOW DATABASES HISTORY")] == ["MINE", "VIS"]
    assert [r[1] for r in rows(eve, "SHOW SCHEMAS HISTORY IN DATABASE vis")] == ["PUB"]
    for listing in (
        "SHOW TABLES HISTORY IN SCHEMA vis.pub",
        "SHOW STREAMS IN DATABASE vis",
        "SHOW TASKS IN DATABASE vis",
        "SHOW STAGES IN DATABASE vis",
        "SHOW TABLES IN ACCOUNT",
    ):
        assert rows(eve, listing) == [], listing
