"""Snowflake users created with `PASSWORD = '…'`: what a server login must give
(Session.authenticate); others accept any password (identities are simulated). A registry of
format 3 (before passwords) gains the table on first open."""

from __future__ import annotations

from pathlib import Path

import duckdb

from cloneshell.engine import open_session


def _session(root: Path, user: str = "ALICE"):
    return open_session(root, user, None, "snowflake")


def test_password_is_checked_and_follows_replace_and_drop(tmp_path: Path) -> None:
    s = _session(tmp_path)
    s.execute("CREATE USER dora PASSWORD = 'Sesame1' DEFAULT_ROLE = PUBLIC")
    assert s.authenticate("wrong")  # ALICE has no password: any is accepted
    s.login("DORA")
    assert not s.authenticate("sesame1")
    assert s.authenticate("Sesame1")
    s.login("ALICE")
    s.execute("CREATE OR REPLACE USER dora PASSWORD = 'Other2'")
    s.login("DORA")
    assert not s.authenticate("Sesame1") and s.authenticate("Other2")
    s.login("ALICE")
    s.execute("DROP USER dora")
    s.execute("CREATE USER dora")
    s.login("DORA")
    assert s.authenticate("Other2") and s.authenticate("")
    s.close()
    # The digest, not the password, is what the registry keeps.
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    kept = con.execute("SELECT * FROM sf_user_passwords").fetchall()
    con.close()
    assert kept == []


def test_a_format_3_registry_gains_passwords(tmp_path: Path) -> None:
    _session(tmp_path).close()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("DROP TABLE sf_user_passwords")
    con.execute("UPDATE settings SET value = '3' WHERE key = 'format_version'")
    con.close()
    s = _session(tmp_path)
    s.execute("CREATE USER erin PASSWORD = 'x1'")
    s.login("ERIN")
    assert s.authenticate("x1") and not s.authenticate("x2")
    s.close()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    ((salt, digest),) = con.execute("SELECT salt, digest FROM sf_user_passwords").fetchall()
    con.close()
    assert "x1" not in (salt, digest) and len(digest) == 64
