"""`Session`: one principal's connection to a warehouse; executes statement text."""

from __future__ import annotations

from pathlib import Path

from cloneshell.engine.result import Result


class Session:
    """The identity, current project, flags and dialect of one shell, over one warehouse.

    Interface (stable, used by the shell):
      Session.open(warehouse_dir, principal=None, project=None, dialect="maxcompute", clock=None)
      .execute(text) -> list[Result]       one statement's text (no trailing ';' needed);
                                            raises CloneshellError with .text/.code/.span
      .login(principal) -> None            act as another principal from now on
      .principal: str, .project: str | None, .dialect_name: str
      .prompt() -> str                     e.g. 'odps@ my_project>'
      .idle() -> None                      release project files while waiting for input
      .interrupt() -> None                 cancel the running statement (another thread)
      .close() -> None
    """

    def __init__(self) -> None:
        self.principal = "ALIYUN$odps_user@aliyun.com"
        self.project: str | None = "my_project"
        self.dialect_name = "maxcompute"

    @classmethod
    def open(
        cls,
        warehouse_dir: Path | str,
        principal: str | None = None,
        project: str | None = None,
        dialect: str = "maxcompute",
        clock: object | None = None,
    ) -> Session:
        """Open (creating if missing) the warehouse at `warehouse_dir`."""
        raise NotImplementedError

    def execute(self, text: str) -> list[Result]:
        """Parse and run one statement."""
        raise NotImplementedError

    def login(self, principal: str) -> None:
        """Act as `principal` from now on."""
        raise NotImplementedError

    def prompt(self) -> str:
        """The interactive prompt for the current state."""
        return f"odps@ {self.project or ''}>"

    def idle(self) -> None:
        """Release project files while the shell waits."""

    def interrupt(self) -> None:
        """Cancel the running statement."""

    def close(self) -> None:
        """Release everything."""
