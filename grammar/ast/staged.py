"""Snowflake queries over staged files: `FROM @stage (…)` and `$n` columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.expressions import Expr
from cloneshell.grammar.ast.queries import FromItem
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident
    from cloneshell.grammar.ast.pipelines import StageRef


@node
class StagedFiles(FromItem):
    """Snowflake `@stage[/path] [(FILE_FORMAT => 'name', PATTERN => '…')] [alias]` in FROM: the
    rows of the stage's files."""

    stage: StageRef
    file_format: Expr | None = None
    pattern: Expr | None = None
    alias: Ident | None = None
    columns: tuple[Ident, ...] = ()  # `AS t (c1, …)`: new names of its first columns


@node
class FileColumn(Expr):
    """Snowflake `$n` (or `alias.$n`): the n-th column of a staged file's rows."""

    number: int
    qualifier: Ident | None = None
