"""Engine errors: one class per family, each carrying a `kind` and the facts of the failure.

Handlers raise these without knowing the dialect; the session's dialect turns `kind` + `args`
into the code and text the user sees (`Dialect.render_error`).
"""

from __future__ import annotations

from cloneshell.grammar.errors import CloneshellError, Span


class EngineError(CloneshellError):
    """An error raised by the engine. `kind` names the failure; `args_` holds its facts."""

    def __init__(
        self, kind: str, span: Span | None = None, hint: str | None = None, **args: object
    ) -> None:
        self.kind = kind
        self.args_ = args
        detail = args.get("message") or ", ".join(f"{k}={v}" for k, v in args.items())
        super().__init__(f"{kind}: {detail}", span, "", hint)


class CatalogError(EngineError):
    """An object that does not exist, or already exists."""


class PrivilegeError(EngineError):
    """A principal lacking a privilege or membership."""


class LimitError(EngineError):
    """A documented limit exceeded (partitions per clone, name length...)."""


class UnsupportedError(EngineError):
    """Something the real service refuses (external tables in CLONE, cross-region...)."""


class SemanticError(EngineError):
    """A statement that parses but makes no sense (unknown column, wrong partition spec...)."""


class ExecutionError(EngineError):
    """DuckDB failed while running a statement (conversion, division by zero...)."""


class LockError(EngineError):
    """A project file held by another process for longer than the lock timeout."""
