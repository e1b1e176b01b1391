"""Staged files are exact (issue 13, defects 10, 11, 12 and 18): a file is in a stage whole or
not at all, even when PUT is killed; stage paths, PUT names and PATTERN select exactly the files
they name, through LIST, COPY, REMOVE and load history alike; PATTERN runs in linear time with
RE2's syntax; a local file is read only if it is the user's own, never one inside the
warehouse, whatever links lead to it (engine/snowflake/stages.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from engine_helpers import START, fails, rows, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloneshell.engine import Session
from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.core.duck import duckdb
from cloneshell.grammar.errors import CloneshellError


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture
def db(sf: Session) -> Session:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (v STRING); CREATE STAGE s;")
    return sf


def staged(root: Path) -> list[str]:
    """Every file under the warehouse's stages, relative to it."""
    base = root / "stages"
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------- 10: whole or nothing


def test_a_put_killed_before_its_rename_leaves_nothing_to_list_or_load(
    db: Session, tmp_path: Path
) -> None:
    """Defect 10: kill -9 during `PUT … AUTO_COMPRESS = FALSE` left `.<name>.<hex>.part` in the
    stage, which LIST showed and COPY loaded. Here the process kills itself at the instant the
    written file would be renamed into place (the last moment before it is whole)."""
    root = db.warehouse.root
    db.close()
    source = tmp_path / "big.csv"
    source.write_text("".join(f"{i}\n" for i in range(50_000)))
    script = textwrap.dedent(
        f"""
        import os, signal
        from cloneshell.engine import Session
        s = Session.open({str(root)!r}, dialect="snowflake", project="D")
        os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        s.execute("PUT file://{source} @s AUTO_COMPRESS = FALSE")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    s = Session.open(root, dialect="snowflake", project="D", clock=FixedClock(START))
    try:
        assert rows(s, "LIST @s") == []
        assert rows(s, "COPY INTO t FROM @s") == [("Copy executed with 0 files processed.",)]
        assert staged(root) == []
        # Opening the warehouse cleaned up what the killed process left.
        assert not list((root / "tmp").iterdir())
        # A PUT that runs to its end puts the whole file.
        run(s, f"PUT file://{source} @s AUTO_COMPRESS = FALSE")
        ((name, size, _, _),) = rows(s, "LIST @s")
        assert (name, size) == ("s/big.csv", source.stat().st_size)
    finally:
        s.close()


def test_an_interrupted_put_stops_and_stages_nothing(db: Session, tmp_path: Path) -> None:
    """Ctrl-C (Session.interrupt, from the shell's main thread) stops a PUT that is copying a
    large file; the stage is left without it."""
    source = tmp_path / "zeros.csv"
    with source.open("wb") as f:
        f.truncate(3 << 30)  # 3 GB of zeros (sparse): compressing them takes seconds
    errors: list[BaseException] = []

    def put() -> None:
        try:
            db.execute(f"PUT file://{source} @s")
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    worker = threading.Thread(target=put)
    worker.start()
    time.sleep(0.5)
    started = time.monotonic()
    while worker.is_alive() and time.monotonic() - started < 10:
        db.interrupt()
        worker.join(0.1)
    stopped = time.monotonic() - started
    worker.join()
    assert stopped < 5, stopped
    assert [e.text for e in errors if isinstance(e, CloneshellError)] == [
        "000604 (57014): SQL execution canceled"
    ], errors
    assert rows(db, "LIST @s") == []
    assert staged(db.warehouse.root) == []


# ---------------------------------------------------------------------------- 11: literal paths


def test_a_stage_path_with_glob_characters_names_exactly_its_files(
    db: Session, tmp_path: Path
) -> None:
    """Defect 11: `@ST/x*/` listed one file but loaded both `x*/d.csv` and `xyz/d.csv` (the
    path reached DuckDB as a glob), and load history kept one, so a later COPY duplicated."""
    for folder, value in (("a", "from x*"), ("b", "from xyz")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "d.csv").write_text(value + "\n")
    run(db, f"PUT file://{tmp_path}/a/d.csv '@s/x*/'")
    run(db, f"PUT file://{tmp_path}/b/d.csv @s/xyz/")
    assert [r[0] for r in rows(db, "LIST '@s/x*/'")] == ["s/x*/d.csv.gz"]
    loaded = rows(db, "COPY INTO t FROM '@s/x*/'")
    assert [(r[0], r[1], r[3]) for r in loaded] == [("s/x*/d.csv.gz", "LOADED", 1)]
    assert rows(db, "SELECT v FROM t") == [("from x*",)]
    loaded = rows(db, "COPY INTO t FROM @s")
    assert [(r[0], r[3]) for r in loaded] == [("s/xyz/d.csv.gz", 1)]
    assert rows(db, "COPY INTO t FROM @s") == [("Copy executed with 0 files processed.",)]
    assert sorted(rows(db, "SELECT v FROM t")) == [("from x*",), ("from xyz",)]


def test_brackets_in_a_put_source_are_literal_and_star_and_question_mark_are_wildcards(
    db: Session, tmp_path: Path
) -> None:
    """Defect 11: `PUT file://…/d[1].csv` uploaded `d1.csv` (Python glob brackets). Snowflake's
    PUT takes `*` and `?` as wildcards in the file name; nothing else is one."""
    for name in ("d[1].csv", "d1.csv", "d12.csv", ".hidden.csv"):
        (tmp_path / name).write_text("x\n")
    put = rows(db, f"PUT 'file://{tmp_path}/d[1].csv' @s/brackets/ AUTO_COMPRESS = FALSE")
    assert [r[0] for r in put] == ["d[1].csv"]
    put = rows(db, f"PUT 'file://{tmp_path}/d?.csv' @s/question/ AUTO_COMPRESS = FALSE")
    assert [r[0] for r in put] == ["d1.csv"]
    put = rows(db, f"PUT 'file://{tmp_path}/*.csv' @s/star/ AUTO_COMPRESS = FALSE")
    # As a shell's `*`, a wildcard does not match a hidden file's leading dot.
    assert [r[0] for r in put] == ["d1.csv", "d12.csv", "d[1].csv"]
    err = fails(db, f"PUT 'file://{tmp_path}/d[2].csv' @s")
    assert err.text == f"253006 (n/a): File doesn't exist: ['{tmp_path}/d[2].csv']"
    err = fails(db, f"PUT 'file://{tmp_path}/*/d.csv' @s")
    assert "wildcards (* and ?) in the file name only" in err.text


def test_a_folder_that_looks_like_a_hive_partition_adds_no_column(
    db: Session, tmp_path: Path
) -> None:
    """A sibling of defect 11: DuckDB's readers also read meaning into a path (`key=value/`
    folders become columns: a Parquet row loaded into a VARIANT gained `"year": 2024`). A
    staged path is only a name."""
    run(db, "CREATE TABLE j (v VARIANT)")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 1 AS a) TO '{tmp_path}/r.parquet'")
    con.close()
    run(db, f"PUT file://{tmp_path}/r.parquet @s/year=2024/")
    run(db, "COPY INTO j FROM @s/year=2024/ FILE_FORMAT = (TYPE = PARQUET)")
    assert [str(r[0]) for r in rows(db, "SELECT v FROM j")] == ['{"a":1}']


_NAME_CHARS = "ab*?[]{}.,=!^-~$%#() "
_names = st.text(alphabet=_NAME_CHARS, min_size=1, max_size=6).filter(
    lambda n: n not in (".", "..") and n.strip() == n
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.lists(st.tuples(_names, _names), min_size=1, max_size=6, unique=True))
def test_names_with_glob_and_regex_characters_are_listed_loaded_and_removed_once(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[str, str]]
) -> None:
    """Any file name and stage folder made of glob and regular-expression metacharacters goes
    through PUT, LIST, COPY and REMOVE as itself: each file listed once, loaded once (load
    history included), and removed exactly when its folder is named."""
    base = tmp_path_factory.mktemp("prop")
    s = Session.open(base / "wh", dialect="snowflake", clock=FixedClock(START))
    try:
        run(s, "CREATE DATABASE d; CREATE TABLE t (v STRING); CREATE STAGE s;")
        expected: dict[str, str] = {}
        for i, (folder, name) in enumerate(files):
            local = base / f"src{i}"
            local.mkdir()
            (local / name).write_text(f"row{i}\n")
            # Alone in its folder, a name's own `*` and `?` match only itself.
            run(s, f"PUT {quoted(f'file://{local}/{name}')} {quoted(f'@s/{folder}/')}")
            expected[f"s/{folder}/{name}.gz"] = f"row{i}"
        listed = [r[0] for r in rows(s, "LIST @s")]
        assert listed == sorted(expected)
        for folder in {f for f, _ in files}:
            under = [r[0] for r in rows(s, f"LIST {quoted(f'@s/{folder}/')}")]
            assert under == sorted(k for k in expected if k.startswith(f"s/{folder}/"))
        loaded = rows(s, "COPY INTO t FROM @s")
        assert sorted((r[0], r[3]) for r in loaded) == [(k, 1) for k in sorted(expected)]
        assert rows(s, "COPY INTO t FROM @s") == [("Copy executed with 0 files processed.",)]
        assert sorted(r[0] for r in rows(s, "SELECT v FROM t")) == sorted(expected.values())
        folder = files[0][0]
        removed = [r[0] for r in rows(s, f"REMOVE {quoted(f'@s/{folder}/')}")]
        assert removed == sorted(k for k in expected if k.startswith(f"s/{folder}/"))
        left = [r[0] for r in rows(s, "LIST @s")]
        assert left == sorted(k for k in expected if k not in removed)
    finally:
        s.close()


# ---------------------------------------------------------------------------- 12: PATTERN


def test_pattern_runs_in_linear_time(db: Session, tmp_path: Path) -> None:
    """Defect 12: `PATTERN = '(a+)+b'` over a 32-character name took hours (Python's
    backtracking `re`); RE2 (DuckDB's regexp functions) answers at once. 26 characters here
    keep the old code's failure to about a minute."""
    name = "a" * 26
    (tmp_path / name).write_text("x\n")
    run(db, f"PUT file://{tmp_path}/{name} @s AUTO_COMPRESS = FALSE")
    for statement in (
        "LIST @s PATTERN = '(a+)+b'",
        "COPY INTO t FROM @s PATTERN = '(a+)+b'",
        "REMOVE @s PATTERN = '(a+)+b'",
    ):
        started = time.monotonic()
        found = rows(db, statement)
        assert time.monotonic() - started < 2, statement
        assert found in ([], [("Copy executed with 0 files processed.",)]), statement
    assert [r[0] for r in rows(db, "LIST @s PATTERN = '(a+)+'")] == [f"s/{name}"]


def test_pattern_has_re2_syntax(db: Session, tmp_path: Path) -> None:
    """RE2 (Snowflake's dialect) refuses look-arounds and back-references, which Python's `re`
    accepted, and knows Unicode classes (`\\pL`), which `re` refused."""
    (tmp_path / "données.csv").write_text("x\n")
    run(db, f"PUT file://{tmp_path}/données.csv @s AUTO_COMPRESS = FALSE")
    assert [r[0] for r in rows(db, "LIST @s PATTERN = '\\\\pL+[.]csv'")] == ["s/données.csv"]
    for pattern in ("(?=d).*", "(d)\\\\1.*", "(d"):
        for statement in (
            f"LIST @s PATTERN = '{pattern}'",
            f"REMOVE @s PATTERN = '{pattern}'",
            f"COPY INTO t FROM @s PATTERN = '{pattern}'",
        ):
            err = fails(db, statement)
            assert err.text.startswith(
                "002000 (42000): SQL compilation error:\ninvalid PATTERN regular expression: "
            ), (statement, err.text)
    assert [r[0] for r in rows(db, "LIST @s")] == ["s/données.csv"]


def test_a_pipe_with_an_invalid_pattern_is_refused_when_created(db: Session) -> None:
    err = fails(db, "CREATE PIPE p AS COPY INTO t FROM @s PATTERN = '(?=x)'")
    assert "invalid PATTERN regular expression: invalid perl operator: (?=" in err.text
    assert rows(db, "SHOW PIPES") == []


# ---------------------------------------------------------------------------- 18: whose files


@pytest.fixture
def secret(db: Session, tmp_path: Path) -> Path:
    """DB `d`'s internal stage `s` holds secret.csv; returns that file's place on disk."""
    (tmp_path / "secret.csv").write_text("top secret\n")
    run(db, f"PUT file://{tmp_path}/secret.csv @s AUTO_COMPRESS = FALSE")
    (path,) = (db.warehouse.root / "stages").rglob("secret.csv")
    return path


@pytest.mark.parametrize("link", ["symlink", "hardlink", "symlinked folder"])
def test_a_file_stage_never_reads_a_warehouse_file_through_a_link(
    db: Session, tmp_path: Path, secret: Path, link: str
) -> None:
    """Defect 18: `ext/stolen.csv`, a link to another database's internal stage file, was
    listed and loaded through `CREATE STAGE ext URL = 'file:///…/ext/'` without READ on that
    stage."""
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "mine.csv").write_text("my own\n")
    if link == "symlink":
        (ext / "stolen.csv").symlink_to(secret)
    elif link == "hardlink":
        os.link(secret, ext / "stolen.csv")
    else:
        (ext / "stolen").symlink_to(secret.parent)
    run(
        db,
        f"CREATE DATABASE d2; CREATE TABLE t2 (v STRING); CREATE STAGE ext URL = 'file://{ext}/'",
    )
    assert [r[0] for r in rows(db, "LIST @ext")] == [f"file://{ext}/mine.csv"]
    loaded = rows(db, "COPY INTO t2 FROM @ext")
    assert [r[0] for r in loaded] == [f"file://{ext}/mine.csv"]
    assert rows(db, "SELECT v FROM t2") == [("my own",)]
    stolen = "stolen.csv" if link != "symlinked folder" else "stolen/secret.csv"
    err = fails(db, f"COPY INTO t2 FROM @ext FILES = ('{stolen}')")
    assert f"Remote file 'file://{ext}/{stolen}' was not found." in err.text
    err = fails(db, f"PUT file://{ext}/{stolen} @d2.public.%t2")
    assert "is inside the warehouse directory" in err.text


def test_a_put_source_swapped_for_a_link_after_the_check_is_still_refused(
    db: Session, tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is made on the file actually opened: a source replaced by a link into the
    warehouse between finding it and reading it is refused, not copied."""
    from cloneshell.engine.snowflake import stages

    source = tmp_path / "innocent.csv"
    source.write_text("fine\n")
    found = stages.local_files

    def swap(pattern: str, cwd: Path | None = None) -> list[Path]:
        paths = found(pattern, cwd)
        source.unlink()
        source.symlink_to(secret)
        return paths

    monkeypatch.setattr(stages, "local_files", swap)
    err = fails(db, f"PUT file://{source} @s/copy/")
    assert "is inside the warehouse directory" in err.text
    assert [r[0] for r in rows(db, "LIST @s")] == ["s/secret.csv"]


def test_a_fifo_in_a_file_stage_does_not_hang(db: Session, tmp_path: Path) -> None:
    ext = tmp_path / "ext"
    ext.mkdir()
    os.mkfifo(ext / "pipe.csv")
    (ext / "mine.csv").write_text("my own\n")
    run(db, f"CREATE STAGE ext URL = 'file://{ext}/'")
    assert [r[0] for r in rows(db, "LIST @ext")] == [f"file://{ext}/mine.csv"]
    err = fails(db, f"PUT file://{ext}/pipe.csv @s")
    assert err.text == f"253006 (n/a): File doesn't exist: ['{ext}/pipe.csv']"
