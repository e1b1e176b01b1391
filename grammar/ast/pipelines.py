"""Loading pipelines: stages, COPY INTO, PUT/LIST/REMOVE, pipes, streams and tasks, and
the `KEY = value` options they take."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Literal as Lit

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName
    from cloneshell.grammar.ast.ddl import CloneSource
    from cloneshell.grammar.ast.expressions import Expr
    from cloneshell.grammar.ast.queries import TimeTravel


@node
class OptionValue(Node):
    """The value of a `KEY = value` property: a string, a number or a bare word (text as
    written, strings unquoted), TRUE/FALSE, a parenthesised list, or a group of options
    (`FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`)."""

    kind: Lit["string", "number", "word", "boolean", "list", "group"]
    text: str = ""
    items: tuple[OptionValue, ...] = ()
    options: tuple[ObjectOption, ...] = ()


@node
class ObjectOption(Node):
    """`KEY = value` (key upper case): stage, COPY, pipe, stream and task properties."""

    key: str
    value: OptionValue


@node
class StageRef(Node):
    """A stage location: `@[db.][schema.]stage[/path]` (NAMED), `@%table[/path]` (TABLE: the
    table's own stage), `@~[/path]` (USER), or a quoted URL such as 's3://bucket/dir/' (URL, in
    `url`). `path` is what follows the name, without the leading `/`."""

    kind: Lit["NAMED", "TABLE", "USER", "URL"]
    name: QualifiedName | None = None
    path: str = ""
    url: str = ""


@node
class CreateStage(Statement):
    """`CREATE [OR REPLACE] [TEMPORARY] STAGE [IF NOT EXISTS] s [URL = '…'] [FILE_FORMAT = (…)]
    [COMMENT = '…'] [CLONE src]` (other properties are kept in `options`)."""

    name: QualifiedName
    or_replace: bool = False
    if_not_exists: bool = False
    temporary: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    clone: CloneSource | None = None


@node
class CopyInto(Statement):
    """`COPY INTO t [(cols)] FROM @stage[/path] [FILES = (…)] [PATTERN = '…']
    [FILE_FORMAT = (…)] [ON_ERROR = …] [FORCE = TRUE] [PURGE = TRUE] …`."""

    table: QualifiedName
    source: StageRef
    columns: tuple[Ident, ...] = ()
    options: tuple[ObjectOption, ...] = ()


@node
class CreatePipe(Statement):
    """`CREATE [OR REPLACE] PIPE [IF NOT EXISTS] p [AUTO_INGEST = TRUE|FALSE] [COMMENT = '…']
    AS COPY INTO …`; `definition` is the COPY statement's text as written."""

    name: QualifiedName
    copy: CopyInto
    definition: str
    or_replace: bool = False
    if_not_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None


@node
class CreateStream(Statement):
    """`CREATE [OR REPLACE] STREAM [IF NOT EXISTS] s [COPY GRANTS] ON TABLE t [AT|BEFORE (…)]
    [APPEND_ONLY = TRUE|FALSE] [COMMENT = '…']`, or `… STREAM s CLONE src`."""

    name: QualifiedName
    table: QualifiedName | None = None
    time_travel: TimeTravel | None = None
    or_replace: bool = False
    if_not_exists: bool = False
    copy_grants: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    clone: CloneSource | None = None


@node
class CreateTask(Statement):
    """`CREATE [OR REPLACE] TASK [IF NOT EXISTS] k [WAREHOUSE = w] [SCHEDULE = '…'] [… = …]
    [COMMENT = '…'] [AFTER k0, …] [WHEN cond] AS <statement>`, or `… TASK k CLONE src`.
    `body_text` is the statement's text as written."""

    name: QualifiedName
    body: Statement | None = None
    body_text: str = ""
    or_replace: bool = False
    if_not_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    after: tuple[QualifiedName, ...] = ()
    when: Expr | None = None
    when_text: str = ""
    clone: CloneSource | None = None


@node
class PutFile(Statement):
    """`PUT file://<local path> @stage[/path] [AUTO_COMPRESS = …] [OVERWRITE = …] …`; `file` is
    the text after `file://` (a path, possibly with `*`/`?` wildcards)."""

    file: str
    stage: StageRef
    options: tuple[ObjectOption, ...] = ()


@node
class ListStage(Statement):
    """`LIST|LS @stage[/path] [PATTERN = '…']`."""

    stage: StageRef
    options: tuple[ObjectOption, ...] = ()


@node
class RemoveStage(Statement):
    """`REMOVE|RM @stage[/path] [PATTERN = '…']`."""

    stage: StageRef
    options: tuple[ObjectOption, ...] = ()


@node
class AlterPipe(Statement):
    """`ALTER PIPE [IF EXISTS] p REFRESH [PREFIX = '…'] [MODIFIED_AFTER = …]`, `… SET
    PIPE_EXECUTION_PAUSED = TRUE|FALSE [COMMENT = '…']`, `… UNSET name[, …]`."""

    name: QualifiedName
    action: Lit["REFRESH", "SET", "UNSET"]
    if_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    unset: tuple[str, ...] = ()


TaskAction = Lit[
    "RESUME",
    "SUSPEND",
    "SET",
    "UNSET",
    "MODIFY AS",
    "MODIFY WHEN",
    "REMOVE WHEN",
    "ADD AFTER",
    "REMOVE AFTER",
]


@node
class AlterTask(Statement):
    """`ALTER TASK [IF EXISTS] k RESUME | SUSPEND | SET … | UNSET … | MODIFY AS <statement> |
    MODIFY WHEN <cond> | REMOVE WHEN | ADD AFTER k0, … | REMOVE AFTER k0, …`."""

    name: QualifiedName
    action: TaskAction
    if_exists: bool = False
    options: tuple[ObjectOption, ...] = ()
    comment: str | None = None
    unset: tuple[str, ...] = ()
    body: Statement | None = None
    body_text: str = ""
    when: Expr | None = None
    when_text: str = ""
    after: tuple[QualifiedName, ...] = ()


@node
class ExecuteTask(Statement):
    """`EXECUTE TASK k`: one run now, whatever its schedule or state."""

    name: QualifiedName


PipelineKind = Lit["STAGE", "PIPE", "STREAM", "TASK"]


@node
class DescribePipeline(Statement):
    """`DESC|DESCRIBE STAGE|PIPE|STREAM|TASK name`."""

    kind: PipelineKind
    name: QualifiedName
