"""Many clients on one file (issue 15): the server's sessions share one DuckDB database
(engine.share_files), so a file stays attached from one client's statement to the next instead
of being handed over (checkpoint, detach, attach) between them, and a shell process still gets
the file between the server's statements."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

sc = pytest.importorskip("snowflake.connector")

from cloneshell.engine.core import sharedfiles  # noqa: E402

CLIENTS, STATEMENTS = 4, 25


def _clients(served, errors: list[BaseException]) -> list[threading.Thread]:
    def client(number: int) -> None:
        try:
            con = served.snowflake(database="shared")
            cur = con.cursor()
            for i in range(STATEMENTS):
                if i % 2:
                    got = cur.execute("SELECT COUNT(*) FROM t WHERE client = %s", (number,))
                    assert got.fetchone() == ((i + 1) // 2,)
                else:
                    cur.execute("INSERT INTO t VALUES (%s, %s)", (number, i))
            con.close()
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion below
            errors.append(exc)

    return [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]


def _setup(served) -> object:
    admin = served.snowflake()
    admin.cursor().execute("CREATE DATABASE shared")
    admin.cursor().execute("CREATE TABLE shared.public.t (client INT, i INT)")
    return admin


def test_clients_on_one_table_share_its_attached_file(served, monkeypatch):
    attaches: list[str] = []
    take = sharedfiles.SharedFiles.take

    def counting(self, owner, file, write, generation):  # type: ignore[no-untyped-def]
        taken = take(self, owner, file, write, generation)
        if taken:
            attaches.append(file[0])
        return taken

    monkeypatch.setattr(sharedfiles.SharedFiles, "take", counting)
    admin = _setup(served)
    attaches.clear()
    errors: list[BaseException] = []
    threads = _clients(served, errors)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    inserts = (STATEMENTS + 1) // 2
    got = admin.cursor().execute(
        "SELECT client, COUNT(*), SUM(i) FROM shared.public.t GROUP BY client ORDER BY client"
    )
    assert got.fetchall() == [(k, inserts, sum(range(0, STATEMENTS, 2))) for k in range(CLIENTS)]
    admin.close()
    # 100 statements of 4 sessions on one database file: handed over between sessions, it was
    # attached again for most of them; shared, once (again only if a session went idle, which
    # lets go of every file, or a reader's file was attached again to write).
    project_attaches = [a for a in attaches if a.startswith("prj_")]
    assert len(project_attaches) <= 10, project_attaches


def test_a_shell_reads_while_clients_write_the_same_table(served, tmp_path: Path):
    admin = _setup(served)
    errors: list[BaseException] = []
    threads = _clients(served, errors)
    for thread in threads:
        thread.start()
    shell = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from cloneshell.shell.main import main; sys.exit(main())",
            "-w",
            str(served.warehouse),
            "--dialect",
            "snowflake",
            "-u",
            "ALICE",
            "--format",
            "csv",
            "--lock-timeout",
            "20",
            "-e",
            "SELECT COUNT(*) >= 0 AS ok FROM shared.public.t;",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["OK", "True"]
    count = admin.cursor().execute("SELECT COUNT(*) FROM shared.public.t").fetchone()
    assert count == (CLIENTS * ((STATEMENTS + 1) // 2),)
    admin.close()
