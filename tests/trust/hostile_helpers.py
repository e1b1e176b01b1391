"""Helpers for the trust suites (sealed, attack, limits, fuzz): a canary outside the warehouse
that tells whether anything read or wrote there, a byte-level picture of the warehouse, and
checks that an error is coded and located."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cloneshell.engine import Session
from cloneshell.grammar.errors import CloneshellError

START = datetime(2024, 1, 15, 10, 0, 0)
OWNER_A = "ALIYUN$alice@aliyun.com"
OWNER_B = "ALIYUN$bob@aliyun.com"
RAM_A = "RAM$alice@aliyun.com:dev"

# `ODPS-0130161` (MaxCompute) or `001003` (Snowflake's number; the SQL state follows in the text).
MC_CODE = re.compile(r"ODPS-\d{7}")
SF_CODE = re.compile(r"\d{6}")
SF_TEXT = re.compile(r"\d{6} \([0-9A-Z]{5}\): ")

# An instant far enough back that any read of the file moves its access time, even on a
# `relatime` mount (which updates atime when it is older than a day).
_OLD = 946_684_800  # 2000-01-01


@dataclass
class Canary:
    """A directory outside the warehouse holding one file with known content and an old access
    time. `check()` fails if the file was read (atime moved, where the file system records
    reads), changed, or if anything else appeared in the directory (a COPY TO, an ATTACH, an
    EXPORT, a temp file)."""

    root: Path
    content: bytes = b"id,secret\n1,canary-7f3a\n"
    atime_recorded: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.file.write_bytes(self.content)
        (self.root / "canary.db").write_bytes(b"")  # an ATTACH target that already exists
        self.atime_recorded = self._probe_atime()
        self.reset()

    @property
    def file(self) -> Path:
        """The canary file (a small CSV, readable by every DuckDB reader)."""
        return self.root / "canary.csv"

    def reset(self) -> None:
        """Set the canary's times far back, so the next read is visible."""
        for p in (self.file, self.root / "canary.db"):
            os.utime(p, (_OLD, _OLD))

    def _probe_atime(self) -> bool:
        """Whether this file system records reads at all (noatime mounts do not)."""
        probe = self.root / "probe"
        probe.write_bytes(b"x")
        os.utime(probe, (_OLD, _OLD))
        probe.read_bytes()
        moved = probe.stat().st_atime != _OLD
        probe.unlink()
        return moved

    def check(self, what: str = "") -> None:
        """Nothing outside the warehouse was read or written."""
        if self.atime_recorded:  # first, before this check reads the file itself
            assert not self.was_read(), f"the canary outside the warehouse was read: {what}"
        names = sorted(p.name for p in self.root.iterdir())
        assert names == ["canary.csv", "canary.db"], (what, names)
        assert self.file.stat().st_mtime == _OLD, what  # nothing wrote it
        assert self.file.read_bytes() == self.content, what
        db = (self.root / "canary.db").stat()
        assert db.st_size == 0 and db.st_mtime == _OLD, what
        self.reset()

    def was_read(self) -> bool:
        """True if the canary (or the empty database file) was read since the last reset."""
        return any(p.stat().st_atime != _OLD for p in (self.file, self.root / "canary.db"))


def dir_files(root: Path) -> dict[str, str]:
    """Every file under `root`, by relative path, with a hash of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def warehouse_files(session: Session) -> dict[str, str]:
    """`dir_files` of the session's warehouse, taken after `idle()` (everything detached and
    checkpointed), so two pictures are equal exactly when nothing in the warehouse changed."""
    session.idle()
    return dir_files(Path(session.warehouse.root))


def assert_coded(err: CloneshellError, dialect: str, *, located: bool = True) -> None:
    """`err` carries its dialect's code, a text that starts with it and (unless `located` is
    False) a position in the statement."""
    if dialect == "snowflake":
        assert SF_CODE.fullmatch(err.code), err.text
        assert SF_TEXT.match(err.text), err.text
    else:
        assert MC_CODE.fullmatch(err.code), err.text
        assert err.text.startswith(err.code), err.text
    if located:
        assert err.span is not None, f"no position: {err.text}"
        assert err.span.line >= 1 and err.span.column >= 1, err.span


def open_session(root: Path, dialect: str, principal: str | None = None) -> Session:
    """A session on a frozen clock (MaxCompute: as alice unless told otherwise)."""
    from cloneshell.engine.core.clock import FixedClock

    if dialect == "maxcompute":
        principal = principal or OWNER_A
    return Session.open(root, principal=principal, dialect=dialect, clock=FixedClock(START))
