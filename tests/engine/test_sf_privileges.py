"""Snowflake access control: one test per privilege rule (reference/snowflake.md §1.5, §6),
each asserting the exact error text and that the denied statement changed nothing."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run, snapshot, status

from cloneshell.engine import Session

DENIED = "003001 (42501): SQL access control error:\nInsufficient privileges to operate on "


@pytest.fixture
def world(sf: Session) -> Session:
    """ACCOUNTADMIN builds database D (schema PUBLIC, table T with one row) and roles; BOB holds
    role ANALYST (default). The session ends logged in as BOB."""
    run(
        sf,
        """CREATE ROLE analyst; CREATE ROLE loader;
        CREATE USER bob DEFAULT_ROLE = analyst;
        GRANT ROLE analyst TO USER bob;
        CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1);""",
    )
    sf.login("bob")
    assert sf.role == "ANALYST"
    return sf


def as_admin(s: Session, script: str) -> None:
    s.login("cloneshell")
    run(s, script)
    s.login("bob")


def denied(s: Session, statement: str, expected: str) -> None:
    """The statement fails with exactly `expected` and changes nothing."""
    before = snapshot(s)
    err = fails(s, statement)
    assert err.text == expected, err.text
    assert snapshot(s) == before


USAGE_ALL = """GRANT USAGE ON DATABASE d TO ROLE analyst;
GRANT USAGE ON SCHEMA d.public TO ROLE analyst;"""


def test_database_without_any_privilege_is_invisible(world: Session) -> None:
    denied(
        world,
        "USE DATABASE d",
        "002003 (02000): SQL compilation error:\nDatabase 'D' does not exist or not authorized.",
    )
    assert rows(world, "SHOW DATABASES") == []


def test_schema_without_usage_is_invisible(world: Session) -> None:
    as_admin(world, "GRANT USAGE ON DATABASE d TO ROLE analyst")
    run(world, "USE DATABASE d")
    denied(
        world,
        "SELECT * FROM d.public.t",
        "002003 (02000): SQL compilation error:\nSchema 'D.PUBLIC' does not exist or not "
        "authorized.",
    )


def test_table_without_any_privilege_is_invisible(world: Session) -> None:
    as_admin(world, USAGE_ALL)
    denied(
        world,
        "SELECT * FROM d.public.t",
        "002003 (42S02): SQL compilation error:\nObject 'D.PUBLIC.T' does not exist or not "
        "authorized.",
    )
    run(world, "USE DATABASE d")
    assert rows(world, "SHOW TABLES") == []


def test_select_needs_select(world: Session) -> None:
    as_admin(world, USAGE_ALL + "GRANT INSERT ON TABLE d.public.t TO ROLE analyst;")
    denied(world, "SELECT * FROM d.public.t", DENIED + "table 'T'")
    # ... also for a read with Time Travel and as the source of an INSERT.
    denied(world, "SELECT * FROM d.public.t AT(OFFSET => 0)", DENIED + "table 'T'")
    denied(world, "INSERT INTO d.public.t SELECT * FROM d.public.t", DENIED + "table 'T'")
    as_admin(world, "GRANT SELECT ON TABLE d.public.t TO ROLE analyst")
    assert rows(world, "SELECT count(*) FROM d.public.t") == [(1,)]


@pytest.mark.parametrize(
    ("privilege", "statement"),
    [
        ("INSERT", "INSERT INTO d.public.t VALUES (2)"),
        ("UPDATE", "UPDATE d.public.t SET v = 3"),
        ("DELETE", "DELETE FROM d.public.t"),
        ("TRUNCATE", "TRUNCATE TABLE d.public.t"),
    ],
)
def test_dml_needs_its_privilege(world: Session, privilege: str, statement: str) -> None:
    as_admin(world, USAGE_ALL + "GRANT SELECT ON TABLE d.public.t TO ROLE analyst;")
    denied(world, statement, DENIED + "table 'T'")
    as_admin(world, f"GRANT {privilege} ON TABLE d.public.t TO ROLE analyst")
    run(world, statement)


def test_create_table_needs_create_table_on_the_schema(world: Session) -> None:
    as_admin(world, USAGE_ALL)
    denied(world, "CREATE TABLE d.public.x (v INT)", DENIED + "schema 'PUBLIC'")
    as_admin(world, "GRANT CREATE TABLE ON SCHEMA d.public TO ROLE analyst")
    run(world, "CREATE TABLE d.public.x (v INT)")
    # The creator owns it (and may drop it).
    assert status(world, "DROP TABLE d.public.x") == "X successfully dropped."


def test_create_schema_needs_create_schema_on_the_database(world: Session) -> None:
    as_admin(world, "GRANT USAGE ON DATABASE d TO ROLE analyst")
    denied(world, "CREATE SCHEMA d.s", DENIED + "database 'D'")


def test_create_database_needs_the_account_privilege(world: Session) -> None:
    denied(world, "CREATE DATABASE mine", DENIED + "account 'CLONESHELL'")
    as_admin(world, "GRANT CREATE DATABASE ON ACCOUNT TO ROLE analyst")
    run(world, "CREATE DATABASE mine")


def test_create_role_needs_the_account_privilege(world: Session) -> None:
    denied(world, "CREATE ROLE r2", DENIED + "account 'CLONESHELL'")


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE d.public.t",
        "ALTER TABLE d.public.t RENAME TO d.public.t2",
        "ALTER TABLE d.public.t SET DATA_RETENTION_TIME_IN_DAYS = 5",
        "GRANT SELECT ON TABLE d.public.t TO ROLE loader",
    ],
)
def test_ownership_rules_the_table(world: Session, statement: str) -> None:
    as_admin(world, USAGE_ALL + "GRANT SELECT, INSERT ON TABLE d.public.t TO ROLE analyst;")
    denied(world, statement, DENIED + "table 'T'")


def test_undrop_needs_ownership(world: Session) -> None:
    as_admin(
        world,
        USAGE_ALL + "GRANT SELECT ON TABLE d.public.t TO ROLE analyst; DROP TABLE d.public.t; "
        "GRANT CREATE TABLE ON SCHEMA d.public TO ROLE analyst;",
    )
    denied(world, "UNDROP TABLE d.public.t", DENIED + "table 'T'")
    # A dropped table the role holds nothing on is one that never existed (issue 13, 19).
    as_admin(world, "CREATE TABLE d.public.u (v INT); DROP TABLE d.public.u")
    denied(
        world,
        "UNDROP TABLE d.public.u",
        "002003 (02000): SQL compilation error:\nTable 'U' did not exist or was purged.",
    )


def test_drop_schema_and_database_need_ownership(world: Session) -> None:
    as_admin(world, USAGE_ALL)
    denied(world, "DROP SCHEMA d.public", DENIED + "schema 'PUBLIC'")
    denied(world, "DROP DATABASE d", DENIED + "database 'D'")


def test_use_role_must_be_granted(world: Session) -> None:
    denied(
        world,
        "USE ROLE loader",
        "003013 (42501): SQL access control error:\nRequested role 'LOADER' is not assigned to "
        "the executing user.  Specify another role to activate.",
    )
    denied(
        world,
        "USE ROLE nosuch",
        "002003 (02000): SQL compilation error:\nRole 'NOSUCH' does not exist or not authorized.",
    )


def test_role_hierarchy_is_inherited(world: Session) -> None:
    as_admin(
        world,
        USAGE_ALL.replace("analyst", "loader")
        + "GRANT SELECT ON TABLE d.public.t TO ROLE loader; GRANT ROLE loader TO ROLE analyst;",
    )
    assert rows(world, "SELECT count(*) FROM d.public.t") == [(1,)]
    # A user may also activate a role it holds through the hierarchy.
    assert status(world, "USE ROLE loader") == "Statement executed successfully."


def test_public_role_grants_reach_everyone(world: Session) -> None:
    as_admin(
        world,
        USAGE_ALL.replace("analyst", "public") + "GRANT SELECT ON TABLE d.public.t TO ROLE public;",
    )
    assert rows(world, "SELECT count(*) FROM d.public.t") == [(1,)]


def test_grant_option_lets_a_role_grant_further(world: Session) -> None:
    as_admin(
        world,
        USAGE_ALL + "GRANT SELECT ON TABLE d.public.t TO ROLE analyst WITH GRANT OPTION;",
    )
    run(world, "GRANT SELECT ON TABLE d.public.t TO ROLE loader")
    denied(world, "GRANT DELETE ON TABLE d.public.t TO ROLE loader", DENIED + "table 'T'")


def test_manage_grants_may_grant_on_anything(world: Session) -> None:
    world.login("cloneshell")
    run(world, "USE ROLE securityadmin")
    run(world, "GRANT SELECT ON TABLE d.public.t TO ROLE analyst")
    # ... but it is not access: SECURITYADMIN itself cannot read the table.
    assert fails(world, "SELECT * FROM d.public.t").text.startswith("002003 (02000)")


def test_grant_role_needs_the_roles_ownership(world: Session) -> None:
    denied(world, "GRANT ROLE loader TO USER bob", DENIED + "role 'LOADER'")


def test_clone_table_needs_select_on_the_source(world: Session) -> None:
    as_admin(
        world,
        USAGE_ALL
        + "GRANT INSERT ON TABLE d.public.t TO ROLE analyst;"
        + "GRANT CREATE TABLE ON SCHEMA d.public TO ROLE analyst;",
    )
    denied(world, "CREATE TABLE d.public.c CLONE d.public.t", DENIED + "table 'T'")


def test_clone_table_needs_create_table_on_the_target(world: Session) -> None:
    as_admin(world, USAGE_ALL + "GRANT SELECT ON TABLE d.public.t TO ROLE analyst;")
    denied(world, "CREATE TABLE d.public.c CLONE d.public.t", DENIED + "schema 'PUBLIC'")


def test_clone_schema_needs_create_schema(world: Session) -> None:
    as_admin(world, USAGE_ALL)
    denied(world, "CREATE SCHEMA d.s2 CLONE d.public", DENIED + "database 'D'")


def test_clone_database_needs_create_database(world: Session) -> None:
    as_admin(world, USAGE_ALL)
    denied(world, "CREATE DATABASE d2 CLONE d", DENIED + "account 'CLONESHELL'")


def test_revoke_takes_access_away(world: Session) -> None:
    as_admin(world, USAGE_ALL + "GRANT SELECT ON TABLE d.public.t TO ROLE analyst;")
    assert rows(world, "SELECT count(*) FROM d.public.t") == [(1,)]
    as_admin(world, "REVOKE SELECT ON TABLE d.public.t FROM ROLE analyst")
    assert fails(world, "SELECT * FROM d.public.t").code == "002003"


def test_ownership_transfer(world: Session) -> None:
    as_admin(world, USAGE_ALL + "GRANT OWNERSHIP ON TABLE d.public.t TO ROLE analyst;")
    assert status(world, "ALTER TABLE d.public.t SET COMMENT = 'mine'") == (
        "Statement executed successfully."
    )
    grants = rows(world, "SHOW GRANTS ON TABLE d.public.t")
    assert [(r[1], r[2], r[3], r[5]) for r in grants] == [
        ("OWNERSHIP", "TABLE", "D.PUBLIC.T", "ANALYST")
    ]


def test_role_ownership_transfer_and_show_grants_on_role(world: Session) -> None:
    denied(world, "GRANT OWNERSHIP ON ROLE loader TO ROLE analyst", DENIED + "role 'LOADER'")
    as_admin(world, "GRANT OWNERSHIP ON ROLE loader TO ROLE analyst")
    grants = rows(world, "SHOW GRANTS ON ROLE loader")
    assert [(r[1], r[2], r[3], r[5]) for r in grants] == [
        ("OWNERSHIP", "ROLE", "LOADER", "ANALYST")
    ]
    # the new owner may now grant the role on
    assert status(world, "GRANT ROLE loader TO USER bob") == "Statement executed successfully."
