"""A stand-in for `cloneshell.engine.Session`: canned results per statement, scripted failures,
and a record of every call, so shell tests do not depend on the engine."""

from __future__ import annotations

from collections.abc import Callable

from cloneshell.engine.core.result import Result, Status
from cloneshell.grammar.errors import CloneshellError

Answer = list[Result] | BaseException | Callable[[str], list[Result]]


class FakeSession:
    """Answers `execute(text)` from `answers` (keyed by the statement text, stripped, or by its
    first word upper-cased); anything else returns `[Status("OK")]`."""

    def __init__(
        self,
        answers: dict[str, Answer] | None = None,
        principal: str = "ALIYUN$odps_user@aliyun.com",
        project: str | None = "my_project",
    ) -> None:
        self.answers = answers or {}
        self.principal = principal
        self.project = project
        self.dialect_name = "maxcompute"
        self.executed: list[str] = []
        self.raw: list[str] = []
        self.calls: list[str] = []

    def execute(self, text: str) -> list[Result]:
        # The runner passes a statement with its own `;` (so a parse error at the end points at
        # it); the engine accepts either, so the fake records the statement without it.
        self.raw.append(text)
        text = text.removesuffix(";")
        self.executed.append(text)
        self.calls.append("execute")
        key = text.strip()
        answer = self.answers.get(key)
        if answer is None and key:
            answer = self.answers.get(key.split()[0].upper())
        if answer is None:
            return [Status("OK")]
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            return answer(text)
        return answer

    def login(self, principal: str) -> None:
        self.calls.append("login")
        if principal.startswith("nobody"):
            raise CloneshellError(f"principal {principal} does not exist", code="ODPS-0420095")
        self.principal = principal

    def prompt(self) -> str:
        return f"odps@ {self.project or ''}>"

    def idle(self) -> None:
        self.calls.append("idle")

    def close(self) -> None:
        self.calls.append("close")
