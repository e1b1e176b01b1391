"""What differs between MaxCompute and Snowflake, as frozen data (no `if dialect ==` branches).

Each flag cites the vendor fact it reproduces (see ../shared/reference/*.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cloneshell.engine.errors import EngineError
from cloneshell.grammar.errors import CloneshellError, SqlSyntaxError

# MaxCompute error texts (reference/maxcompute.md §1.6). `pos` marks messages that carry
# `[line,col]` after the code. Codes marked "emulator" were not found in any vendor text; they
# follow the documented families (0130071 semantic analysis, 0420xxx API) and say so.
_MC_ERRORS: dict[str, tuple[str, bool, str]] = {
    "parse": ("ODPS-0130161", True, "Parse exception - {message}"),
    "table_not_found": (
        "ODPS-0130131",
        True,
        "Table not found - table {name} cannot be resolved",
    ),
    # "Table or view already exists" is the text users report; the code is an emulator choice.
    "table_exists": ("ODPS-0130111", True, "Table or view already exists - {name}"),
    # emulator code: MaxCompute's API answers "Project not found - '<p>'" for unknown projects.
    "project_not_found": ("ODPS-0420111", False, " Project not found - '{name}'."),
    "project_exists": ("ODPS-0420111", False, " Project already exists - '{name}'."),
    "not_member": ("ODPS-0420095", False, " Access Denied - You don't exist in project {project}."),
    "no_instance_privilege": (
        "ODPS-0420095",
        False,
        " Access Denied - You have no privilege 'odps:CreateInstance' on "
        "{{acs:odps:*:projects/{project}}}",
    ),
    "no_privilege": (
        "ODPS-0130013",
        False,
        "Authorization exception - Authorization Failed [4019], You have NO privilege "
        "'odps:{action}' on {{acs:odps:*:{resource}}}.",
    ),
    "denied": ("ODPS-0130013", False, "Authorization exception - {message}"),
    "semantic": ("ODPS-0130071", True, "Semantic analysis exception - {message}"),
    "column_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - column {name} cannot be resolved",
    ),
    "function_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - function or view {name} cannot be resolved",
    ),
    "partition_exists": (
        "ODPS-0110041",
        False,
        " Invalid meta operation - AlreadyExistsException(message:Partition already exists, "
        "existed values: {spec})",
    ),
    "partition_not_found": (
        "ODPS-0130071",
        True,
        "Semantic analysis exception - partition {spec} does not exist in table {name}",
    ),
    "limit": ("ODPS-0130071", True, "Semantic analysis exception - {message}"),
    "unsupported": ("ODPS-0130071", True, "Semantic analysis exception - {message}"),
    "invalid": ("ODPS-0420061", False, " Invalid parameter - {message}"),
    "security": ("ODPS-0420061", False, " Invalid parameter - {message}"),
    "execution": ("ODPS-0121095", False, "Invalid argument - {message}"),
    "locked": (
        "ODPS-0420051",
        False,
        " Project {project} is busy: another cloneshell holds its file (waited {seconds:g}s)",
    ),
    "cancelled": ("ODPS-0130000", False, " Statement cancelled"),
}


@dataclass(frozen=True, slots=True)
class Dialect:
    """The data that makes one dialect look and behave like its vendor."""

    name: str
    # MaxCompute names are case-insensitive and shown lower case (maxcompute.md §5.1).
    fold: Callable[[str], str]
    # A project's built-in schema (maxcompute.md §4: DEFAULT; Snowflake: PUBLIC).
    default_schema: str
    # `odps@ <project>>`: odpscmd before 0.40.8 (maxcompute.md §2.5).
    prompt_format: str
    errors: dict[str, tuple[str, bool, str]] = field(default_factory=dict)
    ok_message: str = "OK"

    def render_error(self, err: CloneshellError) -> CloneshellError:
        """Set `err.code` and `err.text` to this dialect's code and message; return `err`."""
        args: dict[str, object]
        if isinstance(err, SqlSyntaxError):
            kind, args = "parse", {"message": err.message}
            if err.expected and len(err.expected) <= 8 and err.hint is None:
                err.hint = "expected " + _one_of(err.expected)
        elif isinstance(err, EngineError):
            kind, args = err.kind, err.args_
        else:
            return err
        code, positional, template = self.errors.get(kind, self.errors["semantic"])
        try:
            body = template.format(**args)
        except (KeyError, IndexError):
            body = str(args.get("message", err.message))
        if positional:
            line, col = (err.span.line, err.span.column) if err.span else (0, 0)
            err.text = f"{code}:[{line},{col}] {body}"
        else:
            err.text = f"{code}:{body}"
        err.code = code
        return err


def _one_of(names: tuple[str, ...]) -> str:
    shown = [n for n in names if n != "<EOF>"] or list(names)
    return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)


MAXCOMPUTE = Dialect(
    name="maxcompute",
    fold=str.lower,
    default_schema="default",
    prompt_format="odps@ {project}>",
    errors=_MC_ERRORS,
)

DIALECTS = {"maxcompute": MAXCOMPUTE}
