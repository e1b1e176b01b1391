"""`Dialect`: everything that makes one dialect behave and look like its vendor, in one frozen
object. Core code asks the session's Dialect; it never branches on a dialect's name.

Each dialect package builds its own (engine/maxcompute/dialect.py, engine/snowflake/dialect.py)
from its own modules: name folding, error table, statement ids, handler table, statement
context (the name resolver and the authorizer), query translation rules and the hooks the
session calls at the points where the dialects differ. engine/core/dialects.py is the one
place that knows which dialects exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloneshell.engine.core.errors import EngineError, ErrorKind
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError, Span, SqlSyntaxError
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.context import StatementContext
    from cloneshell.engine.core.session import Session
    from cloneshell.engine.core.snapshot import CatalogSnapshot
    from cloneshell.engine.core.translate import Translation

# kind -> (code, whether `[line,col]` follows the code, message template with {args})
ErrorTable = Mapping[str, tuple[str, bool, str]]
# (code, positional, body, span) -> (code shown, SQL state, text): how a dialect lays out one
# error (`ODPS-0130131:[1,15] body` or `002003 (42S02): body`).
ErrorLayout = Callable[[str, bool, str, Span | None], tuple[str, str, str]]


@record(frozen=True, slots=True)
class InsertBatching:
    """How a dialect runs a script's consecutive single-row INSERTs in one transaction
    (engine/core/batching.py): which INSERTs qualify, which may share a batch, and the run."""

    batchable: Callable[[ast.Insert], bool]
    key: Callable[[ast.Insert, Callable[[ast.Ident], str]], object]
    run: Callable[[list[Any], list[ast.Insert]], int | None]


@record(frozen=True, slots=True)
class Dialect:
    """The data and hooks of one dialect (each field's source is cited where it is built)."""

    name: str
    # As vendors spell it in messages: `MaxCompute`, `Snowflake`.
    title: str
    # How unquoted names are stored (MaxCompute lower case, Snowflake upper case).
    fold: Callable[[str], str]
    # A project's built-in schema (MaxCompute `default`, Snowflake `PUBLIC`).
    default_schema: str
    # The interactive prompt, formatted with project, user, database, schema.
    prompt_format: str
    errors: ErrorTable
    error_layout: ErrorLayout
    # A new statement id (odpscmd instance ids, Snowflake query ids).
    statement_id: Callable[[datetime], str]
    # statement class -> `module:function` under cloneshell.engine: the one handler registry.
    handlers: Mapping[type[ast.Statement], str]
    # The statement context class: resolves names and authorizes in this dialect's terms.
    context: type[StatementContext]
    # Query translation: functions, types, result column names (engine/core/translate.py).
    translation: Translation
    # Session hooks: `start(session, principal, project, opening, new_user)` makes the session
    # this dialect's (identity, current project) when opened or first switched to (`new_user`
    # False: an unknown user is refused, not created); `login` acts as another principal;
    # `snapshot` is what completion may offer.
    start: Callable[[Session, str | None, str | None, bool, bool], None]
    login: Callable[[Session, str], None]
    snapshot: Callable[[Session, int], CatalogSnapshot]
    # The status text of statements that return nothing else.
    ok_message: str = "OK"
    # Whether double-quoted identifiers keep their case (Snowflake) or fold like others.
    quoted_keep_case: bool = False
    # Whether a password is the current principal's (a server login); None: no passwords.
    authenticate: Callable[[Session, str], bool] | None = None
    # Scheduled work (Snowflake tasks): run what is due by the session clock.
    run_due: Callable[[Session, datetime], None] | None = None
    insert_batching: InsertBatching | None = None
    # Session end (Session.close): what the dialect removes with the session (Snowflake: its
    # temporary tables and views).
    end: Callable[[Session], None] | None = None
    # Before each statement's handler runs, in its context (Snowflake: an open transaction is
    # committed before DDL, or one opened with AUTOCOMMIT off).
    before: Callable[[StatementContext, ast.Statement], None] | None = None
    # The most rows a query shows (MaxCompute's console: 10,000); None: every row.
    select_rows: int | None = None

    def fold_ident(self, ident: ast.Ident) -> str:
        """An identifier as stored: folded, unless quoted in a dialect that keeps quoted case."""
        if ident.quoted and self.quoted_keep_case:
            return ident.name
        return self.fold(ident.name)

    def render_error(self, err: CloneshellError) -> CloneshellError:
        """`err` in this dialect's words: a copy with `code`, `sqlstate`, `text` and `dialect`
        set (`err` itself is left as it was). Errors the engine did not raise pass unchanged."""
        args: Mapping[str, object]
        hint = err.hint
        if isinstance(err, SqlSyntaxError):
            kind, args = ErrorKind.PARSE, {"message": err.message, "token": err.token or "<EOF>"}
            if err.expected and len(err.expected) <= 8 and hint is None:
                hint = "expected " + _one_of(err.expected)
        elif isinstance(err, EngineError):
            kind, args = err.kind, err.args_
        else:
            return err
        code, positional, template = self.errors[kind]
        line, col = (err.span.line, err.span.column) if err.span else (1, 1)
        try:
            body = template.format(**{"line": line, "pos": max(col - 1, 0), **args})
        except (KeyError, IndexError):
            body = str(args.get("message", err.message))
        out = _copy(err)
        out.hint = hint
        out.dialect = self.name
        out.code, out.sqlstate, out.text = self.error_layout(code, positional, body, err.span)
        return out


def _copy(err: CloneshellError) -> CloneshellError:
    """A shallow copy of an error (same class, attributes and message), made without calling
    its `__init__`, whose signature differs per class."""
    new = type(err).__new__(type(err), *err.args)
    new.__dict__.update(err.__dict__)
    new.args = err.args
    return new


def _one_of(names: tuple[str, ...]) -> str:
    shown = [n for n in names if n != "<EOF>"] or list(names)
    return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)
