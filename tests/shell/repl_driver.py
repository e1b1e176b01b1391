"""Runs `cloneshell` (main()) over a FakeSession, for the pty tests of the REPL: a subprocess,
because the REPL needs a real terminal on stdin. Not a test module."""

from __future__ import annotations

import sys
from datetime import date

from shell_fakes import FakeSession

from cloneshell.engine.result import Column, Rows
from cloneshell.grammar.errors import CloneshellError, Span
from cloneshell.shell.main import main

ANSWERS = {
    "SELECT": [Rows((Column("id", "bigint"), Column("d", "date")), [(1, date(2024, 1, 15))])],
    "BAD": CloneshellError("Parse exception - invalid token", Span(0, 3, 1, 1, 1, 4), code="P"),
}

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], open_session=lambda config: FakeSession(ANSWERS)))
