"""Snowflake grants over their life (issue 13, defects 4, 19, 20, 21): DROP ROLE takes the role's
grants with it and hands what it owned to the dropping role; REVOKE of a privilege granted
onward is RESTRICT (refused) by default and CASCADE removes the grants made from it; SHOW GRANTS
TO ROLE needs that role or MANAGE GRANTS; SYSTEM$STREAM_HAS_DATA needs what reading the stream
needs. Each denied statement changes nothing."""

from __future__ import annotations

from engine_helpers import fails, rows, run, snapshot

from cloneshell.engine import Session


def _grantees(s: Session, sql: str) -> set[str]:
    (result,) = s.execute(sql)
    names = [c.name for c in result.columns]  # type: ignore[union-attr]
    at = names.index("grantee_name")
    return {str(r[at]) for r in result.rows}  # type: ignore[union-attr]


def test_drop_role_takes_its_grants_and_hands_over_its_ownerships(sf: Session) -> None:
    """Defect 4: re-creating dropped roles R and OWNR gave back SELECT on SECRET and its
    ownership."""
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE secret (v INT); INSERT INTO secret VALUES (42);
        CREATE SCHEMA owned; USE SCHEMA d.public;
        CREATE ROLE r; CREATE ROLE ownr;
        GRANT USAGE ON DATABASE d TO ROLE r; GRANT USAGE ON SCHEMA d.public TO ROLE r;
        GRANT SELECT ON TABLE secret TO ROLE r;
        GRANT OWNERSHIP ON TABLE secret TO ROLE ownr;
        GRANT OWNERSHIP ON SCHEMA owned TO ROLE ownr;
        DROP ROLE r; DROP ROLE ownr;""",
    )
    shown = rows(sf, "SHOW GRANTS ON TABLE secret")
    assert {str(r[5]) for r in shown} == {"ACCOUNTADMIN"}, shown
    assert "R" not in _grantees(sf, "SHOW GRANTS ON SCHEMA d.public")
    run(
        sf,
        """CREATE USER ua; GRANT ROLE useradmin TO USER ua;
        GRANT USAGE ON DATABASE d TO ROLE useradmin;
        GRANT USAGE ON SCHEMA d.public TO ROLE useradmin""",
    )
    sf.login("ua")
    run(
        sf,
        """USE ROLE useradmin; CREATE ROLE r; CREATE ROLE ownr;
        GRANT ROLE r TO USER ua; GRANT ROLE ownr TO USER ua;
        USE ROLE r""",
    )
    before = snapshot(sf)
    err = fails(sf, "SELECT * FROM d.public.secret")
    assert "does not exist or not authorized" in err.text, err.text
    run(sf, "USE ROLE ownr")
    err = fails(sf, "DROP TABLE d.public.secret")
    assert "does not exist or not authorized" in err.text, err.text
    assert snapshot(sf) == before
    sf.login("cloneshell")
    assert rows(sf, "SELECT v FROM d.public.secret") == [(42,)]
    owners = {str(r[1]): str(r[5]) for r in rows(sf, "SHOW SCHEMAS IN DATABASE d")}
    assert owners["OWNED"] == "ACCOUNTADMIN", owners


def test_revoke_of_a_privilege_granted_onward(sf: Session) -> None:
    """Defect 20: REVOKE from R1 succeeded and R2 kept the grant R1 had made."""
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (v INT);
        CREATE ROLE r1; CREATE ROLE r2; CREATE USER u1; GRANT ROLE r1 TO USER u1;
        GRANT USAGE ON DATABASE d TO ROLE r1; GRANT USAGE ON SCHEMA d.public TO ROLE r1;
        GRANT SELECT ON TABLE t TO ROLE r1 WITH GRANT OPTION""",
    )
    sf.login("u1")
    run(sf, "USE ROLE r1; GRANT SELECT ON TABLE d.public.t TO ROLE r2")
    sf.login("cloneshell")
    assert _grantees(sf, "SHOW GRANTS ON TABLE t") >= {"R1", "R2"}
    before = snapshot(sf)
    for sql in (
        "REVOKE SELECT ON TABLE t FROM ROLE r1",
        "REVOKE SELECT ON TABLE t FROM ROLE r1 RESTRICT",
    ):
        err = fails(sf, sql)
        assert "Dependent grant of privilege 'SELECT'" in err.text and "'R2'" in err.text, err.text
        assert snapshot(sf) == before
    run(sf, "REVOKE SELECT ON TABLE t FROM ROLE r1 CASCADE")
    assert {"R1", "R2"}.isdisjoint(_grantees(sf, "SHOW GRANTS ON TABLE t"))
    # Without onward grants, RESTRICT has nothing to refuse.
    run(sf, "GRANT SELECT ON TABLE t TO ROLE r2; REVOKE SELECT ON TABLE t FROM ROLE r2")
    assert "R2" not in _grantees(sf, "SHOW GRANTS ON TABLE t")


def test_stream_has_data_needs_select_on_the_table(sf: Session) -> None:
    """Defect 21: SYSTEM$STREAM_HAS_DATA answered for a table the role cannot read."""
    run(
        sf,
        """CREATE DATABASE d; CREATE TABLE t (v INT); CREATE STREAM s ON TABLE t;
        INSERT INTO t VALUES (1);
        CREATE ROLE watcher; GRANT ROLE watcher TO USER cloneshell;
        GRANT USAGE ON DATABASE d TO ROLE watcher; GRANT USAGE ON SCHEMA d.public TO ROLE watcher;
        GRANT SELECT ON STREAM s TO ROLE watcher; USE ROLE watcher""",
    )
    err = fails(sf, "SELECT SYSTEM$STREAM_HAS_DATA('s')")
    assert err.text.endswith("Insufficient privileges to operate on table 'T'"), err.text
    run(sf, "USE ROLE accountadmin; GRANT SELECT ON TABLE t TO ROLE watcher; USE ROLE watcher")
    assert rows(sf, "SELECT SYSTEM$STREAM_HAS_DATA('s')") == [(True,)]


def test_show_grants_to_a_role_needs_that_role(sf: Session) -> None:
    """Defect 19 (first half): a user with only PUBLIC saw ACCOUNTADMIN's grants, naming
    objects hidden from them."""
    run(sf, "CREATE DATABASE hidden; CREATE USER pub")
    sf.login("pub")
    err = fails(sf, "SHOW GRANTS TO ROLE accountadmin")
    assert err.text.endswith("Insufficient privileges to operate on role 'ACCOUNTADMIN'"), err
    rows(sf, "SHOW GRANTS TO ROLE public")  # its own role: shown (rows() fails on an error)
    sf.login("cloneshell")
    assert "HIDDEN" in {str(r[3]) for r in rows(sf, "SHOW GRANTS TO ROLE accountadmin")}
