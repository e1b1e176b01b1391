"""ALTER ACCOUNT SET | UNSET of parameters and SHOW PARAMETERS at every level: the account's
DATA_RETENTION_TIME_IN_DAYS is the default of every object that sets none, its
MIN_DATA_RETENTION_TIME_IN_DAYS raises the effective retention of permanent objects (Snowflake's
"Time Travel" and "Parameters" pages: effective = MAX(DATA_RETENTION_TIME_IN_DAYS,
MIN_DATA_RETENTION_TIME_IN_DAYS)), and Time Travel, UNDROP and purges follow the effective
value."""

from __future__ import annotations

from datetime import timedelta

from engine_helpers import fails, rows, run, snapshot

from cloneshell.engine import Session

UNAVAILABLE = (
    "000707 (02000): Time travel data is not available for table T. The requested time is "
    "either beyond the allowed time travel period or before the object creation time."
)
DENIED = "003001 (42501): SQL access control error:\nInsufficient privileges to operate on account"


def params(s: Session, sql: str) -> dict[str, tuple[object, object]]:
    """SHOW PARAMETERS rows as key -> (value, level)."""
    return {str(r[0]): (r[1], r[3]) for r in rows(s, sql)}


def test_show_parameters_in_account_lists_retention(sf: Session) -> None:
    # Parameter management page: SHOW PARAMETERS [LIKE '<pattern>'] IN ACCOUNT.
    got = rows(sf, "SHOW PARAMETERS LIKE 'DATA_RET%' IN ACCOUNT")
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in got] == [
        ("DATA_RETENTION_TIME_IN_DAYS", "1", "1", "", "NUMBER")
    ]
    every = params(sf, "SHOW PARAMETERS IN ACCOUNT")
    assert every["MIN_DATA_RETENTION_TIME_IN_DAYS"] == ("0", "")
    assert every["AUTOCOMMIT"] == ("true", "")
    # Account parameters are not in the default (session) output of SHOW PARAMETERS.
    session = params(sf, "SHOW PARAMETERS")
    assert "MIN_DATA_RETENTION_TIME_IN_DAYS" not in session
    assert "DATA_RETENTION_TIME_IN_DAYS" not in session
    assert "TIMEZONE" in session


def test_account_retention_is_inherited_and_overridden(sf: Session) -> None:
    run(sf, "ALTER ACCOUNT SET DATA_RETENTION_TIME_IN_DAYS = 7")
    assert params(sf, "SHOW PARAMETERS LIKE 'DATA_RETENTION%' IN ACCOUNT") == {
        "DATA_RETENTION_TIME_IN_DAYS": ("7", "ACCOUNT")
    }
    run(sf, "CREATE DATABASE d; CREATE SCHEMA s DATA_RETENTION_TIME_IN_DAYS = 3")
    run(sf, "CREATE TABLE t (v INT); CREATE TABLE u (v INT) DATA_RETENTION_TIME_IN_DAYS = 30")
    run(sf, "CREATE SCHEMA p")
    like = "LIKE 'DATA_RETENTION%'"
    assert params(sf, f"SHOW PARAMETERS {like} IN DATABASE d")["DATA_RETENTION_TIME_IN_DAYS"] == (
        "7",
        "ACCOUNT",
    )
    assert params(sf, f"SHOW PARAMETERS {like} IN SCHEMA d.s")["DATA_RETENTION_TIME_IN_DAYS"] == (
        "3",
        "SCHEMA",
    )
    assert params(sf, f"SHOW PARAMETERS {like} IN SCHEMA d.p")["DATA_RETENTION_TIME_IN_DAYS"] == (
        "7",
        "ACCOUNT",
    )
    assert params(sf, f"SHOW PARAMETERS {like} IN TABLE d.s.t")["DATA_RETENTION_TIME_IN_DAYS"] == (
        "3",
        "SCHEMA",
    )
    assert params(sf, f"SHOW PARAMETERS {like} FOR TABLE d.s.u")["DATA_RETENTION_TIME_IN_DAYS"] == (
        "30",
        "TABLE",
    )
    run(sf, "ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 2")
    assert params(sf, f"SHOW PARAMETERS {like} IN SCHEMA d.p")["DATA_RETENTION_TIME_IN_DAYS"] == (
        "2",
        "DATABASE",
    )
    retention = {str(r[1]): r[10] for r in rows(sf, "SHOW TABLES IN DATABASE d")}
    assert retention == {"T": "3", "U": "30"}
    # Every object parameter of a table is listed, with its value and level.
    listed = params(sf, "SHOW PARAMETERS IN TABLE d.s.t")
    assert set(listed) == {
        "DATA_RETENTION_TIME_IN_DAYS",
        "DEFAULT_DDL_COLLATION",
        "MAX_DATA_EXTENSION_TIME_IN_DAYS",
    }
    assert listed["MAX_DATA_EXTENSION_TIME_IN_DAYS"] == ("14", "")
    run(sf, "ALTER TABLE d.s.t SET MAX_DATA_EXTENSION_TIME_IN_DAYS = 3")
    assert params(sf, "SHOW PARAMETERS LIKE 'MAX%' IN TABLE d.s.t") == {
        "MAX_DATA_EXTENSION_TIME_IN_DAYS": ("3", "TABLE")
    }
    run(sf, "ALTER ACCOUNT UNSET DATA_RETENTION_TIME_IN_DAYS")
    assert params(sf, f"SHOW PARAMETERS {like} IN ACCOUNT") == {
        "DATA_RETENTION_TIME_IN_DAYS": ("1", "")
    }


def test_account_default_decides_time_travel_and_purge(sf: Session) -> None:
    run(sf, "ALTER ACCOUNT SET DATA_RETENTION_TIME_IN_DAYS = 3")
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(days=2))
    run(sf, "DELETE FROM t")
    # Two days back is within the account's 3 days (the default 1 day would refuse it).
    assert rows(sf, "SELECT v FROM t AT(OFFSET => -60*60*24*2 + 60)") == [(1,)]
    sf.move_clock(timedelta(days=2))
    assert fails(sf, "SELECT v FROM t AT(OFFSET => -60*60*24*4 + 60)").text == UNAVAILABLE
    run(sf, "DROP TABLE t")
    sf.move_clock(timedelta(days=2))
    run(sf, "UNDROP TABLE t")  # dropped 2 days ago: the account's 3 days keep it
    run(sf, "DROP TABLE t")
    sf.move_clock(timedelta(days=3, seconds=1))
    assert fails(sf, "UNDROP TABLE t").text.endswith("Table 'T' did not exist or was purged.")


def test_minimum_raises_effective_retention(sf: Session) -> None:
    # CIS benchmark / Time Travel page: ALTER ACCOUNT SET MIN_DATA_RETENTION_TIME_IN_DAYS=7.
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT) DATA_RETENTION_TIME_IN_DAYS = 0")
    run(sf, "CREATE TRANSIENT TABLE tr (v INT); CREATE TABLE one (v INT)")
    sf.move_clock(timedelta(minutes=10))
    run(sf, "ALTER ACCOUNT SET MIN_DATA_RETENTION_TIME_IN_DAYS=7")
    retention = {str(r[1]): r[10] for r in rows(sf, "SHOW TABLES")}
    # MAX(0, 7) and MAX(1, 7) for the permanent tables; a transient one keeps at most a day.
    assert retention == {"T": "7", "TR": "1", "ONE": "7"}
    # The object's own DATA_RETENTION_TIME_IN_DAYS is unchanged.
    assert params(sf, "SHOW PARAMETERS LIKE 'DATA%' IN TABLE t") == {
        "DATA_RETENTION_TIME_IN_DAYS": ("0", "TABLE")
    }
    # Retention 0 kept no history so far; from the change on, t keeps 7 days of it.
    sf.move_clock(timedelta(minutes=1))
    run(sf, "INSERT INTO t VALUES (1)")
    sf.move_clock(timedelta(days=5))
    run(sf, "DELETE FROM t")
    assert rows(sf, "SELECT v FROM t AT(OFFSET => -60*60*24*5 + 60)") == [(1,)]
    # A point before the change (after t was created) stays out of reach: no history was
    # kept then.
    assert fails(sf, "SELECT v FROM t AT(OFFSET => -60*60*24*5 - 60*5)").text == UNAVAILABLE
    run(sf, "DROP TABLE one")
    sf.move_clock(timedelta(days=6))
    run(sf, "UNDROP TABLE one")  # 6 days: within the minimum
    # Unsetting the minimum puts t back at 0: its history goes at once.
    run(sf, "ALTER ACCOUNT UNSET MIN_DATA_RETENTION_TIME_IN_DAYS")
    assert fails(sf, "SELECT v FROM t AT(OFFSET => -60)").text == UNAVAILABLE
    assert {str(r[1]): r[10] for r in rows(sf, "SHOW TABLES")} == {"T": "0", "TR": "1", "ONE": "1"}


def test_account_session_parameters_are_session_defaults(sf: Session) -> None:
    run(sf, "ALTER ACCOUNT SET TIMEZONE = 'Europe/Paris', AUTOCOMMIT = FALSE")
    assert params(sf, "SHOW PARAMETERS LIKE 'TIMEZONE'") == {
        "TIMEZONE": ("Europe/Paris", "ACCOUNT")
    }
    run(sf, "ALTER SESSION SET TIMEZONE = 'UTC'")
    assert params(sf, "SHOW PARAMETERS LIKE 'TIMEZONE' IN SESSION") == {
        "TIMEZONE": ("UTC", "SESSION")
    }
    assert params(sf, "SHOW PARAMETERS LIKE 'TIMEZONE' IN ACCOUNT") == {
        "TIMEZONE": ("Europe/Paris", "ACCOUNT")
    }
    # AUTOCOMMIT = FALSE on the account: a DML statement opens a transaction.
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT); INSERT INTO t VALUES (1)")
    assert len(rows(sf, "SHOW TRANSACTIONS")) == 1
    run(sf, "ROLLBACK")
    assert rows(sf, "SELECT count(*) FROM t") == [(0,)]
    run(sf, "ALTER ACCOUNT UNSET AUTOCOMMIT, TIMEZONE")
    assert params(sf, "SHOW PARAMETERS LIKE 'AUTOCOMMIT'") == {"AUTOCOMMIT": ("true", "")}


def test_alter_account_refusals_change_nothing(sf: Session, sf_factory: object) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v INT)")
    before = snapshot(sf)
    err = fails(sf, "ALTER ACCOUNT SET DATA_RETENTION_TIME_IN_DAYS = 91")
    assert err.text.endswith("invalid value [91] for parameter 'DATA_RETENTION_TIME_IN_DAYS'")
    err = fails(sf, "ALTER ACCOUNT SET TIMEZONE = 'UTC', AUTOCOMMIT = maybe")
    assert err.text.endswith("invalid value [maybe] for parameter 'AUTOCOMMIT'")
    err = fails(sf, "ALTER ACCOUNT SET SSO_LOGIN_PAGE = TRUE")
    assert err.text == "000002 (0A000): Unsupported feature 'parameter SSO_LOGIN_PAGE'."
    err = fails(sf, "ALTER ACCOUNT SET DEFAULT_DDL_COLLATION = 'en-ci'")
    assert err.text == "000002 (0A000): Unsupported feature 'collation 'en-ci''."
    err = fails(sf, "ALTER ACCOUNT UNSET NETWORK_POLICY")
    assert err.text == "000002 (0A000): Unsupported feature 'parameter NETWORK_POLICY'."
    # Only ACCOUNTADMIN alters the account (SYSADMIN is below it).
    run(sf, "USE ROLE SYSADMIN")
    assert fails(sf, "ALTER ACCOUNT SET DATA_RETENTION_TIME_IN_DAYS = 5").text == (
        DENIED + " 'CLONESHELL'"
    )
    assert snapshot(sf) == before
    assert params(sf, "SHOW PARAMETERS LIKE '%RETENTION%' IN ACCOUNT") == {
        "DATA_RETENTION_TIME_IN_DAYS": ("1", ""),
        "MIN_DATA_RETENTION_TIME_IN_DAYS": ("0", ""),
    }


def test_show_parameters_of_missing_objects(sf: Session) -> None:
    run(sf, "CREATE DATABASE d")
    assert fails(sf, "SHOW PARAMETERS IN DATABASE nope").text.endswith(
        "Database 'NOPE' does not exist or not authorized."
    )
    assert fails(sf, "SHOW PARAMETERS IN TABLE nope").text.endswith(
        "Object 'D.PUBLIC.NOPE' does not exist or not authorized."
    )
    err = fails(sf, "SHOW PARAMETERS IN WAREHOUSE w")
    assert err.text == "000002 (0A000): Unsupported feature 'SHOW PARAMETERS IN WAREHOUSE'."
    # Without a name: the current database and schema.
    assert params(sf, "SHOW PARAMETERS LIKE 'DATA%' IN DATABASE") == {
        "DATA_RETENTION_TIME_IN_DAYS": ("1", "")
    }
    assert params(sf, "SHOW PARAMETERS LIKE 'DATA%' IN SCHEMA") == {
        "DATA_RETENTION_TIME_IN_DAYS": ("1", "")
    }
